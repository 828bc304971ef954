"""Free text at its limit and one past it (issue 15, point 2).

Every free-text field is found from the code — every CharField and TextField of the project's
models, every form's CharField, every API serializer's writable text field — and fails here if it
has no limit. The PEP's forms and the API's writes are then posted with each text field at its
limit (saved exactly) and one character past it (refused with GOV.UK's message, what was typed
still in the form, nothing saved)."""

import importlib
import inspect
import json
import pkgutil
import re

import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from rest_framework import serializers as drf

import openpep
from openpep.api import serializers as api_serializers
from openpep.meetings.models import Meeting
from openpep.plans.enums import Occasion, Status
from openpep.plans.models import Arrangements, Attainment, ChildViews, SchoolSection, Target, TargetReview
from openpep.text_limits import BoundedTextField
from tests.api.conftest import bearer
from tests.builders import add_target, cast_of, pep_in, record_meeting, start
from tests.fixtures import sign_in

# A character that is two bytes in UTF-8: a limit counts characters, not bytes.
FILL = "é"


def text_of(length: int, start: str = "") -> str:
    return start + FILL * (length - len(start))


def too_long(label: str, limit: int) -> str:
    return f"{label} must be {limit:,} characters or fewer"


# --- every free-text field has a limit ---------------------------------------------------------


def project_models():
    return [m for m in apps.get_models() if m.__module__.startswith("openpep.")]


def project_forms():
    found = set()
    for module_info in pkgutil.walk_packages(openpep.__path__, "openpep."):
        if not module_info.name.endswith(("forms", "forms_auth")):
            continue
        module = importlib.import_module(module_info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__.startswith("openpep."):
                found.add(cls)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__name__}")


def test_every_text_field_of_every_model_has_a_limit(tally):
    text_fields = [
        (model, field)
        for model in project_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.CharField | models.TextField)
    ]

    unlimited = [f"{m.__name__}.{f.name}" for m, f in text_fields if not f.max_length]
    unenforced = [
        f"{m.__name__}.{f.name}"
        for m, f in text_fields
        if isinstance(f, models.TextField) and not isinstance(f, BoundedTextField)
    ]

    assert unlimited == []
    assert unenforced == []  # a TextField's max_length is enforced only by BoundedTextField
    assert len(text_fields) > 100
    tally("model text fields with a limit", len(text_fields))


def _fields_of(form_class):
    # As built for a page where the form needs nothing to be built (some set limits in __init__).
    for args in ((), (None,)):  # Django's password forms take the user first
        try:
            return form_class(*args).fields
        except (TypeError, ValueError):  # needs arguments, or is a base without a model
            continue
    return form_class.base_fields


def test_every_form_text_field_has_a_limit(tally):
    checked, unlimited = 0, []
    for form_class in project_forms():
        for name, field in _fields_of(form_class).items():
            if isinstance(field, forms.CharField) and not field.widget.is_hidden:
                checked += 1
                if not field.max_length:
                    unlimited.append(f"{form_class.__name__}.{name}")

    assert unlimited == []
    assert checked > 50
    tally("form text fields with a limit", checked)


def writing_serializers():
    """The serializers of every API view that writes (PUT, PATCH or POST)."""
    from rest_framework.views import APIView

    from openpep.api import urls

    found = set()
    for pattern in urls.urlpatterns:
        view = getattr(pattern.callback, "view_class", None)
        if view is None or not issubclass(view, APIView):
            continue
        if any(hasattr(view, method) for method in ("put", "patch", "post")):
            found.add(getattr(view, "serializer_class", None))
    return sorted((s for s in found if s is not None), key=lambda s: s.__name__)


def test_every_writable_api_text_field_has_a_limit(tally):
    checked, unlimited = 0, []
    for serializer in writing_serializers():
        for name, field in serializer().fields.items():
            if isinstance(field, drf.CharField) and not field.read_only:
                checked += 1
                if field.max_length is None:
                    unlimited.append(f"{serializer.__name__}.{name}")

    assert unlimited == [], "a writable API text field without max_length"
    assert checked > 20
    tally("API text fields with a limit", checked)


def test_every_bounded_text_field_refuses_one_past_its_limit_in_the_model(tally):
    fields = [
        (model, field)
        for model in project_models()
        for field in model._meta.get_fields()
        if isinstance(field, BoundedTextField)
    ]
    for model, field in fields:
        instance = model()
        field.clean(text_of(field.max_length), instance)  # at the limit: no error
        with pytest.raises(ValidationError):
            field.clean(text_of(field.max_length + 1), instance)
        setattr(instance, field.attname, text_of(field.max_length + 1))
        with pytest.raises(ValidationError):  # what every save() runs, with or without full_clean
            field.pre_save(instance, add=True)
    assert len(fields) > 35
    tally("model text fields refused one past the limit", len(fields))


