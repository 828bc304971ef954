"""Writes to PEPs. Every function here checks the actor's right on a locked
PEP row, saves, and writes its audit entry, in one transaction."""

import datetime
from dataclasses import dataclass
from itertools import chain

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from openpep.audit.enums import Verb
from openpep.audit.services import changes, record, snapshot, viewed
from openpep.children.models import Child
from openpep.children.queries import is_looked_after
from openpep.people.models import LocalAuthority, School, User
from openpep.people.queries import roles_of

from . import rules
from .enums import Occasion, Phase, Section, Status
from .locking import Conflict as Conflict  # what save_section raises, for its callers to catch
from .locking import create_once, update_locked
from .models import (
    NATIONAL_WORDING,
    Arrangements,
    Attainment,
    ChildViews,
    Pep,
    PepTypeWording,
    SchoolSection,
    Target,
    TargetReview,
    Wording,
    forget_pep_type_wording,
    pep_type_wording,
)
from .queries import previous_pep
from .signals import announce


def default_phase(child: Child, on: datetime.date | None = None) -> Phase:
    year = child.year_group(on)
    if year < 0:
        return Phase.EARLY_YEARS
    if year >= 12:
        return Phase.POST_16
    return Phase.STATUTORY


def lock_pep(pep: Pep) -> Pep:
    """Lock the PEP row for the rest of the transaction and refresh its status,
    so a save and a move can never interleave."""
    pep.status = Pep.objects.select_for_update().values_list("status", flat=True).get(pk=pep.pk)
    return pep


def require_editable(user: User, pep: Pep, section: Section) -> None:
    if not rules.can_edit(user, pep, section):
        raise PermissionDenied(f"{section.label} cannot be changed now: the PEP is ‘{pep.get_status_display()}’")


#: Why a PEP is not started for a child of the wider cohort (the start page says it too).
NOT_LOOKED_AFTER = (
    "{name} is not looked after today: only a looked-after child has a PEP. If they have come into care, "
    "record the date they entered care and their placement first"
)


@transaction.atomic
def start_pep(actor: User, child: Child, pep: Pep) -> Pep:
    """Section A: start a PEP for ``child``. The child's current school is the
    PEP's school, and the previous PEP's targets are set out in Section D for
    review. Side effects: audit entry."""
    if not rules.can_start_pep(actor, child):
        raise PermissionDenied("Only the allocated social worker can start a PEP")
    Child.objects.select_for_update().filter(pk=child.pk).get()
    if not is_looked_after(child):
        raise ValidationError(NOT_LOOKED_AFTER.format(name=child.full_name))
    if child.peps.exclude(status=Status.SIGNED_OFF).filter(corrects__isnull=True).exists():
        raise ValidationError("This child already has a PEP in progress: finish it before starting another")
    enrolment = child.current_enrolment()
    pep.child = child
    pep.school = enrolment.school if enrolment else None
    pep.created_by = actor
    pep.status = Status.DRAFT
    pep.save()
    previous = previous_pep(child, before=pep)
    if previous is not None:
        TargetReview.objects.bulk_create(TargetReview(pep=pep, target=t) for t in previous.targets.all())
    announce(pep)
    record(
        actor,
        Verb.CREATED,
        pep,
        summary=f"Started the PEP: {pep.title}",
        after=snapshot(pep, ["phase", "occasion", "views_recorded_by", "school_id"]),
    )
    return pep


@transaction.atomic
def save_section(
    actor: User, pep: Pep, instance: models.Model, *, section: Section, expected_version: int | None
) -> models.Model:
    """Create or update one section (or a target, or a review) of ``pep``.

    ``expected_version`` is the ``lock_version`` the form was opened on: if
    someone has saved since, nothing is written and ``Conflict`` carries their
    version. Side effects: audit entry with the fields that changed."""
    require_editable(actor, lock_pep(pep), section)
    announce(pep)
    model = type(instance)
    label = {Target: "a target", TargetReview: "the review of a previous target"}.get(model, section.label)
    if instance.pk is None:
        if hasattr(instance, "updated_by_id"):
            instance.updated_by = actor
        # Someone else may have created this one-to-one section first.
        create_once(instance, pep=pep)
        record(
            actor,
            Verb.CREATED,
            instance,
            summary=f"Added {label}",
            after=snapshot(instance, _editable(instance)),
        )
        return instance
    saved = model.objects.get(pk=instance.pk)
    fields = _editable(instance)
    values = {name: getattr(instance, name) for name in fields}
    if hasattr(instance, "updated_by_id"):
        values["updated_by"] = actor
    if any(f.name == "updated_at" for f in model._meta.fields):
        values["updated_at"] = timezone.now()
    instance.lock_version = update_locked(saved, expected_version, **values)
    old, new = changes(snapshot(saved, fields), snapshot(instance, fields))
    if new:
        record(actor, Verb.UPDATED, instance, summary=f"Changed {label}", before=old, after=new)
    return instance


