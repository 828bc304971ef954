"""The wider cohort: who is in which cohort, who sees them, that only looked-after children start a
PEP, the casework log and its follow-ups, and the early warnings of children not looked after."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from openpep.audit.enums import Verb
from openpep.audit.models import AuditEntry
from openpep.children import services as children_services
from openpep.children.enums import Cohort, CohortKind, FromWhere
from openpep.children.models import Child, CohortMembership, Enrolment
from openpep.children.queries import children_for, cohort_q, is_looked_after, looked_after_q
from openpep.clock.models import Term
from openpep.cohorts import services
from openpep.cohorts.enums import DEFAULT_TOPICS, GivenTo, How
from openpep.cohorts.models import CaseworkEntry, CaseworkTopic, CohortSettings
from openpep.cohorts.queries import casework_for, follow_ups_for, school_cohort_children
from openpep.people.enums import Role
from openpep.plans.enums import DecisionOutcome, Occasion, Phase, Status
from openpep.plans.models import Decision, Pep
from openpep.plans.services import start_pep
from openpep.reminders.queries import task_count, tasks_for
from openpep.warnings.enums import Kind
from openpep.warnings.models import EarlyWarning
from openpep.warnings.services import raise_warnings
from tests.fixtures import make_user, sign_in, today
from tests.warnings.conftest import PRESENT, TERM_STARTS, TODAY, register


@pytest.fixture
def world(module_world, db):
    return module_world


def wider(world, cohort=Cohort.PREVIOUSLY_LOOKED_AFTER, kind=CohortKind.ADOPTION, *, school=None, first="Pia", **dates):
    """A child never in care, on ``school``'s roll (world.school by default), in ``cohort``."""
    child = Child.objects.create(
        local_authority=world.authority,
        first_name=first,
        last_name="Wider",
        date_of_birth=datetime.date(2015, 1, 10),
        gender="2",
        local_id=f"W{Child.objects.count() + 1:05d}",
        care_start_date=None,
        social_worker=world.sw if cohort == Cohort.SOCIAL_WORKER else None,
    )
    Enrolment.objects.create(child=child, school=school or world.school, starts_on=datetime.date(2023, 9, 1))
    CohortMembership.objects.create(
        child=child,
        cohort=cohort,
        kind=kind,
        starts_on=dates.get("starts_on", datetime.date(2024, 1, 1)),
        ends_on=dates.get("ends_on"),
        from_where=FromWhere.ENGLAND if cohort == Cohort.PREVIOUSLY_LOOKED_AFTER else "",
    )
    return child


def _entry(world, child, *, shared=False, follow_up=None, notes="Advised on a part-time timetable"):
    topic = CaseworkTopic.objects.filter(local_authority=world.authority, name="Attendance").get()
    entry = CaseworkEntry(
        given_on=today(),
        given_to=GivenTo.SCHOOL,
        how=How.PHONE,
        topic=topic,
        notes=notes,
        follow_up_on=follow_up,
        shared_with_school=shared,
    )
    return services.record_casework(world.vs, child, entry)


# --- membership -----------------------------------------------------------------------------------------


def test_a_social_workers_plan_counts_for_6_years_after_it_ends_and_an_order_until_it_ends(world):
    on = datetime.date(2026, 12, 3)
    start = datetime.date(2019, 1, 1)
    recent = wider(
        world, Cohort.SOCIAL_WORKER, CohortKind.CPP, first="Rec", starts_on=start, ends_on=datetime.date(2020, 12, 3)
    )
    old = wider(
        world, Cohort.SOCIAL_WORKER, CohortKind.CIN, first="Old", starts_on=start, ends_on=datetime.date(2020, 12, 2)
    )
    ended = wider(world, Cohort.KINSHIP, CohortKind.SGO, first="End", ends_on=datetime.date(2026, 12, 2))
    future = wider(world, Cohort.KINSHIP, CohortKind.SGO, first="Fut", starts_on=datetime.date(2027, 1, 1))

    counted = set(CohortMembership.objects.counted(on).values_list("child_id", flat=True))

    assert recent.pk in counted
    assert {old.pk, ended.pk, future.pk}.isdisjoint(counted)
    assert set(Child.objects.filter(cohort_q(Cohort.SOCIAL_WORKER, on)).values_list("pk", flat=True)) == {recent.pk}
    assert [m.is_counted(on) for c in (recent, old) for m in c.cohort_memberships.all()] == [True, False]


