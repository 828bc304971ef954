"""Each act is audited with the verb that says what happened; ``updated`` is left to edits."""

import datetime

from django.utils import timezone

from openpep.api import services as api_services
from openpep.api.enums import Scope
from openpep.audit.models import AuditEntry
from openpep.children import services as children_services
from openpep.meetings import services as meeting_services
from openpep.meetings.enums import Response
from openpep.people.enums import Role
from tests.builders import a_weekday_ahead, cast_of, fresh, invite, schedule_meeting, start
from tests.fixtures import make_user


def _acts(**target):
    return list(AuditEntry.objects.filter(**target).order_by("id").values_list("verb", "summary"))


def test_a_meetings_life_is_scheduled_changed_sent_answered_cancelled_and_scheduled_again(world):
    pep = start(cast_of(world))
    meeting = schedule_meeting(pep, world.sw)
    schedule_meeting(pep, world.sw, held_on=meeting.held_on + datetime.timedelta(days=7))
    carer = invite(pep, world.sw)
    meeting_services.resend(world.sw, fresh(pep), carer)
    meeting_services.answer(world.sw, fresh(pep), carer, Response.ATTENDING)
    meeting_services.cancel(world.sw, fresh(pep))
    schedule_meeting(pep, world.sw, held_on=a_weekday_ahead())

    verbs = [verb for verb, _ in _acts(target_type="meetings.meeting", target_id=str(meeting.pk))]
    assert verbs == ["scheduled", "updated", "cancelled", "scheduled"]
    assert [verb for verb, _ in _acts(target_type="meetings.invitation", target_id=str(carer.pk))] == [
        "created",
        "sent",
        "answered",
    ]


def test_revoking_a_token_is_revoked(world):
    token, _ = api_services.create_token(world.vs_admin, world.authority, name="Case system", scope=Scope.READ)

    api_services.revoke_token(world.vs_admin, token)

    assert _acts(target_type="api.apitoken", target_id=str(token.pk)) == [
        ("created", "Made an API token for Case system (read only)"),
        ("revoked", "Revoked the API token of Case system"),
    ]


def test_ending_a_delegation_is_ended(world):
    senco = make_user("senco@test.example", "Sen Colleague", Role.SCHOOL_STAFF, school=world.school)
    delegation = children_services.delegate(
        world.dt,
        world.school,
        to=senco,
        children=[world.child],
        sections=[],
        ends_on=timezone.localdate() + datetime.timedelta(days=30),
    )

    children_services.end_delegation(world.dt, delegation)

    assert _acts(target_type="children.delegation", target_id=str(delegation.pk))[-1] == (
        "ended",
        "Ended the delegation to Sen Colleague",
    )
