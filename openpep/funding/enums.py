"""Pupil Premium Plus: request modes, the statuses of a request, and the default rates."""

from decimal import Decimal

from django.db import models


class RequestMode(models.TextChoices):
    FREE = "free", "Any amount, costed against a target of the PEP"
    BANDS = "bands", "A termly band, from the amounts set here"


class RequestStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    APPROVED = "approved", "Approved"
    PART_APPROVED = "part_approved", "Approved in part"
    DECLINED = "declined", "Declined"
    PAID = "paid", "Paid"


#: Statuses whose approved amount counts against the allocation.
APPROVED_STATUSES = (RequestStatus.APPROVED, RequestStatus.PART_APPROVED, RequestStatus.PAID)
#: Statuses awaiting payment (release), which may be held until the PEP passes quality assurance.
PAYABLE_STATUSES = (RequestStatus.APPROVED, RequestStatus.PART_APPROVED)

#: The quality assurance ratings that release a held payment (the ``quality`` app's overall rating).
QA_PASSING_RATINGS = frozenset({"green", "gold"})

#: The Department for Education's PP+ rate per looked-after child, by financial year (April to
#: March), as published. An authority's Virtual School admin can change any year and add the
#: years that follow (``Rate``); these apply to a year it has not entered.
DEFAULT_RATES = {
    "2023-24": Decimal("2530.00"),
    "2024-25": Decimal("2570.00"),
    "2025-26": Decimal("2630.00"),
}

DEFAULT_BANDS = "0, 400, 800, 1500"

#: The ages at which a looked-after child attracts PP+, on 31 August at the start of the financial
#: year (Reception to Year 11 in the academic year that starts in it).
YOUNGEST, OLDEST = 4, 15
