"""Stores a PEP's copies the moment it is signed off (see ``services.store_signed_off_copies``)."""

from django.dispatch import receiver

from openpep.plans.enums import Status
from openpep.plans.signals import pep_moved

from .services import store_signed_off_copies


@receiver(pep_moved, dispatch_uid="documents.store_signed_off_copies")
def pep_signed_off_store_copies(sender, pep, to_status, **kwargs) -> None:
    # Runs after the sign-off has committed, in the same request; a failure is logged by the
    # sender and does not turn the sign-off into an error page: the copies are then made on
    # the first download instead (the same function).
    if to_status == Status.SIGNED_OFF:
        store_signed_off_copies(pep.pk)
