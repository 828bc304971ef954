from django import forms
from django.utils.html import format_html

from openpep.forms import GovukForm, GovukModelForm, yes_no_field

from .enums import Rag
from .models import Criterion, QualitySettings, Rating, Review
from .services import Answer


class ReviewForm(GovukForm):
    """A QA round: for each criterion of the rubric a rating and written feedback,
    then feedback on the whole plan. Red or Amber needs feedback saying what to change."""

    def __init__(self, *args, criteria: list[Criterion], ratings: list[Rag], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        choices = [(rating.value, rating.label) for rating in ratings]
        for number, criterion in enumerate(criteria, start=1):
            self.fields[f"rating_{criterion.pk}"] = forms.ChoiceField(
                # crispy-forms-gds renders labels and help text as markup: the council's wording is escaped.
                label=format_html("{}. {}", number, criterion.title),
                help_text=format_html("{}", criterion.description),
                choices=choices,
                widget=forms.RadioSelect,
                error_messages={"required": f"Select a rating for ‘{criterion.title}’"},
            )
            self.fields[f"feedback_{criterion.pk}"] = forms.CharField(
                label=format_html("Feedback on ‘{}’", criterion.title),
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                max_length=Rating._meta.get_field("feedback").max_length,
            )
        self.fields["feedback"] = forms.CharField(
            label="Feedback on the whole plan (optional)",
            help_text="What the plan does well, and anything not covered above",
            required=False,
            widget=forms.Textarea(attrs={"rows": 4}),
            max_length=Review._meta.get_field("feedback").max_length,
        )

    def clean(self):
        cleaned = super().clean()
        for criterion in self.criteria:
            rating = cleaned.get(f"rating_{criterion.pk}")
            if rating in (Rag.RED, Rag.AMBER) and not cleaned.get(f"feedback_{criterion.pk}", "").strip():
                self.add_error(
                    f"feedback_{criterion.pk}",
                    f"Say what needs to change for ‘{criterion.title}’ to be green",
                )
        return cleaned

    def answers(self) -> list[Answer]:
        return [
            Answer(
                criterion=criterion,
                rating=Rag(self.cleaned_data[f"rating_{criterion.pk}"]),
                feedback=self.cleaned_data[f"feedback_{criterion.pk}"],
            )
            for criterion in self.criteria
        ]


class SettingsForm(GovukModelForm):
    gold = yes_no_field("Offer a Gold rating, above Green?", help_text="For plans that go beyond what Green asks")

    class Meta:
        model = QualitySettings
        fields = list(QualitySettings.FIELDS)
        widgets = {name: forms.Select for name in QualitySettings.FIELDS if name != "gold"}


class CriterionForm(GovukModelForm):
    active = yes_no_field(
        "Rate this criterion in new QA rounds?", help_text="Rounds already recorded keep their ratings of it"
    )

    class Meta:
        model = Criterion
        fields = ["title", "description", "position", "active"]
        labels = {"title": "Criterion"}
        help_texts = {"position": "Criteria are listed from the lowest number"}
        widgets = {"position": forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-3", "min": 1})}

    def __init__(self, *args, authority, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.local_authority = authority
        if self.instance.pk is None:
            last = Criterion.objects.filter(local_authority=authority).order_by("-position").first()
            self.initial.setdefault("position", (last.position + 1) if last else 1)
            self.initial.setdefault("active", True)
