"""The cohorts app's answer to other apps' events."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from openpep.people.models import LocalAuthority

from .enums import DEFAULT_TOPICS
from .models import CaseworkTopic


@receiver(post_save, sender=LocalAuthority, dispatch_uid="cohorts.default_topics")
def default_topics(sender, instance: LocalAuthority, created: bool, raw: bool = False, **kwargs) -> None:
    """A new council starts with the default topics of advice, so no page has to make them on first
    use (its starting state, not audited; every later change is)."""
    if created and not raw:
        CaseworkTopic.objects.bulk_create(CaseworkTopic(local_authority=instance, name=name) for name in DEFAULT_TOPICS)
