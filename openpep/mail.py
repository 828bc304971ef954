"""Rendering the parts of an e-mail: a subject and a plain-text body are text, not HTML.

Django's templates escape for HTML, so O'Brien & <Smith> would arrive as ``O&#x27;Brien &amp;
&lt;Smith&gt;`` in a subject or a text part. These render with autoescape off; an HTML part is
rendered as usual (``render_to_string``), escaped.
"""

from django.template import Context
from django.template.loader import get_template


def render_text(template_name: str, context: dict) -> str:
    """A plain-text part, unescaped (its includes too: they inherit the context's autoescape)."""
    return get_template(template_name).template.render(Context(context, autoescape=False))


def render_subject(template_name: str, context: dict) -> str:
    """A subject: unescaped and on one line. A line break in a value (a name typed with one)
    becomes a space, so it can neither start another header nor make Django refuse the e-mail."""
    return " ".join(render_text(template_name, context).split())
