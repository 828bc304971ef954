"""The dashboard's figures for the small cohort of conftest.py, exactly; and each figure's list
holds exactly the children it counts."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from openpep.attendance.enums import academic_year
from openpep.dashboards.queries import (
    Filters,
    cohort_figures,
    cohort_for,
    condition,
    filtered,
    horizons,
    initial_figures,
    pupil_premium,
    quality_by_term,
    with_facts,
)
from tests.attendance.conftest import register
from tests.fixtures import sign_in

from .conftest import term_key_today, this_year, today


def _figures(user, **filters):
    children = filtered(cohort_for(user, today()), Filters(this_year(), **filters), today())
    return cohort_figures(children, today(), horizons(children, today()))


def _names(user, key, **filters):
    found_filters = Filters(this_year(), **filters)
    children = filtered(cohort_for(user, today()), found_filters, today())
    _, where = condition(key, found_filters, today())
    found = with_facts(children, today(), horizons(children, today())).filter(where)
    return sorted(found.values_list("first_name", flat=True))


def test_the_cohort_and_when_each_pep_is_due(world, cohort):
    figures = _figures(world.vs)

    assert figures["cohort"] == 8
    assert {key: figures[key] for key in ("due:in_date", "due:due_soon", "due:overdue", "due:no_date")} == {
        "due:in_date": 3,
        "due:due_soon": 2,
        "due:overdue": 2,
        "due:no_date": 1,
    }
    assert _names(world.vs, "due:overdue") == ["Amira", "Gus"]
    assert _names(world.vs, "due:due_soon") == ["Bea", "Cal"]
    assert _names(world.vs, "due:in_date") == ["Ben", "Dev", "Fay"]
    assert _names(world.vs, "due:no_date") == ["Eli"]
    assert _names(world.vs, "cohort") == ["Amira", "Bea", "Ben", "Cal", "Dev", "Eli", "Fay", "Gus"]


def test_attendance_suspensions_exclusions_and_sen_from_the_latest_section_d(world, cohort):
    figures = _figures(world.vs)

    assert {key: value for key, value in figures.items() if key.startswith("attendance:")} == {
        "attendance:95_plus": 2,
        "attendance:90_to_95": 1,
        "attendance:50_to_90": 2,
        "attendance:below_50": 1,
        "attendance:not_recorded": 2,
        "attendance:persistent": 3,
    }
    assert _names(world.vs, "attendance:persistent") == ["Amira", "Dev", "Eli"]
    assert _names(world.vs, "attendance:95_plus") == ["Bea", "Fay"]
    assert (figures["suspended"], figures["suspensions"], figures["suspension_days"], figures["excluded"]) == (
        2,
        3,
        Decimal("2.0"),
        1,
    )
    assert _names(world.vs, "suspended") == ["Amira", "Eli"]
    assert _names(world.vs, "excluded") == ["Cal"]
    assert {key: value for key, value in figures.items() if key.startswith("sen:")} == {
        "sen:N": 3,
        "sen:K": 2,
        "sen:E": 1,
        "sen:none": 2,
    }
    assert _names(world.vs, "sen:none") == ["Ben", "Gus"]


def test_initial_peps_within_the_statutory_timescale(world, cohort):
    children = cohort_for(world.vs, today())

    assert initial_figures(children, today()) == {
        "initial:within": 1,
        "initial:late": 1,
        "judged": 2,
        "percent": Decimal("50"),
    }
    assert _names(world.vs, "initial:within") == ["Fay"]
    assert _names(world.vs, "initial:late") == ["Amira"]


def test_decisions_and_qa_ratings_by_term(world, cohort):
    rows, found = quality_by_term(cohort_for(world.vs, today()))

    term = term_key_today(world.authority)
    assert [(r.key, r.decided, r.returned, r.returned_percent, r.ratings) for r in rows] == [
        (term, 2, 1, 50, {"red": 1, "green": 1})
    ]
    assert (found["totals"].decided, found["totals"].returned, found["with_ratings"]) == (2, 1, True)
    assert _names(world.vs, f"returned:{term}") == ["Cal"]
    assert _names(world.vs, f"decided:{term}") == ["Cal", "Fay"]
    assert _names(world.vs, f"qa:green:{term}") == ["Fay"]
    assert _names(world.vs, "qa:red:all") == ["Cal"]


def test_pupil_premium_by_school_and_term(world, cohort):
    found = pupil_premium(cohort_for(world.vs, today()), this_year(), today())

    assert found["totals"] == {
        "allocated": Decimal("18410.00"),
        "children": 7,
        "requested": Decimal("2040.00"),
        "approved": Decimal("690.00"),
        "paid": Decimal("540.00"),
    }
    assert [(r.key, r.label, r.allocated, r.requested, r.approved, r.paid) for r in found["by_school"]] == [
        (
            f"school:{world.school.pk}",
            "Oak Primary",
            Decimal("18410.00"),
            Decimal("2040.00"),
            Decimal("690.00"),
            Decimal("540.00"),
        )
    ]
    term = term_key_today(world.authority)
    assert [(r.key, r.requested, r.approved, r.paid) for r in found["by_term"]] == [
        (f"term:{term}", Decimal("2040.00"), Decimal("690.00"), Decimal("540.00"))
    ]
    assert _names(world.vs, "pp:allocated") == ["Amira", "Bea", "Cal", "Dev", "Eli", "Fay", "Gus"]
    assert _names(world.vs, "pp:requested") == ["Amira", "Bea", "Cal"]
    assert _names(world.vs, "pp:approved") == ["Amira", "Cal"]
    assert _names(world.vs, "pp:paid") == ["Amira"]
    assert _names(world.vs, f"pp:approved:school:{world.school.pk}") == ["Amira", "Cal"]
    assert _names(world.vs, f"pp:requested:term:{term}") == ["Amira", "Bea", "Cal"]
    assert _names(world.vs, f"pp:allocated:school:{world.school.pk}") == [
        "Amira",
        "Bea",
        "Cal",
        "Dev",
        "Eli",
        "Fay",
        "Gus",
    ]


def test_each_person_sees_the_figures_of_their_own_children(world, cohort):
    assert _figures(world.tm)["cohort"] == 7  # team North: everyone but Ben
    assert _figures(world.dt)["cohort"] == 7  # Oak Primary's roll: everyone but Ben
    assert _names(world.dt_other, "cohort") == ["Ben"]
    assert _names(world.vs_other, "cohort") == ["Olu"]
    assert _figures(world.dt)["due:overdue"] == 2  # Amira, and Gus, whose initial PEP is not started
    assert pupil_premium(cohort_for(world.dt_other, today()), this_year(), today())["totals"]["allocated"] == 0


@pytest.mark.parametrize(
    ("filters", "names"),
    [
        ({"team": "other_team"}, ["Ben"]),
        ({"school": "other_school"}, ["Ben"]),
        ({"year_group": 12}, ["Ben"]),
        ({"phase": "post_16"}, ["Ben"]),
        ({"phase": "statutory"}, ["Amira", "Bea", "Cal", "Dev", "Eli", "Fay", "Gus"]),
        ({"phase": "early_years"}, []),
        ({"year_group": 8, "team": "team"}, ["Amira", "Bea", "Cal", "Dev", "Eli", "Fay", "Gus"]),
    ],
)
def test_filters_narrow_every_figure(world, cohort, filters, names):
    values = {
        key: getattr(world, value).pk if isinstance(value, str) and key != "phase" else value
        for key, value in filters.items()
    }

    assert _names(world.vs, "cohort", **values) == names
    assert _figures(world.vs, **values)["cohort"] == len(names)


@pytest.mark.parametrize(
    "key", ["nonsense", "due:late", "pp:spent", "pp:paid:school", "pp:paid:planet:1", "qa:purple:all"]
)
def test_an_unknown_figure_is_a_404(world, cohort, client, key):
    sign_in(client, world.vs)

    assert client.get(reverse("dashboards:children"), {"figure": key}).status_code == 404


def test_requests_made_before_any_term_dates_are_counted_apart(world, client):
    from openpep.funding import services as funding_services
    from tests.builders import cast_of, start

    from .conftest import costed

    pep = start(cast_of(world))  # Testshire has entered no term dates
    funding_services.request_funding(world.dt, pep, costed(pep, world.dt, "75", "T1"))

    found = pupil_premium(cohort_for(world.vs, today()), this_year(), today())

    assert [(r.key, r.label, r.requested) for r in found["by_term"]] == [
        ("term:no term", "Before the term dates entered", Decimal("75.00"))
    ]
    assert _names(world.vs, "pp:requested:term:no term") == ["Amira"]
    sign_in(client, world.vs)
    assert client.get(reverse("dashboards:dashboard")).status_code == 200


def test_terms_worked_out_by_day_are_the_terms_the_lists_select(world, cohort):
    """``quality_by_term`` puts each day in its term in Python (``TermKeys``); the figures' lists
    select by term in SQL (``_term_key``). Every day of two years, holidays and the days before the
    first term included, must fall in the same term both ways."""
    import datetime

    from django.db.models import DateField, Value
    from django.db.models.functions import Coalesce

    from openpep.clock.models import Term
    from openpep.dashboards.queries import NO_TERM, TermKeys, _term_key
    from openpep.people.models import LocalAuthority

    first = Term.objects.filter(local_authority=world.authority).order_by("starts_on").first().starts_on
    days = [first + datetime.timedelta(days=n) for n in range(-10, 730, 3)]
    keys = TermKeys([world.authority.pk])

    def in_sql(day):
        found = LocalAuthority.objects.filter(pk=world.authority.pk).annotate(day=Value(day, DateField()))
        return found.annotate(term=Coalesce(_term_key("pk", "day"), Value(NO_TERM))).values_list("term", flat=True)[0]

    worked_out = [keys.of(world.authority.pk, day) for day in days]
    assert worked_out == [in_sql(day) for day in days]
    assert worked_out[0] == NO_TERM and len(set(worked_out)) > 3


def test_the_schools_attendance_data_of_this_year_wins_over_section_d(world, cohort):
    kids = {child.first_name: child for child in cohort_for(world.vs, today())}
    start = datetime.date(academic_year(today()), 9, 1)
    register(kids["Bea"], world.school, start, [("/", "\\")] * 4 + [("E", "E")])  # 80%: Section D said 95
    register(kids["Ben"], world.school, start, [("/", "\\")] * 10)  # no Section D figure
    register(kids["Gus"], world.school, start - datetime.timedelta(days=30), [("N", "N")] * 5)  # last year's

    figures = _figures(world.vs)

    assert {key: value for key, value in figures.items() if key.startswith("attendance:")} == {
        "attendance:95_plus": 2,
        "attendance:90_to_95": 1,
        "attendance:50_to_90": 3,
        "attendance:below_50": 1,
        "attendance:not_recorded": 1,
        "attendance:persistent": 4,
    }
    assert _names(world.vs, "attendance:persistent") == ["Amira", "Bea", "Dev", "Eli"]
    assert _names(world.vs, "attendance:95_plus") == ["Ben", "Fay"]
    assert (figures["suspended"], figures["suspensions"], figures["suspension_days"]) == (3, 4, Decimal("3.0"))
    assert _names(world.vs, "suspended") == ["Amira", "Bea", "Eli"]
