"""Warnings on the task list and on the child's page, without ``reminders`` or ``children``
importing this app (as ``watch`` lists its alerts on the task list): their templates load this."""

from django import template

from ..queries import answered_warnings_for, open_warnings_for

register = template.Library()


@register.inclusion_tag("warnings/_tasks.html", takes_context=True)
def my_warnings(context, warnings=None):
    """The warnings waiting for the person signed in: ``warnings`` when the page has read them, else
    read here (one query)."""
    request = context["request"]
    if warnings is None:
        warnings = open_warnings_for(request.user)
    return {"warnings": warnings, "next": request.get_full_path()}


@register.inclusion_tag("warnings/_panel.html", takes_context=True)
def warnings_panel(context, child):
    """The child's warnings sent to the person signed in: those waiting, and those acknowledged (two queries)."""
    request = context["request"]
    return {
        "warnings": open_warnings_for(request.user, child),
        "answered": answered_warnings_for(request.user, child),
        "next": request.get_full_path(),
    }
