"""A Designated Teacher delegates named children and sections to a colleague of the school.
What the delegate sees and edits, and every way a delegation ends without any job running."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from openpep.audit.models import AuditEntry
from openpep.children import services
from openpep.children.enums import DELEGABLE_SECTIONS
from openpep.children.models import Delegation
from openpep.children.queries import children_for
from openpep.people import services as people_services
from openpep.people.enums import Role
from openpep.people.models import Membership, User
from openpep.plans.enums import Section, Status
from openpep.plans.queries import pep_page, peps_for
from openpep.plans.rules import can_edit
from tests.builders import cast_of, pep_in, start
from tests.fixtures import make_child, make_user, sign_in, today

IN_A_MONTH = datetime.timedelta(days=30)


@pytest.fixture
def senco(world):
    return make_user("senco@test.example", "Sen Colleague", Role.SCHOOL_STAFF, school=world.school)


@pytest.fixture
def classmate(world):
    """A second child on Oak Primary's roll, not delegated."""
    return make_child(world.authority, world.sw, world.school, first="Cal", last="Classmate")


def _delegate(world, senco, children=None, sections=("d",), ends_on=None):
    return services.delegate(
        world.dt,
        world.school,
        to=senco,
        children=children or [world.child],
        sections=list(sections),
        ends_on=ends_on or today() + IN_A_MONTH,
    )


def _fresh(user) -> User:
    """The user as a new request loads them (roles and delegations are read once per request)."""
    return User.objects.get(pk=user.pk)


def test_delegable_sections_are_sections_of_the_pep():
    assert {value for value, _ in DELEGABLE_SECTIONS} == {Section.B.value, Section.D.value}


def test_the_delegate_sees_only_the_named_children_and_their_peps(world, senco, classmate):
    draft = start(cast_of(world))
    _delegate(world, senco)

    assert list(children_for(_fresh(senco))) == [world.child]
    assert list(peps_for(_fresh(senco))) == [draft]


def test_the_delegate_edits_only_the_delegated_sections(world, senco):
    draft = start(cast_of(world))
    _delegate(world, senco, sections=["d"])

    pep = pep_page(_fresh(senco)).get(pk=draft.pk)
    delegate = _fresh(senco)
    assert can_edit(delegate, pep, Section.D) is True
    assert [s for s in (Section.A, Section.B, Section.C, Section.MEETING) if can_edit(delegate, pep, s)] == []


def test_a_delegate_of_section_b_records_the_views_when_the_school_does(world, senco):
    draft = start(cast_of(world))  # the school records the child's views
    _delegate(world, senco, sections=["b"])

    pep = pep_page(_fresh(senco)).get(pk=draft.pk)
    assert (can_edit(_fresh(senco), pep, Section.B), can_edit(_fresh(senco), pep, Section.D)) == (True, False)


def test_a_read_only_delegation_sees_but_edits_nothing(world, senco):
    draft = start(cast_of(world))
    _delegate(world, senco, sections=[])

    pep = pep_page(_fresh(senco)).get(pk=draft.pk)
    assert [s for s in Section if can_edit(_fresh(senco), pep, s)] == []


def test_the_delegate_cannot_edit_once_the_school_part_is_closed(world, senco):
    returned = pep_in(cast_of(world), Status.SCHOOL_RETURNED)
    _delegate(world, senco)

    assert can_edit(_fresh(senco), pep_page(_fresh(senco)).get(pk=returned.pk), Section.D) is False


def test_the_delegate_saves_section_d_through_the_pages_and_is_refused_the_rest(world, senco, client):
    draft = start(cast_of(world))
    _delegate(world, senco)
    sign_in(client, senco)

    assert client.get(reverse("plans:section_d", args=[draft.pk])).status_code == 200
    assert client.get(reverse("plans:section_a", args=[draft.pk])).status_code == 403
    assert client.get(reverse("plans:move", args=[draft.pk, "school_returned"])).status_code == 403
    assert client.get(reverse("children:detail", args=[world.other_child.pk])).status_code == 404
    assert client.get(reverse("children:delegations")).status_code == 404


def test_it_ends_on_its_end_date(world, senco):
    delegation = _delegate(world, senco)
    Delegation.objects.filter(pk=delegation.pk).update(ends_on=today() - datetime.timedelta(days=1))

    assert list(children_for(_fresh(senco))) == []


def test_it_ends_for_a_child_who_leaves_the_school(world, senco, classmate):
    _delegate(world, senco, children=[world.child, classmate])

    services.change_school(world.sw, world.child, world.other_school, today())

    assert list(children_for(_fresh(senco))) == [classmate]


