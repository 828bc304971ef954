"""The quality app's answer to other apps' events."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from openpep.people.models import LocalAuthority

from . import services


@receiver(post_save, sender=LocalAuthority, dispatch_uid="quality.default_rubric")
def default_rubric(sender, instance: LocalAuthority, created: bool, raw: bool = False, **kwargs) -> None:
    """A new authority starts with the default rubric, so no page has to make it on first use."""
    if created and not raw:
        services.add_default_criteria(instance)
