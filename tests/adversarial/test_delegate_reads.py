"""Issue point 6: what a delegate reads follows what was delegated. Sen, on Oak Primary's staff, is
given Section D of Amira's PEP: she reads Section D (and, as a school section, its PDF), and nothing
else of the plan — not Sections A to C, not the meeting with its invitees and the carer's name, not
the whole-PEP PDF, not the PEP's history, not the child's timeline. The Designated Teacher who
delegated still reads everything."""

import datetime

import pytest
from django.urls import reverse

from openpep.children import services as children_services
from openpep.children.rules import can_see_timeline
from openpep.documents.enums import CopyKind
from openpep.documents.rules import can_download
from openpep.people.enums import Role
from openpep.people.models import User
from openpep.plans.enums import Section
from openpep.plans.queries import pep_page
from openpep.plans.rules import can_see, sees_whole_pep
from tests.builders import (
    add_target,
    cast_of,
    complete_section_c,
    complete_section_d,
    invite,
    record_views,
    schedule_meeting,
    start,
)
from tests.fixtures import make_user, sign_in, today

CARER = "Zebedee Quillfeather"
VIEWS = "Reading with my carer at bedtime"  # Section B
ARRANGEMENTS = "Year 6 at Oak Primary, full time, with a one-to-one in the mornings"  # Section C
STORY = "Joined Oak Primary in Year 4 after two moves"  # Section D
TARGET = "I will read a chapter book each week"  # Section D


@pytest.fixture
def senco(world):
    return make_user("senco@test.example", "Sen Colleague", Role.SCHOOL_STAFF, school=world.school)


@pytest.fixture
def draft(world):
    """A draft with every section written, and a meeting scheduled with the carer invited."""
    cast = cast_of(world)
    pep = start(cast)  # the school records the child's views
    record_views(pep, cast.dt, going_well=VIEWS)
    complete_section_c(pep, cast.sw, setting=ARRANGEMENTS)
    complete_section_d(pep, cast.dt, education_story=STORY)
    add_target(pep, cast.dt, outcome=TARGET)
    schedule_meeting(pep, cast.sw)
    invite(pep, cast.sw, name=CARER, email="zq@example.org")
    return pep


def _delegate(world, senco, sections):
    children_services.delegate(
        world.dt,
        world.school,
        to=senco,
        children=[world.child],
        sections=list(sections),
        ends_on=today() + datetime.timedelta(days=30),
    )
    return User.objects.get(pk=senco.pk)  # as a new request loads them


def _page(client, user, pep) -> str:
    """The PEP's task list and the whole PEP, one after the other."""
    sign_in(client, user)
    pages = [client.get(reverse(name, args=[pep.pk])) for name in ("plans:detail", "plans:whole")]
    assert [response.status_code for response in pages] == [200, 200]
    return "".join(response.content.decode() for response in pages)


def _reads(client, user, pep) -> dict:
    """The status of every read of the child's record beyond the PEP page."""
    sign_in(client, user)
    urls = {
        "history": reverse("plans:history", args=[pep.pk]),
        "timeline": reverse("children:timeline", args=[pep.child_id]),
        "whole pdf": reverse("documents:pep_pdf", args=[pep.pk]),
        "meeting record": reverse("meetings:edit", args=[pep.pk]),
        "meeting arrangements": reverse("meetings:schedule", args=[pep.pk]),
        "invite": reverse("meetings:invite", args=[pep.pk]),
        "attendees": reverse("meetings:attendee_add", args=[pep.pk]),
    }
    return {name: client.get(url).status_code for name, url in urls.items()}


def test_a_delegate_of_section_d_reads_section_d_and_nothing_else_of_the_plan(world, senco, draft, client, tally):
    delegate = _delegate(world, senco, ["d"])

    page = _page(client, delegate, draft)
    tally("delegate reads of parts not delegated", 5)

    assert STORY in page and TARGET in page
    for hidden in (VIEWS, ARRANGEMENTS, CARER, "Section A – PEP type", "Section C – Education"):
        assert hidden not in page, hidden
    assert reverse("plans:history", args=[draft.pk]) not in page
    assert reverse("documents:pep_pdf", args=[draft.pk]) not in page
    assert reverse("documents:school_pdf", args=[draft.pk]) in page
    assert (
        reverse("children:timeline", args=[world.child.pk])
        not in client.get(reverse("children:detail", args=[world.child.pk])).content.decode()
    )


