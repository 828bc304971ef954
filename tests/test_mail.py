"""Every e-mail the project sends (security point 11), to and about O'Brien & <Smith>: the subject
and the plain-text part carry the raw characters, the HTML part escapes them, and a line break in a
name can start no header. The e-mails, from the code: reminders (``reminders.emails``); meeting
invitation, update, withdrawal and cancellation (``meetings.emails``); access verify, waiting,
approved, rejected and existing, and the welcome, with a password to set or a council account to sign in
with (``people.services``); the unusual-access alert (``watch.services``); the failed sign-ins told to
the account's owner (``openpep.lockout``); Have your say's link and the word that the child has sent
(``voice.services``); My plan's link (``myplan.services``)."""

import datetime
import re
from pathlib import Path

import pytest
from django.core import mail

from openpep.meetings import services as meetings
from openpep.meetings.models import Invitation
from openpep.people import services as people
from openpep.people.enums import Role
from openpep.people.models import AccessRequest
from openpep.reminders.services import run_reminders
from openpep.voice import services as voice
from openpep.voice.enums import Variant
from openpep.watch.services import raise_unusual_access_alerts
from tests.builders import cast_of, fresh, invite, schedule_meeting, start
from tests.fixtures import make_child, make_user
from tests.reminders.helpers import days, set_due, today

NAME = "O'Brien & <Smith>"
ESCAPED = "O&#x27;Brien &amp; &lt;Smith&gt;"
HTML_ENTITIES = ("&#x27;", "&amp;", "&lt;", "&gt;", "&quot;", "&#39;")


def _plain(message) -> None:
    """Subject and text part are text: never an HTML entity, and the subject is one line."""
    for part in (message.subject, message.body):
        assert not any(entity in part for entity in HTML_ENTITIES), part
    assert "\n" not in message.subject and "\r" not in message.subject
    message.message()  # Django refuses a header with a line break: this would raise


def _html(message) -> str:
    [(html, kind)] = message.alternatives
    assert kind == "text/html"
    assert ESCAPED in html and NAME not in html
    return html


@pytest.fixture
def obrien(world):
    world.child.first_name = NAME
    world.child.save()
    return world


def test_the_reminder_names_obrien_raw_in_subject_and_text_and_escaped_in_html(obrien):
    set_due(start(cast_of(obrien)), views_due=days(1))

    run_reminders(today())

    [message] = mail.outbox
    _plain(message)
    assert f"for {NAME} – due" in message.subject
    assert f"This task on {NAME}'s Personal Education Plan" in message.body
    _html(message)


def test_every_meeting_e_mail_names_obrien_raw_in_subject_and_text_and_escaped_in_html(
    obrien, django_capture_on_commit_callbacks
):
    pep = start(cast_of(obrien))
    with django_capture_on_commit_callbacks(execute=True):
        schedule_meeting(pep, obrien.sw, held_on=datetime.date(2027, 3, 2))  # invitations
        invitation = invite(pep, obrien.sw, name=NAME, email="obrien@example.org")
        schedule_meeting(pep, obrien.sw, held_on=datetime.date(2027, 3, 9))  # updates
        meetings.remove_invitation(obrien.sw, fresh(pep), Invitation.objects.get(pk=invitation.pk))  # withdrawal
        meetings.cancel(obrien.sw, fresh(pep))  # cancellations

    kinds = set()
    for message in mail.outbox:
        _plain(message)
        kinds.add(message.subject.split(":")[0])
        assert f"PEP meeting for {NAME}, " in message.subject
        if message.to == ["obrien@example.org"]:
            assert f"Dear {NAME}," in message.body
        _html(message)
    assert kinds == {"Invitation", "Changed", "Withdrawn", "Cancelled"}


def test_every_access_e_mail_and_the_welcome_carry_obrien_raw(world, django_capture_on_commit_callbacks):
    world.school.name = NAME
    world.school.save()
    base = "http://testserver"
    with django_capture_on_commit_callbacks(execute=True):
        for email in ("obrien@school.example", "smith@school.example"):
            people.request_access(
                full_name=NAME,
                email=email,
                job_title="",
                school=world.school,
                role=Role.DESIGNATED_TEACHER,
                base_url=base,
            )
        for request in AccessRequest.objects.all():
            people.verify_access_request(request, base_url=base)
        first, second = AccessRequest.objects.order_by("pk")
        people.approve_access_request(world.vs_admin, first, base_url=base)
        people.reject_access_request(world.vs_admin, second, reason=f"{NAME} left in July")
        people.request_access(
            full_name=NAME,
            email=first.email,
            job_title="",
            school=world.school,
            role=Role.DESIGNATED_TEACHER,
            base_url=base,
        )  # an address with an account: the note
        world.authority.virtual_school_name = NAME
        people.send_welcome(
            make_user("new@test.example", NAME, Role.VS_OFFICER, local_authority=world.authority), world.authority, base
        )
        council_staff = make_user("new@council.example", NAME, Role.VS_OFFICER, local_authority=world.authority)
        people.send_welcome(council_staff, world.authority, base, account=f"your {NAME} account")

    subjects = set()
    for message in mail.outbox:
        _plain(message)
        subjects.add(message.subject)
        assert NAME in message.body, message.subject
    assert "Your access to OpenPEP has been approved" in subjects
    assert f"Your OpenPEP account for {NAME}" in subjects
    assert any(f"{NAME} left in July" in m.body for m in mail.outbox)
    assert len(subjects) == 6  # verify, waiting, approved, rejected, existing, welcome (both the same)
    assert any(f"Sign in with your {NAME} account" in m.body for m in mail.outbox)


