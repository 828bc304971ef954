"""The child's "Have your say" (openpep.voice): a code for one child and one PEP, kept only as a hash;
the child's pages opened by it and nothing else; the limits on guessing; pictures checked by what
they hold; the child's words taken into Section B word for word, escaped on every page and the PDF."""

import datetime
import hashlib
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from openpep.audit.enums import Verb
from openpep.audit.models import AuditEntry
from openpep.documents.enums import CopyKind
from openpep.documents.pdf import documents_queryset, pep_html
from openpep.plans.enums import Phase, TookPart, ViewsRecordedBy
from openpep.plans.models import ChildViews, Pep
from openpep.voice import services
from openpep.voice.enums import CODE_ALPHABET, Variant
from openpep.voice.models import CodeAttempt, Contribution, Invitation
from openpep.voice.queries import suggested_variant
from tests.builders import cast_of, record_views, start
from tests.fixtures import sign_in

SCRIPT = "<script>alert('x')</script>"
ANSWERS = {
    "going_well": "Football at lunch",
    "hard": "Fractions",
    "helps_me": "My reading buddy",
    "better_at": "Spelling",
    "who_at_meeting": "My carer",
    "take_part": "come",
    "school": "good",
    "learning": "ok",
}


def png(width=4, height=4) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def voice_world(module_world, django_db_blocker):
    """The own child's draft (the school records Section B) and the other child's (the social worker does)."""
    with django_db_blocker.unblock():
        module_world.pep = start(cast_of(module_world), views_recorded_by=ViewsRecordedBy.SCHOOL)
        module_world.other_pep = start(
            cast_of(module_world, module_world.other_child), views_recorded_by=ViewsRecordedBy.SOCIAL_WORKER
        )
        return module_world


@pytest.fixture
def world(voice_world, db):
    return voice_world


def invite(world, pep=None, **kwargs):
    pep = pep or world.pep
    actor = world.dt if pep == world.pep else world.sw_other
    return services.make_invitation(actor, pep, variant=kwargs.pop("variant", Variant.PRIMARY), **kwargs)


def open_code(client, code, ip="10.0.0.1"):
    return client.post(reverse("voice:start"), {"code": code}, REMOTE_ADDR=ip)


