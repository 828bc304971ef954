"""Each section model's CONTENT_FIELDS is the one list of its questions: the form, the PDF, the API and
the exchange document all take theirs from it. So a question added to a model but not to its
CONTENT_FIELDS would silently be missing from all of them: these tests fail instead."""

import pytest

from openpep.api import serializers
from openpep.api.exchange import SECTIONS
from openpep.documents import pdf
from openpep.plans import forms
from openpep.plans.enums import Phase
from openpep.plans.models import (
    Arrangements,
    Attainment,
    ChildViews,
    Decision,
    Pep,
    SchoolSection,
    Target,
    TargetReview,
)

_PART = {"id", "pep", "lock_version", "updated_by", "updated_at"}

#: The fields of each model that are not questions: keys, links, locks, who and when.
BOOKKEEPING = {
    Pep: {
        "id",
        "child",
        "school",
        "status",
        "version",
        "corrects",
        "created_by",
        "created_at",
        "updated_at",
        "lock_version",
    },
    ChildViews: _PART,
    Arrangements: _PART,
    SchoolSection: _PART,
    Target: {"id", "pep", "continues", "created_at", "lock_version"},
    TargetReview: {"id", "pep", "target", "updated_at", "lock_version"},
    Attainment: {"id", "pep"},
    Decision: {"id", "pep", "decided_by", "decided_at"},
}


@pytest.mark.parametrize("model", BOOKKEEPING, ids=lambda model: model.__name__)
def test_content_fields_are_every_concrete_field_but_the_bookkeeping(model):
    concrete = {field.name for field in model._meta.get_fields() if field.concrete}
    assert BOOKKEEPING[model] <= concrete, "a bookkeeping field named here is no longer on the model"
    missing = concrete - BOOKKEEPING[model] - set(model.CONTENT_FIELDS)
    assert not missing, f"add {sorted(missing)} to {model.__name__}.CONTENT_FIELDS (or, if not a question, here)"
    assert set(model.CONTENT_FIELDS) <= concrete
    assert len(set(model.CONTENT_FIELDS)) == len(model.CONTENT_FIELDS)


@pytest.mark.parametrize("phase", Phase)
def test_every_phase_asks_each_school_question_once(phase):
    asked = SchoolSection.fields_for_phase(phase)
    others = {name for p, names in SchoolSection.PHASE_FIELDS.items() if p != phase for name in names}
    assert sorted(asked) == sorted(set(SchoolSection.CONTENT_FIELDS) - others)


def test_the_forms_ask_every_question():
    # Section D's next meeting is asked as a date and a time, combined into next_meeting_at.
    asked = {
        Pep: forms.PepTypeForm.base_fields,
        ChildViews: forms.ChildViewsForm.base_fields,
        Arrangements: forms.ArrangementsForm.base_fields,
        SchoolSection: {*forms.SchoolSectionForm.base_fields, "next_meeting_at"},
        Target: forms.TargetForm.base_fields,
        TargetReview: forms.TargetReviewForm.base_fields,
        Attainment: forms.AttainmentForm.base_fields,
    }
    for model, fields in asked.items():
        assert set(model.CONTENT_FIELDS) <= set(fields), model.__name__


def test_the_api_returns_every_question():
    for model, serializer in (
        (Pep, serializers.PepSerializer),
        (ChildViews, serializers.ChildViewsSerializer),
        (Arrangements, serializers.ArrangementsSerializer),
        (SchoolSection, serializers.SchoolSectionSerializer),
        (Target, serializers.TargetSerializer),
        (TargetReview, serializers.TargetReviewSerializer),
        (Attainment, serializers.AttainmentSerializer),
        (Decision, serializers.DecisionSerializer),
    ):
        assert set(model.CONTENT_FIELDS) <= set(serializer.Meta.fields), model.__name__


def test_the_exchange_document_and_the_pdf_take_every_question():
    assert {model for _, model in SECTIONS} == {ChildViews, Arrangements, SchoolSection}
    # A target's outcome is the heading above its rows in the PDF.
    assert {*pdf.TARGET_FIELDS, "outcome"} == set(Target.CONTENT_FIELDS)