def test_every_other_read_is_a_404_for_the_delegate(world, senco, draft, client, tally):
    delegate = _delegate(world, senco, ["d"])

    reads = _reads(client, delegate, draft)
    tally("delegate reads of parts not delegated", len(reads))

    assert reads == dict.fromkeys(reads, 404)


def test_the_rules_not_only_the_links_refuse_the_delegate(world, senco, draft):
    delegate = _delegate(world, senco, ["d"])
    pep = pep_page(delegate).get(pk=draft.pk)

    assert [s.value for s in Section if can_see(delegate, pep, s)] == ["d"]
    assert sees_whole_pep(delegate, pep) is False
    assert (can_download(delegate, pep, CopyKind.WHOLE), can_download(delegate, pep, CopyKind.SCHOOL)) == (False, True)
    assert can_see_timeline(delegate, world.child) is False


def test_the_delegate_gets_the_school_section_pdf(world, senco, draft, client):
    delegate = _delegate(world, senco, ["d"])
    sign_in(client, delegate)

    response = client.get(reverse("documents:school_pdf", args=[draft.pk]))

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_a_delegate_of_section_b_reads_section_b_only(world, senco, draft, client):
    delegate = _delegate(world, senco, ["b"])

    page = _page(client, delegate, draft)

    assert VIEWS in page
    for hidden in (STORY, TARGET, ARRANGEMENTS, CARER):
        assert hidden not in page, hidden


def test_a_read_only_delegation_reads_the_schools_part(world, senco, draft, client):
    delegate = _delegate(world, senco, [])

    page = _page(client, delegate, draft)

    assert VIEWS in page and STORY in page and TARGET in page
    assert ARRANGEMENTS not in page and CARER not in page
    assert set(_reads(client, delegate, draft).values()) == {404}


def test_the_delegates_section_d_form_is_not_drafted_from_the_timeline(world, senco, client):
    pep = start(cast_of(world))  # Section D not written yet: the DT's form drafts the story from the timeline
    delegate = _delegate(world, senco, ["d"])
    sign_in(client, world.dt)
    drafted = client.get(reverse("plans:section_d", args=[pep.pk])).context["form"].initial.get("education_story")
    assert drafted  # what the timeline would tell

    sign_in(client, delegate)
    form = client.get(reverse("plans:section_d", args=[pep.pk])).context["form"]

    assert form.initial.get("education_story") in (None, "")


def test_the_designated_teacher_who_delegated_still_reads_everything(world, senco, draft, client):
    _delegate(world, senco, ["d"])

    page = _page(client, world.dt, draft)

    for shown in (VIEWS, ARRANGEMENTS, STORY, TARGET, CARER):
        assert shown in page, shown
    assert reverse("plans:history", args=[draft.pk]) in page
    assert reverse("documents:pep_pdf", args=[draft.pk]) in page
    reads = _reads(client, world.dt, draft)
    assert (reads["history"], reads["timeline"], reads["meeting record"]) == (200, 200, 200)


def test_someone_on_the_staff_who_also_works_with_the_child_reads_as_that_role(world, senco, draft, client):
    # Sen is also the child's Independent Reviewing Officer: that relationship reads the whole plan.
    delegate = _delegate(world, senco, ["d"])
    world.child.iro = delegate
    world.child.save(update_fields=["iro"])
    from openpep.people.models import Membership

    Membership.objects.create(
        user=delegate, role=Role.IRO, local_authority=world.authority, starts_on=datetime.date(2020, 1, 1)
    )

    page = _page(client, User.objects.get(pk=senco.pk), draft)

    assert ARRANGEMENTS in page and CARER in page
