"""Webhook events from the PEP's moves (``plans.signals.pep_moved``)."""

from django.dispatch import receiver

from openpep.plans.signals import pep_moved

from .services import queue_move


@receiver(pep_moved, dispatch_uid="api_queue_webhooks")
def queue_webhooks(sender, pep, to_status, at, **kwargs):
    queue_move(pep, to_status, at)
