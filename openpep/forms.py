"""Form plumbing shared by every app: GOV.UK markup through crispy-forms-gds,
radios for short choices, day/month/year date inputs, GOV.UK's character count on every
textarea with a limit, and the optimistic lock."""

import datetime
import html

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout
from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.utils.html import strip_tags

from openpep.text_limits import PASSWORD, MaxLength, too_long_message

RADIO_LIMIT = 8


class GovukFormMixin:
    """Renders every field the GOV.UK way; templates draw the <form> and buttons. ``layout_after``
    may map a field's name to layout objects drawn after it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = GovukFormHelper(self)
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        for field in self.fields.values():
            _specific_required_message(field)
            choices = getattr(field, "choices", None)
            if isinstance(field, forms.ModelChoiceField):
                field.empty_label = "Select"
                continue
            if choices is not None and isinstance(field.widget, forms.Select):
                options = [c for c in choices if c[0] != ""]
                if len(options) <= RADIO_LIMIT:
                    field.choices = options
                    field.widget = forms.RadioSelect(choices=options)
                else:
                    field.choices = [("", "Select") if value == "" else (value, text) for value, text in choices]
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs.setdefault("rows", 3)
            if isinstance(field.widget, forms.PasswordInput) and not field.max_length:
                field.max_length = PASSWORD
                field.validators.append(validators.MaxLengthValidator(PASSWORD))

    def full_clean(self):
        # Here and when drawn (GovukFormHelper), not in __init__: forms add fields after it.
        for field in self.fields.values():
            _say_the_limit(field)
        super().full_clean()


def _say_the_limit(field: forms.Field) -> None:
    """GOV.UK's message for an answer too long ("Notes must be 4,000 characters or fewer"), not
    Django's "Ensure this value has at most…"; a field may give its own as ``error_messages["max_length"]``.
    A textarea loses the browser's ``maxlength``: the character count lets one type past the limit
    and says by how much, where ``maxlength`` would cut a pasted answer short without a word."""
    if not getattr(field, "max_length", None):
        return
    if isinstance(field.widget, forms.Textarea):
        field.widget.attrs.pop("maxlength", None)
    # A label may be markup (the council's wording, escaped): the message is plain text.
    message = field.error_messages.get("max_length") or too_long_message(
        field.max_length, html.unescape(strip_tags(str(field.label or "")))
    )
    field.validators = [
        MaxLength(field.max_length, message) if isinstance(v, validators.MaxLengthValidator) else v
        for v in field.validators
    ]


class GovukFormHelper(FormHelper):
    """crispy-forms-gds's helper. A form without a layout of its own gets one when it is drawn,
    from its fields as they are then (forms add fields after ``__init__``), in which each
    textarea with a ``max_length`` is GOV.UK's character count: "You can enter up to N
    characters" under it, without JavaScript too, and with it a live count."""

    def __init__(self, form):
        self._form = form
        self._layout = None
        super().__init__()

    @property
    def layout(self):
        if self._layout is not None:
            for field in self._form.fields.values():
                _say_the_limit(field)
            return self._layout
        after = getattr(self._form, "layout_after", {})
        return Layout(
            *(
                item
                for name, field in self._form.fields.items()
                for item in (_layout_item(name, field), *after.get(name, ()))
            )
        )

    @layout.setter
    def layout(self, value):
        self._layout = value


class Markup:
    """A layout object drawing markup already made safe (``format_html``), as it is. Unlike
    crispy's ``HTML``, which renders its string as a Django template: what a person typed, put
    into ``HTML``, would run as template code ("{{ csrf_token }}")."""

    def __init__(self, html: str):
        self.html = html

    def render(self, form, context, **kwargs):
        return self.html


def _layout_item(name: str, field: forms.Field):
    _say_the_limit(field)
    if isinstance(field.widget, forms.Textarea) and getattr(field, "max_length", None):
        # crispy-forms-gds adds the count's id to aria-describedby, failing (KeyError) if the
        # field has no hint to have set it first.
        field.widget.attrs.setdefault("aria-describedby", "")
        return Field.textarea(name, rows=field.widget.attrs.get("rows", 3), max_characters=field.max_length)
    return name


def _specific_required_message(field: forms.Field) -> None:
    """GOV.UK asks for error messages that say what to do ("Select the area"),
    not "This field is required": build one from the label unless the form set its own."""
    if field.error_messages.get("required") != forms.Field.default_error_messages["required"] or not field.label:
        return
    label = str(field.label)
    label = label[0].lower() + label[1:] if label[:2] != label[:2].upper() else label
    choosing = isinstance(field, forms.ChoiceField | forms.ModelChoiceField | forms.BooleanField)
    field.error_messages["required"] = f"{'Select' if choosing else 'Enter'} {label.rstrip('?')}"


class GovukForm(GovukFormMixin, forms.Form):
    pass


class GovukModelForm(GovukFormMixin, forms.ModelForm):
    pass


class DayMonthYearField(DateInputField):
    """crispy-forms-gds's date input, refusing a number too big for a date (a year of
    99999999999999999999 overflows ``datetime.date`` instead of failing as invalid) and a day,
    month or year of spaces (the library strips them, reads the box as blank and returns no date, even
    for a required field: the form fuzzing found a required end date saved as none)."""

    def compress(self, data_list):
        try:
            found = super().compress(data_list)
        except OverflowError:
            raise forms.ValidationError("Enter a real date", code="invalid") from None
        if found is None and any(value not in (None, "") for value in data_list or ()):
            raise forms.ValidationError("Enter a real date", code="invalid")
        if found is None and self.required:  # spaces in every box: blank, and the date is required
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return found


def date_field(label: str, required: bool = True, help_text: str = "For example, 27 3 2026") -> DateInputField:
    return DayMonthYearField(label=label, required=required, help_text=help_text)


class VersionedFormMixin:
    """Carries the ``lock_version`` the record had when the form was opened, so
    the service can refuse to overwrite someone else's newer save."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        self.fields["lock_version"] = forms.IntegerField(
            widget=forms.HiddenInput,
            required=False,
            initial=instance.lock_version if instance and instance.pk else None,
        )

    def adopt_version(self, version: int) -> None:
        """After a conflict: the next save of this form is made knowing theirs."""
        self.data = self.data.copy()
        self.data[self.add_prefix("lock_version")] = str(version)


def yes_no_field(label: str, help_text: str = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=[(True, "Yes"), (False, "No")],
        coerce=lambda v: v in (True, "True", "true", "1"),
        widget=forms.RadioSelect,
        error_messages={"required": f"Select yes or no: {label[0].lower()}{label[1:]}"},
    )


def time_field(label: str, required: bool = True) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        required=required,
        help_text="Use the 24-hour clock, for example 14:30",
        input_formats=["%H:%M", "%H.%M", "%H%M"],
        widget=forms.TimeInput(format="%H:%M", attrs={"class": "govuk-input govuk-input--width-5"}),
        error_messages={"invalid": "Enter a time like 14:30"},
    )


def combine(day: datetime.date | None, time: datetime.time | None) -> datetime.datetime | None:
    if day is None or time is None:
        return None
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(day, time))


def form_error(form, error: ValidationError) -> None:
    """A service's refusal shown on the form: each message on its field, or above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for e in errors:
                form.add_error(field if field in form.fields else None, e)
    else:
        for message in error.messages:
            form.add_error(None, message)