def test_a_service_saving_without_full_clean_cannot_store_text_past_its_limit(world):
    from openpep.plans import services
    from openpep.plans.enums import Section

    pep = start(cast_of(world))
    views = ChildViews(pep=pep, going_well=text_of(4_001), how_gathered="own_words")

    with pytest.raises(ValidationError) as refused:
        services.save_section(world.dt, pep, views, section=Section.B, expected_version=None)

    assert refused.value.message_dict == {"going_well": [too_long("What is going well", 4_000)]}
    assert ChildViews.objects.filter(pep=pep).exists() is False


def test_a_label_of_the_councils_own_words_is_said_as_it_is_in_the_message():
    from openpep.forms import GovukForm

    class Feedback(GovukForm):
        # A council's criterion may say "95%", and its title is escaped markup in a label.
        feedback = forms.CharField(label="Feedback on ‘Attendance &amp; 95%’", max_length=10, widget=forms.Textarea)

    form = Feedback(data={"feedback": text_of(11)})

    assert form.errors == {"feedback": ["Feedback on ‘Attendance & 95%’ must be 10 characters or fewer"]}


def test_a_textarea_a_form_adds_after_it_is_built_is_a_character_count_too():
    from django.template import Context, Template

    from openpep.forms import GovukForm

    class Review(GovukForm):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            # As the QA review adds a feedback box per criterion of the council's rubric.
            self.fields["feedback"] = forms.CharField(label="Feedback", max_length=10, widget=forms.Textarea)

    form = Review(data={"feedback": text_of(11)})
    page = Template("{% load crispy_forms_tags %}{% crispy form %}").render(Context({"form": form}))

    assert form.errors == {"feedback": ["Feedback must be 10 characters or fewer"]}
    assert 'data-module="govuk-character-count" data-maxlength="10"' in page
    assert f">\n{text_of(11)}</textarea>" in page
    assert re.search("<textarea[^>]* maxlength=", page) is None


# --- the forms, at the limit and one past it ---------------------------------------------------

DATE = {"_0": "17", "_1": "7", "_2": "2027"}


def _date(name):
    return {f"{name}{suffix}": value for suffix, value in DATE.items()}


def _version(model, **lookup):
    row = model.objects.filter(**lookup).first()
    return "" if row is None else str(row.lock_version)


def _form_cases(world):
    """(what, who, url, base data, the rows it writes, a function giving the lock version)."""
    cast = cast_of(world)
    pep_in(cast, Status.SIGNED_OFF)  # its target is reviewed in the next
    draft = review_pep = start(cast, occasion=Occasion.REVIEW)
    review = TargetReview.objects.get(pep=review_pep)
    record_meeting(draft, cast.sw)
    target = add_target(draft, cast.dt)
    return [
        (
            "Section B",
            cast.dt,
            reverse("plans:section_b", args=[draft.pk]),
            {"going_well": "Reading", "how_gathered": "own_words"},
            ChildViews.objects.filter(pep=draft),
            lambda: _version(ChildViews, pep=draft),
        ),
        (
            "Section C",
            cast.sw,
            reverse("plans:section_c", args=[draft.pk]),
            {"setting": "Year 6", "full_time": "True", "carer_views": "Settled"},
            Arrangements.objects.filter(pep=draft),
            lambda: _version(Arrangements, pep=draft),
        ),
        (
            "Section D",
            cast.dt,
            reverse("plans:section_d", args=[draft.pk]),
            {
                "sen_status": "N",
                "education_story": "Joined in Year 4",
                "suspensions": "0",
                "suspension_days": "0",
                "permanent_exclusions": "0",
            },
            SchoolSection.objects.filter(pep=draft),
            lambda: _version(SchoolSection, pep=draft),
        ),
        (
            "a new target",
            cast.dt,
            reverse("plans:target_add", args=[draft.pk]),
            {
                "outcome": "I will read each week",
                "area": "reading",
                "success_measure": "Reading log",
                "actions": "Phonics",
                "who": "Class teacher",
                **_date("by_when"),
            },
            Target.objects.filter(pep=draft).exclude(pk=target.pk),
            lambda: "",
        ),
        (
            "a target",
            cast.dt,
            reverse("plans:target_edit", args=[draft.pk, target.pk]),
            {
                "outcome": "I will read each week",
                "area": "reading",
                "success_measure": "Reading log",
                "actions": "Phonics",
                "who": "Class teacher",
                **_date("by_when"),
            },
            Target.objects.filter(pk=target.pk),
            lambda: _version(Target, pk=target.pk),
        ),
        (
            "a review of a previous target",
            cast.dt,
            reverse("plans:review_edit", args=[review_pep.pk, review.pk]),
            {"rating": "achieved", "evidence": "Reading age up"},
            TargetReview.objects.filter(pk=review.pk),
            lambda: _version(TargetReview, pk=review.pk),
        ),
        (
            "attainment",
            cast.dt,
            reverse("plans:attainment_add", args=[draft.pk]),
            {"subject": "Reading", "current": "WTS", "expected": "EXS", "note": ""},
            Attainment.objects.filter(pep=draft),
            lambda: "",
        ),
        (
            "the meeting record",
            cast.sw,
            reverse("meetings:edit", args=[draft.pk]),
            {
                **{f"held_on{s}": v for s, v in {"_0": "4", "_1": "2", "_2": "2026"}.items()},
                "start_time": "09:30",
                "planned_minutes": "60",
                "venue": "Oak Primary",
                "chair": "Sam Worker",
                "note_taker": "Dee Teacher",
                "notes": "",
                "agreed": "True",
            },
            Meeting.objects.filter(pep=draft),
            lambda: _version(Meeting, pep=draft),
        ),
    ]


