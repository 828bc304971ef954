from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from openpep.children.enums import COHORT_CHOICES, KINDS_OF, Cohort, CohortKind, FromWhere
from openpep.children.models import Child, CohortMembership, validate_upn
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


#: A council's children with a social worker over six years are tens of thousands of lines: a few megabytes.
MAX_UPLOAD_BYTES = 10_000_000


class CohortImportForm(GovukForm):
    """The wider cohort's two files, on one page: which file it is, the file, and whether only to check it."""

    which = forms.ChoiceField(
        label="Which file is it?",
        choices=[
            ("cin", "Children with a social worker (shaped like the Children in Need census)"),
            ("orders", "Children in kinship care or previously looked after (their orders)"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select which file it is", "invalid_choice": "Select which file it is"},
    )
    file = forms.FileField(
        label="CSV file",
        error_messages={"required": "Select a CSV file", "empty": "The selected file is empty"},
    )
    check_only = forms.BooleanField(label="Only check the file: import nothing", required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 10 MB")
        return upload


class WiderChildForm(GovukModelForm):
    """A child of the wider cohort who has never been in care: their details and the cohort they are in.
    (A child coming into care is added with "Add a child", with their first placement.)"""

    date_of_birth = date_field("Date of birth", help_text="For example, 27 3 2014")
    cohort = forms.ChoiceField(label="Cohort", choices=Cohort.choices, widget=forms.RadioSelect)
    kind = forms.ChoiceField(label="Order or plan", choices=CohortKind.choices, widget=forms.RadioSelect)
    from_where = forms.ChoiceField(
        label="Looked after in",
        required=False,
        choices=[("", "Not previously looked after"), *FromWhere.choices],
        widget=forms.RadioSelect,
        help_text="Previously looked-after children only: where the child was in care",
    )
    starts_on = date_field("Start date", help_text="The date of the order, or the plan's start. For example, 27 3 2024")
    ends_on = date_field("End date", required=False, help_text="Leave blank while it lasts")

    class Meta:
        model = Child
        fields = ["first_name", "last_name", "date_of_birth", "gender", "upn", "local_id"]
        help_texts = {"upn": "13 characters from the school census, like A123456789012. Leave blank if not known."}

    def __init__(self, *args, authority, **kwargs):
        super().__init__(*args, **kwargs)
        upn = self.fields["upn"]
        self.fields["upn"] = forms.CharField(label=upn.label, help_text=upn.help_text, required=False, max_length=20)
        self.fields["kind"].help_text = "; ".join(
            f"{Cohort(c).label}: {', '.join(str(k.label).lower() for k in kinds)}" for c, kinds in KINDS_OF.items()
        )
        self.instance.local_authority = authority
        self.instance.care_start_date = None
        self.authority = authority

    def clean_upn(self):
        upn = self.cleaned_data["upn"].strip().upper().replace(" ", "")
        if upn:
            validate_upn(upn)
            if Child.objects.filter(upn=upn).exists():
                raise forms.ValidationError("This UPN is already recorded for a child")
        return upn

    def clean_local_id(self):
        local_id = self.cleaned_data["local_id"]
        if local_id and Child.objects.filter(local_authority=self.authority, local_id=local_id).exists():
            raise forms.ValidationError("There is already a child with this local child ID: find them in the register")
        return local_id

    def membership(self) -> CohortMembership:
        data = self.cleaned_data
        return CohortMembership(
            cohort=data["cohort"],
            kind=data["kind"],
            from_where=data.get("from_where") or "",
            starts_on=data["starts_on"],
            ends_on=data.get("ends_on"),
        )

    def clean(self):
        cleaned = super().clean()
        if all(cleaned.get(name) for name in ("cohort", "kind", "starts_on")):
            try:
                self.membership().clean()
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    if name in self.fields and name not in self.errors:
                        self.add_error(name, messages)
        born, starts = cleaned.get("date_of_birth"), cleaned.get("starts_on")
        if born and starts and starts < born and "starts_on" not in self.errors:
            self.add_error("starts_on", "The start date must be on or after the child's date of birth")
        return cleaned