def test_a_membership_needs_a_kind_of_its_cohort_and_where_a_previously_looked_after_child_was_in_care(world):
    membership = CohortMembership(
        child=world.child, cohort=Cohort.PREVIOUSLY_LOOKED_AFTER, kind=CohortKind.CPP, starts_on=today()
    )
    with pytest.raises(ValidationError) as error:
        services.add_membership(world.vs, world.child, membership)

    assert set(error.value.message_dict) == {"kind", "from_where"}
    assert not CohortMembership.objects.exists()


def test_every_child_already_there_is_looked_after_as_before_and_a_child_never_in_care_is_not(world):
    never = wider(world)
    looked_after = set(Child.objects.filter(looked_after_q()).values_list("pk", flat=True))

    assert {world.child.pk, world.other_child.pk} <= looked_after
    assert never.pk not in looked_after
    assert is_looked_after(world.child) and not is_looked_after(never)


def test_a_child_who_leaves_care_keeps_one_record_and_its_history(world, client):
    """Adopted: the placement ends and the child joins the previously looked-after cohort; the same
    record, with its PEPs, is on the register under both its past and its cohort today."""
    child = world.child
    child.placements.update(ends_on=today() - datetime.timedelta(days=1))
    services.add_membership(
        world.vs,
        child,
        CohortMembership(
            cohort=Cohort.PREVIOUSLY_LOOKED_AFTER,
            kind=CohortKind.ADOPTION,
            starts_on=today(),
            from_where=FromWhere.ENGLAND,
        ),
    )
    sign_in(client, world.vs)

    page = client.get(reverse("cohorts:register"), {"cohort": Cohort.PREVIOUSLY_LOOKED_AFTER}).content.decode()

    assert child.full_name in page and "Previously looked after: adoption order" in page
    assert not is_looked_after(child)
    assert AuditEntry.objects.filter(
        child_id=child.pk, verb=Verb.CREATED, target_type="children.cohortmembership"
    ).exists()


# --- PEPs are for looked-after children only --------------------------------------------------------------


def test_starting_a_pep_for_a_child_not_looked_after_is_refused_with_the_reason(world, client):
    child = wider(world, Cohort.SOCIAL_WORKER, CohortKind.CIN)
    pep = Pep(phase=Phase.STATUTORY, occasion=Occasion.INITIAL)

    with pytest.raises(ValidationError, match="not looked after today: only a looked-after child has a PEP"):
        start_pep(world.sw, child, pep)
    sign_in(client, world.sw)
    detail = client.get(reverse("children:detail", args=[child.pk])).content.decode()
    start_page = client.get(reverse("plans:start", args=[child.pk])).content.decode()
    posted = client.post(
        reverse("plans:start", args=[child.pk]),
        {"phase": "statutory", "occasion": "initial", "views_recorded_by": "school"},
    )

    assert "Start a PEP" not in detail
    assert "only a looked-after child has a PEP" in start_page and "Start PEP" not in start_page
    assert posted.status_code == 200 and "only a looked-after child has a PEP" in posted.content.decode()
    assert not Pep.objects.filter(child=child).exists()


# --- what a Designated Teacher sees ---------------------------------------------------------------------


def test_a_dt_sees_the_wider_cohort_of_their_school_only_when_the_council_shares_it_and_only_the_list(world, client):
    child = wider(world)
    shared = _entry(world, child, shared=True, notes="Shared: the school may apply for a place at the nurture group")
    _entry(world, child, notes="Not shared: spoke to the adoptive parent about the birth family")
    sign_in(client, world.dt)

    before = client.get(reverse("cohorts:school_list")).content.decode()
    CohortSettings.objects.create(local_authority=world.authority, share_with_schools=True)
    after = client.get(reverse("cohorts:school_list")).content.decode()

    assert child.full_name not in before
    assert child.full_name in after and shared.notes in after
    assert "birth family" not in after
    assert not children_for(world.dt).filter(pk=child.pk).exists()  # no child page, PEP, timeline or warning
    for name in ("children:detail", "children:timeline", "plans:start", "cohorts:casework_add"):
        assert client.get(reverse(name, args=[child.pk])).status_code == 404
    assert list(casework_for(world.dt)) == [shared]
    assert not school_cohort_children(world.dt_other).exists()
    sign_in(client, world.dt_other)
    assert child.full_name not in client.get(reverse("cohorts:school_list")).content.decode()


