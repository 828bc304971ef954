"""The child's education timeline: events in date order, targets' lineage, care details only for
social care and the Virtual School (never a carer's name), the Section D story pre-filled from
it, and a fixed number of queries however many PEPs and targets there are."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openpep.children.models import Enrolment, Placement
from openpep.plans import services
from openpep.plans.enums import Status, TargetArea
from openpep.plans.models import SchoolSection, Target
from openpep.plans.timeline import story_summary, timeline_for
from openpep.quality.models import Review
from tests.builders import cast_of, complete_section_d, pep_in, rate_reviews, start
from tests.fixtures import sign_in, today

CARER = "Marigold Featherstonehaugh"
CARRIED = "I will read two chapter books each week"


def _carry_on(world, previous):
    """A second PEP that reviews ``previous``'s target and carries it forward."""
    cast = cast_of(world)
    pep = start(cast)
    first = previous.targets.order_by("pk").first()
    target = Target(
        outcome=CARRIED,
        area=TargetArea.READING,
        success_measure="Reading log",
        actions="Reading with a teaching assistant",
        who="Class teacher",
        by_when=datetime.date(2027, 7, 16),
    )
    services.add_target(world.dt, pep, target, continues=first)
    rate_reviews(pep, world.dt)
    return pep


@pytest.fixture
def story(world):
    """World.child: an earlier school, a named carer, a signed-off PEP with attendance and a QA
    round, and a PEP in progress carrying its target forward."""
    Enrolment.objects.create(
        child=world.child,
        school=world.other_school,
        starts_on=datetime.date(2021, 9, 1),
        ends_on=datetime.date(2023, 7, 21),
    )
    Placement.objects.filter(child=world.child).update(carer_name=CARER)
    first = pep_in(cast_of(world), Status.SIGNED_OFF)
    SchoolSection.objects.filter(pep=first).update(
        attendance_percent=Decimal("91.5"), suspensions=1, suspension_days=Decimal("2.0"), permanent_exclusions=0
    )
    Review.objects.create(pep=first, reviewer=world.vs, overall="green")
    second = _carry_on(world, first)
    return first, second


def _page(client, user, child):
    sign_in(client, user)
    return client.get(reverse("children:timeline", args=[child.pk]))


def test_timeline_events_in_date_order_for_social_worker(world, story):
    first, second = story
    events = [(e.on, e.text) for e in timeline_for(world.sw, world.child).events]
    title = "Initial PEP – new into care – Statutory school age (Reception to Year 11)"
    assert events == [
        (datetime.date(2021, 9, 1), "Joined Elm Academy"),
        (datetime.date(2023, 7, 21), "Left Elm Academy"),
        (datetime.date(2023, 9, 1), "Joined Oak Primary"),
        (datetime.date(2023, 9, 1), "Came into care"),
        (
            datetime.date(2023, 9, 1),
            "Placement: U4 – Foster placement with other foster carer, long term (C2 – Full care order)",
        ),
        (today(), f"PEP started at Oak Primary: {title}"),
        (today(), "Virtual School: Signed off"),
        (today(), "Quality assurance: Green"),
        (today(), f"PEP started at Oak Primary: {title}"),
    ]
    assert [e.pep for e in timeline_for(world.sw, world.child).events if e.kind == "pep"] == [first, second]


def test_timeline_lineage_chains_targets_with_ratings(world, story):
    first, second = story
    chains = timeline_for(world.dt, world.child).chains
    assert [[(s.target.outcome, s.pep, s.rating) for s in chain] for chain in chains] == [
        [("I will read a chapter book each week (1)", first, "Achieved"), (CARRIED, second, "")]
    ]


def test_timeline_page_shows_chain_qa_and_attendance(client, world, story):
    page = _page(client, world.sw, world.child).content.decode()
    assert "I will read a chapter book each week (1)" in page
    assert "→ carried forward →" in page
    assert "rated Achieved" in page
    assert "not yet reviewed" in page
    assert "91.5%" in page
    assert '<td class="govuk-table__cell">Green</td>' in page


