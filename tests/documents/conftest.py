import io

import pytest
from pypdf import PdfReader

from openpep.meetings.enums import MeetingRole
from openpep.plans.enums import Occasion, Status
from openpep.plans.workflow import transition
from tests.builders import (
    add_attainment,
    add_attendee,
    cast_of,
    fresh,
    pep_in,
    school_part_done,
    social_worker_part_done,
    start,
)

#: A carer's name no page or document may show to a school: distinctive, so a match is no accident.
CARER = "Zebedee Quillfeather"


@pytest.fixture(autouse=True)
def documents_root(settings, tmp_path):
    """Stored copies and exports go to a folder of the test's own."""
    root = tmp_path / "documents"
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(root)}},
    }
    return root


@pytest.fixture
def carer(world) -> str:
    """World.child's placement names its carer."""
    world.child.placements.update(carer_name=CARER)
    return CARER


def pdf_text(content: bytes) -> str:
    """The text of every page, with each run of white space (a line broken in a table cell) as one space."""
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages)


def full_pep(world, django_capture_on_commit_callbacks, *, status=Status.SIGNED_OFF):
    """World.child's second PEP, a termly review in ``status``: previous targets reviewed, two new
    targets, two subjects of attainment, Sections B and C, the meeting record with attendees
    (the carer among them). Moves run their on-commit work, as in production (so signing off
    stores the copies)."""
    cast = cast_of(world)
    with django_capture_on_commit_callbacks(execute=True):
        pep_in(cast, Status.SIGNED_OFF, targets=2)
        pep = start(cast, occasion=Occasion.REVIEW)
        school_part_done(cast, pep, targets=2)
        add_attainment(pep, cast.dt, subject="Reading")
        add_attainment(pep, cast.dt, subject="Maths")
        if status == Status.DRAFT:
            return fresh(pep)
        transition(fresh(pep), Status.SCHOOL_RETURNED, actor=cast.dt)
        social_worker_part_done(cast, fresh(pep))
        add_attendee(pep, cast.sw, name="Amira Test")
        add_attendee_as(pep, cast.sw, name=CARER, role=MeetingRole.CARER)
        transition(fresh(pep), Status.SUBMITTED, actor=cast.sw)
        if status == Status.SIGNED_OFF:
            transition(fresh(pep), Status.SIGNED_OFF, actor=cast.vs)
    return fresh(pep)


def add_attendee_as(pep, actor, *, name, role):
    from openpep.meetings import services as meeting_services
    from openpep.meetings.models import Attendee

    return meeting_services.add_attendee(actor, fresh(pep), Attendee(name=name, role=role))
