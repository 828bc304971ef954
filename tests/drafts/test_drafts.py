"""Drafts: nothing typed into a PEP section is lost when the session runs out, with or without
JavaScript; only its owner sees a draft; saving or discarding it ends it. Through the test client."""

import datetime
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from openpep.audit.models import AuditEntry
from openpep.drafts import services
from openpep.drafts.models import Draft
from openpep.people.enums import Role
from openpep.plans.enums import ViewsRecordedBy
from openpep.plans.models import ChildViews
from openpep.session_limits import LAST_SEEN_AT
from tests.builders import cast_of, record_views, start
from tests.fixtures import make_user, sign_in

TYPED = "Drawing with my friend Sam at lunchtime"


@pytest.fixture
def pep(world):
    """world.child's draft PEP, whose Section B the school (world.dt) records."""
    return start(cast_of(world), views_recorded_by=ViewsRecordedBy.SCHOOL)


def _views_url(pep):
    return reverse("plans:section_b", args=[pep.pk])


def _form(lock_version="", **changes):
    return {
        "going_well": TYPED,
        "hard": "",
        "helps_me": "",
        "aspirations": "",
        "who_at_meeting": "",
        "how_gathered": "own_words",
        "gathered_note": "",
        "lock_version": lock_version,
    } | changes


def _idle_for(client, seconds):
    client.get("/children/")  # the session's clock starts
    session = client.session
    session[LAST_SEEN_AT] = time.time() - seconds
    session.save()


def _entries(verb):
    return list(AuditEntry.objects.filter(target_type="drafts.draft", verb=verb))


def test_without_javascript_an_expired_sessions_post_is_kept_and_offered_after_signing_in(world, client, pep):
    sign_in(client, world.dt)
    url = _views_url(pep)
    assert client.get(url).status_code == 200
    _idle_for(client, 31 * 60)

    response = client.post(url, _form())

    # Signed out, back to this form after signing in; nothing saved to the PEP, everything kept.
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    assert not ChildViews.objects.filter(pep=pep).exists()
    draft = Draft.objects.get()
    assert (draft.owner, draft.pep, draft.path) == (world.dt, pep, url)
    assert draft.data["going_well"] == [TYPED] and "csrfmiddlewaretoken" not in draft.data
    [entry] = _entries("created")
    assert (entry.actor, entry.child_id, entry.pep_id) == (world.dt, world.child.pk, pep.pk)
    assert TYPED not in str(entry.summary) + str(entry.after)  # the audit says a draft was kept, not what
    assert "We kept what you had typed" in client.get(response["Location"]).content.decode()

    sign_in(client, world.dt)
    page = client.get(url).content.decode()

    assert "We kept what you typed at" in page
    assert TYPED in page
    assert "There is a problem" not in page  # shown as typed, not validated until it is saved

    response = client.post(url, _form())
    assert response.status_code == 302
    assert ChildViews.objects.get(pep=pep).going_well == TYPED
    assert not Draft.objects.exists()
    assert len(_entries("deleted")) == 1
    assert "We kept what you typed" not in client.get(url).content.decode()


