import html
import re

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import HTML, Field, Fieldset, Layout, Size
from django import forms
from django.forms.utils import ErrorDict
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from openpep.clock.calendar import is_working_day, long_date
from openpep.clock.validators import validate_next_meeting
from openpep.forms import (
    GovukForm,
    GovukModelForm,
    Markup,
    VersionedFormMixin,
    combine,
    date_field,
    time_field,
    yes_no_field,
)

from .carry import FROM_DATA, Carried
from .enums import (
    ATTAINMENT_VALUES,
    WORDING_HINT_MAX,
    WORDING_LABEL_MAX,
    AttainmentScale,
    Phase,
    SenStatus,
    TargetRating,
    WordingKind,
)
from .models import (
    NATIONAL_WORDING,
    Arrangements,
    Attainment,
    ChildViews,
    Decision,
    Pep,
    SchoolSection,
    Target,
    TargetReview,
    Wording,
)
from .services import ReviewAnswer


class PepTypeForm(VersionedFormMixin, GovukModelForm):
    """Section A. The phases and occasions are worded as the child's council words them."""

    class Meta:
        model = Pep
        fields = Pep.CONTENT_FIELDS
        labels = {"phase": "Phase", "occasion": "Occasion"}
        help_texts = {
            "views_recorded_by": "Usually the school records the child's views before the meeting",
        }

    def __init__(self, *args, wording: Wording | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        wording = wording or Wording()
        for name, kind in (("phase", WordingKind.PHASE), ("occasion", WordingKind.OCCASION)):
            field = self.fields[name]
            # Radio labels and hints are escaped by crispy-forms-gds's template: the council's words stay text.
            field.choices = [_choice(wording, kind, value) for value, _ in field.choices]


def _choice(wording: Wording, kind: str, value: str) -> Choice:
    hint = wording.hint(kind, value)
    return Choice(value, wording.label(kind, value), **({"hint": hint} if hint else {}))


def _wording_name(kind: str, value: str, part: str) -> str:
    return f"{kind}_{value}_{part}"


class PepTypeWordingForm(GovukForm):
    """A council's wording of each phase and occasion: a label and a hint, blank for the national one."""

    def __init__(self, *args, wording: Wording, **kwargs):
        super().__init__(*args, **kwargs)
        parts = []
        for kind, national in NATIONAL_WORDING.items():
            heading = "Phases" if kind == WordingKind.PHASE else "Occasions"
            parts.append(HTML(format_html('<h2 class="govuk-heading-m">{}</h2>', heading)))
            for value, (label, hint) in national.items():
                own_label, own_hint = wording.own.get((kind, value), ("", ""))
                label_name, hint_name = _wording_name(kind, value, "label"), _wording_name(kind, value, "hint")
                self.fields[label_name] = forms.CharField(
                    label="Your council's label (optional)",
                    required=False,
                    max_length=WORDING_LABEL_MAX,
                    initial=own_label,
                    help_text="Leave it blank to use the national label above",
                    error_messages={
                        "max_length": f"The label for ‘{label}’ must be {WORDING_LABEL_MAX} characters or fewer"
                    },
                )
                self.fields[hint_name] = forms.CharField(
                    label="Your council's hint (optional)",
                    required=False,
                    max_length=WORDING_HINT_MAX,
                    initial=own_hint,
                    help_text=format_html("The national hint: ‘{}’", hint) if hint else "There is no national hint",
                    error_messages={
                        "max_length": f"The hint for ‘{label}’ must be {WORDING_HINT_MAX} characters or fewer"
                    },
                )
                parts.append(Fieldset(label_name, hint_name, legend=format_html("{}", label), legend_size=Size.SMALL))
        self.helper.layout = Layout(*parts)

    def own(self) -> dict:
        """What was typed, as ``services.save_pep_type_wording`` takes it."""
        return {
            (kind, value): (
                self.cleaned_data.get(_wording_name(kind, value, "label"), ""),
                self.cleaned_data.get(_wording_name(kind, value, "hint"), ""),
            )
            for kind, national in NATIONAL_WORDING.items()
            for value in national
        }

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            for (kind, value), problem in Wording(self.own()).clashes().items():
                self.add_error(_wording_name(kind, value, "label"), problem)
        return cleaned


#: The name of the button that puts last term's answer into its box (``CarriedMixin.start_from``).
START_FROM = "start_from"


class CarriedMixin:
    """A section's form opening with what ``carry.carried`` found: a new section's facts filled and
    each saying where it came from; under each narrative box, last term's answer and a button (no
    JavaScript needed) that puts it into the box."""

    def __init__(self, *args, carried: Carried | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.carried = carried or Carried()
        for name, value in self.carried.initial.items():
            if name in self.fields and self.instance.pk is None:
                self.initial[name] = value
        for name, hint in self.carried.hints.items():
            # Once saved, a fact is the school's answer; the data's figures stay beside theirs.
            if name in self.fields and (self.instance.pk is None or name in FROM_DATA):
                # The hint is drawn as markup; it may hold a name someone typed. Text in an element
                # needs only &, < and > escaped (so "school's" reads as typed in the page's source too).
                self.fields[name].help_text = mark_safe(html.escape(hint, quote=False))
        self.layout_after = {
            name: (Markup(_last_answer(name, text)),)
            for name, text in self.carried.answers.items()
            if name in self.fields
        }

    def start_from(self, name: str) -> bool:
        """For the button: the form as posted, with last term's answer to ``name`` in its box,
        shown again without being checked or saved. False if ``name`` has no last answer."""
        if name not in self.layout_after:
            return False
        self.data = self.data.copy()
        self.data[self.add_prefix(name)] = self.carried.answers[name]
        self._errors = ErrorDict()
        return True


def _last_answer(name: str, text: str) -> str:
    return format_html(
        '<details class="govuk-details" id="{}-last"><summary class="govuk-details__summary">'
        '<span class="govuk-details__summary-text">Last term\'s answer</span></summary>'
        '<div class="govuk-details__text">{}'
        '<button type="submit" name="{}" value="{}" class="govuk-button govuk-button--secondary" '
        'data-module="govuk-button">Start from last term\'s answer</button></div></details>',
        name,
        format_html_join("", '<p class="govuk-body">{}</p>', ((line,) for line in text.splitlines() if line.strip())),
        START_FROM,
        name,
    )


class ChildViewsForm(CarriedMixin, VersionedFormMixin, GovukModelForm):
    """Section B."""

    class Meta:
        model = ChildViews
        fields = ChildViews.CONTENT_FIELDS

    def clean(self):
        cleaned = super().clean()
        said = [cleaned.get(name) for name in ChildViews.VOICE_FIELDS]
        if not any(said):
            raise forms.ValidationError("Record at least one of the child's views")
        return cleaned


class ArrangementsForm(CarriedMixin, VersionedFormMixin, GovukModelForm):
    """Section C."""

    full_time = yes_no_field("Is the child in full-time education?")

    class Meta:
        model = Arrangements
        fields = Arrangements.CONTENT_FIELDS

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("full_time") is False and not cleaned.get("not_full_time_reason", "").strip():
            self.add_error("not_full_time_reason", "Say why the child is not in full-time education, and the plan")
        return cleaned


class SchoolSectionForm(CarriedMixin, VersionedFormMixin, GovukModelForm):
    """Section D's single fields. The questions follow the PEP's phase."""

    next_meeting_on = date_field("Date of the next PEP meeting", required=False)
    next_meeting_time = time_field("Start time of the next PEP meeting", required=False)

    class Meta:
        model = SchoolSection
        # Every phase's own questions first (__init__ takes out those of other phases), then the rest; the
        # next meeting is asked as a date and a time (the fields above), which clean() combines.
        fields = [
            *(name for names in SchoolSection.PHASE_FIELDS.values() for name in names),
            *(name for name in SchoolSection.EVERY_PHASE_FIELDS if name != "next_meeting_at"),
        ]
        widgets = {
            "sen_primary_need": forms.Select,
        }

    def __init__(self, *args, phase: str, authority=None, suggested=None, **kwargs):
        """``suggested``: the next meeting the clock suggests, (day, start time or None, the review's
        due date), shown as the hint and, while none is saved, as the initial value."""
        super().__init__(*args, **kwargs)
        self.authority = authority
        for p, names in SchoolSection.PHASE_FIELDS.items():
            if p != phase:
                for name in names:
                    del self.fields[name]
        if phase == Phase.POST_16:
            self.fields["post16_status"].required = True
        next_meeting = self.instance.next_meeting_at if self.instance.pk else None
        if next_meeting:
            from django.utils import timezone

            local = timezone.localtime(next_meeting)
            self.initial.setdefault("next_meeting_on", local.date())
            self.initial.setdefault("next_meeting_time", local.time())
        elif suggested is not None:
            self.initial.setdefault("next_meeting_on", suggested[0])
            if suggested[1] is not None:
                self.initial.setdefault("next_meeting_time", suggested[1])
        if suggested is not None:
            on, at, due = suggested
            self.fields["next_meeting_on"].help_text = (
                f"Suggested: {long_date(on)}{f' at {at:%H:%M}, after school' if at else ''}. "
                f"The next review is due by {long_date(due)}. For example, {on.day} {on.month} {on.year}"
            )
        for name in ("attendance_percent", "suspension_days"):
            self.fields[name].widget.attrs["class"] = "govuk-input govuk-input--width-4"
        for name in ("suspensions", "permanent_exclusions", "funded_hours"):
            if name in self.fields:
                self.fields[name].widget.attrs["class"] = "govuk-input govuk-input--width-3"
        self.fields["sen_primary_need"].choices = [("", "Not applicable")] + list(
            self.fields["sen_primary_need"].choices
        )[1:]

    def clean(self):
        cleaned = super().clean()
        attendance = cleaned.get("attendance_percent")
        if attendance is not None and not 0 <= attendance <= 100:
            self.add_error("attendance_percent", "Attendance must be between 0 and 100 per cent")
        if cleaned.get("sen_status") in (SenStatus.SUPPORT, SenStatus.EHCP) and not cleaned.get("sen_primary_need"):
            self.add_error("sen_primary_need", "Select the primary need for a child with SEN support or an EHC plan")
        day, time = cleaned.get("next_meeting_on"), cleaned.get("next_meeting_time")
        if day and not time and "next_meeting_time" not in self.errors:
            self.add_error("next_meeting_time", "Enter the start time of the next meeting")
        if time and not day and "next_meeting_on" not in self.errors:
            self.add_error("next_meeting_on", "Enter the date of the next meeting")
        self.instance.next_meeting_at = combine(day, time)
        if day and self.authority is not None and "next_meeting_on" not in self.errors:
            try:
                validate_next_meeting(self.authority, day)
            except forms.ValidationError as error:
                # A council that has not entered next year's terms must not stop a
                # school recording its meeting: then only weekends and bank holidays are refused.
                if error.code != "no_term_dates" or not is_working_day(day):
                    self.add_error(
                        "next_meeting_on",
                        error
                        if error.code != "no_term_dates"
                        else f"The next meeting must be on a school day: {long_date(day)} is not a working day",
                    )
        return cleaned


_VAGUE = re.compile(r"^\s*(try|be better|improve)\b", re.IGNORECASE)


class TargetForm(VersionedFormMixin, GovukModelForm):
    by_when = date_field("By when")

    class Meta:
        model = Target
        fields = Target.CONTENT_FIELDS
        widgets = {"area": forms.Select}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pupil_premium_cost"].widget.attrs["class"] = "govuk-input govuk-input--width-10"
        self.fields["pupil_premium_cost"].help_text = "In pounds, for example 450. Leave blank if none."

    def clean_outcome(self):
        outcome = self.cleaned_data["outcome"].strip()
        if not outcome.lower().startswith("i "):
            raise forms.ValidationError("Write the outcome in the child's words, starting ‘I will…’ or ‘I can…’")
        return outcome

    def clean_pupil_premium_cost(self):
        cost = self.cleaned_data["pupil_premium_cost"]
        if cost is not None and cost < 0:
            raise forms.ValidationError("The cost cannot be negative")
        return cost


class TargetReviewForm(VersionedFormMixin, GovukModelForm):
    class Meta:
        model = TargetReview
        fields = TargetReview.CONTENT_FIELDS
        labels = {"rating": "How far was this target achieved?", "evidence": "Evidence"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rating"].required = True
        self.fields["evidence"].required = True


class TargetReviewsForm(GovukForm):
    """Every previous target's review on one page: a fieldset per target, its legend naming it,
    with the rating, the evidence (both needed, as on the page of one review), and whether to carry
    it forward into this PEP with a new date. ``reviews`` are the PEP's, each annotated with
    ``carried_forward`` (a target already carried forward offers no second carry)."""

    def __init__(self, *args, reviews: list[TargetReview], **kwargs):
        super().__init__(*args, **kwargs)
        self.reviews = reviews
        evidence_limit = TargetReview._meta.get_field("evidence").max_length
        parts = []
        for number, review in enumerate(reviews, start=1):
            target = review.target
            name = self.name_of(review)
            self.fields[name("rating")] = forms.ChoiceField(
                label="How far was this target achieved?",
                choices=TargetRating.choices,
                widget=forms.RadioSelect,
                initial=review.rating or None,
                error_messages={"required": f"Select how far target {number} was achieved"},
            )
            self.fields[name("evidence")] = forms.CharField(
                label="Evidence",
                widget=forms.Textarea(attrs={"rows": 3, "aria-describedby": ""}),
                max_length=evidence_limit,
                initial=review.evidence,
                error_messages={
                    "required": f"Enter the evidence for target {number}",
                    "max_length": f"The evidence for target {number} must be {evidence_limit:,} characters or fewer",
                },
            )
            self.fields[name("lock_version")] = forms.IntegerField(
                widget=forms.HiddenInput, required=False, initial=review.lock_version
            )
            carry = []
            if not review.carried_forward:
                self.fields[name("carry")] = forms.BooleanField(
                    label="Carry this target forward into this PEP", required=False
                )
                self.fields[name("by_when")] = date_field(
                    f"New date for target {number}, if carried forward",
                    required=False,
                    help_text="Its wording is copied: you can change it afterwards. For example, 27 3 2026",
                )
                carry = [name("carry"), name("by_when")]
            about = format_html(
                '<p class="govuk-body">Measured by: {}<br>By {}, {}</p>{}',
                target.success_measure,
                long_date(target.by_when),
                target.who,
                format_html('<p class="govuk-body"><strong class="govuk-tag">{}</strong></p>', "Carried forward")
                if review.carried_forward
                else "",
            )
            parts.append(
                Fieldset(
                    Markup(about),
                    name("rating"),
                    Field.textarea(name("evidence"), rows=3, max_characters=evidence_limit),
                    *carry,
                    name("lock_version"),
                    legend=format_html("Target {}: {}", number, target.outcome),
                    legend_size=Size.MEDIUM,
                )
            )
        self.helper.layout = Layout(*parts)

    @staticmethod
    def name_of(review: TargetReview):
        return lambda part: f"review_{review.pk}_{part}"

    def clean(self):
        cleaned = super().clean()
        for number, review in enumerate(self.reviews, start=1):
            name = self.name_of(review)
            if cleaned.get(name("carry")) and not cleaned.get(name("by_when")) and name("by_when") not in self.errors:
                self.add_error(name("by_when"), f"Enter the new date for target {number}, to carry it forward")
        return cleaned

    def answers(self) -> list[ReviewAnswer]:
        """What was typed, as ``services.review_targets`` takes it."""
        answers = []
        for review in self.reviews:
            name = self.name_of(review)
            answers.append(
                ReviewAnswer(
                    review_id=review.pk,
                    rating=self.cleaned_data[name("rating")],
                    evidence=self.cleaned_data[name("evidence")],
                    expected_version=self.cleaned_data[name("lock_version")],
                    carry_forward_by=(
                        self.cleaned_data.get(name("by_when")) if self.cleaned_data.get(name("carry")) else None
                    ),
                )
            )
        return answers

    def adopt_versions(self, saved: list[TargetReview]) -> None:
        """After a conflict: the next save of the page is made knowing theirs."""
        self.data = self.data.copy()
        for review in saved:
            self.data[self.name_of(review)("lock_version")] = str(review.lock_version)


def attainment_scale(pep: Pep) -> AttainmentScale:
    if pep.phase == Phase.EARLY_YEARS:
        return AttainmentScale.EYFS
    if pep.phase == Phase.POST_16:
        return AttainmentScale.POST_16
    year = pep.child.year_group(pep.created_at.date())
    return AttainmentScale.KEY_STAGE if year <= 6 else AttainmentScale.GCSE


class AttainmentForm(GovukModelForm):
    """One subject, on the scale fit for the PEP's phase."""

    class Meta:
        model = Attainment
        fields = Attainment.CONTENT_FIELDS

    def __init__(self, *args, pep: Pep, **kwargs):
        super().__init__(*args, **kwargs)
        self.pep = pep
        self.scale = attainment_scale(pep)
        values = ATTAINMENT_VALUES[self.scale]
        if values:
            self.fields["current"] = forms.ChoiceField(label="Working at now", choices=[("", "Select")] + values)
            self.fields["expected"] = forms.ChoiceField(
                label="Expected by the end of the year", choices=[("", "Select")] + values, required=False
            )
        self.fields["subject"].widget.attrs["class"] = "govuk-input govuk-input--width-20"

    def clean_subject(self):
        subject = self.cleaned_data["subject"].strip()
        if self.pep.attainment.filter(subject__iexact=subject).exists():
            raise forms.ValidationError(f"Attainment in {subject} is already recorded: remove it first to change it")
        return subject


class MoveForm(GovukForm):
    note = forms.CharField(
        label="Reasons",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=Decision._meta.get_field("reasons").max_length,
    )
