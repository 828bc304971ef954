"""What the quality pages read."""

from django.db.models import Prefetch, QuerySet

from openpep.plans.models import Pep

from .models import Rating, Review


def rounds_of(pep: Pep) -> QuerySet:
    """The PEP's QA rounds, newest first, each with its ratings in rubric order (three queries)."""
    return (
        Review.objects.filter(pep=pep)
        .select_related("reviewer")
        .prefetch_related(Prefetch("ratings", queryset=Rating.objects.order_by("id")))
    )
