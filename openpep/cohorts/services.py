"""Every write about the wider cohort: a child's cohort memberships, the council's settings and
topics, the casework log and its follow-ups. Each checks the right again and is audited here,
inside its transaction."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from openpep.audit.enums import Verb
from openpep.audit.services import changes, record, snapshot
from openpep.children.models import Child, CohortMembership
from openpep.people.models import LocalAuthority, User
from openpep.people.queries import roles_of
from openpep.people.services import save_council_settings

from . import rules
from .models import CaseworkEntry, CaseworkTopic, CohortSettings

MEMBERSHIP_FIELDS = ["cohort", "kind", "starts_on", "ends_on", "from_where"]
ENTRY_FIELDS = ["given_on", "given_to", "how", "topic_id", "follow_up_on", "shared_with_school"]


def _require_admin(actor: User, authority_id: int) -> None:
    if authority_id not in roles_of(actor).admin_authority_ids:
        raise PermissionDenied("Only the Virtual School Head of the authority can change this")


@transaction.atomic
def add_membership(actor: User, child: Child, membership: CohortMembership) -> CohortMembership:
    """Put ``child`` in one of the wider cohorts for a period. Side effects: audit entry."""
    if not rules.can_manage_cohorts(actor, child):
        raise PermissionDenied("Only the Virtual School of the child's authority records their cohorts")
    membership.child = child
    membership.full_clean()
    membership.save()
    record(
        actor,
        Verb.CREATED,
        membership,
        summary=f"Added {child.full_name} to a cohort: {membership}",
        after=snapshot(membership, MEMBERSHIP_FIELDS),
    )
    return membership


@transaction.atomic
def end_membership(actor: User, membership: CohortMembership, ends_on) -> CohortMembership:
    """Record the end of an order or plan. Side effects: audit entry."""
    child = membership.child
    if not rules.can_manage_cohorts(actor, child):
        raise PermissionDenied("Only the Virtual School of the child's authority records their cohorts")
    membership = CohortMembership.objects.select_for_update().get(pk=membership.pk)
    if membership.ends_on is not None:
        raise ValidationError("This has ended already")
    membership.ends_on = ends_on
    membership.full_clean()
    membership.save(update_fields=["ends_on"])
    record(
        actor,
        Verb.ENDED,
        membership,
        summary=f"Recorded the end of {child.full_name}'s {membership.get_kind_display().lower()}",
        after={"ends_on": ends_on.isoformat()},
    )
    return membership


def save_settings(actor: User, settings: CohortSettings) -> CohortSettings:
    """Save a council's wider cohort settings. Side effects: audit entry with what changed."""
    return save_council_settings(actor, settings, summary="Changed the wider cohort settings")


@transaction.atomic
def save_topic(actor: User, authority: LocalAuthority, topic: CaseworkTopic) -> CaseworkTopic:
    """Add a topic of advice, or rename or retire one. Side effects: audit entry."""
    _require_admin(actor, authority.pk)
    if topic.pk is not None and topic.local_authority_id != authority.pk:
        raise PermissionDenied("This topic is another council's")
    topic.local_authority = authority
    if CaseworkTopic.objects.filter(local_authority=authority, name__iexact=topic.name).exclude(pk=topic.pk).exists():
        raise ValidationError({"name": "There is already a topic with this name"})
    saved = CaseworkTopic.objects.filter(pk=topic.pk).first() if topic.pk else None
    before = snapshot(saved, ["name", "active"]) if saved else {}
    topic.save()
    before, after = changes(before, snapshot(topic, ["name", "active"]))
    verb = Verb.UPDATED if saved else Verb.CREATED
    record(
        actor,
        verb,
        topic,
        summary=f"{'Changed' if saved else 'Added'} the topic of advice ‘{topic.name}’",
        before=before,
        after=after,
    )
    return topic


@transaction.atomic
def record_casework(actor: User, child: Child, entry: CaseworkEntry) -> CaseworkEntry:
    """Record advice given about ``child`` by ``actor``. Side effects: audit entry (without the notes)."""
    if not rules.can_record_casework(actor, child):
        raise PermissionDenied("Only the Virtual School of the child's authority records its advice")
    if entry.topic.local_authority_id != child.local_authority_id or not entry.topic.active:
        raise ValidationError({"topic": "Select a topic from the list"})
    entry.child = child
    entry.given_by = actor
    entry.full_clean()
    entry.save()
    record(
        actor,
        Verb.CREATED,
        entry,
        summary=f"Recorded advice about {child.full_name}: {entry}",
        after=snapshot(entry, ENTRY_FIELDS),
    )
    return entry


@transaction.atomic
def close_follow_up(actor: User, entry: CaseworkEntry) -> CaseworkEntry:
    """The officer has followed up their advice: it leaves their task list. Side effects: audit entry."""
    entry = CaseworkEntry.objects.select_for_update().select_related("child").get(pk=entry.pk)
    if not rules.can_close_follow_up(actor, entry):
        raise PermissionDenied("This follow-up is not yours to close, or is closed already")
    entry.followed_up_at = timezone.now()
    entry.save(update_fields=["followed_up_at"])
    record(actor, Verb.ENDED, entry, summary=f"Followed up the advice about {entry.child.full_name}: {entry}")
    return entry
