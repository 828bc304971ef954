import datetime

from django.utils import timezone

from openpep.people.queries import roles_of

from .models import AccessAlert


def alerts_for(user, *, days: int = 7):
    """The last week's alerts about the authorities ``user`` is the Virtual School head of."""
    authority_ids = roles_of(user).admin_authority_ids
    if not authority_ids:
        return AccessAlert.objects.none()
    since = timezone.now() - datetime.timedelta(days=days)
    return AccessAlert.objects.filter(local_authority_id__in=authority_ids, raised_at__gte=since).select_related(
        "person"
    )
