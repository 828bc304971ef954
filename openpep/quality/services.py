"""Writes of quality assurance: QA rounds, an authority's rubric and its settings.
Each checks the actor's right, saves and writes its audit entry, in one transaction."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from openpep.audit.enums import Verb
from openpep.audit.services import changes, record, snapshot
from openpep.people.models import LocalAuthority, User
from openpep.people.queries import roles_of
from openpep.people.services import save_council_settings
from openpep.plans.enums import Status
from openpep.plans.models import Pep

from . import rules
from .enums import DEFAULT_CRITERIA, OverallRule, Rag
from .models import Criterion, QualitySettings, Rating, Review

CRITERION_FIELDS = ["title", "description", "position", "active"]


def _lock(authority: LocalAuthority) -> None:
    """Serialise writes to one authority's rubric."""
    LocalAuthority.objects.select_for_update().filter(pk=authority.pk).first()


@transaction.atomic
def add_default_criteria(authority: LocalAuthority) -> list[Criterion]:
    """Give a new authority the default rubric (``DEFAULT_CRITERIA``), unless it has criteria
    already. Called when an authority is created (``receivers``), so reading a rubric never writes.

    Side effects: the criteria. Not audited: they are the new authority's starting state, decided
    by no one (as the defaults of ``QualitySettings`` are); whoever creates an authority audits
    that, and every later change of a criterion is audited with what it was before."""
    _lock(authority)
    if Criterion.objects.filter(local_authority=authority).exists():
        return []
    return Criterion.objects.bulk_create(
        Criterion(local_authority=authority, title=title, description=description, position=position)
        for position, (title, description) in enumerate(DEFAULT_CRITERIA, start=1)
    )


@dataclass(frozen=True)
class Answer:
    """A criterion's rating in a round being recorded."""

    criterion: Criterion
    rating: Rag
    feedback: str = ""


@transaction.atomic
def record_review(actor: User, pep: Pep, answers: Sequence[Answer], *, feedback: str = "") -> Review:
    """Record a round of quality assurance of a submitted PEP: a rating of every active
    criterion of the authority's rubric, and the overall rating its rule gives.

    Side effects: the round and its ratings are saved; one audit entry. Raises
    PermissionDenied for anyone but the child's Virtual School, ValidationError
    for a PEP that is not submitted or answers that do not fit the rubric."""
    status = Pep.objects.select_for_update().values_list("status", flat=True).get(pk=pep.pk)
    pep.status = status
    if not rules.is_virtual_school(actor, pep):
        raise PermissionDenied("Only the child's Virtual School can quality-assure the PEP")
    if status != Status.SUBMITTED:
        raise ValidationError(
            f"Only a PEP submitted to the Virtual School can be quality-assured: this one is ‘{Status(status).label}’"
        )
    authority = pep.child.local_authority
    quality = QualitySettings.for_authority_id(authority.pk)
    expected = {criterion.pk for criterion in Criterion.active_for(authority)}
    given = [answer.criterion.pk for answer in answers]
    if sorted(given) != sorted(expected):
        raise ValidationError("The rubric has changed since the page was opened: rate the criteria shown now")
    allowed = quality.ratings
    problems = [
        f"‘{a.criterion.title}’ cannot be rated {Rag(a.rating).label}" for a in answers if a.rating not in allowed
    ]
    if problems:
        raise ValidationError(problems)
    overall = OverallRule(quality.overall_rule).combine([answer.rating for answer in answers])
    review = Review.objects.create(pep=pep, reviewer=actor, overall=overall, feedback=feedback.strip())
    Rating.objects.bulk_create(
        Rating(
            review=review,
            criterion=answer.criterion,
            title=answer.criterion.title,
            rating=answer.rating,
            feedback=answer.feedback.strip(),
        )
        for answer in answers
    )
    record(
        actor,
        Verb.CREATED,
        review,
        summary=f"Recorded a quality assurance round: {overall.label} overall",
        after={
            "overall": overall.value,
            "ratings": {answer.criterion.title: Rag(answer.rating).value for answer in answers},
            **({"feedback": review.feedback} if review.feedback else {}),
        },
    )
    return review


def _require_admin(actor: User, authority: LocalAuthority) -> None:
    if authority.pk not in roles_of(actor).admin_authority_ids:
        raise PermissionDenied("Only the Virtual School's admin can change its quality settings")


def save_settings(actor: User, quality: QualitySettings) -> QualitySettings:
    """Save an authority's quality settings (creating its row the first time).
    Side effects: the row is saved; one audit entry with what changed."""
    return save_council_settings(actor, quality, summary="Changed the quality settings")


@transaction.atomic
def save_criterion(actor: User, criterion: Criterion) -> Criterion:
    """Add a criterion to the authority's rubric, or change one. A criterion is never
    deleted (earlier rounds rated it): it is made inactive instead.
    Side effects: the row is saved; one audit entry."""
    authority = criterion.local_authority
    _require_admin(actor, authority)
    if criterion.pk is None:
        criterion.save()
        record(
            actor,
            Verb.CREATED,
            criterion,
            summary=f"Added the quality criterion ‘{criterion.title}’",
            after=snapshot(criterion, CRITERION_FIELDS),
        )
        return criterion
    saved = Criterion.objects.select_for_update().get(pk=criterion.pk, local_authority=authority)
    before = snapshot(saved, CRITERION_FIELDS)
    criterion.save()
    old, new = changes(before, snapshot(criterion, CRITERION_FIELDS))
    summary = f"Changed the quality criterion ‘{criterion.title}’"
    record(actor, Verb.UPDATED, criterion, summary=summary, before=old, after=new)
    return criterion