def _editable(instance: models.Model) -> list[str]:
    skip = {
        "id",
        "pep",
        "pep_id",
        "lock_version",
        "updated_by",
        "updated_by_id",
        "created_at",
        "updated_at",
        "child",
        "child_id",
        "school",
        "school_id",
        "status",
        "version",
        "corrects",
        "corrects_id",
        "created_by",
        "created_by_id",
        "target",
        "target_id",
        "continues",
        "continues_id",
    }
    return [f.attname for f in instance._meta.concrete_fields if f.attname not in skip and f.name not in skip]


@transaction.atomic
def add_target(actor: User, pep: Pep, target: Target, *, continues: Target | None = None) -> Target:
    """A new target in Section D, optionally carrying forward a previous one. Side effects: audit entry."""
    require_editable(actor, lock_pep(pep), Section.D)
    if continues is not None and not pep.target_reviews.filter(target=continues).exists():
        raise ValidationError("Only a target of the previous PEP can be carried forward")
    target.pep = pep
    target.continues = continues
    target.save()
    summary = f"Added a target: {target.outcome[:120]}"
    if continues is not None:
        summary = f"Carried forward a target: {target.outcome[:120]}"
    record(
        actor,
        Verb.CREATED,
        target,
        summary=summary,
        after=snapshot(target, _editable(target) + ["continues_id"]),
    )
    return target


@dataclass(frozen=True)
class ReviewAnswer:
    """What one previous target's review says on the page of them all: its rating and evidence,
    the ``lock_version`` it was opened on, and the date of the target carried forward from it (None:
    not carried forward)."""

    review_id: int
    rating: str
    evidence: str
    expected_version: int | None
    carry_forward_by: datetime.date | None = None


class Conflicts(Exception):
    """Someone else saved one or more of the reviews since the page was opened. Carries their
    saved versions, so each can be shown beside what was typed."""

    def __init__(self, current: list[TargetReview]):
        super().__init__("Saved by someone else in the meantime")
        self.current = current


#: A previous target's wording, copied into the target that carries it forward (as ``target_add`` offers it).
CARRIED_FIELDS = ("outcome", "area", "success_measure", "actions", "who")


@transaction.atomic
def review_targets(actor: User, pep: Pep, answers: list[ReviewAnswer]) -> list[Target]:
    """Section D's reviews of the previous PEP's targets, all at once, and the targets carried forward.

    All or nothing: if any review was saved by someone else since the page was opened
    (``expected_version``), nothing is written and ``Conflicts`` carries every one of theirs. A
    review whose answers are what is saved is not written (its version stays, so no one else's
    page of it goes stale). A target already carried forward into ``pep`` is not carried again
    (a second submit of the page adds nothing). Returns the targets carried forward.
    Side effects: an audit entry for each review changed (``save_section``) and each target
    carried forward (``add_target``)."""
    require_editable(actor, lock_pep(pep), Section.D)
    wanted = [answer.review_id for answer in answers]
    saved = {review.pk: review for review in pep.target_reviews.select_related("target").filter(pk__in=wanted)}
    if len(set(wanted)) != len(answers) or set(saved) != set(wanted):
        raise ValidationError("Only the reviews of this PEP's previous targets can be saved here")
    # The PEP's row is locked: no review of it changes until this transaction ends.
    stale = [
        saved[answer.review_id] for answer in answers if saved[answer.review_id].lock_version != answer.expected_version
    ]
    if stale:
        raise Conflicts(stale)
    carried = set(
        pep.targets.filter(continues__in=[review.target_id for review in saved.values()]).values_list(
            "continues_id", flat=True
        )
    )
    added = []
    for answer in answers:
        review = saved[answer.review_id]
        if (review.rating, review.evidence) != (answer.rating, answer.evidence):
            review.rating, review.evidence = answer.rating, answer.evidence
            save_section(actor, pep, review, section=Section.D, expected_version=answer.expected_version)
        if answer.carry_forward_by is not None and review.target_id not in carried:
            previous = review.target
            target = Target(
                **{name: getattr(previous, name) for name in CARRIED_FIELDS}, by_when=answer.carry_forward_by
            )
            added.append(add_target(actor, pep, target, continues=previous))
            carried.add(previous.pk)
    return added


