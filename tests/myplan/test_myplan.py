"""My plan (openpep.myplan): the child's version of a signed-off PEP, shared by the allocated social
worker with the child or the carer by a code (voice's invitations of purpose MY_PLAN: hashed, expiring
after the council's days, withdrawable), opened and downloaded only with that code, everything escaped."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from openpep.audit.enums import Verb
from openpep.audit.models import AuditEntry
from openpep.myplan import services
from openpep.myplan.queries import plan_of, plan_queryset
from openpep.plans.enums import DecisionOutcome, Occasion, Phase, Status, TargetArea
from openpep.plans.models import Decision, Pep, Target
from openpep.voice import services as voice
from openpep.voice.enums import Audience, Purpose
from openpep.voice.models import Invitation, VoiceSettings
from tests.builders import cast_of, pep_in, start
from tests.fixtures import sign_in

SCRIPT = "<script>alert('x')</script>"


def signed_off(world, child, sw, outcome="I will know my times tables up to 12") -> Pep:
    """A signed-off PEP with one target, made directly (how a PEP gets signed off is tested in plans)."""
    pep = Pep.objects.create(
        child=child,
        school=child.current_enrolment().school,
        phase=Phase.STATUTORY,
        occasion=Occasion.INITIAL,
        status=Status.SIGNED_OFF,
        created_by=sw,
    )
    Decision.objects.create(pep=pep, outcome=DecisionOutcome.SIGNED_OFF, decided_by=world.vs)
    Target.objects.create(
        pep=pep,
        outcome=outcome,
        area=TargetArea.MATHS,
        success_measure="Times tables check",
        actions="Ten minutes a day with a teaching assistant",
        who="Class teacher",
        by_when=datetime.date(2027, 3, 19),
    )
    return pep


@pytest.fixture(scope="module")
def plan_world(module_world, django_db_blocker):
    """The own child's PEP signed off through the workflow (its targets say "I will …"), one of the
    other child's made directly, and a draft of the own child's."""
    with django_db_blocker.unblock():
        cast = cast_of(module_world)
        module_world.pep = pep_in(cast, Status.SIGNED_OFF)
        module_world.other_pep = signed_off(module_world, module_world.other_child, module_world.sw_other)
        module_world.draft = start(cast, occasion=Occasion.REVIEW)
        return module_world


@pytest.fixture
def world(plan_world, db):
    return plan_world


def open_code(client, code, ip="10.0.0.9"):
    return client.post(reverse("myplan:start"), {"code": code}, REMOTE_ADDR=ip)


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages)


# Sharing ----------------------------------------------------------------------------------------


def test_only_the_allocated_social_worker_shares_and_only_a_signed_off_pep(world):
    for someone in (world.dt, world.vs, world.tm, world.iro):
        with pytest.raises(PermissionDenied):
            services.share(someone, world.pep, audience=Audience.CHILD)
    with pytest.raises(PermissionDenied):
        services.share(world.sw_other, world.pep, audience=Audience.CHILD)
    with pytest.raises(PermissionDenied):  # nothing agreed yet
        services.share(world.sw, world.draft, audience=Audience.CHILD)

    invitation, code = services.share(world.sw, world.pep, audience=Audience.CHILD)

    assert (invitation.purpose, invitation.audience, invitation.made_by) == (Purpose.MY_PLAN, Audience.CHILD, world.sw)
    assert invitation.code_hash == voice.hash_code(code) and code not in str(Invitation.objects.values().get())
    entry = AuditEntry.objects.get(verb=Verb.CREATED, target_type="voice.invitation", target_id=invitation.pk)
    assert (entry.actor, entry.pep_id, entry.summary) == (
        world.sw,
        world.pep.pk,
        "Shared My plan with Amira, a code given",
    )


def test_sharing_with_the_carer_by_email_and_a_new_share_withdraws_the_same_persons_open_one(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    for_child, _ = services.share(world.sw, world.pep, audience=Audience.CHILD)
    first_carer, _ = services.share(world.sw, world.pep, audience=Audience.CARER)
    with django_capture_on_commit_callbacks(execute=True):
        carer, code = services.share(world.sw, world.pep, audience=Audience.CARER, email="carer@example.org")

    for_child.refresh_from_db()
    first_carer.refresh_from_db()
    assert for_child.is_open and carer.is_open and first_carer.withdrawn_at  # one open share per person
    assert [m.to for m in mailoutbox] == [["carer@example.org"]]
    assert f"?code={code}" in mailoutbox[0].body and world.child.last_name not in mailoutbox[0].body
    assert AuditEntry.objects.filter(
        verb=Verb.REVOKED, target_type="voice.invitation", target_id=first_carer.pk
    ).exists()


def test_the_expiry_is_the_councils_setting(world):
    VoiceSettings.objects.create(local_authority=world.authority, invitation_days=3)
    invitation, _ = services.share(world.sw, world.pep, audience=Audience.CHILD)
    assert invitation.expires_at - invitation.made_at == datetime.timedelta(days=3)
    hys, _ = voice.make_invitation(world.dt, world.draft, variant="primary")  # Have your say too
    assert hys.expires_at - hys.made_at == datetime.timedelta(days=3)
    # A council that has not chosen has VOICE_INVITATION_DAYS (14).
    VoiceSettings.objects.all().delete()
    other, _ = services.share(world.sw_other, world.other_pep, audience=Audience.CHILD)
    assert other.expires_at - other.made_at == datetime.timedelta(days=14)


# The child's page -------------------------------------------------------------------------------


def test_the_child_opens_their_plan_with_the_code_and_each_open_is_audited(world, client, django_assert_num_queries):
    _, code = services.share(world.sw, world.pep, audience=Audience.CHILD)

    assert open_code(client, code)["Location"] == reverse("myplan:plan")
    page = client.get(reverse("myplan:plan")).content.decode()
    # The session, the invitation, the PEP, its targets, the carers' names to withhold, the audit entry,
    # the sign-off day, the calendar (terms, closures), the Designated Teachers: whatever the targets.
    with django_assert_num_queries(9):
        client.get(reverse("myplan:plan"))

    assert "My plan, Amira" in page and "I will read a chapter book each week" in page
    assert world.child.last_name not in page and "children in care" not in page
    assert "Your social worker: Sam" in page and "Your Designated Teacher at Oak Primary: Dee" in page
    opens = AuditEntry.objects.filter(verb=Verb.VIEWED, pep_id=world.pep.pk, actor=None)
    assert opens.filter(summary="The child read My plan").count() == 2
    assert opens.filter(summary="The child opened My plan with their code").count() == 1
    # Have your say's pages do not open with it, nor does a staff page.
    assert client.get(reverse("voice:answers"))["Location"] == reverse("voice:start")
    assert client.get(reverse("plans:detail", args=[world.pep.pk]))["Location"].startswith(reverse("login"))


def test_the_pdf_renders_and_says_i_will(world, client):
    _, code = services.share(world.sw, world.pep, audience=Audience.CHILD)
    open_code(client, code)

    response = client.get(reverse("myplan:plan_pdf"))

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="my-plan-amira-{world.pep.pk}.pdf"'
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.metadata.title == "My plan: Amira"
    text = pdf_text(response.content)
    assert "I will read a chapter book each week" in text and world.child.last_name not in text
    assert AuditEntry.objects.filter(verb=Verb.DOWNLOADED, pep_id=world.pep.pk, actor=None).count() == 1


def test_a_withdrawn_or_expired_share_closes_the_page_and_the_code_says_so(world, client):
    invitation, code = services.share(world.sw, world.pep, audience=Audience.CHILD)
    open_code(client, code)
    with pytest.raises(PermissionDenied):
        services.withdraw(world.sw_other, invitation)

    services.withdraw(world.sw, invitation)

    assert client.get(reverse("myplan:plan"))["Location"] == reverse("myplan:start")
    assert client.get(reverse("myplan:plan_pdf"))["Location"] == reverse("myplan:start")
    assert "That code has been stopped" in open_code(client, code).content.decode()
    with pytest.raises(ValidationError):
        services.withdraw(world.sw, invitation)

    expired, expired_code = services.share(world.sw, world.pep, audience=Audience.CHILD)
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    assert "That code has run out" in open_code(client, expired_code).content.decode()


def test_a_code_opens_its_own_pep_only_and_not_the_other_purposes_page(world, client):
    _, mine = services.share(world.sw, world.pep, audience=Audience.CHILD)
    _, other = services.share(world.sw_other, world.other_pep, audience=Audience.CHILD)
    _, have_your_say = voice.make_invitation(world.dt, world.draft, variant="primary")

    open_code(client, other)
    page = client.get(reverse("myplan:plan")).content.decode()
    assert "My plan, Ben" in page and "Amira" not in page and "chapter book" not in page
    # A Have your say code on the My plan page, and a My plan code on Have your say's, say where they go.
    assert "That code is for Have your say" in open_code(client, have_your_say).content.decode()
    wrong_page = Client().post(reverse("voice:start"), {"code": mine}, REMOTE_ADDR="10.0.0.8").content.decode()
    assert "That code is for My plan" in wrong_page


def test_script_is_escaped_in_the_page_and_the_pdf_html(world, client):
    pep = signed_off(world, world.child, world.sw, outcome=f"I will {SCRIPT}")
    Target.objects.filter(pep=pep).update(who=SCRIPT, actions=SCRIPT)
    _, code = services.share(world.sw, pep, audience=Audience.CHILD)
    open_code(client, code)

    page = client.get(reverse("myplan:plan")).content.decode()
    html = services.plan_html(plan_queryset().get(pk=pep.pk))
    sw = Client()
    sign_in(sw, world.sw)
    preview = sw.get(reverse("myplan:share", args=[pep.pk])).content.decode()

    for shown in (page, html, preview):
        assert SCRIPT not in shown and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in shown


# The social worker's pages ----------------------------------------------------------------------


def test_the_social_workers_page_shares_shows_the_code_once_and_withdraws(world, client, django_assert_max_num_queries):
    sign_in(client, world.sw)
    url = reverse("myplan:share", args=[world.pep.pk])

    response = client.post(url, {"audience": "child", "email": ""})
    assert response["Location"] == url
    page = client.get(url).content.decode()
    assert "My plan shared" in page and "I will read a chapter book each week" in page
    assert "My plan shared" not in client.get(url).content.decode()  # shown once

    invitation = Invitation.objects.get(purpose=Purpose.MY_PLAN)
    assert client.post(reverse("myplan:withdraw", args=[world.pep.pk, invitation.pk])).status_code == 302
    invitation.refresh_from_db()
    assert invitation.withdrawn_by == world.sw
    with django_assert_max_num_queries(19):
        assert client.get(url).status_code == 200


def test_the_social_workers_pdf_and_a_draft_or_another_childs_pep_is_a_404(world, client):
    sign_in(client, world.sw)
    response = client.get(reverse("myplan:pdf", args=[world.pep.pk]))
    assert response.status_code == 200 and "I will read a chapter book each week" in pdf_text(response.content)
    assert AuditEntry.objects.filter(verb=Verb.DOWNLOADED, actor=world.sw, pep_id=world.pep.pk).exists()

    for name in ("myplan:share", "myplan:pdf"):
        assert client.get(reverse(name, args=[world.draft.pk])).status_code == 404
        assert client.get(reverse(name, args=[world.other_pep.pk])).status_code == 404
    # The PEP's page links to My plan for the social worker only.
    assert (
        reverse("myplan:share", args=[world.pep.pk])
        in client.get(reverse("plans:detail", args=[world.pep.pk])).content.decode()
    )
    sign_in(client, world.dt)
    assert (
        reverse("myplan:share", args=[world.pep.pk])
        not in client.get(reverse("plans:detail", args=[world.pep.pk])).content.decode()
    )


def test_what_my_plan_shows(world, django_assert_num_queries):
    pep = plan_queryset().get(pk=world.pep.pk)
    # The sign-off day, the council's calendar (terms, closures), the Designated Teachers: whatever the targets.
    with django_assert_num_queries(3):
        plan = plan_of(pep)
    assert [t.i_will for t in plan.targets] == ["I will read a chapter book each week (1)"]
    assert [(h.role, h.first_name, h.school) for h in plan.ask] == [
        ("social worker", "Sam", ""),
        ("Designated Teacher", "Dee", "Oak Primary"),
    ]


# The council's setting --------------------------------------------------------------------------


def test_the_virtual_school_head_sets_how_long_codes_work(world, client):
    sign_in(client, world.vs_admin)
    assert ">14<" in client.get(reverse("voice:settings")).content.decode().replace(" ", "")
    refused = client.post(reverse("voice:settings_edit"), {"invitation_days": "91"})
    assert refused.status_code == 200 and "govuk-error-summary" in refused.content.decode()
    assert not VoiceSettings.objects.exists()

    response = client.post(reverse("voice:settings_edit"), {"invitation_days": "7"})

    assert response["Location"] == reverse("voice:settings")
    assert VoiceSettings.objects.get(local_authority=world.authority).invitation_days == 7
    entry = AuditEntry.objects.get(verb=Verb.UPDATED, target_type="voice.voicesettings")
    assert (entry.actor, entry.after) == (world.vs_admin, {"invitation_days": 7})
    invitation, _ = services.share(world.sw, world.pep, audience=Audience.CHILD)
    assert invitation.expires_at - invitation.made_at == datetime.timedelta(days=7)
    with pytest.raises(PermissionDenied):  # only a head of the council changes it
        voice.save_settings(world.vs, VoiceSettings.for_authority_id(world.authority.pk))


def test_wrong_codes_are_refused_audited_and_limited(world, client, settings):
    settings.VOICE_CODE_FAILURES = 2
    _, code = services.share(world.sw, world.pep, audience=Audience.CHILD)
    for _ in range(2):
        assert "That code did not work" in open_code(client, "ACDE-FGHJ").content.decode()
    assert AuditEntry.objects.filter(verb=Verb.REFUSED, target_type="voice.codeattempt").count() == 2
    # The limit counts Have your say's and My plan's wrong codes together, and then refuses a right one too.
    assert open_code(client, code).status_code == 429
    assert client.post(reverse("voice:start"), {"code": code}, REMOTE_ADDR="10.0.0.9").status_code == 429
