"""The Virtual School admin's staff pages: a person's page and deactivation, which ends every access."""

from django.urls import reverse

from openpep.audit.models import AuditEntry
from openpep.children.queries import children_for
from openpep.people.models import User
from openpep.plans.queries import peps_for
from tests.builders import cast_of, start
from tests.fixtures import sign_in


def test_the_staff_list_holds_the_staff_of_the_authoritys_own_organisations(world, client):
    sign_in(client, world.vs_admin)

    staff = client.get(reverse("people:staff")).context["staff"]

    # Oak Primary is Testshire's; Elm Academy is Otherborough's (to manage), though Testshire's Ben is on its roll.
    assert {world.dt, world.sw, world.tm, world.vs, world.iro} <= set(staff)
    assert world.dt_other not in set(staff) and world.vs_other not in set(staff)


def test_deactivating_ends_every_access_and_is_audited(world, client):
    draft = start(cast_of(world))
    sign_in(client, world.vs_admin)
    assert "Deactivate Dee Teacher" in client.get(reverse("people:staff_detail", args=[world.dt.pk])).content.decode()

    response = client.post(reverse("people:staff_deactivate", args=[world.dt.pk]))

    assert response.status_code == 302
    dt = User.objects.get(pk=world.dt.pk)
    assert dt.is_active is False
    assert list(children_for(dt)) == [] and draft not in peps_for(dt)
    entry = AuditEntry.objects.get(target_type="people.user", verb="deactivated")
    assert (entry.actor, entry.after) == (world.vs_admin, {"is_active": False})
    sign_in(client, dt)
    assert client.get(reverse("children:list")).status_code == 302  # an inactive account is signed out


def test_an_admin_cannot_deactivate_themselves(world, client):
    sign_in(client, world.vs_admin)

    response = client.post(reverse("people:staff_deactivate", args=[world.vs_admin.pk]), follow=True)

    assert "You cannot deactivate your own account" in response.content.decode()
    assert User.objects.get(pk=world.vs_admin.pk).is_active
