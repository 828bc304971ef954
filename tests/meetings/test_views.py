"""The meeting's pages through the test client: the schedule page keeps what was typed and
warns about lesson time; the PEP page lists the invitations and takes each invitee's answer."""

import datetime
import re

import pytest
from django.urls import reverse

from openpep.meetings import services
from openpep.meetings.enums import Response
from openpep.meetings.models import Invitation, Meeting
from openpep.plans.enums import Occasion
from tests.builders import a_weekday_ahead, cast_of, fresh, invite, schedule_meeting, start
from tests.fixtures import sign_in


def _schedule_form(day: datetime.date, **changes) -> dict:
    data = {
        "held_on_0": str(day.day),
        "held_on_1": str(day.month),
        "held_on_2": str(day.year),
        "start_time": "16:00",
        "planned_minutes": "60",
        "venue_kind": "school",
        "venue": "Meeting room 2",
        "online_link": "",
        "child_attending": "undecided",
        "child_input": "She will write her views with her key adult first",
        "lock_version": "",
    }
    return data | changes


@pytest.fixture
def pep(world):
    return start(cast_of(world))


def test_schedule_page_gives_the_seeds_advice_on_timing(world, client, pep):
    sign_in(client, world.sw)

    page = client.get(reverse("meetings:schedule", args=[pep.pk])).content.decode()

    assert "Do not take Amira out of lessons unless it is absolutely necessary" in page
    assert "talk to them about how best to secure their input" in page
    assert "There is no ‘must’: it is ‘as appropriate’." in page
    assert "Will Amira attend?" in page
    assert "How will Amira's input be secured?" in page
    assert "so is the Virtual School: Amira is new into care" in page  # an initial PEP


def test_schedule_page_with_errors_keeps_everything_typed(world, client, pep):
    sign_in(client, world.sw)
    day = a_weekday_ahead()
    data = _schedule_form(day, venue="", planned_minutes="600", child_input="Comes for the end, with her carer")

    response = client.post(reverse("meetings:schedule", args=[pep.pk]), data)

    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="govuk-error-summary"' in page
    assert "Enter the room at school" in page
    assert "Plan the meeting for 300 minutes (5 hours) at most" in page
    assert f'name="held_on_0" value="{day.day}"' in page
    assert f'name="held_on_2" value="{day.year}"' in page
    assert 'value="16:00"' in page
    assert 'value="600"' in page
    assert "Comes for the end, with her carer</textarea>" in page
    assert re.search(r'value="undecided"\s+checked', page)
    assert Meeting.objects.filter(pep=pep).exists() is False


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"venue_kind": ""}, "Select where the meeting will be"),
        ({"venue_kind": "elsewhere", "venue": ""}, "Enter the address"),
        ({"venue_kind": "online", "venue": ""}, "Enter the link to join the meeting online"),
        ({"online_link": "not a link", "venue_kind": "online"}, "Enter the link in full"),
        ({"child_attending": ""}, "Select whether the child will attend, or that it is not decided yet"),
        ({"child_input": ""}, "Say how Amira&#x27;s input will be secured"),
        ({"start_time": "half past four"}, "Enter a time like 14:30"),
    ],
)
def test_schedule_page_says_what_is_missing(changes, error, world, client, pep):
    sign_in(client, world.sw)

    response = client.post(reverse("meetings:schedule", args=[pep.pk]), _schedule_form(a_weekday_ahead(), **changes))

    assert response.status_code == 200
    assert error in response.content.decode()


def test_schedule_page_refuses_a_date_in_the_past(world, client, pep):
    sign_in(client, world.sw)
    yesterday = datetime.date.today() - datetime.timedelta(days=1)

    response = client.post(reverse("meetings:schedule", args=[pep.pk]), _schedule_form(yesterday))

    assert "The date of the meeting must be today or in the future" in response.content.decode()


def test_an_online_meeting_needs_no_room(world, client, pep):
    sign_in(client, world.sw)
    data = _schedule_form(a_weekday_ahead(), venue_kind="online", venue="", online_link="https://meet.example/pep")

    response = client.post(reverse("meetings:schedule", args=[pep.pk]), data)

    assert response.status_code == 302
    meeting = Meeting.objects.get(pep=pep)
    assert (meeting.venue_kind, meeting.venue, meeting.online_link) == (
        "online",
        "Online meeting",
        "https://meet.example/pep",
    )


def test_saving_after_school_goes_back_to_the_pep(world, client, pep):
    sign_in(client, world.sw)

    response = client.post(reverse("meetings:schedule", args=[pep.pk]), _schedule_form(a_weekday_ahead()))

    assert response["Location"] == reverse("plans:detail", args=[pep.pk]) + "#meeting"
    assert Meeting.objects.get(pep=pep).invitations.count() == 3


def test_saving_in_lesson_time_comes_back_to_the_page_with_a_warning(world, client, pep):
    # The test world has no term dates, so any working day counts as a school day.
    sign_in(client, world.sw)
    url = reverse("meetings:schedule", args=[pep.pk])

    response = client.post(url, _schedule_form(a_weekday_ahead(), start_time="10:00"), follow=True)

    page = response.content.decode()
    assert response.redirect_chain == [(url, 302)]
    assert "The meeting has been scheduled and the invitations sent by email" in page
    assert "This meeting is in lesson time" in page
    assert "Do not take Amira out of lessons unless it is necessary." in page
    assert Meeting.objects.filter(pep=pep, start_time=datetime.time(10, 0)).exists()
    card = client.get(reverse("plans:whole", args=[pep.pk])).content.decode()
    assert 'id="lesson-time"' in card
    assert "This meeting is in lesson time" in card


