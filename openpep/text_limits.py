"""How much free text one answer may hold, and the model field that holds to it.

The sizes are those of the boxes of a Word PEP: a narrative answer fills about a side of A4
(4,000 characters, some 650 words), a short answer a paragraph, the meeting's notes a few pages.
Every ``TextField`` of the project is a ``BoundedTextField`` with one of these as its
``max_length``; a model's ``CharField`` has its own ``max_length`` as ever.
``tests/adversarial/test_text_limits.py`` fails on a free-text field without a limit.

A limit is enforced three times: the form (GOV.UK's character count, and the form field's
``max_length``), the API (DRF's ``ModelSerializer`` takes ``max_length`` from the model) and
the model, whose ``full_clean`` runs the validator and whose every ``save()`` refuses a value
too long. The database is not asked to (no ``CHECK``): a row longer than its limit, written
before the limits existed, stays readable and renderable; the next edit of it is refused
with the same message as any other, keeping what was typed."""

from django.core import validators
from django.core.exceptions import ValidationError
from django.db import models

#: A narrative answer (a section's question, a review's evidence, reasons).
NARRATIVE = 4_000
#: A short answer: one paragraph (a target's outcome, a note, a rating's feedback).
SHORT = 1_000
#: The notes of a meeting: a few pages.
NOTES = 10_000
#: A password (Django's forms set none): a long passphrase fits, a megabyte is not hashed.
PASSWORD = 256


def too_long_message(max_length: int, label=None) -> str:
    """GOV.UK's words for an answer too long: "[What it is] must be N characters or fewer"."""
    what = str(label) if label else "This answer"
    return f"{what[:1].upper()}{what[1:]} must be {max_length:,} characters or fewer"


class MaxLength(validators.MaxLengthValidator):
    """Django's validator with GOV.UK's words (``too_long_message``), not "Ensure this value…"."""

    def __init__(self, limit_value: int, message: str | None = None):
        message = message or too_long_message(limit_value)
        # The message is %-formatted with the validator's params: a label's own % is kept as it is.
        super().__init__(limit_value, message=message.replace("%", "%%"))


class BoundedTextField(models.TextField):
    """A ``TextField`` whose ``max_length`` is required and enforced by the model itself.

    Its form field is a textarea with the same ``max_length`` (``TextField.formfield``;
    ``openpep.forms`` draws it as GOV.UK's character count), and ``full_clean`` runs
    ``MaxLength``. ``pre_save`` refuses a value too long on every ``save()``: a service that
    saves without ``full_clean`` cannot store one either. It changes nothing in the database
    (``text`` as before), so no migration touches a row."""

    def __init__(self, *args, max_length: int, **kwargs):
        super().__init__(*args, max_length=max_length, **kwargs)
        # As CharField does: appended after __init__, so deconstruct() does not repeat it.
        self.validators.append(MaxLength(max_length))

    def pre_save(self, model_instance, add):
        value = super().pre_save(model_instance, add)
        if value is not None and len(value) > self.max_length:
            raise ValidationError({self.attname: too_long_message(self.max_length, self.verbose_name)})
        return value