def test_when_someone_saved_in_between_the_draft_meets_the_conflict_page(world, client, pep):
    views = record_views(pep, world.dt, going_well="Football club on Tuesdays")
    sign_in(client, world.dt)
    url = _views_url(pep)
    _idle_for(client, 31 * 60)
    client.post(url, _form(lock_version=views.lock_version))  # kept, opened on version 1

    # Meanwhile the section is saved elsewhere (the DT's other tab), to version 2.
    views.going_well = "Football club on Tuesdays and Thursdays"
    from openpep.plans import services as plan_services
    from openpep.plans.enums import Section

    plan_services.save_section(world.dt, pep, views, section=Section.B, expected_version=1)

    sign_in(client, world.dt)
    draft_page = client.get(url).content.decode()
    assert TYPED in draft_page and 'name="lock_version" value="1"' in draft_page

    response = client.post(url, _form(lock_version="1"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Their saved version" in page and "Football club on Tuesdays and Thursdays" in page
    assert TYPED in page  # theirs beside what was typed: nothing lost
    assert ChildViews.objects.get(pep=pep).going_well == "Football club on Tuesdays and Thursdays"
    assert Draft.objects.exists()  # still kept until it is saved


def test_a_draft_is_seen_by_its_owner_only(world, client, pep):
    services.keep(world.dt, _views_url(pep), _query(_form()))
    colleague = make_user("dt2@oak.example", "Dee Colleague", Role.DESIGNATED_TEACHER, school=world.school)

    sign_in(client, colleague)
    page = client.get(_views_url(pep)).content.decode()

    assert "We kept what you typed" not in page and TYPED not in page
    assert services.draft_for(colleague, _views_url(pep)) is None


def test_discarding_a_draft_deletes_it_audited(world, client, pep):
    url = _views_url(pep)
    services.keep(world.dt, url, _query(_form()))
    sign_in(client, world.dt)

    response = client.post(reverse("drafts:discard"), {"path": url})

    assert response.status_code == 302 and response["Location"] == url
    assert not Draft.objects.exists()
    [entry] = _entries("deleted")
    assert entry.actor == world.dt and "discarded" in entry.summary
    assert TYPED not in client.get(url).content.decode()


def test_autosave_keeps_what_is_typed_for_whoever_may_edit_the_section(world, client, pep):
    url = _views_url(pep)
    sign_in(client, world.dt)

    response = client.post(reverse("drafts:autosave"), _form() | {"path": url})
    assert response.status_code == 200
    client.post(reverse("drafts:autosave"), _form(going_well="Drawing, and now football") | {"path": url})

    draft = Draft.objects.get()
    assert draft.data["going_well"] == ["Drawing, and now football"] and "path" not in draft.data
    assert [e.verb for e in AuditEntry.objects.filter(target_type="drafts.draft").order_by("id")] == [
        "created",
        "updated",
    ]


@pytest.mark.parametrize(
    ("who", "path", "status"),
    [
        ("sw", "views", 403),  # sees the PEP, but the school records this child's views
        ("dt_other", "views", 404),  # does not see the PEP at all
        ("dt", "/children/", 404),  # not a form that keeps drafts
        ("dt", "/no/such/page/", 404),
    ],
)
def test_autosave_refuses_what_the_person_may_not_edit(world, client, pep, who, path, status):
    sign_in(client, getattr(world, who))
    path = _views_url(pep) if path == "views" else path

    assert client.post(reverse("drafts:autosave"), _form() | {"path": path}).status_code == status
    assert not Draft.objects.exists()


def test_an_expired_session_keeps_nothing_for_a_form_the_person_may_not_edit(world, client, pep):
    sign_in(client, world.sw)
    _idle_for(client, 31 * 60)

    client.post(_views_url(pep), _form())

    assert not Draft.objects.exists()
    assert "_auth_user_id" not in client.session


def test_drafts_expire_after_the_configured_days(world, client, pep, settings):
    settings.DRAFT_DAYS = 14
    url = _views_url(pep)
    draft = services.keep(world.dt, url, _query(_form()))
    Draft.objects.filter(pk=draft.pk).update(saved_at=timezone.now() - datetime.timedelta(days=15))

    assert services.draft_for(world.dt, url) is None
    sign_in(client, world.dt)
    assert TYPED not in client.get(url).content.decode()

    assert services.purge_expired() == 1
    assert not Draft.objects.exists()
    [entry] = _entries("deleted")
    assert entry.actor is None and "older than 14 days" in entry.summary


def test_a_draft_of_the_meeting_record_is_kept_too(world, client, pep):
    url = reverse("meetings:edit", args=[pep.pk])
    sign_in(client, world.sw)

    assert client.post(reverse("drafts:autosave"), {"path": url, "notes": "Amira chose the targets"}).status_code == 200
    assert "Amira chose the targets" in client.get(url).content.decode()


def _query(data):
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    for name, value in data.items():
        query[name] = value
    return query


def test_a_draft_the_same_as_what_is_saved_is_let_go(world, client, pep):
    """An autosave that lands just after the section was saved offers nothing to restore."""
    record_views(pep, world.dt, going_well=TYPED)
    url = _views_url(pep)
    services.keep(world.dt, url, _query(_form(lock_version="1")))
    sign_in(client, world.dt)

    page = client.get(url).content.decode()

    assert "We kept what you typed" not in page
    assert not Draft.objects.exists()
