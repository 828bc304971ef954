"""Small helpers for GOV.UK summary lists and tags, loaded in every template."""

import datetime
import decimal

from django import template
from django.db import models
from django.utils import formats, timezone

register = template.Library()

STATUS_COLOURS = {
    "draft": "govuk-tag--grey",
    "school_returned": "govuk-tag--blue",
    "submitted": "govuk-tag--purple",
    "returned_to_school": "govuk-tag--orange",
    "returned_to_sw": "govuk-tag--orange",
    "signed_off": "govuk-tag--green",
}


def display(instance: models.Model, name: str) -> str:
    field = instance._meta.get_field(name)
    if field.choices:
        value = getattr(instance, f"get_{name}_display")()
    else:
        value = getattr(instance, name)
    if value is None or value == "":
        return "Not recorded"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "j F Y, H:i")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "j F Y")
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    if isinstance(value, decimal.Decimal):
        return f"{value:,.2f}" if field.decimal_places == 2 else f"{value.normalize():f}"
    return str(value)


@register.simple_tag
def describe(instance, fields):
    """Rows of (label, value) for a GOV.UK summary list."""
    if instance is None:
        return []
    if isinstance(fields, str):
        fields = fields.split()
    rows = []
    for name in fields:
        try:
            field = instance._meta.get_field(name)
        except Exception:
            continue
        label = str(field.verbose_name)
        rows.append({"name": name, "label": label[0].upper() + label[1:], "value": display(instance, name)})
    return rows


@register.filter
def status_colour(status: str) -> str:
    return STATUS_COLOURS.get(status, "govuk-tag--grey")


@register.filter
def has_key(container, key) -> bool:
    return key in container