def test_a_second_save_that_moves_the_meeting_says_the_update_was_sent(world, client, pep):
    schedule_meeting(pep, world.sw)
    sign_in(client, world.sw)
    data = _schedule_form(a_weekday_ahead(21), lock_version="1")

    response = client.post(reverse("meetings:schedule", args=[pep.pk]), data, follow=True)

    assert "The meeting has been changed and everyone invited has been sent the update" in response.content.decode()
    assert Meeting.objects.get(pep=pep).sequence == 1


def test_pep_page_lists_the_invitations_and_says_whether_the_virtual_school_has_accepted(world, client, pep):
    schedule_meeting(pep, world.sw)
    sign_in(client, world.sw)
    url = reverse("plans:whole", args=[pep.pk])

    before = client.get(url).content.decode()
    vs_invitation = fresh(pep).meeting.invitations.get(user=world.vs)
    services.answer(world.vs, fresh(pep), vs_invitation, Response.ATTENDING)
    after = client.get(url).content.decode()

    assert "The Virtual School has not answered yet" in before
    assert "The Virtual School has accepted" in after
    for name in ("Dee Teacher", "Ira Reviewer", "Val School"):
        assert f'<td class="govuk-table__cell">{name}</td>' in after


def test_pep_page_of_a_review_says_nothing_of_the_virtual_school(world, client):
    pep = start(cast_of(world), occasion=Occasion.REVIEW)
    schedule_meeting(pep, world.sw)
    sign_in(client, world.sw)

    page = client.get(reverse("plans:detail", args=[pep.pk])).content.decode()

    assert "The Virtual School has" not in page


def test_an_invitee_answers_on_the_pep_page(world, client, pep):
    schedule_meeting(pep, world.sw)
    invitation = fresh(pep).meeting.invitations.get(user=world.dt)
    respond = reverse("meetings:respond", args=[pep.pk, invitation.pk])
    sign_in(client, world.dt)

    page = client.get(reverse("plans:whole", args=[pep.pk])).content.decode()
    response = client.post(respond, {"response": "apologies"}, follow=True)

    assert f'action="{respond}"' in page
    assert "Your answer has been saved: sent apologies" in response.content.decode()
    assert Invitation.objects.get(pk=invitation.pk).response == Response.APOLOGIES


@pytest.mark.parametrize(("role", "status"), [("vs", 403), ("sw", 403), ("iro", 403), ("dt_other", 404)])
def test_answering_another_users_invitation_is_refused(role, status, world, client, pep):
    schedule_meeting(pep, world.sw)
    invitation = fresh(pep).meeting.invitations.get(user=world.dt)
    sign_in(client, getattr(world, role))

    response = client.post(reverse("meetings:respond", args=[pep.pk, invitation.pk]), {"response": "attending"})

    assert response.status_code == status
    assert Invitation.objects.get(pk=invitation.pk).response == Response.PENDING


def test_an_invitation_of_another_pep_is_not_found(world, client, pep):
    other = start(cast_of(world, world.other_child))
    schedule_meeting(other, world.sw_other)
    invitation = fresh(other).meeting.invitations.get(user=world.vs)
    sign_in(client, world.vs)

    response = client.post(reverse("meetings:respond", args=[pep.pk, invitation.pk]), {"response": "attending"})

    assert response.status_code == 404


def test_the_social_worker_records_the_carers_answer_on_the_pep_page(world, client, pep):
    schedule_meeting(pep, world.sw)
    carer = invite(pep, world.sw)
    sign_in(client, world.sw)
    url = reverse("meetings:record_answer", args=[pep.pk, carer.pk])

    page = client.get(reverse("plans:whole", args=[pep.pk])).content.decode()
    response = client.post(url, {"response": "attending"}, follow=True)

    assert f'action="{url}"' in page
    assert "The answer of Jo Carer has been saved: attending" in response.content.decode()
    assert Invitation.objects.get(pk=carer.pk).response == Response.ATTENDING


def test_inviting_someone_twice_on_the_page_says_so_and_keeps_the_form(world, client, pep):
    schedule_meeting(pep, world.sw)
    invite(pep, world.sw)
    sign_in(client, world.sw)
    data = {"name": "Jo Again", "email": "jo.carer@example.org", "role": "carer"}

    response = client.post(reverse("meetings:invite", args=[pep.pk]), data)

    page = response.content.decode()
    assert response.status_code == 200
    assert "jo.carer@example.org has already been invited" in page
    assert 'value="Jo Again"' in page


def test_the_invite_page_before_scheduling_sends_the_social_worker_to_schedule(world, client, pep):
    sign_in(client, world.sw)

    response = client.get(reverse("meetings:invite", args=[pep.pk]))

    assert response["Location"] == reverse("meetings:schedule", args=[pep.pk])


def test_cancelling_on_the_pep_page_keeps_the_meeting_marked_cancelled(world, client, pep):
    schedule_meeting(pep, world.sw)
    sign_in(client, world.sw)

    response = client.post(reverse("meetings:cancel", args=[pep.pk]), follow=True)

    assert "The meeting has been cancelled and everyone invited has been told by email" in response.content.decode()
    page = client.get(reverse("plans:whole", args=[pep.pk])).content.decode()  # the meeting's card
    assert "This meeting was cancelled on" in page
    assert "Schedule the meeting</a>" in page  # scheduling it again
    assert Meeting.objects.get(pep=pep).cancelled_at is not None
