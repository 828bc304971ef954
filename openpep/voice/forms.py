"""The forms of "Have your say": the child's code and answers (worded for their age), and the
adult's invitation and taking in."""

from django import forms
from django.utils.html import format_html

from openpep import text_limits
from openpep.forms import GovukForm, GovukModelForm

from .enums import EMAIL_VARIANTS, INTO_SECTION_B, Feeling, TakePart, Variant
from .models import ANSWER, Contribution, VoiceSettings
from .services import check_picture

#: Each feeling's picture: a face drawn as SVG, hidden from screen readers because the word beside it says it.
FACES = {
    Feeling.GOOD: "M11 21 Q16 26 21 21",
    Feeling.OK: "M11 22 L21 22",
    Feeling.NOT_GOOD: "M11 24 Q16 19 21 24",
}


def face(feeling: Feeling | str):
    """A feeling's picture and its word: never a picture alone."""
    feeling = Feeling(feeling)
    return format_html(
        '<span class="openpep-face"><svg class="openpep-face__picture" width="40" height="40" viewBox="0 0 32 32"'
        ' aria-hidden="true" focusable="false"><circle cx="16" cy="16" r="14" fill="#ffdd00" stroke="#0b0c0c"'
        ' stroke-width="2"/><circle cx="11.5" cy="13" r="1.8" fill="#0b0c0c"/><circle cx="20.5" cy="13" r="1.8"'
        ' fill="#0b0c0c"/><path d="{}" fill="none" stroke="#0b0c0c" stroke-width="2" stroke-linecap="round"/></svg>'
        ' <span class="openpep-face__word">{}</span></span>',
        FACES[feeling],
        feeling.label,
    )


#: What each age's pages ask: (label, hint) by answer. Plain words; the early years' are read with a grown-up.
WORDING = {
    Variant.EARLY_YEARS: {
        "going_well": ("What do you like doing at nursery or school?", "Your grown-up can write what you say."),
        "hard": ("What is tricky?", ""),
        "helps_me": ("Who or what helps you?", ""),
        "better_at": ("What do you want to learn to do?", ""),
        "who_at_meeting": (
            "Who do you want at your meeting?",
            "Your meeting is when grown-ups talk about your learning.",
        ),
        "take_part": ("How do you want to tell them what you think?", ""),
        "school": ("How do you feel at nursery or school?", ""),
        "learning": ("How do you feel about learning new things?", ""),
        "picture": ("Add a drawing or a photo (if you want to)", ""),
    },
    Variant.PRIMARY: {
        "going_well": ("What is going well at school?", "Write as much or as little as you like."),
        "hard": ("What is hard at school?", ""),
        "helps_me": ("What helps you?", "This could be a person, a place or something you do."),
        "better_at": ("What do you want to get better at?", ""),
        "who_at_meeting": (
            "Who do you want at your meeting?",
            "Your meeting is when the adults who help you talk about your school work.",
        ),
        "take_part": ("How do you want to take part in your meeting?", ""),
        "school": ("How do you feel about school?", ""),
        "learning": ("How is your learning going?", ""),
        "picture": ("Add a drawing or a photo of your work (if you want to)", ""),
    },
    Variant.SECONDARY: {
        "going_well": ("What is going well at school?", ""),
        "hard": ("What is hard at school?", ""),
        "helps_me": ("What helps you learn?", "For example a person, a place, a club or a way of working."),
        "better_at": (
            "What do you want to get better at?",
            "This can be a subject, a skill or something you want to do later.",
        ),
        "who_at_meeting": ("Who do you want at your PEP meeting?", ""),
        "take_part": ("How do you want to take part in your PEP meeting?", ""),
        "school": ("How is school going for you?", ""),
        "learning": ("How is your learning going?", ""),
        "picture": ("Add a photo of your work or a drawing (optional)", ""),
    },
    Variant.POST_16: {
        "going_well": ("What is going well at college, in training or at work?", ""),
        "hard": ("What is hard?", ""),
        "helps_me": ("What helps you?", ""),
        "better_at": (
            "What do you want to get better at, or do next?",
            "For example a qualification, a job or an apprenticeship.",
        ),
        "who_at_meeting": ("Who do you want at your PEP meeting?", ""),
        "take_part": ("How do you want to take part in your PEP meeting?", ""),
        "school": ("How is college, training or work going?", ""),
        "learning": ("How is your learning going?", ""),
        "picture": ("Add a photo of your work (optional)", ""),
    },
}

