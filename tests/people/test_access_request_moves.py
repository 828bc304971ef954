"""An access request's statuses move only by its table (``ACCESS_REQUEST_MOVES``), through
``services.move_access_request``, each move audited with its own verb."""

import pytest
from django.core.exceptions import ValidationError

from openpep.audit.models import AuditEntry
from openpep.people import services
from openpep.people.enums import ACCESS_REQUEST_MOVES, AccessRequestStatus, Role
from openpep.people.models import AccessRequest

S = AccessRequestStatus
TABLE = {
    (S.UNVERIFIED, S.PENDING): "confirmed",
    (S.PENDING, S.APPROVED): "approved",
    (S.PENDING, S.REJECTED): "rejected",
}
ILLEGAL = [(source, target) for source in S for target in S if (source, target) not in TABLE]


def _request(world, status) -> AccessRequest:
    return AccessRequest.objects.create(
        full_name="Tia Teacher", email="tia@oak.example", school=world.school, role=Role.SCHOOL_STAFF, status=status
    )


def _entries(request):
    return list(
        AuditEntry.objects.filter(target_type="people.accessrequest", target_id=str(request.pk))
        .order_by("id")
        .values_list("verb", "actor", "before", "after")
    )


def test_the_table_of_moves_is_the_one_tested():
    assert {move: verb.value for move, verb in ACCESS_REQUEST_MOVES.items()} == TABLE


@pytest.mark.parametrize(("source", "target"), ILLEGAL, ids=[f"{s}-{t}" for s, t in ILLEGAL])
def test_a_move_not_in_the_table_is_refused_and_writes_nothing(world, source, target):
    request = _request(world, source)

    with pytest.raises(ValidationError) as refused:
        services.move_access_request(world.vs_admin, request, target, summary="Moved")

    assert refused.value.messages == [
        f"A request that is ‘{source.label.lower()}’ cannot become ‘{target.label.lower()}’"
    ]
    request.refresh_from_db()
    assert request.status == source
    assert _entries(request) == []


def test_confirming_approving_and_rejecting_each_record_their_verb(world):
    confirmed = _request(world, S.UNVERIFIED)
    services.verify_access_request(confirmed, base_url="http://testserver")
    services.approve_access_request(world.vs_admin, confirmed, base_url="http://testserver")
    rejected = AccessRequest.objects.create(
        full_name="Rex Teacher", email="rex@oak.example", school=world.school, role=Role.SCHOOL_STAFF, status=S.PENDING
    )
    services.reject_access_request(world.vs_admin, rejected, reason="Not known to the school")

    assert _entries(confirmed) == [
        ("confirmed", None, {"status": "unverified"}, {"status": "pending", "told": [world.vs_admin.email]}),
        ("approved", world.vs_admin.pk, {"status": "pending"}, {"status": "approved"}),
    ]
    assert _entries(rejected) == [
        (
            "rejected",
            world.vs_admin.pk,
            {"status": "pending"},
            {"status": "rejected", "reason": "Not known to the school"},
        )
    ]
    rejected.refresh_from_db()
    assert (rejected.decided_by, rejected.reason) == (world.vs_admin, "Not known to the school")


def test_confirming_twice_moves_once(world):
    request = _request(world, S.UNVERIFIED)

    services.verify_access_request(request, base_url="http://testserver")
    services.verify_access_request(request, base_url="http://testserver")

    assert [verb for verb, *_ in _entries(request)] == ["confirmed"]
