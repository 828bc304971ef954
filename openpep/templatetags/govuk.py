"""GOV.UK Frontend components and small helpers for them, loaded in every template."""

import datetime
import decimal

from django import template
from django.db import models
from django.template.base import token_kwargs
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.safestring import mark_safe

register = template.Library()

STATUS_COLOURS = {
    "draft": "grey",
    "school_returned": "blue",
    "submitted": "purple",
    "returned_to_school": "orange",
    "returned_to_sw": "orange",
    "signed_off": "green",
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
    return STATUS_COLOURS.get(status, "grey")


@register.filter
def has_key(container, key) -> bool:
    return key in container


# GOV.UK Frontend components outside forms (forms take theirs from crispy-forms-gds), each drawn
# by one template under templates/components/, so their markup lives in one place. Each is a block
# tag: {% button to="clock:term_add" variant="secondary" %}Add a term{% endbutton %}. What is
# between the tags is the component's content; keyword arguments fill its options; a few take
# further parts, each after a tag of its name: {% summary_row key="Name" %}Jo{% actions %}…{% endsummary_row %}.
# A maintained library was looked for first: govuk-frontend-django (0.20 matches GOV.UK Frontend
# 5.14) renders through Jinja2 and govuk-frontend-jinja, a second template engine for a handful of
# components, so the project keeps these instead.
COMPONENTS = {
    "button": (),
    "tag": (),
    "warning": (),
    "inset": (),
    "banner": ("title", "more"),  # content: the heading
    "summary_list": (),
    "summary_row": ("key", "actions"),  # key=, or {% key %} for one with values in it
    "table": (),
    "caption": (),
    "thead": (),
    "tbody": (),
    "tr": (),
    "th": (),
    "td": (),
    "task_list": (),
    "task": ("status",),
}


class ComponentNode(template.Node):
    def __init__(self, name, kwargs, url_args, parts):
        self.name, self.kwargs, self.url_args, self.parts = name, kwargs, url_args, parts

    def render(self, context):
        values = {key: value.resolve(context) for key, value in self.kwargs.items()}
        if "to" in values:  # a URL name and its arguments, as {% url %} takes them
            values["href"] = reverse(values.pop("to"), args=[arg.resolve(context) for arg in self.url_args])
        for part, nodelist in self.parts.items():
            # What a nodelist renders is already escaped: strip() would drop its safe mark.
            values[part] = mark_safe(nodelist.render(context).strip())
        found = context.template.engine.get_template(f"components/{self.name}.html")
        return mark_safe(found.render(template.Context(values, autoescape=context.autoescape)).strip())


def _component(name: str, part_names: tuple[str, ...]):
    def compile_tag(parser, token):
        kwargs, url_args = {}, []
        for bit in token.split_contents()[1:]:
            pair = token_kwargs([bit], parser)
            if pair:
                kwargs.update(pair)
            else:
                url_args.append(parser.compile_filter(bit))
        if url_args and "to" not in kwargs:
            raise template.TemplateSyntaxError(f"{name}: positional arguments are the arguments of to=")
        ends = (f"end{name}", *part_names)
        parts, part = {}, "content"
        while True:
            parts[part] = parser.parse(ends)
            part = parser.next_token().contents
            if part == f"end{name}":
                return ComponentNode(name, kwargs, url_args, parts)
            if part in parts:
                raise template.TemplateSyntaxError(f"{name}: {{% {part} %}} given twice")

    register.tag(name, compile_tag)


for _name, _parts in COMPONENTS.items():
    _component(_name, _parts)
