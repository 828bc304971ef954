"""QA rounds, the rubric and the settings, through the services only."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from openpep.audit.models import AuditEntry
from openpep.people.models import LocalAuthority
from openpep.plans.enums import Status
from openpep.quality import services
from openpep.quality.enums import DEFAULT_CRITERIA, Mode, OverallRule, Rag
from openpep.quality.models import Criterion, QualitySettings, Rating, Review
from tests.builders import cast_of, fresh, pep_in

from .helpers import configure, rate

TITLES = [title for title, _ in DEFAULT_CRITERIA]


def _entries(since):
    return [
        (e.verb, e.actor, e.target_type, e.pep_id, e.summary, e.before, e.after)
        for e in AuditEntry.objects.filter(pk__gt=since).order_by("pk")
    ]


def _last_entry():
    return AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_a_new_authority_gets_the_default_rubric(world):
    authority = LocalAuthority.objects.create(code="990", name="Newtown")

    criteria = Criterion.active_for(authority)
    assert [c.title for c in criteria] == TITLES
    assert [c.position for c in criteria] == list(range(1, 10))
    assert [c.description for c in criteria] == [description for _, description in DEFAULT_CRITERIA]
    assert services.add_default_criteria(authority) == []  # once only
    assert Criterion.objects.filter(local_authority=authority).count() == 9


def test_reading_the_rubric_writes_nothing(world):
    since = _last_entry()
    criteria = Criterion.objects.filter(local_authority=world.authority).count()

    first, again = Criterion.active_for(world.authority), Criterion.active_for(world.authority)

    assert [c.title for c in first] == TITLES and again == first
    assert (Criterion.objects.filter(local_authority=world.authority).count(), _last_entry()) == (criteria, since)


def test_record_review_saves_every_rating_and_the_overall_with_one_audit_entry(world):
    pep = pep_in(cast_of(world), Status.SUBMITTED)
    since = _last_entry()

    review = rate(pep, world.vs, red=["Carer input"], amber=["Targets are SMART"], feedback="  Nearly there  ")

    assert (review.pep, review.reviewer, review.overall, review.feedback) == (pep, world.vs, "red", "Nearly there")
    ratings = {r.title: (r.rating, r.feedback) for r in Rating.objects.filter(review=review)}
    assert ratings["Carer input"] == ("red", "Fix ‘Carer input’")
    assert ratings["Targets are SMART"] == ("amber", "Improve ‘Targets are SMART’")
    assert ratings["Needs identified"] == ("green", "")
    assert len(ratings) == 9
    expected_ratings = {title: "green" for title in TITLES} | {"Carer input": "red", "Targets are SMART": "amber"}
    assert _entries(since) == [
        (
            "created",
            world.vs,
            "quality.review",
            pep.pk,
            "Recorded a quality assurance round: Red overall",
            None,
            {"overall": "red", "ratings": expected_ratings, "feedback": "Nearly there"},
        )
    ]


@pytest.mark.parametrize("status", [Status.DRAFT, Status.SCHOOL_RETURNED, Status.RETURNED_TO_SCHOOL, Status.SIGNED_OFF])
def test_record_review_of_a_pep_not_submitted_is_refused(status, world):
    pep = pep_in(cast_of(world), status)

    with pytest.raises(ValidationError) as refused:
        rate(pep, world.vs)

    assert refused.value.messages == [
        f"Only a PEP submitted to the Virtual School can be quality-assured: this one is ‘{status.label}’"
    ]
    assert Review.objects.count() == 0


@pytest.mark.parametrize("role", ["sw", "dt", "tm", "iro", "vs_other", "nobody"])
def test_record_review_by_anyone_but_the_childs_virtual_school_is_refused(role, world):
    pep = pep_in(cast_of(world), Status.SUBMITTED)
    written = AuditEntry.objects.count()

    with pytest.raises(PermissionDenied):
        rate(pep, getattr(world, role))

    assert (Review.objects.count(), AuditEntry.objects.count()) == (0, written)


def test_record_review_with_gold_is_refused_unless_the_authority_offers_it(world):
    pep = pep_in(cast_of(world), Status.SUBMITTED)

    with pytest.raises(ValidationError) as refused:
        rate(pep, world.vs, gold=True)

    assert refused.value.messages[0] == f"‘{TITLES[0]}’ cannot be rated Gold"
    configure(world, gold=True)
    assert rate(pep, world.vs, gold=True).overall == "gold"
    assert rate(pep, world.vs, gold=True, amber=[TITLES[3]]).overall == "amber"


def test_record_review_with_answers_not_matching_the_rubric_is_refused(world):
    pep = pep_in(cast_of(world), Status.SUBMITTED)
    criteria = Criterion.active_for(world.authority)

    with pytest.raises(ValidationError) as refused:
        services.record_review(world.vs, fresh(pep), [services.Answer(criteria[0], Rag.GREEN)])

    assert refused.value.messages == ["The rubric has changed since the page was opened: rate the criteria shown now"]


def test_record_review_uses_the_authoritys_overall_rule(world):
    configure(world, overall_rule=OverallRule.RED_THEN_MOST_COMMON)
    pep = pep_in(cast_of(world), Status.SUBMITTED)

    assert rate(pep, world.vs, amber=TITLES[:4]).overall == "green"
    assert rate(pep, world.vs, amber=TITLES[:5]).overall == "amber"
    assert rate(pep, world.vs, red=TITLES[:1]).overall == "red"


def test_inactive_criterion_is_left_out_of_new_rounds_and_kept_in_old_ones(world):
    pep = pep_in(cast_of(world), Status.SUBMITTED)
    first = rate(pep, world.vs)
    carer = Criterion.objects.get(local_authority=world.authority, title="Carer input")
    carer.title, carer.active = "Carer's views", False
    services.save_criterion(world.vs_admin, carer)

    second = rate(pep, world.vs)

    assert first.ratings.filter(title="Carer input").count() == 1
    assert second.ratings.count() == 8
    assert Review.objects.count() == 2


def test_save_settings_records_what_changed(world):
    since = _last_entry()

    configure(world, smart_targets=Mode.BLOCK, gold=True)

    saved = QualitySettings.objects.get(local_authority=world.authority)
    assert (saved.smart_targets, saved.gold, saved.voice) == ("block", True, "block")
    assert _entries(since) == [
        (
            "updated",
            world.vs_admin,
            "quality.qualitysettings",
            None,
            "Changed the quality settings",
            {"smart_targets": "warn", "gold": False},
            {"smart_targets": "block", "gold": True},
        )
    ]
    configure(world, pupil_premium=Mode.OFF)
    assert QualitySettings.objects.filter(local_authority=world.authority).count() == 1


@pytest.mark.parametrize("role", ["vs", "vs_other", "sw", "dt"])
def test_settings_and_criteria_by_anyone_but_the_admin_are_refused(role, world):
    actor = getattr(world, role)
    quality = QualitySettings.for_authority_id(world.authority.pk)
    quality.gold = True

    with pytest.raises(PermissionDenied):
        services.save_settings(actor, quality)
    with pytest.raises(PermissionDenied):
        services.save_criterion(actor, Criterion(local_authority=world.authority, title="Transport"))

    assert not QualitySettings.objects.exists()
    assert not Criterion.objects.filter(title="Transport").exists()


def test_save_criterion_adds_to_the_defaults_with_an_audit_entry(world):
    since = _last_entry()

    criterion = services.save_criterion(
        world.vs_admin, Criterion(local_authority=world.authority, title="Transport", position=10)
    )

    assert [c.title for c in Criterion.active_for(world.authority)] == TITLES + ["Transport"]
    assert _entries(since)[-1] == (
        "created",
        world.vs_admin,
        "quality.criterion",
        None,
        "Added the quality criterion ‘Transport’",
        None,
        {"title": "Transport", "description": "", "position": 10, "active": True},
    )
    assert criterion.pk is not None


def test_the_migration_gives_the_default_rubric_to_authorities_without_one(world):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("openpep.quality.migrations.0002_default_criteria")
    Criterion.objects.filter(local_authority=world.other_authority).delete()  # as an authority made before it
    kept = Criterion.objects.filter(local_authority=world.authority).first()
    kept.title = "Our own wording"
    kept.save()

    migration.forwards(apps, None)

    assert [c.title for c in Criterion.active_for(world.other_authority)] == TITLES
    assert [c.title for c in Criterion.active_for(world.authority)] == ["Our own wording", *TITLES[1:]]
    assert migration.DEFAULT_CRITERIA == DEFAULT_CRITERIA  # as the enums have it today
