"""What the quality pages read."""

from django.db.models import Prefetch, QuerySet

from openpep.people.models import LocalAuthority, User
from openpep.people.queries import roles_of
from openpep.plans.models import Pep

from .models import Rating, Review


def rounds_of(pep: Pep) -> QuerySet:
    """The PEP's QA rounds, newest first, each with its ratings in rubric order (three queries)."""
    return (
        Review.objects.filter(pep=pep)
        .select_related("reviewer")
        .prefetch_related(Prefetch("ratings", queryset=Rating.objects.order_by("id")))
    )


def administered_authority(user: User) -> LocalAuthority | None:
    """The authority whose Virtual School ``user`` administers (the first, should there be several)."""
    authority_ids = roles_of(user).admin_authority_ids
    if not authority_ids:
        return None
    return LocalAuthority.objects.get(pk=min(authority_ids))
