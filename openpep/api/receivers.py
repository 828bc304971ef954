"""Webhook events from the PEP's moves: ``plans`` announces every committed change of a PEP;
the moves among them are read from their audit entries (``services.queue_moves``)."""

import logging

from django.dispatch import receiver

from openpep.plans.signals import pep_changed

log = logging.getLogger("openpep.api")


@receiver(pep_changed, dispatch_uid="api_queue_webhooks")
def queue_webhooks(sender, pep_id, **kwargs):
    from .services import queue_moves

    try:
        queue_moves(pep_id)
    except Exception:  # a webhook must never break the change that was made
        log.exception("Could not queue the webhooks of PEP %s", pep_id)