def _text_fields(form):
    """The form's free-text fields as the page builds them (some are choices at run time)."""
    return {
        name: field
        for name, field in form.fields.items()
        if type(field) is forms.CharField and not field.widget.is_hidden and field.max_length
    }


def _with_valid_choices(base, form):
    """``base`` with each choice the page offers differently (attainment's scale follows the
    child's phase) set to the first it does offer."""
    data = dict(base)
    for name, field in form.fields.items():
        choices = [str(value) for value, _ in getattr(field, "choices", []) if value != ""]
        if name in data and choices and data[name] not in choices:
            data[name] = choices[0]
    return data


def _snapshot(rows):
    return sorted(rows.values_list(), key=str)


def test_every_pep_form_takes_text_at_its_limit_and_refuses_one_past_it(world, client, tally):
    at_limit = past_limit = 0
    for what, who, url, base, rows, version in _form_cases(world):
        sign_in(client, who)
        form = client.get(url).context["form"]
        fields = _text_fields(form)
        base = _with_valid_choices(base, form)
        assert fields, what
        for name, field in fields.items():
            limit = field.max_length
            start_with = "I will " if name == "outcome" else ""

            typed = text_of(limit + 1, start_with)
            before = _snapshot(rows)
            response = client.post(url, {**base, name: typed, "lock_version": version()})
            page = response.content.decode()
            label = str(field.label)
            assert response.status_code == 200, (what, name)
            assert response.context["form"].errors[name] == [too_long(label, limit)], (what, name)
            assert 'class="govuk-error-summary"' in page
            assert typed in page, (what, name)  # what was typed is kept
            assert _snapshot(rows) == before, (what, name)  # nothing saved
            past_limit += 1

            value = text_of(limit, start_with)
            response = client.post(url, {**base, name: value, "lock_version": version()})
            assert response.status_code == 302, (what, name, response.context and response.context["form"].errors)
            assert rows.filter(**{name: value}).count() == 1, (what, name)
            if not version():  # a form that adds a row: take it away, so the next is new again
                rows.filter(**{name: value}).delete()
            at_limit += 1
    tally("form text fields posted at their limit", at_limit)
    tally("form text fields posted one past their limit", past_limit)


def test_a_textarea_is_a_character_count_saying_its_limit_without_javascript(world, client):
    pep = start(cast_of(world))
    sign_in(client, world.dt)

    page = client.get(reverse("plans:section_b", args=[pep.pk])).content.decode()

    assert 'data-module="govuk-character-count" data-maxlength="4000"' in page
    assert 'aria-describedby="id_going_well-info"' in page
    assert "You can enter up to 4000 characters" in page
    assert re.search("<textarea[^>]* maxlength=", page) is None  # the browser would cut a paste short


# --- the API, at the limit and one past it -----------------------------------------------------


def _patch(client, url, body, secret, version):
    return client.patch(
        url, json.dumps(body), content_type="application/json", HTTP_IF_MATCH=f'"{version}"', **bearer(secret)
    )


