"""The demo shows the schools portal: a SENCO delegated one child's Section D, and an access request
waiting in the Virtual School Head's queue."""

from openpep.children.queries import children_for
from openpep.people.models import User
from openpep.people.queries import access_requests_for


def test_the_demo_has_a_delegation_and_a_pending_access_request(db, demo_snapshot):
    made = demo_snapshot.load()  # as build_demo() leaves it, built once for the run (tests/fixtures.py)

    senco = User.objects.get(pk=made["users"]["senco"].pk)
    assert children_for(senco).count() == 1
    queue = access_requests_for(User.objects.get(pk=made["users"]["vsadmin"].pk)).filter(status="pending")
    assert list(queue.values_list("full_name", flat=True)) == ["Grace Mensah"]
