"""The meeting's row on the PEP's task list (added by ``apps.ready`` through ``plans.tasklist.add_part``)."""

from openpep.plans.enums import Owner, Section
from openpep.plans.tasklist import Part
from openpep.plans.workflow import meeting_problems

# Its link is the meeting card on the whole PEP, not one form: scheduling, the invitations and the
# record are done from there.
PART = Part(
    "meeting",
    "The PEP meeting",
    40,
    Section.MEETING,
    lambda pep: Owner.SOCIAL_WORKER,
    lambda pep: hasattr(pep, "meeting"),
    meeting_problems,
)
