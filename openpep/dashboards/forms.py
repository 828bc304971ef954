from django import forms

from openpep.forms import GovukForm
from openpep.plans.enums import Phase
from openpep.plans.models import Wording

from .queries import Filters

YEAR_GROUPS = [(str(year), "Reception" if year == 0 else f"Year {year}") for year in range(0, 14)]


def _select(label: str, everything: str, choices) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        required=False,
        choices=[("", everything), *choices],
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )


class FilterForm(GovukForm):
    """The dashboard's filters: a GET form, so every filtered page has its own address."""

    def __init__(self, data, *, schools, teams, financial_years: list[str], wording: Wording | None = None):
        super().__init__(data)
        self.financial_years = financial_years
        self.fields["school"] = _select("School", "All schools", [(str(s.pk), s.name) for s in schools])
        self.fields["team"] = _select("Social work team", "All teams", [(str(t.pk), t.name) for t in teams])
        self.fields["year_group"] = _select("Year group", "All year groups", YEAR_GROUPS)
        wording = wording or Wording()
        self.fields["phase"] = _select("Phase", "All phases", [(phase.value, wording.phase(phase)) for phase in Phase])
        self.fields["financial_year"] = forms.ChoiceField(
            label="Financial year, for Pupil Premium Plus",
            required=False,
            choices=[(year, year) for year in financial_years],
            widget=forms.Select(attrs={"class": "govuk-select"}),
        )

    def filters(self) -> Filters:
        """The valid filters; a value that is not one of the choices is left out (and shown as an error)."""
        self.is_valid()  # an invalid field is left out of cleaned_data
        data = self.cleaned_data

        def number(name):
            value = data.get(name)
            return int(value) if value not in (None, "") else None

        return Filters(
            financial_year=data.get("financial_year") or self.financial_years[0],
            school=number("school"),
            team=number("team"),
            year_group=number("year_group"),
            phase=data.get("phase") or "",
        )
