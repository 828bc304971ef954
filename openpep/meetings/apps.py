from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "openpep.meetings"
    label = "meetings"
    verbose_name = "PEP meetings"

    def ready(self):
        from openpep.plans import hooks
        from openpep.plans.enums import Status
        from openpep.plans.tasklist import add_part
        from openpep.plans.workflow import add_readiness_check

        from .queries import meeting_card
        from .rules import held_before_sign_off
        from .tasklist import PART

        hooks.lend(hooks.MEETING_CARD, meeting_card)  # the PEP page's meeting card

        # A PEP is not signed off while its meeting is still to come (the move page lists why).
        add_readiness_check((Status.SUBMITTED, Status.SIGNED_OFF), held_before_sign_off)
        add_part(PART)
