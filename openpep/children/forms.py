from django import forms

from openpep.forms import GovukForm, GovukModelForm, date_field
from openpep.people.forms import SchoolPickerMixin, school_search_field
from openpep.people.models import School
from openpep.people.queries import iros_in, social_workers_in

from .enums import DELEGABLE_SECTIONS, LegalStatus, PlacementType
from .models import Child, Placement


class ChildDetailsForm(GovukModelForm):
    date_of_birth = date_field("Date of birth", help_text="For example, 27 3 2014")
    care_start_date = date_field(
        "Date entered care",
        required=False,
        help_text="For example, 27 3 2026. Leave blank for a child who has never been in care",
    )

    class Meta:
        model = Child
        fields = [
            "first_name",
            "last_name",
            "date_of_birth",
            "gender",
            "upn",
            "local_id",
            "care_start_date",
            "iro",
        ]
        help_texts = {"upn": "13 characters from the school census, like A123456789012. Leave blank if not known."}

    def __init__(self, *args, authority, **kwargs):
        super().__init__(*args, **kwargs)
        # People copy UPNs in groups ("A123 4567 89012"): accept the spaces, store without them.
        upn = self.fields["upn"]
        self.fields["upn"] = forms.CharField(label=upn.label, help_text=upn.help_text, required=False, max_length=20)
        self.fields["iro"].queryset = iros_in(authority.pk)
        self.fields["iro"].required = False
        self.fields["upn"].widget.attrs.update({"class": "govuk-input govuk-input--width-20", "spellcheck": "false"})
        self.fields["local_id"].widget.attrs.update({"class": "govuk-input govuk-input--width-10"})
        self.instance.local_authority = authority

    def clean_upn(self):
        return self.cleaned_data["upn"].strip().upper().replace(" ", "")

    def clean(self):
        cleaned = super().clean()
        born, entered = cleaned.get("date_of_birth"), cleaned.get("care_start_date")
        if (
            not entered
            and "care_start_date" not in self.errors
            and self.instance.pk
            and self.instance.placements.exists()
        ):
            self.add_error("care_start_date", "Enter the date the child entered care: they have placements recorded")
        if born and entered and entered < born:
            self.add_error("care_start_date", "The date the child entered care must be on or after their date of birth")
        return cleaned


class NewChildForm(SchoolPickerMixin, ChildDetailsForm):
    """A child coming into care: their details, first placement, school and social worker."""

    care_start_date = date_field("Date entered care")

    social_worker = forms.ModelChoiceField(queryset=None, label="Allocated social worker")
    legal_status = forms.ChoiceField(choices=LegalStatus.choices, label="Legal status")
    placement_type = forms.ChoiceField(choices=PlacementType.choices, label="Placement type")
    carer_name = forms.CharField(label="Carer's name", required=False, max_length=150)
    school_search = school_search_field()
    school = forms.ModelChoiceField(
        queryset=School.objects.none(),
        required=False,
        label="School",
    )

    def __init__(self, *args, authority, actor, **kwargs):
        super().__init__(*args, authority=authority, **kwargs)
        self.fields["social_worker"].queryset = social_workers_in(authority.pk)
        self.initial.setdefault("social_worker", actor.pk)


class SchoolChangeForm(SchoolPickerMixin, GovukForm):
    school_search = school_search_field()
    school = forms.ModelChoiceField(queryset=School.objects.none(), label="New school")
    starts_on = date_field("Date the child starts at the new school")


class PlacementForm(GovukModelForm):
    starts_on = date_field("Date the new placement starts")

    class Meta:
        model = Placement
        fields = ["starts_on", "legal_status", "placement_type", "carer_name"]


class ReallocateForm(GovukForm):
    social_worker = forms.ModelChoiceField(queryset=None, label="Allocated social worker")

    def __init__(self, *args, authority, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["social_worker"].queryset = social_workers_in(authority.pk)


class DelegationForm(GovukForm):
    delegate = forms.ModelChoiceField(
        queryset=None,
        label="Who to share with",
        help_text=(
            "Other staff of the school with an OpenPEP account. Staff without one ask for access from the sign-in page"
        ),
        widget=forms.RadioSelect,
    )
    children = forms.ModelMultipleChoiceField(
        queryset=None,
        label="Children",
        help_text="They will see these children and their PEPs only, while the children are on the school's roll",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one child"},
    )
    sections = forms.MultipleChoiceField(
        choices=DELEGABLE_SECTIONS,
        label="Sections they may edit",
        help_text="Leave both unticked to let them read these sections of the PEPs without changing them",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    ends_on = date_field("End date", help_text="Within a year. For example, 31 7 2027")

    def __init__(self, *args, staff, children, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delegate"].queryset = staff
        self.fields["delegate"].empty_label = None
        self.fields["delegate"].label_from_instance = lambda user: (
            f"{user.full_name}, {user.job_title}" if user.job_title else user.full_name
        )
        self.fields["children"].queryset = children
        self.fields["children"].label_from_instance = lambda child: f"{child.full_name} ({child.year_group_label()})"
        self.fields["delegate"].error_messages["required"] = "Select who to share with"
