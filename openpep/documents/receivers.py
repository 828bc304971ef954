"""Stores a PEP's copies the moment it is signed off (see ``services.store_signed_off_copies``)."""

import logging

from django.dispatch import receiver

from openpep.plans.signals import pep_changed

from .services import store_signed_off_copies

log = logging.getLogger("openpep.documents")


@receiver(pep_changed, dispatch_uid="documents.store_signed_off_copies")
def pep_changed_store_copies(sender, pep_id: int, **kwargs) -> None:
    # Runs after the sign-off has committed, in the same request: a failure here must not
    # turn the Virtual School's sign-off into an error page. The copies are then made on
    # the first download instead (the same function), and the failure is logged.
    try:
        store_signed_off_copies(pep_id)
    except Exception:
        log.exception("Could not store the signed-off copies of PEP %s", pep_id)
