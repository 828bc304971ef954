from django import forms

from openpep.forms import GovukForm, GovukModelForm

from .enums import TEAM_ROLES, Role
from .models import Team, User

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
        label="Work email address", help_text="They will be sent a link to set their password"
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
