"""The demo has a PEP with an open Have your say code (README.md gives it), one with a child's
own words taken into Section B, and a signed-off PEP whose My plan is shared with an open code."""

import pytest
from django.urls import reverse

from openpep.myplan.demo import DEMO_CODE as MY_PLAN_CODE
from openpep.plans.enums import Status, TookPart
from openpep.voice.demo import DEMO_CODE
from openpep.voice.enums import InvitationState, Purpose
from openpep.voice.models import Contribution, Invitation
from openpep.voice.services import hash_code

ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]


@pytest.fixture
def demo(db, django_capture_on_commit_callbacks, demo_snapshot):
    with django_capture_on_commit_callbacks():
        return demo_snapshot.load()  # built once for the run (tests/fixtures.py)


def test_the_demo_code_is_open_and_in_the_readme(demo, client):
    invitation = Invitation.objects.select_related("child").get(code_hash=hash_code(DEMO_CODE))
    assert invitation.state() == InvitationState.OPEN
    readme = (ROOT / "README.md").read_text()
    assert DEMO_CODE in readme and invitation.child.full_name in readme

    response = client.post(reverse("voice:start"), {"code": DEMO_CODE})
    assert response["Location"] == reverse("voice:answers")
    assert f"Hello {invitation.child.first_name}" in client.get(reverse("voice:answers")).content.decode()


def test_the_demo_has_a_childs_own_words_taken_into_section_b(demo):
    contribution = Contribution.objects.select_related("pep__child_views", "child").get(taken_at__isnull=False)
    assert contribution.child.full_name in (ROOT / "README.md").read_text()
    assert contribution.pep.child_views.took_part == TookPart.FORM
    assert contribution.taken == ["going_well", "hard", "helps_me", "better_at", "who_at_meeting"]


def test_the_demo_my_plan_code_is_open_and_in_the_readme(demo, client):
    invitation = Invitation.objects.select_related("child", "pep").get(code_hash=hash_code(MY_PLAN_CODE))
    assert (invitation.purpose, invitation.state()) == (Purpose.MY_PLAN, InvitationState.OPEN)
    assert invitation.pep.status == Status.SIGNED_OFF
    readme = (ROOT / "README.md").read_text()
    assert MY_PLAN_CODE in readme and invitation.child.full_name in readme

    response = client.post(reverse("myplan:start"), {"code": MY_PLAN_CODE})
    assert response["Location"] == reverse("myplan:plan")
    page = client.get(reverse("myplan:plan")).content.decode()
    assert f"My plan, {invitation.child.first_name}" in page and "I will " in page