@pytest.mark.parametrize("name", ["sw", "tm", "vs", "vs_admin", "iro"])
def test_timeline_shows_placement_type_but_never_carer_to_social_care(client, world, story, name):
    page = _page(client, getattr(world, name), world.child).content.decode()
    assert "U4 – Foster placement with other foster carer, long term" in page
    assert "C2 – Full care order" in page
    assert CARER not in page


def test_timeline_leaves_out_care_for_designated_teacher(client, world, story):
    response = _page(client, world.dt, world.child)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Elm Academy" in page and "Oak Primary" in page
    assert "Initial PEP – new into care" in page
    assert "91.5%" in page
    assert CARER not in page
    assert "Foster placement" not in page
    assert "Full care order" not in page
    assert "Came into care" not in page


@pytest.mark.parametrize("name", ["dt_other", "sw_other", "vs_other", "nobody"])
def test_timeline_of_child_out_of_scope_is_404(client, world, story, name):
    assert _page(client, getattr(world, name), world.child).status_code == 404


def test_child_page_links_to_timeline(client, world):
    sign_in(client, world.dt)
    page = client.get(reverse("children:detail", args=[world.child.pk])).content.decode()
    assert f'href="{reverse("children:timeline", args=[world.child.pk])}">Education timeline</a>' in page


def test_story_summary_lists_schools_peps_and_latest_attendance(world, story):
    assert story_summary(timeline_for(world.dt, world.child)) == (
        "Amira has attended Elm Academy (1 September 2021 to 21 July 2023), "
        "then Oak Primary (1 September 2023 to now). "
        "PEPs so far: 2. "
        "Attendance was 91.5% at the Initial PEP – new into care – Statutory school age (Reception to Year 11) PEP."
    )


def test_section_d_prefills_empty_story_from_timeline(client, world, story):
    first, second = story
    sign_in(client, world.dt)
    form = client.get(reverse("plans:section_d", args=[second.pk])).context["form"]
    assert form["education_story"].value() == story_summary(timeline_for(world.dt, world.child))
    assert form.instance.pk is None  # nothing saved: the DT edits it first


def test_section_d_keeps_a_written_story(client, world, story):
    first, second = story
    complete_section_d(second, world.dt, education_story="Written by the DT")
    sign_in(client, world.dt)
    form = client.get(reverse("plans:section_d", args=[second.pk])).context["form"]
    assert form["education_story"].value() == "Written by the DT"


def _count(client, user, child) -> int:
    sign_in(client, user)
    url = reverse("children:timeline", args=[child.pk])
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", ["sw", "dt"])
def test_timeline_queries_same_at_1_and_3_peps(client, world, name):
    cast = cast_of(world)
    previous = pep_in(cast, Status.SIGNED_OFF, targets=2)
    Review.objects.create(pep=previous, reviewer=world.vs, overall="amber")
    one = _count(client, getattr(world, name), world.child)
    for _ in range(2):
        later = pep_in(cast, Status.SIGNED_OFF, targets=3)
        # Each later PEP carries the one before's first target forward.
        Target.objects.filter(pk=later.targets.order_by("pk").first().pk).update(
            continues=previous.targets.order_by("pk").first()
        )
        Review.objects.create(pep=later, reviewer=world.vs, overall="green")
        previous = later
    timeline = timeline_for(world.sw, world.child)
    assert (len(timeline.peps), max(len(chain) for chain in timeline.chains)) == (3, 3)
    assert _count(client, getattr(world, name), world.child) == one


def test_attendance_chart_bars_follow_the_table(client, world, story):
    first, second = story
    timeline = timeline_for(world.dt, world.child)
    assert [(row.pep, row.attendance_percent, row.suspensions, row.suspension_days) for row in timeline.attendance] == [
        (first, Decimal("91.5"), 1, Decimal("2.0"))
    ]  # the PEP in progress has no Section D yet
    bars = timeline.attendance_bars
    assert [(bar.shown, bar.y, bar.length) for bar in bars] == [("91.5%", 0, 274)]
    page = _page(client, world.dt, world.child).content.decode()
    assert 'aria-hidden="true" focusable="false" id="attendance-chart"' in page
    assert 'width="274"' in page
