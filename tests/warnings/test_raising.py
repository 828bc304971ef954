"""What the job raises, and that it raises each warning once."""

import datetime
import threading

import pytest
from django.core.management import call_command
from django.db import connection

from openpep.attendance.models import AttendanceDay
from openpep.audit.enums import Verb
from openpep.audit.models import AuditEntry
from openpep.plans.models import SchoolSection
from openpep.warnings.enums import Kind
from openpep.warnings.models import EarlyWarning, WarningRules
from openpep.warnings.services import raise_warnings
from tests.builders import cast_of, start
from tests.fixtures import make_child

from .conftest import TODAY, build_council


def _kinds(child) -> dict[str, str]:
    return dict(EarlyWarning.objects.filter(child=child).values_list("kind", "occurrence"))


def test_each_kind_is_raised_for_the_child_whose_data_trips_it(council):
    world = council.world

    raise_warnings(TODAY)

    assert _kinds(world.child) == {
        Kind.PERSISTENT_ABSENCE: "2026-27 autumn",
        Kind.ATTENDANCE_FALL: "2026-27 autumn",
        Kind.PEP_OVERDUE: "2023-09-29",
    }
    assert _kinds(world.other_child) == {Kind.EXCLUSION: "2026-27 no. 1", Kind.PEP_OVERDUE: "2023-09-29"}
    assert _kinds(council.severe) == {Kind.SEVERE_ABSENCE: "2026-27 autumn", Kind.PEP_OVERDUE: "2023-09-29"}
    assert _kinds(council.unplaced) == {Kind.NO_SCHOOL: "since 2023-09-01", Kind.PEP_OVERDUE: "2023-09-29"}
    assert _kinds(council.mover)[Kind.SCHOOL_CHANGE] == f"2026-09-02 {council.ash.pk}"
    persistent = EarlyWarning.objects.get(child=world.child, kind=Kind.PERSISTENT_ABSENCE)
    assert persistent.detail == "Attendance 84.7% in the autumn term 2026-27"
    assert persistent.school == world.school
    assert EarlyWarning.objects.get(child=council.mover, kind=Kind.SCHOOL_CHANGE).school == council.ash
    # The move to the children's home, not the change of legal status before it; the carer never named.
    assert _kinds(council.mover)[Kind.PLACEMENT_CHANGE] == "2026-10-05 K2"
    moved = EarlyWarning.objects.get(child=council.mover, kind=Kind.PLACEMENT_CHANGE)
    assert moved.detail == (
        "Moved to a new placement (K2 – Children's home) on 5 October 2026, after the last PEP was signed off on "
        "1 May 2026"
    )
    assert EarlyWarning.objects.filter(detail__contains="Sunny Hill").count() == 0


def test_running_the_job_twice_raises_each_warning_once_and_audits_each_raise(council):
    first = raise_warnings(TODAY)
    second = raise_warnings(TODAY)

    assert len(first) == EarlyWarning.objects.count() >= 9
    assert second == []
    raised = AuditEntry.objects.filter(verb=Verb.RAISED)
    assert raised.count() == len(first)
    assert set(raised.values_list("child_id", flat=True)) == {w.child_id for w in first}
    assert raised.filter(actor__isnull=True).count() == len(first)


def test_the_command_raises_the_same_once(council, capsys):
    call_command("raise_warnings", "--date", TODAY.isoformat())
    call_command("raise_warnings", "--date", TODAY.isoformat())

    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{EarlyWarning.objects.count()} early warnings raised"
    assert out[1] == "0 early warnings raised"


def test_a_rule_switched_off_or_a_threshold_lowered_raises_nothing_of_it(council):
    world = council.world
    WarningRules.objects.create(
        local_authority=world.authority,
        persistent_on=False,
        fall_points=60,
        overdue_on=False,
        placement_change_on=False,
    )

    raise_warnings(TODAY)

    assert _kinds(world.child) == {}
    assert set(_kinds(council.severe)) == {Kind.SEVERE_ABSENCE}
    assert set(_kinds(council.mover)) == {Kind.SCHOOL_CHANGE}


def test_another_councils_rules_do_not_apply(council):
    world = council.world
    WarningRules.objects.create(local_authority=world.other_authority, exclusion_on=False)

    raise_warnings(TODAY)

    assert Kind.EXCLUSION in _kinds(world.other_child)


def _exclusions(child) -> list[tuple[str, str]]:
    return list(
        EarlyWarning.objects.filter(child=child, kind=Kind.EXCLUSION)
        .order_by("occurrence")
        .values_list("occurrence", "detail")
    )


def test_a_suspension_entered_in_section_d_is_raised_once_for_each_it_records(council):
    world = council.world
    pep = start(cast_of(world))
    SchoolSection.objects.create(pep=pep, sen_status="N", suspensions=2, permanent_exclusions=0, updated_by=world.dt)

    raise_warnings(TODAY)
    raise_warnings(TODAY)

    recorded = "Section D records 2 suspensions and 0 permanent exclusions this academic year"
    assert _exclusions(world.child) == [
        ("2026-27 no. 1", f"{recorded} (1 of 2)"),
        ("2026-27 no. 2", f"{recorded} (2 of 2)"),
    ]