def test_it_ends_when_the_designated_teacher_is_deactivated(world, senco):
    _delegate(world, senco)

    people_services.deactivate(world.vs_admin, world.dt)

    assert list(children_for(_fresh(senco))) == []


def test_it_ends_when_the_designated_teacher_is_no_longer_the_schools_dt(world, senco):
    _delegate(world, senco)

    Membership.objects.filter(user=world.dt).update(ends_on=today() - datetime.timedelta(days=1))

    assert list(children_for(_fresh(senco))) == []


def test_it_ends_when_the_delegate_leaves_the_school(world, senco):
    _delegate(world, senco)

    Membership.objects.filter(user=senco).update(ends_on=today() - datetime.timedelta(days=1))

    assert list(children_for(_fresh(senco))) == []


def test_the_dt_makes_lists_and_ends_delegations_through_the_pages(world, senco, classmate, client):
    sign_in(client, world.dt)
    day = today() + IN_A_MONTH
    form = client.get(reverse("children:delegation_add"))
    assert [c.pk for c in form.context["form"].fields["children"].queryset] == [classmate.pk, world.child.pk]
    assert list(form.context["form"].fields["delegate"].queryset) == [senco]

    response = client.post(
        reverse("children:delegation_add"),
        {
            "delegate": senco.pk,
            "children": [world.child.pk],
            "sections": ["d"],
            "ends_on_0": day.day,
            "ends_on_1": day.month,
            "ends_on_2": day.year,
        },
    )

    assert response.status_code == 302
    delegation = Delegation.objects.get()
    assert (delegation.delegated_by, delegation.delegate, delegation.sections, delegation.ends_on) == (
        world.dt,
        senco,
        ["d"],
        day,
    )
    assert AuditEntry.objects.filter(child_id=world.child.pk, summary__contains="Shared Amira Test").count() == 1
    listing = client.get(reverse("children:delegations")).content.decode()
    assert "Sen Colleague" in listing and f"Active until {day:%-d %B %Y}" in listing

    client.post(reverse("children:delegation_end", args=[delegation.pk]))

    delegation.refresh_from_db()
    assert delegation.ended_by == world.dt and delegation.ended_at is not None
    assert list(children_for(_fresh(senco))) == []
    assert "Ended" in client.get(reverse("children:delegations")).content.decode()


def test_a_delegation_needs_a_future_end_date_within_a_year(world, senco):
    with pytest.raises(ValidationError) as past:
        _delegate(world, senco, ends_on=today())
    with pytest.raises(ValidationError) as far:
        _delegate(world, senco, ends_on=today() + datetime.timedelta(days=400))

    assert past.value.message_dict == {"ends_on": ["The end date must be in the future"]}
    assert far.value.message_dict == {"ends_on": ["The end date must be within a year"]}


def test_only_children_on_the_schools_roll_and_only_its_staff(world, senco):
    elsewhere = make_user("staff@elm.example", "Els Where", Role.SCHOOL_STAFF, school=world.other_school)

    with pytest.raises(ValidationError) as child_elsewhere:
        _delegate(world, senco, children=[world.other_child])
    with pytest.raises(ValidationError) as staff_elsewhere:
        _delegate(world, elsewhere)

    assert child_elsewhere.value.message_dict == {"children": ["Select children on Oak Primary's roll"]}
    assert staff_elsewhere.value.message_dict == {"delegate": ["Select a member of Oak Primary's staff"]}


def test_another_schools_dt_cannot_end_it(world, senco, client):
    delegation = _delegate(world, senco)
    sign_in(client, world.dt_other)

    assert client.post(reverse("children:delegation_end", args=[delegation.pk])).status_code == 404
    assert Delegation.objects.get().ended_at is None


@pytest.mark.parametrize("count", [1, 3])
def test_the_list_runs_a_fixed_number_of_queries(world, client, django_assert_num_queries, count):
    for i in range(count):
        colleague = make_user(f"c{i}@test.example", f"Col {i}", Role.SCHOOL_STAFF, school=world.school)
        child = make_child(world.authority, world.sw, world.school, first=f"Kid{i}", last="Test")
        services.delegate(
            world.dt,
            world.school,
            to=colleague,
            children=[child, world.child],
            sections=["d"],
            ends_on=today() + IN_A_MONTH,
        )
    sign_in(client, world.dt)

    # The same whatever the number: the delegations (whether each is active annotated), their children
    # (one prefetch), the schools, and what every page reads (session, user, the second factor's device,
    # roles, the task count).
    with django_assert_num_queries(8):
        client.get(reverse("children:delegations"))