def test_the_unusual_access_alert_names_obrien_raw(world, django_capture_on_commit_callbacks, settings):
    from openpep.children.services import record_view

    world.sw.full_name = NAME
    world.sw.save()
    for n in range(settings.UNUSUAL_ACCESS_CHILDREN + 1):
        child = make_child(world.authority, world.sw, world.school, first=f"Child{n}", last="Test")
        record_view(world.sw, child, page="the child's record")
    with django_capture_on_commit_callbacks(execute=True):
        raise_unusual_access_alerts()

    [message] = mail.outbox
    _plain(message)
    assert message.body.startswith(f"{NAME} ({world.sw.email}) viewed")


def test_a_line_break_in_a_name_starts_no_header(world, django_capture_on_commit_callbacks):
    world.child.first_name = "Amira\r\nBcc: everyone@example.org"
    world.child.save()
    pep = start(cast_of(world))
    set_due(pep, views_due=days(1))
    run_reminders(today())
    with django_capture_on_commit_callbacks(execute=True):
        schedule_meeting(pep, world.sw, held_on=datetime.date(2027, 3, 2))
        world.authority.virtual_school_name = "Testshire\nBcc: everyone@example.org"
        people.send_welcome(world.vs, world.authority, "http://testserver/")

    assert len(mail.outbox) >= 3
    for message in mail.outbox:
        headers = message.message().as_string().split("\n\n")[0]
        assert "\nBcc:" not in headers, headers
        assert "\n" not in message.subject and "Bcc: everyone@example.org" in message.subject
        assert message.bcc == []


def test_the_failed_sign_ins_e_mail_names_obrien_raw(world):
    from axes.models import AccessAttempt
    from django.utils import timezone

    from openpep.lockout import tell_the_owner

    world.sw.full_name = NAME
    world.sw.save()
    now = timezone.now()
    AccessAttempt.objects.create(
        username=world.sw.email,
        ip_address="192.0.2.1",
        user_agent="test",
        http_accept="*/*",
        path_info="/sign-in/",
        get_data="",
        post_data="",
        failures_since_start=20,
    )

    tell_the_owner(world.sw.email, now)

    [message] = mail.outbox
    _plain(message)
    assert f"Dear {NAME}," in message.body
    assert "20 times" in message.body and "192.0.2.1" in message.body


def test_the_have_your_say_e_mails_name_obrien_raw(obrien, django_capture_on_commit_callbacks):
    """The link to the young person and the word to the adult that they have sent their views."""
    pep = start(cast_of(obrien))  # the school records the child's views
    with django_capture_on_commit_callbacks(execute=True):
        invitation, _ = voice.make_invitation(obrien.dt, pep, variant=Variant.SECONDARY, email="yp@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        voice.save_answers(invitation.pk, {"going_well": "Football"})
        voice.submit(invitation.pk)

    link, sent = mail.outbox
    for message in (link, sent):
        _plain(message)
        assert NAME in message.subject + message.body
    assert link.to == ["yp@example.com"] and sent.to == [obrien.dt.email]


def test_the_my_plan_link_names_obrien_raw(obrien, django_capture_on_commit_callbacks):
    """My plan shared with the carer by e-mail, after sign-off."""
    from openpep.myplan import services as myplan
    from openpep.plans.enums import Status
    from openpep.voice.enums import Audience
    from tests.builders import pep_in

    pep = pep_in(cast_of(obrien), Status.SIGNED_OFF)
    with django_capture_on_commit_callbacks(execute=True):
        myplan.share(obrien.sw, pep, audience=Audience.CARER, email="carer@example.com")

    [link] = mail.outbox
    _plain(link)
    assert NAME in link.subject and NAME in link.body and link.to == ["carer@example.com"]


def test_every_e_mail_template_is_one_of_those_tested_here():
    """A new e-mail fails here until it is added to the tests above."""
    from django.conf import settings

    templates = Path(settings.BASE_DIR) / "openpep" / "templates"
    subjects = {path.relative_to(templates).as_posix() for path in templates.rglob("*_subject.txt")}
    assert subjects == {
        "reminders/email/reminder_subject.txt",
        *(f"meetings/email/{kind}_subject.txt" for kind in ("invitation", "update", "withdrawal", "cancellation")),
        *(
            f"people/email/access_{kind}_subject.txt"
            for kind in ("verify", "waiting", "approved", "rejected", "existing")
        ),
        "people/email/welcome_subject.txt",
        "people/email/welcome_council_subject.txt",
        "auth/email/failed_sign_ins_subject.txt",
        "voice/email/link_subject.txt",
        "voice/email/sent_subject.txt",
        "myplan/email/link_subject.txt",
    }


def test_no_subject_or_text_part_is_rendered_as_html():
    """Subjects and text parts go through openpep.mail; render_to_string would escape them."""
    from django.conf import settings

    code = Path(settings.BASE_DIR) / "openpep"
    found = [
        f"{path.relative_to(code)}: {match}"
        for path in code.rglob("*.py")
        for match in re.findall(r"render_to_string\([^)]*\.txt", path.read_text())
    ]
    assert found == []
