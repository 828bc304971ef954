"""A council's wording of PEP types: the Virtual School admin's page, the service, and where it shows."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openpep.audit.models import AuditEntry
from openpep.people.enums import Role
from openpep.people.models import Team
from openpep.plans import services
from openpep.plans.enums import Occasion, Phase, Status, WordingKind
from openpep.plans.models import Pep, PepTypeWording, pep_type_wording
from tests.builders import cast_of, fresh, pep_in, start
from tests.fixtures import make_child, make_user, sign_in

URL = "/admin/pep-types/"
REVIEW = (WordingKind.OCCASION, Occasion.REVIEW)
POST_16 = (WordingKind.PHASE, Phase.POST_16)


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def _form(**typed) -> dict:
    """The page's fields, blank but for ``typed`` (name: value)."""
    data = {
        f"{kind}_{value}_{part}": ""
        for kind, values in (("phase", Phase), ("occasion", Occasion))
        for value in values.values
        for part in ("label", "hint")
    }
    return data | typed


def _worded(world):
    return services.save_pep_type_wording(
        world.vs_admin,
        world.authority,
        {REVIEW: ("Review PEP (termly)", "Every term, at the school"), POST_16: ("Post-16 (Year 12 and above)", "")},
    )


def test_wording_is_national_until_the_council_words_its_own(world):
    wording = pep_type_wording(world.authority)

    assert (wording.occasion("review"), wording.phase("post_16")) == ("Termly review", "Post-16")
    assert wording.occasion_hint("review") == "Once every school term"
    assert pep_type_wording(None).title("initial", "statutory") == (
        "Initial PEP – new into care – Statutory school age (Reception to Year 11)"
    )


def test_save_sets_the_councils_labels_and_hints_and_audits_what_changed(world):
    _worded(world)

    wording = pep_type_wording(world.authority)
    assert wording.occasion("review") == "Review PEP (termly)"
    assert wording.occasion_hint("review") == "Every term, at the school"
    assert wording.phase("post_16") == "Post-16 (Year 12 and above)"
    assert (
        wording.phase_hint("post_16")
        == "Years 12 and 13, including young people not in education, employment or training"
    )
    assert wording.occasion("initial") == "Initial PEP – new into care"  # left blank: national
    entry = AuditEntry.objects.latest("id")
    assert (entry.actor, entry.verb, entry.target_type, entry.summary) == (
        world.vs_admin,
        "updated",
        "people.localauthority",
        "Changed the council's wording of PEP types",
    )
    assert entry.before == {
        "phase post_16 label": "Post-16",
        "occasion review label": "Termly review",
        "occasion review hint": "Once every school term",
    }
    assert entry.after == {
        "phase post_16 label": "Post-16 (Year 12 and above)",
        "occasion review label": "Review PEP (termly)",
        "occasion review hint": "Every term, at the school",
    }


def test_other_councils_keep_their_wording(world):
    _worded(world)

    assert pep_type_wording(world.other_authority).occasion("review") == "Termly review"
    assert PepTypeWording.objects.filter(local_authority=world.other_authority).count() == 0


def test_blanking_a_label_goes_back_to_the_national_one(world):
    _worded(world)

    services.save_pep_type_wording(world.vs_admin, world.authority, {})

    assert pep_type_wording(world.authority).occasion("review") == "Termly review"
    assert PepTypeWording.objects.count() == 0


@pytest.mark.parametrize("role", ["vs", "sw", "dt", "iro", "other_admin"])
def test_only_the_authoritys_virtual_school_admin_may_change_it(role, world):
    other_admin = make_user("vsh2@test.example", "Olu Head", Role.VS_ADMIN, local_authority=world.other_authority)
    actor = other_admin if role == "other_admin" else getattr(world, role)
    written = AuditEntry.objects.count()

    with pytest.raises(PermissionDenied):
        services.save_pep_type_wording(actor, world.authority, {REVIEW: ("Mine", "")})

    assert (PepTypeWording.objects.count(), AuditEntry.objects.count()) == (0, written)


@pytest.mark.parametrize(
    ("own", "problem"),
    [
        ({(WordingKind.OCCASION, Occasion.INTERIM): ("termly  REVIEW", "")}, "already the wording of another occasion"),
        ({REVIEW: ("Catch-up", ""), (WordingKind.OCCASION, Occasion.INTERIM): ("catch-up", "")}, "already"),
        ({REVIEW: ("x" * 61, "")}, "at most 60 characters"),
    ],
)
def test_save_refuses_labels_alike_or_too_long(own, problem, world):
    with pytest.raises(ValidationError) as refused:
        services.save_pep_type_wording(world.vs_admin, world.authority, own)

    assert problem in " ".join(refused.value.messages)
    assert PepTypeWording.objects.count() == 0


# --- the admin's page ------------------------------------------------------------------------------


def test_page_shows_each_phase_and_occasion_with_its_national_wording(world, client):
    _worded(world)
    sign_in(client, world.vs_admin)

    response = client.get(URL)

    page = _text(response)
    assert "Wording of PEP types" in page
    for label in [*Phase.labels, *Occasion.labels]:
        assert label in page
    assert "The national hint: ‘Once every school term’" in page
    assert 'value="Review PEP (termly)"' in response.content.decode()


def test_page_saves_the_councils_wording_and_another_council_is_unaffected(world, client):
    sign_in(client, world.vs_admin)

    response = client.post(URL, _form(occasion_review_label="Review PEP (termly)", occasion_review_hint="Each term"))

    assert response.status_code == 302 and response.url == URL
    assert pep_type_wording(world.authority).occasion("review") == "Review PEP (termly)"
    assert pep_type_wording(world.authority).occasion_hint("review") == "Each term"
    assert pep_type_wording(world.other_authority).occasion("review") == "Termly review"
    assert AuditEntry.objects.latest("id").actor == world.vs_admin


