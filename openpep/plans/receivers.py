"""What plans does when the child's record tells it something (``children.signals``)."""

from django.dispatch import receiver

from openpep.children.signals import school_changed

from .services import follow_school_change


@receiver(school_changed, dispatch_uid="plans.follow_school_change")
def pep_follows_the_child(sender, *, actor, child, school, starts_on, **kwargs):
    follow_school_change(actor, child, school, starts_on)