def test_a_suspension_in_code_e_then_in_section_d_is_one_warning(council):
    """other_child's run of E on 2 November is raised; Section D then entering that one suspension
    raises nothing more, whatever the runs; a second suspension entered later is the second warning."""
    world = council.world
    raise_warnings(TODAY)
    told = "Suspended or excluded from 2 November 2026 (attendance code E)"
    assert _exclusions(world.other_child) == [("2026-27 no. 1", told)]

    section = SchoolSection.objects.create(
        pep=start(cast_of(world, world.other_child)), sen_status="N", suspensions=1, updated_by=world.dt_other
    )
    raise_warnings(TODAY)
    raise_warnings(TODAY)
    assert _exclusions(world.other_child) == [("2026-27 no. 1", told)]

    SchoolSection.objects.filter(pk=section.pk).update(suspensions=2)
    raise_warnings(TODAY)
    assert [occurrence for occurrence, _ in _exclusions(world.other_child)] == ["2026-27 no. 1", "2026-27 no. 2"]


def test_a_suspension_in_section_d_then_in_code_e_is_one_warning(council):
    """world.child's suspension entered in Section D is raised; the register's run of E for it,
    imported later, raises nothing more; a second run of E is the second warning."""
    world = council.world
    SchoolSection.objects.create(pep=start(cast_of(world)), sen_status="N", suspensions=1, updated_by=world.dt)
    raise_warnings(TODAY)
    entered = "Section D records 1 suspension and 0 permanent exclusions this academic year (1 of 1)"
    assert _exclusions(world.child) == [("2026-27 no. 1", entered)]

    AttendanceDay.objects.filter(
        child=world.child, date__in=[datetime.date(2026, 10, 5), datetime.date(2026, 10, 6)]
    ).update(am="E", pm="E")
    raise_warnings(TODAY)
    raise_warnings(TODAY)
    assert _exclusions(world.child) == [("2026-27 no. 1", entered)]

    AttendanceDay.objects.filter(child=world.child, date=datetime.date(2026, 10, 12)).update(am="E")
    raise_warnings(TODAY)
    assert _exclusions(world.child)[1] == (
        "2026-27 no. 2",
        "Suspended or excluded from 12 October 2026 (attendance code E)",
    )


def test_a_child_who_has_left_care_raises_nothing(council):
    world = council.world
    world.child.placements.update(ends_on=TODAY.replace(day=1))

    raise_warnings(TODAY)

    assert _kinds(world.child) == {}


def test_no_school_place_is_by_compulsory_school_age_from_the_date_of_birth(council):
    """Two Reception children with no school on 10 January 2027: one five in October 2026, of compulsory
    school age since 31 December; one five on 15 January, not until 31 March. A 16-year-old who was in
    Year 11 last year left it on 26 June 2026; one in Year 11 now has not."""
    world = council.world
    of_age = make_child(world.authority, world.sw, None, first="Rae", born=datetime.date(2021, 10, 1))
    too_young = make_child(world.authority, world.sw, None, first="Yun", born=datetime.date(2022, 1, 15))
    left = make_child(world.authority, world.sw, None, first="Lef", born=datetime.date(2010, 8, 31))
    year_11 = make_child(world.authority, world.sw, None, first="Ele", born=datetime.date(2010, 9, 1))

    raise_warnings(datetime.date(2027, 1, 10))

    assert _kinds(of_age)[Kind.NO_SCHOOL] == "since 2026-12-31"  # the day it began, not care's start
    assert Kind.NO_SCHOOL not in _kinds(too_young)
    assert Kind.NO_SCHOOL not in _kinds(left)
    assert _kinds(year_11)[Kind.NO_SCHOOL] == "since 2023-09-01"


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_raise_each_warning_exactly_once(world):
    """Two workers, each on its own database connection, raise at the same moment, several times
    over (the warnings deleted between rounds, so each round raises them all again): each is raised,
    and audited, once a round."""
    build_council(world)
    expected = len(raise_warnings(TODAY))
    for _ in range(5):
        EarlyWarning.objects.all().delete()
        audited = AuditEntry.objects.filter(verb=Verb.RAISED).count()

        assert run_two_workers_at_once() == []

        assert EarlyWarning.objects.count() == expected
        assert AuditEntry.objects.filter(verb=Verb.RAISED).count() - audited == expected


def run_two_workers_at_once() -> list[Exception]:
    barrier = threading.Barrier(2)
    errors: list[Exception] = []

    def worker():
        try:
            barrier.wait()
            raise_warnings(TODAY)
        except Exception as error:  # returned to the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors
