from crispy_forms_gds.layout import HTML, Layout
from django import forms
from django.utils.html import format_html

from openpep.forms import GovukForm, GovukModelForm

from .enums import REQUESTABLE_ROLES, TEAM_ROLES, Role
from .models import AccessRequest, School, Team, User
from .queries import search_schools

STAFF_ROLES = [
    (Role.SOCIAL_WORKER.value, Role.SOCIAL_WORKER.label),
    (Role.TEAM_MANAGER.value, Role.TEAM_MANAGER.label),
    (Role.VS_OFFICER.value, Role.VS_OFFICER.label),
    (Role.VS_ADMIN.value, Role.VS_ADMIN.label),
    (Role.IRO.value, Role.IRO.label),
]


class StaffForm(GovukForm):
    full_name = forms.CharField(label="Full name", max_length=150)
    email = forms.EmailField(
        label="Work email address",
        help_text="They will be sent a link to set their password, or told to sign in with their council account "
        "if their council has single sign-on",
    )
    job_title = forms.CharField(label="Job title", max_length=150, required=False)
    role = forms.ChoiceField(label="Role", choices=STAFF_ROLES)
    team = forms.ModelChoiceField(
        queryset=Team.objects.none(),
        required=False,
        label="Team",
        help_text="For social workers and team managers",
    )

    def __init__(self, *args, authority, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(local_authority=authority)
        self.authority = authority

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("Someone with this email address already has an account")
        return email

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") in TEAM_ROLES and not cleaned.get("team"):
            self.add_error("team", "Select the team of a social worker or team manager")
        if cleaned.get("role") not in TEAM_ROLES:
            cleaned["team"] = None
        return cleaned


class TeamForm(GovukModelForm):
    class Meta:
        model = Team
        fields = ["name"]
        labels = {"name": "Team name"}

    def __init__(self, *args, authority, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.local_authority = authority

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if Team.objects.filter(local_authority=self.instance.local_authority, name__iexact=name).exists():
            raise forms.ValidationError("A team with this name already exists")
        return name


class SchoolPickerMixin:
    """A school chosen by searching its name or URN, without JavaScript: a search box with a
    "Search" button (``SEARCH``, a second submit button of the same form) and the matching
    schools as radios. A form using it declares ``school_search`` and ``school`` fields; the
    view treats a press of "Search" like an invalid form — it shows the page again, keeping
    what was typed, with no error messages (``searching``)."""

    SEARCH = "find_school"
    school_required = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        data = self.data if self.is_bound else {}
        self.searching = self.is_bound and self.SEARCH in data
        query = (data.get(self.add_prefix("school_search")) or self.initial.get("school_search") or "").strip()
        selected = str(data.get(self.add_prefix("school")) or self.initial.get("school") or "")
        matches, total = search_schools(query)
        chosen = selected.isascii() and selected.isdigit() and len(selected) < 19  # an id, not "²" nor 10**30
        ids = [school.pk for school in matches] + ([int(selected)] if chosen else [])
        field = self.fields["school"]
        field.widget = forms.RadioSelect()
        field.empty_label = None
        field.queryset = School.objects.filter(pk__in=ids).select_related("local_authority").order_by("name", "urn")
        field.label_from_instance = lambda school: f"{school.name}, URN {school.urn} ({school.local_authority.name})"
        field.error_messages["required"] = "Search for the school by its name or URN, then select it"
        field.error_messages["invalid_choice"] = "Search for the school by its name or URN, then select it"
        # Help text is rendered as markup: what was typed goes in escaped (format_html).
        if not query:
            field.help_text = "Search for the school first: the schools that match appear here"
        elif total == 0:
            field.help_text = format_html("No school matches ‘{}’: check the name or the 6-digit URN", query)
        elif total > len(matches):
            field.help_text = format_html(
                "Showing the first {} of {} schools that match ‘{}’: "
                "type more of the name, or the URN, to narrow the search",
                len(matches),
                total,
                query,
            )
        else:
            field.help_text = format_html(
                "{} school{} match{} ‘{}’", total, "s" if total != 1 else "", "es" if total == 1 else "", query
            )
        button = format_html(
            '<button type="submit" name="{}" value="1" class="govuk-button govuk-button--secondary" '
            'data-module="govuk-button">Search for the school</button>',
            self.SEARCH,
        )
        parts = []
        for name in self.fields:
            parts.append(name)
            if name == "school_search":
                parts.append(HTML(button))
        self.helper.layout = Layout(*parts)

    def full_clean(self):
        if getattr(self, "searching", False):
            self._errors = forms.utils.ErrorDict()
            self.cleaned_data = {}
            return
        super().full_clean()

    def is_valid(self):
        return not self.searching and super().is_valid()


def school_search_field() -> forms.CharField:
    return forms.CharField(
        label="Search for the school",
        help_text="Its name or its 6-digit URN (unique reference number)",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-!-width-two-thirds", "spellcheck": "false"}),
    )


class AccessRequestForm(SchoolPickerMixin, GovukForm):
    full_name = forms.CharField(
        label="Full name", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label="Work email address",
        help_text="Your school email address. We will send you a link to confirm it",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    job_title = forms.CharField(label="Job title", max_length=150, required=False)
    school_search = school_search_field()
    school = forms.ModelChoiceField(queryset=School.objects.none(), label="Your school")
    role = forms.ChoiceField(
        label="Your role",
        choices=[(r.value, r.label) for r in REQUESTABLE_ROLES],
        help_text="Other school staff see no child until the school's Designated Teacher shares children with them",
    )

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class ApproveForm(GovukForm):
    pass


class RejectForm(GovukForm):
    reason = forms.CharField(
        label="Reason for rejecting the request",
        help_text="The teacher will be sent this",
        widget=forms.Textarea,
        max_length=AccessRequest._meta.get_field("reason").max_length,
    )
