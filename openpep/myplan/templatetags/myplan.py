"""My plan on the PEP's page, without ``plans`` importing this app: the PEP page loads this tag
(as it loads quality's and voice's)."""

from django import template

from .. import rules

register = template.Library()


@register.inclusion_tag("myplan/_panel.html", takes_context=True)
def my_plan_panel(context):
    """For the child's social worker, on a signed-off PEP: the way to My plan."""
    pep = context["pep"]
    return {"show": rules.can_share(context["request"].user, pep), "pep": pep}
