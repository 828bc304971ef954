"""The social worker's form to share My plan, and the code form of the child's (or carer's) page."""

from django import forms

from openpep.forms import GovukForm
from openpep.voice.enums import Audience
from openpep.voice.forms import CodeForm

__all__ = ["CodeForm", "ShareForm"]


class ShareForm(GovukForm):
    audience = forms.ChoiceField(
        label="Who do you want to share My plan with?",
        choices=[
            (Audience.CHILD.value, "The child or young person"),
            (Audience.CARER.value, "Their carer"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who to share My plan with"},
    )
    email = forms.EmailField(
        label="Their e-mail address (optional)",
        help_text="We send them a link and the code. For a child, only a secondary or post-16 young person's "
        "own address. Leave it empty to give them the code yourself, or print the PDF for them instead.",
        required=False,
        max_length=254,
    )
