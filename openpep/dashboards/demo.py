"""The demo's Pupil Premium Plus, and the due dates its dashboard counts."""

from openpep.clock.calendar import NoTermDates
from openpep.clock.models import PepClock
from openpep.funding.demo import build_pupil_premium
from openpep.plans.due import due_dates
from openpep.plans.enums import Status
from openpep.plans.models import Pep


def build_funding_and_dashboards(demo) -> None:
    """Called at the end of ``openpep.demo.build_demo``."""
    build_pupil_premium(demo)
    store_signed_off_due_dates()


def store_signed_off_due_dates() -> int:
    """Give each signed-off PEP the due date it had while in progress.

    In use, the clock stores a PEP's dates when it starts and keeps them once it is signed off.
    The demo makes years of PEPs in one transaction, so the clock's refresh (after commit) only
    ever sees them signed off, and skips them: without this, the dashboard could not judge
    whether the demo's initial PEPs were ready in time."""
    stored = 0
    for pep in Pep.objects.filter(status=Status.SIGNED_OFF, clock__isnull=True).select_related("child"):
        try:
            due = due_dates(pep)
        except NoTermDates:
            continue
        PepClock.objects.create(
            pep=pep,
            pep_due=due["initial_ready"] or due["review"] or due["change_of_school"],
            views_due=due["views"],
            school_section_due=due["school_section"],
            submit_due=due["submitted"],
        )
        stored += 1
    return stored