def send(client, answers=ANSWERS, picture=None):
    data = dict(answers)
    if picture is not None:
        data["picture"] = picture
    response = client.post(reverse("voice:answers"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert client.post(reverse("voice:check")).status_code == 302


# The code ---------------------------------------------------------------------------------------


def test_the_code_is_stored_only_as_a_keyed_hash(world):
    invitation, code = invite(world)

    assert len(code) == 8 and set(code) <= set(CODE_ALPHABET)
    row = Invitation.objects.filter(pk=invitation.pk).values().get()
    assert code not in str(row) and services.shown(code) not in str(row)
    assert row["code_hash"] == services.hash_code(code) != hashlib.sha256(code.encode()).hexdigest()
    assert not AuditEntry.objects.filter(summary__contains=code).exists()
    # Case, spaces and the dash do not matter to the child.
    assert services.hash_code(f" {code[:4].lower()}-{code[4:]} ") == row["code_hash"]


def test_only_whoever_records_section_b_invites(world):
    with pytest.raises(PermissionDenied):
        services.make_invitation(world.sw, world.pep, variant=Variant.PRIMARY)  # the school records it here
    with pytest.raises(PermissionDenied):
        services.make_invitation(world.dt_other, world.other_pep, variant=Variant.PRIMARY)
    assert invite(world, world.other_pep)[0].made_by == world.sw_other
    with pytest.raises(ValidationError):  # a primary child is not e-mailed a link
        invite(world, email="child@example.com")


def test_a_new_code_withdraws_the_open_one(world, mailoutbox, django_capture_on_commit_callbacks):
    first, _ = invite(world)
    with django_capture_on_commit_callbacks(execute=True):
        second, code = invite(world, variant=Variant.SECONDARY, email="young.person@example.com")

    first.refresh_from_db()
    assert first.withdrawn_at and second.is_open
    assert [m.to for m in mailoutbox] == [["young.person@example.com"]]
    assert f"?code={code}" in mailoutbox[0].body and world.child.last_name not in mailoutbox[0].body


def test_the_code_opens_its_own_child_and_pep_only(world, client):
    _, code = invite(world)
    _, other_code = invite(world, world.other_pep)

    assert open_code(client, code)["Location"] == reverse("voice:answers")
    page = client.get(reverse("voice:answers")).content.decode()
    assert f"Hello {world.child.first_name}" in page
    assert world.child.last_name not in page and world.other_child.first_name not in page
    # The banner tells the child who reads their answers, not what the service holds about them.
    assert "children in care" not in page + client.get(reverse("voice:start")).content.decode()
    assert "goes to the grown-ups who plan your education with you" in page
    send(client)

    contribution = Contribution.objects.get()
    assert (contribution.pep, contribution.child) == (world.pep, world.child)
    assert not Contribution.objects.filter(pep=world.other_pep).exists()
    # The other child's code is theirs alone, and the first child's session is over.
    assert client.get(reverse("voice:answers"))["Location"] == reverse("voice:start")
    assert open_code(client, other_code).status_code == 302
    assert world.other_child.first_name in client.get(reverse("voice:answers")).content.decode()


@pytest.mark.parametrize("state", ["expired", "withdrawn", "used"])
def test_a_code_that_cannot_be_used_says_so_plainly_and_nothing_more(state, world, client):
    invitation, code = invite(world)
    if state == "expired":
        Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    elif state == "withdrawn":
        services.withdraw(world.dt, invitation)
    else:
        services.save_answers(invitation.pk, {"going_well": "Art"})
        services.submit(invitation.pk)

    response = open_code(client, code)

    page = response.content.decode()
    assert response.status_code == 200
    assert {"expired": "run out", "withdrawn": "been stopped", "used": "already been used"}[state] in page
    assert world.child.first_name not in page and "voice" not in client.session
    assert client.get(reverse("voice:answers"))["Location"] == reverse("voice:start")


def test_a_wrong_code_says_so_and_is_audited(world, client):
    response = open_code(client, "ACDE-FGHJ")

    assert "That code did not work" in response.content.decode()
    attempt = CodeAttempt.objects.get()
    assert attempt.ip_address == "10.0.0.1"
    entry = AuditEntry.objects.get(target_type="voice.codeattempt")
    assert entry.verb == Verb.REFUSED and entry.actor is None and "10.0.0.1" in entry.summary


def test_the_guessing_limits_hold_per_address_and_over_every_address(world, client, settings):
    settings.VOICE_CODE_FAILURES = 3
    settings.VOICE_CODE_FAILURES_ALL = 5
    _, code = invite(world)

    for _ in range(3):
        assert open_code(client, "ACDE-FGHJ").status_code == 200
    # The limit holds even for the right code, from that address...
    assert open_code(client, code).status_code == 429
    assert CodeAttempt.objects.count() == 3  # a refused attempt is not another guess
    # ...not from another, until the guesses from everywhere reach the limit over every address.
    assert open_code(client, "ACDE-FGHK", ip="10.0.0.2").status_code == 200
    assert open_code(client, "ACDE-FGHM", ip="10.0.0.3").status_code == 200
    assert open_code(client, code, ip="10.0.0.4").status_code == 429
    assert AuditEntry.objects.filter(verb=Verb.REFUSED, target_type="voice.codeattempt").count() == 5
    # Once the window has passed, the right code works.
    CodeAttempt.objects.update(at=timezone.now() - datetime.timedelta(minutes=settings.VOICE_CODE_MINUTES + 1))
    assert open_code(client, code).status_code == 302


def test_wrong_codes_are_deleted_after_the_lockout_logs_time(world, client, settings):
    open_code(client, "ACDE-FGHJ")
    assert services.prune_code_attempts() == 0
    later = timezone.now() + datetime.timedelta(days=settings.LOCKOUT_LOG_DAYS + 1)
    assert services.prune_code_attempts(later) == 1 and not CodeAttempt.objects.exists()
    assert AuditEntry.objects.filter(verb=Verb.DELETED, target_type="voice.codeattempt").count() == 1


def test_the_childs_session_grants_no_staff_page_and_ends_with_the_code(world, client):
    invitation, code = invite(world)
    open_code(client, code)

    for url in (reverse("children:list"), reverse("plans:detail", args=[world.pep.pk])):
        assert client.get(url)["Location"].startswith(reverse("login"))
    assert client.get(reverse("voice:invitations", args=[world.pep.pk]))["Location"].startswith(reverse("login"))

    # Signing in, in the same browser, ends the child's pages there.
    client.post(reverse("login"), {"username": world.dt.email, "password": "wrong"})
    assert client.get(reverse("voice:answers")).status_code == 200
    sign_in(client, world.dt)
    assert client.get(reverse("voice:answers"))["Location"] == reverse("voice:start")
    client.logout()
    open_code(client, code)
    services.withdraw(world.dt, invitation)
    assert client.get(reverse("voice:answers"))["Location"] == reverse("voice:start")
    # A value forged or copied into another session is refused.
    session = client.session
    session["voice"] = f'{{"i": {invitation.pk}}}'
    session.save()
    assert client.get(reverse("voice:check"))["Location"] == reverse("voice:start")


def test_a_code_opened_where_an_adult_is_signed_in_signs_them_out_on_that_device_only(world, client):
    """The adult's own laptop, the child beside them: the child's pages never have a staff page a
    click away, and the adult's other sessions go on."""
    _, code = invite(world)
    sign_in(client, world.dt)
    elsewhere = Client()
    sign_in(elsewhere, world.dt)

    page = client.get(reverse("voice:start")).content.decode()
    assert f"{world.dt.full_name} is signed in on this device" in page
    assert open_code(client, code)["Location"] == reverse("voice:answers")

    answers = client.get(reverse("voice:answers")).content.decode()
    assert f"Hello {world.child.first_name}" in answers
    assert world.dt.full_name not in answers and 'href="/children/"' not in answers
    assert client.get(reverse("children:list"))["Location"].startswith(reverse("login"))
    assert elsewhere.get(reverse("children:list")).status_code == 200


# The picture ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("drawing.png", b"MZ\x90\x00 not an image at all", "must be a PNG or JPG"),
        ("drawing.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "must be a PNG or JPG"),
        ("drawing.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "must be a PNG or JPG"),
        ("drawing.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "PNG or JPG"),
        ("big.png", png() + b"\x00" * (5 * 1024 * 1024), "smaller than 5 MB"),
    ],
)
def test_a_picture_that_is_not_a_png_or_jpeg_or_is_too_big_is_refused(name, content, message, world, client):
    _, code = invite(world)
    open_code(client, code)

    response = client.post(reverse("voice:answers"), {**ANSWERS, "picture": SimpleUploadedFile(name, content)})

    assert response.status_code == 200 and message in response.content.decode()
    assert "Football at lunch" in response.content.decode()  # what was typed is kept
    assert not Contribution.objects.exists()


def test_a_picture_is_stored_privately_and_shown_only_to_staff_who_read_section_b(world, client):
    _, code = invite(world)
    open_code(client, code)
    send(client, picture=SimpleUploadedFile("drawing.jpg", png(), content_type="image/jpeg"))
    contribution = Contribution.objects.get()
    assert contribution.picture_type == "image/png" and contribution.picture.endswith(".png")
    assert storages["documents"].open(contribution.picture).read() == png()
    url = reverse("voice:picture", args=[world.pep.pk, contribution.pk])

    assert client.get(url)["Location"].startswith(reverse("login"))
    for user, status in ((world.nobody, 404), (world.sw_other, 404), (world.iro, 200), (world.dt, 200)):
        sign_in(client, user)
        response = client.get(url)
        assert response.status_code == status, user
    assert response["Content-Type"] == "image/png" and b"".join(response.streaming_content) == png()
    # Through another PEP's address, it is not found.
    assert client.get(reverse("voice:picture", args=[world.other_pep.pk, contribution.pk])).status_code == 404


# Taking it in -----------------------------------------------------------------------------------


def test_taking_in_keeps_the_childs_words_and_never_replaces_the_adults(world, client):
    record_views(world.pep, world.dt, going_well="Settled well, says the DT")
    invitation, _ = invite(world)
    services.save_answers(invitation.pk, ANSWERS)
    contribution = services.submit(invitation.pk)

    views = services.take_in(world.dt, contribution, ["going_well", "hard", "better_at"])

    views = ChildViews.objects.get(pk=views.pk)
    assert views.going_well == "Settled well, says the DT"  # the adult's own answer stays
    assert (views.hard, views.aspirations, views.helps_me) == ("Fractions", "Spelling", "")
    assert views.took_part == TookPart.FORM
    contribution.refresh_from_db()
    assert contribution.taken == ["going_well", "hard", "better_at"] and contribution.going_well == "Football at lunch"
    with pytest.raises(ValidationError):
        services.take_in(world.dt, contribution, ["helps_me"])
    with pytest.raises(PermissionDenied):
        services.take_in(world.sw, contribution, ["helps_me"])


def test_the_contribution_page_takes_it_in_for_the_recorder_only(world, client):
    invitation, _ = invite(world)
    services.save_answers(invitation.pk, ANSWERS)
    contribution = services.submit(invitation.pk)
    url = reverse("voice:contribution", args=[world.pep.pk, contribution.pk])

    sign_in(client, world.sw)  # sees Section B, does not record it here
    assert client.get(url).status_code == 200
    assert client.post(url, {"answers": ["hard"]}).status_code == 405  # the page only reads, for them
    sign_in(client, world.dt)
    assert client.post(url, {"answers": []}).status_code == 200  # "Choose at least one"
    response = client.post(url, {"answers": ["hard", "helps_me"]})

    assert response.status_code == 302
    assert Pep.objects.get(pk=world.pep.pk).child_views.helps_me == "My reading buddy"
    whole = client.get(reverse("plans:whole", args=[world.pep.pk])).content.decode()
    assert (
        f"In {world.child.first_name}&#x27;s own words" in whole or f"In {world.child.first_name}'s own words" in whole
    )


def test_script_in_every_answer_is_escaped_on_every_page_the_pdf_and_the_api(world, client):
    invitation, code = invite(world)
    open_code(client, code)
    typed = {name: f"{SCRIPT} {name}" for name in ("going_well", "hard", "helps_me", "better_at", "who_at_meeting")}
    response = client.post(reverse("voice:answers"), {**ANSWERS, **typed})
    assert response.status_code == 302
    check = client.get(reverse("voice:check")).content.decode()
    client.post(reverse("voice:check"))
    contribution = Contribution.objects.get()
    services.take_in(world.dt, contribution, list(typed))

    sign_in(client, world.dt)
    pages = {
        "check": check,
        "contribution": client.get(
            reverse("voice:contribution", args=[world.pep.pk, contribution.pk])
        ).content.decode(),
        "whole": client.get(reverse("plans:whole", args=[world.pep.pk])).content.decode(),
        "detail": client.get(reverse("plans:detail", args=[world.pep.pk])).content.decode(),
        "invitations": client.get(reverse("voice:invitations", args=[world.pep.pk])).content.decode(),
        "pdf": pep_html(
            documents_queryset(Pep.objects.filter(pk=world.pep.pk)).get(),
            CopyKind.WHOLE,
            generated_by=world.dt,
            generated_at=timezone.now(),
        ),
    }
    for name, page in pages.items():
        assert "<script>alert" not in page, name
    for name in ("check", "contribution", "whole", "pdf"):
        assert "&lt;script&gt;alert" in pages[name] and "better_at" in pages[name], name
    assert f"In {world.child.first_name}" in pages["pdf"]


def test_the_api_shows_the_childs_own_words_marked_as_theirs(world, client):
    from openpep.api import services as api_services
    from openpep.api.enums import Scope

    invitation, _ = invite(world)
    services.save_answers(invitation.pk, ANSWERS)
    services.take_in(world.dt, services.submit(invitation.pk), ["hard"])
    _, secret = api_services.create_token(world.vs_admin, world.authority, name="MIS", scope=Scope.READ)

    found = client.get(f"/api/v1/peps/{world.pep.pk}/", HTTP_AUTHORIZATION=f"Bearer {secret}").json()

    assert found["own_words"] == [
        {
            "title": f"In {world.child.first_name}'s own words",
            "sent": found["own_words"][0]["sent"],
            "answers": [{"question": "What is hard", "name": "hard", "words": "Fractions"}],
        }
    ]
    assert found["child_views"]["took_part"] == "form"


def test_the_pages_suit_the_childs_age(world):
    pep = Pep(child=world.child, phase=Phase.STATUTORY)
    world.child.date_of_birth = datetime.date(2015, 9, 1)
    assert suggested_variant(pep, datetime.date(2026, 12, 1)) == Variant.PRIMARY  # Year 6
    world.child.date_of_birth = datetime.date(2015, 8, 31)
    assert suggested_variant(pep, datetime.date(2026, 12, 1)) == Variant.SECONDARY  # Year 7
    assert suggested_variant(Pep(child=world.child, phase=Phase.EARLY_YEARS)) == Variant.EARLY_YEARS
    assert suggested_variant(Pep(child=world.child, phase=Phase.POST_16)) == Variant.POST_16


def test_the_dashboard_reports_the_share_of_peps_with_the_childs_own_words(world, client):
    invitation, _ = invite(world)
    services.save_answers(invitation.pk, ANSWERS)
    services.take_in(world.dt, services.submit(invitation.pk), ["hard"])

    sign_in(client, world.vs)
    page = client.get(reverse("dashboards:dashboard")).content.decode()

    assert "The child&#x27;s voice" in page or "The child's voice" in page
    assert "<strong>50%</strong>" in page
    assert "By the “Have your say” form" in page
    # Each figure links to its list of children, with the dashboard's filters.
    lists = reverse("dashboards:children")
    for key, listed, left_out in (
        ("voice:own_words", [world.child], [world.other_child]),
        ("voice:peps", [world.child, world.other_child], []),
        ("voice:took_part:form", [world.child], [world.other_child]),
        ("voice:took_part:none", [world.other_child], [world.child]),
    ):
        assert f"figure={key.replace(':', '%3A')}&" in page or f'figure={key.replace(":", "%3A")}"' in page, key
        shown = client.get(lists, {"figure": key}).content.decode()
        assert all(child.full_name in shown for child in listed) and not any(
            child.full_name in shown for child in left_out
        ), key
    assert client.get(lists, {"figure": "voice:took_part:nonsense"}).status_code == 404
    # A Designated Teacher's dashboard leaves the council's measure out, and its lists are a 404.
    sign_in(client, world.dt)
    assert "child-voice" not in client.get(reverse("dashboards:dashboard")).content.decode()
    assert client.get(lists, {"figure": "voice:own_words"}).status_code == 404