def test_a_dt_reads_on_a_looked_after_childs_page_only_the_advice_shared_with_the_school(world, client):
    _entry(world, world.child, shared=True, notes="Shared with the school: the tutoring plan")
    _entry(world, world.child, notes="Only for the Virtual School: the carer's worries")
    sign_in(client, world.dt)

    page = client.get(reverse("children:detail", args=[world.child.pk])).content.decode()

    assert "the tutoring plan" in page and "the carer's worries" not in page
    assert "Record advice given" not in page and "Virtual School cohorts" not in page


# --- the register -----------------------------------------------------------------------------------------


def test_the_register_filters_by_cohort_school_year_attendance_and_warnings(world, client):
    kin = wider(world, Cohort.KINSHIP, CohortKind.SGO, first="Kit")
    sw_child = wider(world, Cohort.SOCIAL_WORKER, CohortKind.CIN, first="Sol", school=world.other_school)
    EarlyWarning.objects.create(child=sw_child, kind=Kind.NO_SCHOOL, occurrence="x", detail="No school")
    sign_in(client, world.vs)

    def names(**query):
        page = client.get(reverse("cohorts:register"), query).content.decode()
        return {c.first_name for c in (world.child, world.other_child, kin, sw_child) if c.full_name in page}

    assert names() == {"Amira", "Ben", "Kit", "Sol"}
    assert names(cohort="looked_after") == {"Amira", "Ben"}
    assert names(cohort="kinship") == {"Kit"}
    assert names(school=world.other_school.pk) == {"Ben", "Sol"}
    assert names(year=kin.year_group()) == {"Kit", "Sol"}
    assert names(band="none") == {"Amira", "Ben", "Kit", "Sol"}
    assert names(band="good") == set()
    assert names(warnings="on") == {"Sol"}
    assert names(year="not a year", cohort="nonsense") == {"Amira", "Ben", "Kit", "Sol"}  # no filter, no error


def test_another_councils_virtual_school_finds_none_of_these_children(world, client):
    child = wider(world)
    sign_in(client, world.vs_other)

    page = client.get(reverse("cohorts:register")).content.decode()

    assert child.full_name not in page and world.child.full_name not in page
    assert client.get(reverse("cohorts:casework_add", args=[child.pk])).status_code == 404
    assert client.get(reverse("cohorts:membership_add", args=[child.pk])).status_code == 404


def _cohort_of(world, n):
    children = [
        Child(
            local_authority=world.authority,
            first_name=f"C{i}",
            last_name="Many",
            date_of_birth=datetime.date(2014, 1, 1),
            gender="1",
            local_id=f"M{i:05d}",
            care_start_date=None,
        )
        for i in range(n)
    ]
    Child.objects.bulk_create(children)
    kinds = [(Cohort.KINSHIP, CohortKind.SGO), (Cohort.SOCIAL_WORKER, CohortKind.CPP)]
    CohortMembership.objects.bulk_create(
        CohortMembership(child=c, cohort=kinds[i % 2][0], kind=kinds[i % 2][1], starts_on=datetime.date(2024, 1, 1))
        for i, c in enumerate(children)
    )
    Enrolment.objects.bulk_create(
        Enrolment(child=c, school=world.school, starts_on=datetime.date(2024, 1, 1)) for c in children
    )


@pytest.mark.parametrize("n", [1, 3, 50])
def test_the_register_runs_the_same_queries_for_1_3_or_50_children(world, client, django_assert_num_queries, n):
    _cohort_of(world, n)
    sign_in(client, world.vs)

    # The session, the user, the second factor, the roles, the task count, the schools of the
    # filter, the count, the page and its memberships: none a row.
    with django_assert_num_queries(9):
        response = client.get(reverse("cohorts:register"), {"school": world.school.pk, "band": "none"})

    assert response.status_code == 200
    assert f"{n + 1} child" in response.content.decode()


