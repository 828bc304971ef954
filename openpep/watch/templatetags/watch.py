from django import template

from ..queries import alerts_for

register = template.Library()


@register.inclusion_tag("watch/_alerts.html", takes_context=True)
def unusual_access_alerts(context):
    user = context["request"].user
    return {"alerts": list(alerts_for(user)) if user.is_authenticated else []}
