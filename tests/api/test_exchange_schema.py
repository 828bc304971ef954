"""The published JSON Schema of the exchange document stays true to the models it describes."""

from openpep.api import exchange
from openpep.children.enums import Gender
from openpep.people.enums import SchoolPhase
from openpep.plans.enums import DecisionOutcome, Occasion, Phase, Status, ViewsRecordedBy
from openpep.plans.models import Attainment, Decision, Pep, Target, TargetReview


def test_the_schema_names_every_exported_field_and_choice():
    schema = exchange.schema()
    pep = schema["properties"]["peps"]["items"]["properties"]
    assert pep["status"]["enum"] == Status.values
    assert pep["phase"]["enum"] == Phase.values
    assert pep["occasion"]["enum"] == Occasion.values
    assert pep["views_recorded_by"]["enum"] == ViewsRecordedBy.values
    assert pep["decisions"]["items"]["properties"]["outcome"]["enum"] == DecisionOutcome.values
    assert pep["school"]["properties"]["phase"]["enum"] == SchoolPhase.values
    assert schema["properties"]["child"]["properties"]["gender"]["enum"] == Gender.values
    for name, model in exchange.SECTIONS:
        fields = list(model.CONTENT_FIELDS)
        assert list(pep[name]["properties"]) == fields
        for field in fields:
            choices = model._meta.get_field(field).choices
            if choices:
                assert set(pep[name]["properties"][field]["enum"]) >= {value for value, _ in choices}, field
    assert set(Pep.CONTENT_FIELDS) <= set(pep)
    for name, model in (
        ("targets", Target),
        ("target_reviews", TargetReview),
        ("attainment", Attainment),
        ("decisions", Decision),
    ):
        # Every question is in the schema, and required: the import takes it.
        assert set(model.CONTENT_FIELDS) <= set(pep[name]["items"]["properties"]), name
        assert set(model.CONTENT_FIELDS) <= set(pep[name]["items"]["required"]), name
