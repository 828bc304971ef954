from django import forms
from django.utils import timezone

from openpep.children.enums import COHORT_CHOICES, KINDS_OF, Cohort, CohortKind, FromWhere
from openpep.children.models import CohortMembership
from openpep.forms import GovukForm, GovukModelForm, date_field, yes_no_field

from .enums import Band, GivenTo, How
from .models import CaseworkEntry, CaseworkTopic, CohortSettings


class RegisterFilterForm(GovukForm):
    """The register's filters, sent by GET: every field optional, a wrong value is ignored (no filter)."""

    cohort = forms.ChoiceField(label="Cohort", required=False, choices=[("", "Every cohort"), *COHORT_CHOICES])
    school = forms.TypedChoiceField(label="School today", required=False, coerce=int, empty_value=None)
    year = forms.TypedChoiceField(
        label="Year group",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Every year group"), *[(y, "Reception" if y == 0 else f"Year {y}") for y in range(0, 14)]],
    )
    band = forms.ChoiceField(label="Attendance this year", required=False, choices=[("", "Any"), *Band.choices])
    warnings = forms.BooleanField(label="Only children with early warnings not acknowledged", required=False)

    EVERY = {"cohort": "Every cohort", "school": "Every school", "year": "Every year group", "band": "Any"}

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].choices = [(s.pk, s.name) for s in schools]
        # Drop-downs with a choice of no filter, not the radios the GOV.UK mixin makes of short lists.
        for name, every in self.EVERY.items():
            field = self.fields[name]
            options = [(value, text) for value, text in field.choices if value != ""]
            field.widget = forms.Select()
            field.choices = [("", every), *options]


class MembershipForm(GovukModelForm):
    starts_on = date_field("Start date", help_text="The date of the order, or the plan's start. For example, 27 3 2024")
    ends_on = date_field("End date", required=False, help_text="Leave blank while it lasts")

    class Meta:
        model = CohortMembership
        fields = ["cohort", "kind", "starts_on", "ends_on", "from_where"]
        widgets = {"cohort": forms.RadioSelect, "kind": forms.RadioSelect, "from_where": forms.RadioSelect}
        labels = {"kind": "Order or plan"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].choices = Cohort.choices
        self.fields["kind"].choices = CohortKind.choices
        self.fields["kind"].help_text = "; ".join(
            f"{Cohort(c).label}: {', '.join(str(k.label).lower() for k in kinds)}" for c, kinds in KINDS_OF.items()
        )
        self.fields["from_where"].choices = [("", "Not previously looked after"), *FromWhere.choices]
        self.fields["from_where"].required = False


class EndMembershipForm(GovukForm):
    ends_on = date_field("End date")

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.membership = membership

    def clean_ends_on(self):
        ends_on = self.cleaned_data["ends_on"]
        if ends_on is not None and ends_on < self.membership.starts_on:
            raise forms.ValidationError(f"The end date must be on or after {self.membership.starts_on:%-d %B %Y}")
        return ends_on


class CaseworkForm(GovukModelForm):
    given_on = date_field("Date the advice was given")
    follow_up_on = date_field(
        "Follow-up date", required=False, help_text="Optional. It goes on your task list. For example, 27 3 2027"
    )
    shared_with_school = yes_no_field(
        "Share with the Designated Teacher of the child's school?",
        help_text="They see the date, to whom, how, the topic and the notes",
    )

    class Meta:
        model = CaseworkEntry
        fields = ["given_on", "given_to", "how", "topic", "notes", "follow_up_on", "shared_with_school"]
        widgets = {
            "given_to": forms.RadioSelect,
            "how": forms.RadioSelect,
            "topic": forms.RadioSelect,
            "notes": forms.Textarea(attrs={"rows": 5}),
        }
        labels = {"given_to": "Given to", "how": "How it was given", "topic": "Topic"}

    def __init__(self, *args, authority_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = CaseworkTopic.objects.filter(local_authority_id=authority_id, active=True)
        self.fields["topic"].empty_label = None
        self.fields["given_to"].choices = GivenTo.choices
        self.fields["how"].choices = How.choices

    def clean_given_on(self):
        given_on = self.cleaned_data["given_on"]
        if given_on is not None and given_on > timezone.localdate():
            raise forms.ValidationError("The date the advice was given must be today or in the past")
        return given_on

    def clean(self):
        cleaned = super().clean()
        given_on, follow_up_on = cleaned.get("given_on"), cleaned.get("follow_up_on")
        if given_on and follow_up_on and follow_up_on < given_on:
            self.add_error("follow_up_on", "The follow-up date must be on or after the date the advice was given")
        return cleaned


class SettingsForm(GovukModelForm):
    share_with_schools = yes_no_field(
        "Show the wider cohort to Designated Teachers?",
        help_text=CohortSettings._meta.get_field("share_with_schools").help_text,
    )

    class Meta:
        model = CohortSettings
        fields = ["share_with_schools"]


class TopicForm(GovukModelForm):
    active = yes_no_field(
        "Is the topic in use?", help_text="A topic no longer in use stays on the advice given under it"
    )

    class Meta:
        model = CaseworkTopic
        fields = ["name", "active"]
        labels = {"name": "Topic"}