def test_every_api_write_takes_text_at_its_limit_and_refuses_one_past_it(world, token, client, tally):
    cast = cast_of(world)
    pep = start(cast)
    from tests.builders import complete_section_c, complete_section_d, record_views

    record_views(pep, cast.dt)
    complete_section_c(pep, cast.sw)
    complete_section_d(pep, cast.dt)
    target = add_target(pep, cast.dt)
    at = f"/api/v1/peps/{pep.pk}"
    cases = [
        (f"{at}/child-views/", api_serializers.ChildViewsSerializer, ChildViews, {"pep": pep}),
        (f"{at}/arrangements/", api_serializers.ArrangementsSerializer, Arrangements, {"pep": pep}),
        (f"{at}/school-section/", api_serializers.SchoolSectionSerializer, SchoolSection, {"pep": pep}),
        (f"{at}/targets/{target.pk}/", api_serializers.TargetSerializer, Target, {"pk": target.pk}),
    ]
    at_limit = past_limit = 0
    for url, serializer, model, lookup in cases:
        for name, field in serializer().fields.items():
            if not isinstance(field, drf.CharField) or field.read_only or isinstance(field, drf.ChoiceField):
                continue
            limit = field.max_length
            start_with = "I will " if name == "outcome" else ""
            row = model.objects.get(**lookup)

            response = _patch(client, url, {name: text_of(limit + 1, start_with)}, token, row.lock_version)
            assert response.status_code == 400, (url, name)
            assert response.json() == {"detail": {name: [f"Ensure this field has no more than {limit} characters."]}}
            assert model.objects.get(**lookup).lock_version == row.lock_version  # nothing written
            assert getattr(model.objects.get(**lookup), name) == getattr(row, name)
            past_limit += 1

            value = text_of(limit, start_with)
            response = _patch(client, url, {name: value}, token, row.lock_version)
            assert response.status_code == 200, (url, name, response.content[:300])
            assert getattr(model.objects.get(**lookup), name) == value
            at_limit += 1
    assert at_limit > 20
    tally("API text fields written at their limit", at_limit)
    tally("API text fields written one past their limit", past_limit)


@pytest.fixture
def token(world) -> str:
    from openpep.api import services
    from openpep.api.enums import Scope

    _, secret = services.create_token(world.vs_admin, world.authority, name="Case system", scope=Scope.READ_WRITE)
    return secret


# --- the exchange document: what an import takes, at the limit and one past it -----------------


def _exchange_text_properties():
    """(model, field, the schema's property) for every text of a PEP the import writes."""
    from openpep.api import exchange

    pep = exchange.schema()["properties"]["peps"]["items"]["properties"]
    parts = [(model, pep[name]["properties"]) for name, model in exchange.SECTIONS]
    parts += [
        (model, pep[name]["items"]["properties"])
        for name, model in (("targets", Target), ("target_reviews", TargetReview), ("attainment", Attainment))
    ]
    return [
        (model, model._meta.get_field(name), prop)
        for model, properties in parts
        for name, prop in properties.items()
        if isinstance(model._meta.get_field(name), models.CharField | models.TextField)
        and not model._meta.get_field(name).choices
    ]


def test_the_exchange_schema_limits_every_text_an_import_writes(tally):
    found = _exchange_text_properties()

    wrong = [f"{m.__name__}.{f.name}" for m, f, prop in found if prop.get("maxLength") != f.max_length]

    assert wrong == []
    assert len(found) > 30
    tally("exchange document texts with a limit", len(found))


def test_an_exchange_document_one_past_a_limit_is_refused_before_anything_is_written(world, client, tally):
    from openpep.api import exchange, services
    from openpep.api.enums import Scope
    from openpep.children.models import Child
    from tests.builders import record_views

    pep = start(cast_of(world))
    record_views(pep, world.dt)
    _, secret = services.create_token(world.vs_admin, world.other_authority, name="New council", scope=Scope.READ_WRITE)
    document = exchange.export_history(world.child)
    document["peps"][0]["child_views"]["going_well"] = text_of(4_001)

    response = client.post(
        "/api/v1/exchange/import/", json.dumps(document), content_type="application/json", **bearer(secret)
    )

    assert response.status_code == 400
    assert [p for p in response.json()["detail"] if "going_well" in p] == [
        f"peps/0/child_views/going_well: '{text_of(4_001)}' is too long"
    ]
    assert Child.objects.filter(local_authority=world.other_authority).exists() is False
    tally("exchange document texts posted one past their limit")
