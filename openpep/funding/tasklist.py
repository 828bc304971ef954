"""PP+ on the PEP's task list (added by ``apps.ready`` through ``plans.tasklist.add_part``): part of
Section D, requested by the school. Optional, so completed once anything is requested."""

from openpep.plans.enums import Owner, Section
from openpep.plans.tasklist import Part, has

from .models import FundingRequest

PART = Part(
    "pupil-premium",
    "Pupil Premium Plus",
    90,
    Section.D,
    lambda pep: Owner.SCHOOL,
    has(FundingRequest),
    url="funding:request_add",
)
