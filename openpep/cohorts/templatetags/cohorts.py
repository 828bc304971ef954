"""The wider cohort on the child's page and the officer's follow-ups on the task list, without
``children`` or ``reminders`` importing this app: their templates load these tags."""

from django import template
from django.utils import timezone

from openpep.children.models import CohortMembership
from openpep.children.queries import is_looked_after
from openpep.children.rules import can_see_care_details

from .. import rules
from ..queries import casework_for, follow_ups_for

register = template.Library()


@register.inclusion_tag("cohorts/_panel.html", takes_context=True)
def cohorts_panel(context, child):
    """The child's cohorts (for those who see care details) and the advice the reader may read (two queries)."""
    user = context["request"].user
    sees_cohorts = can_see_care_details(user, child)
    today = timezone.localdate()
    return {
        "child": child,
        "sees_cohorts": sees_cohorts,
        "looked_after": is_looked_after(child, today) if sees_cohorts else None,
        "memberships": list(CohortMembership.objects.filter(child=child)) if sees_cohorts else [],
        "today": today,
        "can_manage": rules.can_manage_cohorts(user, child),
        "casework": list(casework_for(user).filter(child=child).select_related("topic", "given_by")),
        "can_record": rules.can_record_casework(user, child),
    }


@register.inclusion_tag("cohorts/_follow_ups.html", takes_context=True)
def my_follow_ups(context, follow_ups=None):
    """The follow-ups of advice the person signed in gave: ``follow_ups`` when the page has read them,
    else read here (one query)."""
    if follow_ups is None:
        follow_ups = list(follow_ups_for(context["request"].user))
    return {"follow_ups": follow_ups, "today": timezone.localdate()}


@register.filter
def is_counted(membership, today) -> bool:
    return membership.is_counted(today)
