"""The demo's Have your say: one PEP in progress with an open code, fixed so that the README can
give it (``DEMO_CODE``), and another whose child has sent their views, taken into Section B."""

from openpep.plans.enums import SCHOOL_PART_OPEN, SOCIAL_WORKER_PART_OPEN, ViewsRecordedBy
from openpep.plans.models import Pep

from . import rules, services
from .queries import suggested_variant

#: The demo's open code (README.md): whoever records that PEP's Section B sees it as open.
DEMO_CODE = "CHAT-4679"

WORDS = {
    "going_well": "I like science now because we do experiments. I got a merit in PE.",
    "hard": "Maths when it is fractions. Being in big groups at lunch.",
    "helps_me": "My mentor on Tuesdays. Sitting near the front.",
    "better_at": "Reading out loud in class. I want to be a vet.",
    "who_at_meeting": "My carer and Mr Whitfield, not too many people.",
    "take_part": "part",
    "school": "good",
    "learning": "ok",
}


def _recorder(demo, pep: Pep):
    if pep.views_recorded_by == ViewsRecordedBy.SCHOOL:
        return demo.dt_for(pep.working_school) if pep.working_school else None
    return pep.child.social_worker


def build(demo) -> list[Pep]:
    """The first two PEPs in progress (by id) whose Section B is open to whoever records it."""
    chosen = []
    open_statuses = SCHOOL_PART_OPEN | SOCIAL_WORKER_PART_OPEN
    for pep in Pep.objects.filter(status__in=open_statuses).select_related("child", "school").order_by("pk"):
        recorder = _recorder(demo, pep)
        if recorder is not None and rules.can_invite(recorder, pep):
            chosen.append((pep, recorder))
        if len(chosen) == 2:
            break
    (taken, taken_by), (waiting, waiting_by) = chosen
    invitation, _ = services.make_invitation(taken_by, taken, variant=suggested_variant(taken, demo.today))
    services.save_answers(invitation.pk, WORDS)
    contribution = services.submit(invitation.pk)
    services.take_in(taken_by, contribution, ["going_well", "hard", "helps_me", "better_at", "who_at_meeting"])
    services.make_invitation(waiting_by, waiting, variant=suggested_variant(waiting, demo.today), code=DEMO_CODE)
    return [taken, waiting]
