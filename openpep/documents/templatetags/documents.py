"""The Documents panel of the PEP page, and a filter for the PDFs' stylesheets."""

from django import template
from django.utils.safestring import mark_safe

from openpep.documents import rules
from openpep.documents.enums import KIND_NOUNS

register = template.Library()


@register.filter
def css_string(value) -> str:
    """``value`` as a quoted CSS string, safe inside a <style> element (which HTML does not unescape)."""
    escaped = "".join(f"\\{ord(char):x} " if char in '"\\<>&\n\r' or ord(char) < 32 else char for char in str(value))
    return mark_safe(f'"{escaped}"')


@register.inclusion_tag("documents/_panel.html", takes_context=True)
def documents_panel(context, pep):
    """Downloads of ``pep`` for the person viewing it: only the kinds ``rules.can_download`` allows."""
    user = context["request"].user
    kinds = rules.downloadable_kinds(user, pep)
    copies = {c.kind: c for c in pep.stored_copies.all()} if pep.status == "signed_off" else {}
    return {
        "pep": pep,
        "downloads": [{"kind": kind, "noun": KIND_NOUNS[kind], "copy": copies.get(kind)} for kind in kinds],
        "signed_off": pep.status == "signed_off",
        "can_export": rules.can_export(user, pep.child),
        "is_designated_teacher": rules.is_designated_teacher(user),
    }