#: What each age's first page says.
LEAD = {
    Variant.EARLY_YEARS: "Your grown-up will help you answer. You can say as much or as little as you like.",
    Variant.PRIMARY: "These questions help the adults who plan your school work. You do not have to answer them all.",
    Variant.SECONDARY: "Your answers help plan your education. You do not have to answer every question.",
    Variant.POST_16: "Your answers help plan your education, training or work. Answer what you want to.",
}

TEXT_ANSWERS = ("going_well", "hard", "helps_me", "better_at", "who_at_meeting")


class CodeForm(GovukForm):
    code = forms.CharField(
        label="Your code",
        max_length=20,
        help_text="It has 8 letters and numbers, like ACDE-3467. The adult who asked you will have it.",
        error_messages={"required": "Enter your code"},
    )


class AnswersForm(GovukForm):
    """The child's answers, in the words for their age (``variant``)."""

    def __init__(self, *args, variant: Variant, **kwargs):
        super().__init__(*args, **kwargs)
        wording = WORDING[variant]
        for name in TEXT_ANSWERS:
            label, hint = wording[name]
            limit = text_limits.SHORT if name == "who_at_meeting" else ANSWER
            self.fields[name] = forms.CharField(
                label=label, help_text=hint, required=False, max_length=limit, widget=forms.Textarea(attrs={"rows": 3})
            )
        for name in ("school", "learning"):
            label, hint = wording[name]
            self.fields[name] = forms.ChoiceField(
                label=label,
                help_text=hint,
                required=False,
                choices=[(feeling.value, face(feeling)) for feeling in Feeling],
                widget=forms.RadioSelect,
            )
        label, hint = wording["take_part"]
        self.fields["take_part"] = forms.ChoiceField(
            label=label, help_text=hint, required=False, choices=TakePart.choices, widget=forms.RadioSelect
        )
        label, hint = wording["picture"]
        self.fields["picture"] = forms.FileField(
            label=label,
            help_text=(hint + " " if hint else "") + "A PNG or JPG file, smaller than 5 MB.",
            required=False,
            widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
        )
        self.order_fields(["school", "learning", *TEXT_ANSWERS, "take_part", "picture"])

    def clean_picture(self):
        picture = self.cleaned_data.get("picture")
        if picture:
            check_picture(picture)
        return picture

    @staticmethod
    def initial_from(contribution: Contribution | None) -> dict:
        if contribution is None:
            return {}
        return {name: getattr(contribution, name) for name in (*TEXT_ANSWERS, "school", "learning", "take_part")}


class InvitationForm(GovukForm):
    variant = forms.ChoiceField(
        label="Which pages suit the child?",
        help_text="We have chosen by the PEP's phase and the child's year group. "
        "Choose others if they suit the child better.",
        choices=Variant.choices,
        widget=forms.RadioSelect,
    )
    email = forms.EmailField(
        label="The young person's own e-mail address (optional)",
        help_text="Only for secondary and post-16 young people. Leave it empty to give them the code yourself.",
        required=False,
        max_length=254,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("email") and cleaned.get("variant") not in EMAIL_VARIANTS:
            self.add_error("email", "Only a secondary or post-16 young person can be sent the link by e-mail")
        return cleaned


class TakeInForm(GovukForm):
    """Which of the child's answers to take into Section B."""

    answers = forms.MultipleChoiceField(
        label="Which answers do you want to take into Section B?",
        help_text="Their words are kept exactly as they wrote them and marked as theirs. "
        "An answer fills its Section B question only when that question is empty.",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one answer to take into Section B"},
    )

    def __init__(self, *args, contribution: Contribution, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            (name, Contribution._meta.get_field(name).verbose_name)
            for name in INTO_SECTION_B
            if getattr(contribution, name).strip()
        ]
        self.fields["answers"].choices = choices
        self.initial.setdefault("answers", [value for value, _ in choices])


class VoiceSettingsForm(GovukModelForm):
    """A council's choices about the child's codes."""

    class Meta:
        model = VoiceSettings
        fields = list(VoiceSettings.FIELDS)
        widgets = {
            "invitation_days": forms.NumberInput(
                attrs={"class": "govuk-input govuk-input--width-3", "inputmode": "numeric"}
            )
        }