# --- casework ---------------------------------------------------------------------------------------------


def test_every_council_starts_with_the_default_topics(world):
    assert set(CaseworkTopic.objects.filter(local_authority=world.authority).values_list("name", flat=True)) == set(
        DEFAULT_TOPICS
    )


def test_advice_with_a_follow_up_is_on_the_officers_task_list_and_counted_until_done(world, client):
    child = wider(world)
    sign_in(client, world.vs)
    topic = CaseworkTopic.objects.get(local_authority=world.authority, name="Attendance")
    follow_up = today() + datetime.timedelta(days=14)

    response = client.post(
        reverse("cohorts:casework_add", args=[child.pk]),
        {
            "given_on_0": today().day,
            "given_on_1": today().month,
            "given_on_2": today().year,
            "given_to": GivenTo.KINSHIP_CARER,
            "how": How.VISIT,
            "topic": topic.pk,
            "notes": "Explained how to ask the school for a PP+ funded tutor",
            "follow_up_on_0": follow_up.day,
            "follow_up_on_1": follow_up.month,
            "follow_up_on_2": follow_up.year,
            "shared_with_school": "False",
        },
    )
    entry = CaseworkEntry.objects.get(child=child)
    tasks = client.get(reverse("reminders:tasks")).content.decode()

    assert response.status_code == 302
    assert (entry.given_by, entry.given_to, entry.follow_up_on) == (world.vs, GivenTo.KINSHIP_CARER, follow_up)
    assert (
        AuditEntry.objects.filter(verb=Verb.CREATED, target_type="cohorts.caseworkentry", actor=world.vs).count() == 1
    )
    assert child.full_name in tasks and "Attendance: advice to kinship carer" in tasks
    assert task_count(world.vs) == len(tasks_for(world.vs)) + 1  # the follow-up is counted in the header
    assert list(follow_ups_for(world.vs_admin)) == []

    client.post(reverse("cohorts:follow_up_done", args=[entry.pk]))

    assert list(follow_ups_for(world.vs)) == []
    assert task_count(world.vs) == len(tasks_for(world.vs))
    assert AuditEntry.objects.filter(verb=Verb.ENDED, target_type="cohorts.caseworkentry").count() == 1


def test_a_topic_of_another_council_or_retired_is_refused(world):
    child = wider(world)
    other = CaseworkTopic.objects.filter(local_authority=world.other_authority).first()
    retired = CaseworkTopic.objects.get(local_authority=world.authority, name="Other")
    retired.active = False
    services.save_topic(world.vs_admin, world.authority, retired)
    for topic in (other, CaseworkTopic.objects.get(pk=retired.pk)):
        entry = CaseworkEntry(given_on=today(), given_to=GivenTo.PARENT, how=How.EMAIL, topic=topic, notes="x")
        with pytest.raises(ValidationError):
            services.record_casework(world.vs, child, entry)
    assert AuditEntry.objects.filter(verb=Verb.UPDATED, target_type="cohorts.caseworktopic").count() == 1


# --- early warnings for children not looked after ------------------------------------------------------------