def test_page_refuses_two_occasions_alike_and_keeps_what_was_typed(world, client):
    sign_in(client, world.vs_admin)

    response = client.post(URL, _form(occasion_interim_label="Change of School", occasion_interim_hint="Kept"))

    page = _text(response)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "‘Change of School’ is already the wording of another occasion: ‘Change of school’" in page
    assert 'value="Change of School"' in response.content.decode() and 'value="Kept"' in response.content.decode()
    assert PepTypeWording.objects.count() == 0


def test_page_refuses_a_label_too_long(world, client):
    sign_in(client, world.vs_admin)

    response = client.post(URL, _form(phase_early_years_label="E" * 61))

    assert "The label for ‘Early Years’ must be 60 characters or fewer" in _text(response)
    assert PepTypeWording.objects.count() == 0


def test_page_escapes_the_councils_words(world, client):
    services.save_pep_type_wording(world.vs_admin, world.authority, {REVIEW: ("<b>Review</b>", "<i>hint</i>")})
    sign_in(client, world.vs_admin)

    assert "<b>Review</b>" not in client.get(URL).content.decode()
    sign_in(client, world.sw)
    pep = pep_in(cast_of(world), Status.DRAFT, occasion=Occasion.REVIEW)
    html = client.get(reverse("plans:section_a", args=[pep.pk])).content.decode()
    assert "&lt;b&gt;Review&lt;/b&gt;" in html and "<b>Review</b>" not in html and "<i>hint</i>" not in html


# --- where the wording shows -----------------------------------------------------------------------


def test_section_a_radios_carry_the_councils_labels_and_hints(world, client):
    _worded(world)
    sign_in(client, world.sw)

    page = _text(client.get(reverse("plans:start", args=[world.child.pk])))

    assert "Review PEP (termly) Every term, at the school" in page
    assert "Post-16 (Year 12 and above) Years 12 and 13, including young people" in page
    assert "Initial PEP – new into care" in page and "Termly review" not in page


def test_section_a_of_another_councils_child_keeps_the_national_wording(world, client):
    _worded(world)
    team = Team.objects.create(local_authority=world.other_authority, name="East")
    other_sw = make_user("sw3@test.example", "Ola Worker", Role.SOCIAL_WORKER, team=team)
    child = make_child(world.other_authority, other_sw, world.other_school, first="Cal", last="Away")
    sign_in(client, other_sw)

    page = _text(client.get(reverse("plans:start", args=[child.pk])))

    assert "Termly review Once every school term" in page and "Review PEP (termly)" not in page


def test_pep_page_and_section_a_show_the_councils_wording(world, client):
    _worded(world)
    pep = start(cast_of(world), occasion=Occasion.REVIEW)
    sign_in(client, world.sw)

    page = _text(client.get(reverse("plans:whole", args=[pep.pk])))

    assert "PEP: Review PEP (termly) – Statutory school age (Reception to Year 11)" in page
    assert "Occasion Review PEP (termly)" in page
    assert str(fresh(pep)).startswith("Review PEP (termly) PEP for ")


def test_child_page_lists_peps_in_the_councils_words_in_a_fixed_number_of_queries(world, client):
    _worded(world)
    pep_in(cast_of(world), Status.SIGNED_OFF, occasion=Occasion.REVIEW)
    for _ in range(2):
        pep_in(cast_of(world, world.other_child), Status.SIGNED_OFF, occasion=Occasion.REVIEW)
    start(cast_of(world, world.other_child), occasion=Occasion.INTERIM)
    sign_in(client, world.vs)
    client.get(reverse("children:list"))  # warm the session

    counts = {}
    for child, peps in ((world.child, 1), (world.other_child, 3)):
        with CaptureQueriesContext(connection) as queries:
            page = _text(client.get(reverse("children:detail", args=[child.pk])))
        assert page.count("Review PEP (termly) – Statutory school age") == min(peps, 2)
        counts[peps] = len(queries)
        assert len([q for q in queries if "plans_peptypewording" in q["sql"]]) == 1
    assert counts[1] == counts[3]


@pytest.mark.parametrize("role", ["vs", "dt"])
def test_dashboard_filters_name_the_phases_in_the_councils_words(role, world, client):
    _worded(world)
    sign_in(client, getattr(world, role))

    html = client.get(reverse("dashboards:dashboard")).content.decode()

    assert '<option value="post_16">Post-16 (Year 12 and above)</option>' in html


def test_dashboard_of_a_dt_with_children_of_two_councils_keeps_the_national_wording(world, client):
    _worded(world)
    team = Team.objects.create(local_authority=world.other_authority, name="East")
    other_sw = make_user("sw3@test.example", "Ola Worker", Role.SOCIAL_WORKER, team=team)
    make_child(world.other_authority, other_sw, world.school, first="Cal", last="Away")
    sign_in(client, world.dt)

    html = client.get(reverse("dashboards:dashboard")).content.decode()

    assert '<option value="post_16">Post-16</option>' in html


def test_the_demo_council_words_two_pep_types_its_own_way(db, demo_snapshot):
    made = demo_snapshot.load()  # as build_demo() leaves it, built once for the run (tests/fixtures.py)

    wording = pep_type_wording(made["authority"])
    assert (wording.occasion("review"), wording.phase("post_16")) == (
        "Review PEP (termly)",
        "Post-16 (Year 12 and above)",
    )
    assert wording.occasion("initial") == "Initial PEP – new into care"
    reviews = Pep.objects.filter(child__local_authority=made["authority"], occasion=Occasion.REVIEW)
    assert reviews.exists() and all(pep.title.startswith("Review PEP (termly) – ") for pep in reviews)
