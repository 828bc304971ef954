"""children.signals.school_changed: the change of school tells the apps above it, in its transaction."""

import pytest
from django.core.exceptions import ValidationError

from openpep.audit.models import AuditEntry
from openpep.children import services
from openpep.children.models import Enrolment
from openpep.children.signals import school_changed
from tests.fixtures import today

pytestmark = pytest.mark.django_db


def test_school_changed_is_sent_with_the_move(world):
    heard = []

    def listen(sender, **kwargs):
        heard.append(kwargs)

    school_changed.connect(listen)
    try:
        enrolment = services.change_school(world.sw, world.child, world.other_school, today())
    finally:
        school_changed.disconnect(listen)

    assert heard == [
        {
            "signal": school_changed,
            "actor": world.sw,
            "child": world.child,
            "school": world.other_school,
            "starts_on": today(),
            "enrolment": enrolment,
        }
    ]


def state(child):
    return list(Enrolment.objects.filter(child=child).values_list("pk", "ends_on")), AuditEntry.objects.count()


def test_school_changed_receiver_refusing_undoes_the_whole_move(world):
    before = state(world.child)

    def refuse(sender, **kwargs):
        raise ValidationError("Not today")

    school_changed.connect(refuse)
    try:
        with pytest.raises(ValidationError):
            services.change_school(world.sw, world.child, world.other_school, today())
    finally:
        school_changed.disconnect(refuse)

    assert state(world.child) == before