def test_warnings_of_attendance_reach_the_wider_cohort_and_those_about_peps_do_not(world):
    Term.objects.create(
        local_authority=world.authority, name="autumn", starts_on=TERM_STARTS, ends_on=datetime.date(2026, 12, 18)
    )
    never = wider(world, Cohort.SOCIAL_WORKER, CohortKind.CIN, first="Nev")
    register(never, world.school, lambda day: PRESENT if day.weekday() in (0, 1) else ("N", "N"))
    ash = world.other_school
    Enrolment.objects.filter(child=never).update(ends_on=datetime.date(2026, 7, 20))
    Enrolment.objects.create(child=never, school=ash, starts_on=datetime.date(2026, 9, 2))
    # Adopted after a signed-off PEP, then a new school: no PEP is due, nor is a change of school one.
    adopted = world.child
    pep = Pep.objects.create(
        child=adopted,
        school=world.school,
        phase=Phase.STATUTORY,
        occasion=Occasion.REVIEW,
        status=Status.SIGNED_OFF,
        created_by=world.sw,
    )
    Decision.objects.create(pep=pep, outcome=DecisionOutcome.SIGNED_OFF, decided_by=world.vs)
    Decision.objects.filter(pep=pep).update(decided_at=datetime.datetime(2026, 5, 1, 12, tzinfo=datetime.UTC))
    adopted.placements.update(ends_on=datetime.date(2026, 6, 30))
    CohortMembership.objects.create(
        child=adopted,
        cohort=Cohort.PREVIOUSLY_LOOKED_AFTER,
        kind=CohortKind.ADOPTION,
        starts_on=datetime.date(2026, 7, 1),
        from_where=FromWhere.ENGLAND,
    )
    Enrolment.objects.filter(child=adopted).update(ends_on=datetime.date(2026, 7, 20))
    Enrolment.objects.create(child=adopted, school=ash, starts_on=datetime.date(2026, 9, 2))

    raise_warnings(TODAY)

    never_kinds = set(EarlyWarning.objects.filter(child=never).values_list("kind", flat=True))
    adopted_kinds = set(EarlyWarning.objects.filter(child=adopted).values_list("kind", flat=True))
    assert Kind.SEVERE_ABSENCE in never_kinds
    assert {Kind.PEP_OVERDUE, Kind.SCHOOL_CHANGE}.isdisjoint(never_kinds | adopted_kinds)
    assert not Pep.objects.filter(child=never).exists()


def test_a_dt_cannot_delegate_a_child_never_in_care(world):
    child = wider(world)
    colleague = make_user("ta@test.example", "Tea Assistant", Role.SCHOOL_STAFF, school=world.school)

    with pytest.raises(ValidationError):
        children_services.delegate(world.dt, world.school, to=colleague, children=[child], sections=[], ends_on=today())


def test_no_page_about_a_child_opens_to_the_dt_of_a_shared_child_of_the_wider_cohort(world, client):
    """Every URL that takes a child alone (the child's pages, its PEP start, its exports, its cohorts and
    advice...), as the matrix finds them: a 404 to the DT of the child's school, though their council
    shares the child with schools; a POST-only one refuses the POST with a 404 too."""
    from tests.test_permission_matrix import PARAMS  # here: at the top, pytest would collect its tests again

    child = wider(world, Cohort.SOCIAL_WORKER, CohortKind.CPP)
    _entry(world, child, shared=True)
    CohortSettings.objects.create(local_authority=world.authority, share_with_schools=True)
    sign_in(client, world.dt)
    names = sorted(name for name, params in PARAMS.items() if params == ("child_id",))

    assert "children:detail" in names and "cohorts:casework_add" in names
    for name in names:
        url = reverse(name, args=[child.pk])
        response = client.get(url)
        if response.status_code == 405:
            response = client.post(url)
        assert response.status_code == 404, name
    assert child.full_name in client.get(reverse("cohorts:school_list")).content.decode()


def test_a_warning_about_a_child_not_looked_after_offers_no_interim_pep(world, client):
    child = wider(world, Cohort.SOCIAL_WORKER, CohortKind.CIN)
    warning = EarlyWarning.objects.create(child=child, kind=Kind.SEVERE_ABSENCE, occurrence="t", detail="Away")
    sign_in(client, world.sw)

    page = client.get(reverse("warnings:acknowledge", args=[warning.pk])).content.decode()

    assert "Start an interim PEP" not in page
    refused = client.post(reverse("warnings:interim", args=[warning.pk]), follow=True).content.decode()
    assert "only a looked-after child has a PEP" in refused  # start_pep's reason, back on the child's page
    assert not Pep.objects.filter(child=child).exists()


def test_the_care_date_of_a_child_with_placements_cannot_be_blanked(world, client):
    sign_in(client, world.vs)
    response = client.post(
        reverse("children:edit", args=[world.child.pk]),
        {
            "first_name": "Amira",
            "last_name": "Test",
            "date_of_birth_0": 2,
            "date_of_birth_1": 3,
            "date_of_birth_2": 2014,
            "gender": "2",
            "upn": "",
            "local_id": world.child.local_id,
        },
    )

    assert response.status_code == 200
    assert "they have placements recorded" in response.content.decode()
    world.child.refresh_from_db()
    assert world.child.care_start_date is not None