@transaction.atomic
def remove_target(actor: User, pep: Pep, target: Target) -> None:
    require_editable(actor, lock_pep(pep), Section.D)
    if target.continued_by.exists():
        raise ValidationError("A later PEP continues this target, so it cannot be removed")
    before = snapshot(target, _editable(target))
    record(actor, Verb.DELETED, target, summary=f"Removed a target: {target.outcome[:120]}", before=before)
    target.delete()


@transaction.atomic
def add_attainment(actor: User, pep: Pep, row: Attainment) -> Attainment:
    require_editable(actor, lock_pep(pep), Section.D)
    row.pep = pep
    row.save()
    record(
        actor,
        Verb.CREATED,
        row,
        summary=f"Recorded attainment in {row.subject}",
        after=snapshot(row, _editable(row)),
    )
    return row


@transaction.atomic
def remove_attainment(actor: User, pep: Pep, row: Attainment) -> None:
    require_editable(actor, lock_pep(pep), Section.D)
    record(
        actor,
        Verb.DELETED,
        row,
        summary=f"Removed attainment in {row.subject}",
        before=snapshot(row, _editable(row)),
    )
    row.delete()


@transaction.atomic
def start_correction(actor: User, pep: Pep) -> Pep:
    """Correct a signed-off PEP by copying it into a new draft version; the
    signed-off version stays as it was, for good. Side effects: audit entry."""
    Pep.objects.select_for_update().filter(pk=pep.pk).get()
    if Pep.objects.filter(corrects=pep).exists() or not rules.can_correct(actor, pep):
        raise PermissionDenied("Only a signed-off PEP that has not been corrected already can be corrected")
    copy = Pep.objects.create(
        child=pep.child,
        school=pep.school,
        phase=pep.phase,
        occasion=pep.occasion,
        views_recorded_by=pep.views_recorded_by,
        version=pep.version + 1,
        corrects=pep,
        created_by=actor,
        status=Status.DRAFT,
    )
    rows = [model.objects.filter(pep=pep) for model in (ChildViews, Arrangements, SchoolSection)]
    for row in chain(*rows, pep.targets.all(), pep.target_reviews.all(), pep.attainment.all()):
        _copy_row(row, actor, pep=copy)
    # The meeting record belongs to the meetings app, above this one: copied
    # through the reverse accessors, without importing it.
    meeting = type(pep).objects.get(pk=pep.pk).meeting if hasattr(pep, "meeting") else None
    if meeting is not None:
        attendees = list(meeting.attendees.all())
        _copy_row(meeting, actor, pep=copy)
        for attendee in attendees:
            _copy_row(attendee, actor, meeting=meeting)
    announce(copy)
    record(actor, Verb.CREATED, copy, summary=f"Started version {copy.version} to correct the signed-off PEP")
    return copy


def _copy_row(row: models.Model, actor: User, **into) -> None:
    """Save ``row`` again as a new row of ``into`` (the correction): a fresh version, last
    changed by whoever started the correction. The original is left as it was."""
    row.pk = None
    row._state.adding = True
    for name, value in into.items():
        setattr(row, name, value)
    if hasattr(row, "lock_version"):
        row.lock_version = 1
    if hasattr(row, "updated_by_id"):
        row.updated_by = actor
    row.save()


def follow_school_change(actor: User, child: Child, school: School, starts_on: datetime.date) -> None:
    """The PEP's part of a change of school (``children.services.change_school``, whose
    ``school_changed`` signal calls this inside its transaction). A PEP in progress follows the
    child to the new school on the day the child starts there (``Pep.working_school``), so the
    old school loses sight of it and the new school's DT completes it; a signed-off copy stays
    with the school that wrote it. When the move has already started, the PEP's school is
    updated now, for lists and exports.

    With no PEP in progress, a child who has had a PEP gets a new one of the
    change-of-school type, at the new school, due by the statutory clock
    (``clock.Timescales.change_of_school_school_days`` school days after the start,
    stored in ``PepClock`` through ``pep_changed``). A child with no PEP yet is still
    waiting for the initial one, which stays what is due.
    Side effects: an audit entry for each PEP that follows or starts."""
    in_progress = list(child.peps.exclude(status=Status.SIGNED_OFF).select_for_update())
    if not any(pep.corrects_id is None for pep in in_progress) and previous_pep(child) is not None:
        start_change_of_school_pep(actor, child, school, starts_on)
    if starts_on > timezone.localdate():
        for pep in in_progress:
            announce(pep)  # the change-of-school due date counts from the new start
        return
    for pep in in_progress:
        old_school = pep.school
        pep.school = school
        pep.save(update_fields=["school", "updated_at"])
        announce(pep)
        record(
            actor,
            Verb.UPDATED,
            pep,
            summary=f"The PEP in progress moved with the child to {school.name}",
            before={"school": old_school.urn if old_school else None},
            after={"school": school.urn},
        )


