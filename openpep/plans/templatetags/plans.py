"""The child's pages show PEPs without ``children`` importing this app (as ``quality`` adds its
panel to the PEP page and ``attendance`` its figures to the child's): their templates load these tags.
Each reads through ``peps_for`` / ``kept_copies_for``, so a page shows only the PEPs its reader sees."""

from django import template
from django.db.models import Prefetch, prefetch_related_objects

from openpep.children import rules as children_rules
from openpep.children.queries import children_for, is_looked_after

from ..enums import Status
from ..models import Pep
from ..queries import kept_copies_for, peps_for
from ..timeline import timeline_for

register = template.Library()


@register.simple_tag
def with_latest_pep(children):
    """``children`` (a page of the list), each with ``latest_peps``: its latest PEP or none, in one query
    for the page. Only the latest (a window in the database), not every PEP of ten years (make bench:
    60,000 rows for 2,000 children)."""
    latest = Pep.objects.current_versions().order_by("-created_at", "-pk")[:1]
    prefetch_related_objects(children, Prefetch("peps", queryset=latest, to_attr="latest_peps"))
    return children


@register.inclusion_tag("plans/_child_peps.html", takes_context=True)
def child_peps(context, child):
    """The child's page: their PEPs the reader sees, newest first, and the button to start one."""
    user = context.request.user
    peps = list(
        peps_for(user)
        .filter(child=child)
        .select_related("child", "school", "corrected_by")  # the child: its council words the PEPs' titles
        .order_by("-created_at")
    )
    can_start = (
        children_rules.is_allocated_social_worker(user, child)
        and not any(p.status != Status.SIGNED_OFF and p.corrects_id is None for p in peps)
        and is_looked_after(child)
    )
    return {"child": child, "peps": peps, "can_start_pep": can_start}


@register.inclusion_tag("plans/_former_copies.html", takes_context=True)
def former_copies(context):
    """The list of children: the signed-off PEPs the reader's school keeps for children who have left."""
    user = context.request.user
    return {"copies": kept_copies_for(user).exclude(child__in=children_for(user).values("pk"))}


@register.simple_tag(takes_context=True)
def education_timeline(context, child):
    """The child's education timeline as the reader may see it (``timeline.timeline_for``)."""
    return timeline_for(context.request.user, child)
