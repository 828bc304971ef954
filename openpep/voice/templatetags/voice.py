"""The child's own words on the PEP's pages, without ``plans`` importing this app: the PEP and
whole-PEP templates load these tags (as they load quality's)."""

from django import template

from .. import rules
from ..enums import INTO_SECTION_B
from ..queries import sent_contributions

register = template.Library()


def _answers(contribution, *, taken_only: bool) -> list[tuple[str, str]]:
    names = contribution.taken if taken_only else list(INTO_SECTION_B)
    return [
        (contribution._meta.get_field(name).verbose_name, getattr(contribution, name))
        for name in names
        if getattr(contribution, name, "").strip()
    ]


@register.inclusion_tag("voice/_own_words.html", takes_context=True)
def own_words(context, compact=False):
    """Beside Section B: what the child sent (taken in: the answers taken, in their words; not yet:
    a proposal for whoever records Section B) and, for them, the way to ask the child."""
    pep = context["pep"]
    user = context["request"].user
    if not rules.can_read_contributions(user, pep):
        return {"show": False}
    may_invite = rules.can_invite(user, pep)
    found = [
        {"contribution": c, "answers": _answers(c, taken_only=c.taken_at is not None)} for c in sent_contributions(pep)
    ]
    return {
        "show": bool(found) or may_invite,
        "pep": pep,
        "first_name": pep.child.first_name,
        "found": found,
        "may_invite": may_invite,
        "compact": compact,
    }
