"""What the API shows. Never a carer's name, a placement's address or provider, a meeting's venue
or notes (which can name where a child lives): the same line the documents draw (documents.disclosure)."""

import functools

from django.db import models
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from openpep.children.models import Child, Enrolment, Placement
from openpep.documents.disclosure import carer_names, scrub
from openpep.meetings.models import Meeting
from openpep.people.models import School
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
from openpep.voice.queries import own_words_of


class SchoolSerializer(serializers.ModelSerializer):
    class Meta:
        model = School
        fields = ["urn", "name", "phase"]


class EnrolmentSerializer(serializers.ModelSerializer):
    school = SchoolSerializer()

    class Meta:
        model = Enrolment
        fields = ["id", "school", "starts_on", "ends_on"]


class PeriodOfCareSerializer(serializers.ModelSerializer):
    """A placement's dates, legal status and type: no carer, no address, no provider."""

    class Meta:
        model = Placement
        fields = ["id", "starts_on", "ends_on", "legal_status", "placement_type"]


class ChildSerializer(serializers.ModelSerializer):
    local_authority = serializers.CharField(source="local_authority.code", read_only=True)
    enrolments = EnrolmentSerializer(many=True, read_only=True)
    periods_of_care = PeriodOfCareSerializer(source="placements", many=True, read_only=True)

    class Meta:
        model = Child
        fields = [
            "id",
            "local_authority",
            "first_name",
            "last_name",
            "date_of_birth",
            "gender",
            "upn",
            "local_id",
            "care_start_date",
            "created_at",
            "updated_at",
            "enrolments",
            "periods_of_care",
        ]


SECTION_READ_ONLY = ["lock_version", "updated_at"]


@functools.cache
def section_serializer(model: type[models.Model]) -> type[serializers.ModelSerializer]:
    """A one-per-PEP section as the API shows it: its questions (``CONTENT_FIELDS``) and its version.
    One class per model (cached), so the schema names each once."""
    meta = type(
        "Meta",
        (),
        {"model": model, "fields": [*model.CONTENT_FIELDS, *SECTION_READ_ONLY], "read_only_fields": SECTION_READ_ONLY},
    )
    return type(f"{model.__name__}Serializer", (serializers.ModelSerializer,), {"Meta": meta, "__module__": __name__})


ChildViewsSerializer = section_serializer(ChildViews)
ArrangementsSerializer = section_serializer(Arrangements)
SchoolSectionSerializer = section_serializer(SchoolSection)


class TargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Target
        fields = ["id", "pep", *Target.CONTENT_FIELDS, "continues", "created_at", "lock_version"]
        read_only_fields = ["id", "pep", "continues", "created_at", "lock_version"]


class TargetReviewSerializer(serializers.ModelSerializer):
    class Meta:
        model = TargetReview
        fields = ["id", "target", *TargetReview.CONTENT_FIELDS, "updated_at", "lock_version"]


class AttainmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attainment
        fields = ["id", *Attainment.CONTENT_FIELDS]


class DecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Decision
        fields = ["id", *Decision.CONTENT_FIELDS, "decided_at"]


class DueDatesSerializer(serializers.Serializer):
    pep_due = serializers.DateField(allow_null=True)
    views_due = serializers.DateField(allow_null=True)
    school_section_due = serializers.DateField(allow_null=True)
    submit_due = serializers.DateField(allow_null=True)


class OwnWordsAnswerSerializer(serializers.Serializer):
    question = serializers.CharField()
    name = serializers.CharField()
    words = serializers.CharField()


class OwnWordsSerializer(serializers.Serializer):
    """What the child sent with Have your say and the adult took into Section B: word for word, as theirs."""

    title = serializers.CharField(help_text="“In <first name>'s own words”")
    sent = serializers.DateTimeField()
    answers = OwnWordsAnswerSerializer(many=True)


class PepSerializer(serializers.ModelSerializer):
    school = SchoolSerializer(allow_null=True)
    child_views = serializers.SerializerMethodField()
    arrangements = serializers.SerializerMethodField()
    school_section = serializers.SerializerMethodField()
    targets = TargetSerializer(many=True)
    target_reviews = TargetReviewSerializer(many=True)
    attainment = AttainmentSerializer(many=True)
    decisions = DecisionSerializer(many=True)
    due_dates = serializers.SerializerMethodField()
    own_words = serializers.SerializerMethodField()

    class Meta:
        model = Pep
        fields = [
            "id",
            "child",
            "school",
            *Pep.CONTENT_FIELDS,
            "status",
            "version",
            "corrects",
            "created_at",
            "updated_at",
            "lock_version",
            "child_views",
            "arrangements",
            "school_section",
            "targets",
            "target_reviews",
            "attainment",
            "decisions",
            "due_dates",
            "own_words",
        ]

    def to_representation(self, pep):
        """Free text with a carer's name in it (Section C's views, say) has the name withheld."""
        return scrub(super().to_representation(pep), carer_names(pep.child.placements.all()))

    @staticmethod
    def _section(pep, name, serializer):
        section = getattr(pep, name, None)
        return serializer(section).data if section is not None else None

    @extend_schema_field(ChildViewsSerializer(allow_null=True))
    def get_child_views(self, pep):
        return self._section(pep, "child_views", ChildViewsSerializer)

    @extend_schema_field(ArrangementsSerializer(allow_null=True))
    def get_arrangements(self, pep):
        return self._section(pep, "arrangements", ArrangementsSerializer)

    @extend_schema_field(SchoolSectionSerializer(allow_null=True))
    def get_school_section(self, pep):
        return self._section(pep, "school_section", SchoolSectionSerializer)

    @extend_schema_field(OwnWordsSerializer(many=True))
    def get_own_words(self, pep):
        """Section B's answers in the child's own words (``openpep.voice``), marked as theirs."""
        return OwnWordsSerializer(own_words_of(pep), many=True).data

    @extend_schema_field(DueDatesSerializer(allow_null=True))
    def get_due_dates(self, pep):
        return self._section(pep, "clock", DueDatesSerializer)


class MeetingSerializer(serializers.ModelSerializer):
    """When and how; not where (a venue can be a carer's home) nor the notes, nor who came."""

    class Meta:
        model = Meeting
        fields = [
            "id",
            "pep",
            "held_on",
            "start_time",
            "planned_minutes",
            "venue_kind",
            "child_attending",
            "chair",
            "note_taker",
            "agreed",
            "cancelled_at",
            "updated_at",
        ]


class PersonSerializer(serializers.Serializer):
    name = serializers.CharField()
    email = serializers.EmailField()


class TaskSerializer(serializers.Serializer):
    task = serializers.CharField(help_text="What is to be done: views, school_section, submit, pep_due")
    pep = serializers.IntegerField()
    child = serializers.IntegerField()
    due_on = serializers.DateField()
    overdue = serializers.BooleanField()
    assigned_to = PersonSerializer(many=True, help_text="The staff who must do it")


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current = serializers.DictField(help_text="The version saved in the meantime, as a GET returns it")


class ErrorSerializer(serializers.Serializer):
    detail = serializers.JSONField()


class ImportResultSerializer(serializers.Serializer):
    child = serializers.IntegerField()
    created = serializers.DictField(child=serializers.IntegerField())
    skipped = serializers.DictField(child=serializers.IntegerField())