def record_view(actor: User, pep: Pep, *, page: str) -> None:
    """Log that ``actor`` opened a page of ``pep`` (one entry per page view)."""
    viewed(actor, pep, child_id=pep.child_id, pep_id=pep.pk, summary=f"Viewed {page}")


def start_change_of_school_pep(actor: User, child: Child, school: School, starts_on: datetime.date) -> Pep:
    """The PEP a change of school makes due: a draft at the new school, with the previous
    PEP's targets set out for review, like ``start_pep``. Called inside ``follow_school_change``'s
    transaction. Side effects: audit entry; its due dates are stored after commit."""
    pep = Pep.objects.create(
        child=child,
        school=school,
        phase=default_phase(child, starts_on),
        occasion=Occasion.CHANGE_OF_SCHOOL,
        status=Status.DRAFT,
        created_by=actor,
    )
    previous = previous_pep(child, before=pep)
    if previous is not None:
        TargetReview.objects.bulk_create(TargetReview(pep=pep, target=t) for t in previous.targets.all())
    announce(pep)
    record(
        actor,
        Verb.CREATED,
        pep,
        summary=f"Started the change-of-school PEP for {child.full_name} at {school.name}, "
        f"due by the statutory clock from {starts_on:%-d %B %Y}",
        after=snapshot(pep, ["phase", "occasion", "views_recorded_by", "school_id"]),
    )
    return pep


@transaction.atomic
def save_pep_type_wording(actor: User, authority: LocalAuthority, own: dict) -> Wording:
    """Set how ``authority`` words the PEP types: ``own`` maps (kind, value) to the council's
    (label, hint); a blank one is the national wording. Only the authority's Virtual School admin.

    Side effects: the authority's wording rows are written (a type worded nationally has none);
    one audit entry with what changed. Raises PermissionDenied for anyone else, ValidationError
    for a label or hint too long or two phases (or occasions) worded alike."""
    if authority.pk not in roles_of(actor).admin_authority_ids:
        raise PermissionDenied("Only the Virtual School's admin can change how it words PEP types")
    LocalAuthority.objects.select_for_update().filter(pk=authority.pk).first()  # one change at a time
    cleaned = {}
    for kind, values in NATIONAL_WORDING.items():
        for value in values:
            label, hint = own.get((kind, value), ("", ""))
            row = PepTypeWording(
                local_authority=authority, kind=kind, value=value, label=" ".join(label.split()), hint=hint.strip()
            )
            row.full_clean(exclude=["local_authority"], validate_unique=False, validate_constraints=False)
            if row.label or row.hint:
                cleaned[(kind, value)] = row
    wording = Wording({key: (row.label, row.hint) for key, row in cleaned.items()})
    if clashes := wording.clashes():
        raise ValidationError(list(clashes.values()))
    forget_pep_type_wording(authority.pk)
    before = pep_type_wording(authority)
    rows = {(row.kind, row.value): row for row in PepTypeWording.objects.filter(local_authority=authority)}
    old, new = {}, {}
    for key, row in rows.items():
        if key not in cleaned:
            row.delete()
    for key, wanted in cleaned.items():
        row = rows.get(key)
        if row is None:
            wanted.save()
        elif (row.label, row.hint) != (wanted.label, wanted.hint):
            row.label, row.hint = wanted.label, wanted.hint
            row.save(update_fields=["label", "hint"])
    for kind, values in NATIONAL_WORDING.items():
        for value in values:
            for part in ("label", "hint"):
                was, now = getattr(before, part)(kind, value), getattr(wording, part)(kind, value)
                if was != now:
                    old[f"{kind} {value} {part}"], new[f"{kind} {value} {part}"] = was, now
    record(actor, Verb.UPDATED, authority, summary="Changed the council's wording of PEP types", before=old, after=new)
    forget_pep_type_wording(authority.pk)
    return wording
