"""The child's attendance on their page, without ``children`` importing this app (as ``quality``
adds its panel to the PEP page): the child's template loads this tag."""

from django import template

from ..queries import this_year

register = template.Library()

#: Persistent absence: 10% or more of possible sessions missed (DOMAIN.md).
PERSISTENT_BELOW = 90


@register.inclusion_tag("attendance/_panel.html")
def attendance_panel(child):
    """This academic year's figures from the school's data (one query), or a line saying there are none."""
    found = this_year(child.pk)
    persistent = (
        found is not None and found.attendance_percent is not None and found.attendance_percent < PERSISTENT_BELOW
    )
    return {"child": child, "figures": found, "persistent": persistent}
