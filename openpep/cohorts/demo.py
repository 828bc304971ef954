"""The demo's wider cohort: children the Virtual School knows who are not looked after — adopted
and under a special guardianship order (previously looked after, one from Wales), with a social
worker (a child protection plan now, a child in need plan ended two years ago), in kinship care —
and one looked-after child's adoption after a PEP; their registers (one severely absent), advice the
officer has given with follow-ups, Demoshire sharing its wider cohort with schools, and the imports'
sample files (``docs/samples``) imported by the head. Called by
``openpep.demo`` before the early warnings are raised, so the wider cohort's warnings show too."""

import datetime

from django.conf import settings as django_settings

from openpep.attendance import demo as attendance_demo
from openpep.attendance.models import AttendanceDay
from openpep.attendance.services import save_sessions
from openpep.children.enums import Cohort, CohortKind, FromWhere, Gender
from openpep.children.models import Child, CohortMembership, Enrolment
from openpep.imports.cohorts import import_cin, import_orders

from . import services
from .enums import GivenTo, How
from .models import CaseworkEntry, CaseworkTopic, CohortSettings

# first, last, born, school key, social worker key or None, (cohort, kind, from where, starts, ends)
CHILDREN = [
    (
        "Poppy",
        "Hartley",
        datetime.date(2017, 6, 14),
        "oakfield",
        None,
        (Cohort.PREVIOUSLY_LOOKED_AFTER, CohortKind.ADOPTION, FromWhere.ENGLAND, 1500, None),
    ),
    (
        "Reuben",
        "Achebe",
        datetime.date(2012, 2, 3),
        "castlebrook",
        None,
        (Cohort.PREVIOUSLY_LOOKED_AFTER, CohortKind.SGO, FromWhere.WALES, 900, None),
    ),
    (
        "Lena",
        "Marsh",
        datetime.date(2011, 10, 21),
        "castlebrook",
        "sw",
        (Cohort.SOCIAL_WORKER, CohortKind.CPP, "", 200, None),
    ),
    (
        "Theo",
        "Grant",
        datetime.date(2016, 4, 9),
        "oakfield",
        "sw2",
        (Cohort.SOCIAL_WORKER, CohortKind.CIN, "", 1200, 730),
    ),
    (
        "Maisie",
        "Clarke",
        datetime.date(2014, 12, 1),
        "oakfield",
        None,
        (Cohort.KINSHIP, CohortKind.INFORMAL, "", 600, None),
    ),
]

#: Lena Marsh is away three days in five (severely absent): a warning of the wider cohort.
SEVERE = ("Lena", "Marsh")


def _children(demo) -> list[Child]:
    authority = demo.authorities["demoshire"]
    made = []
    for n, (first, last, born, school, sw, (cohort, kind, where, started, ended)) in enumerate(CHILDREN):
        child = Child.objects.create(
            local_authority=authority,
            first_name=first,
            last_name=last,
            date_of_birth=born,
            gender=Gender.FEMALE if first in ("Poppy", "Lena", "Maisie") else Gender.MALE,
            local_id=f"WC{n + 1:04d}",
            care_start_date=None,
            social_worker=demo.users[sw] if sw else None,
        )
        Enrolment.objects.create(
            child=child, school=demo.schools[school], starts_on=demo.today - datetime.timedelta(days=700)
        )
        membership = CohortMembership(
            cohort=cohort,
            kind=kind,
            from_where=where,
            starts_on=demo.today - datetime.timedelta(days=started),
            ends_on=demo.today - datetime.timedelta(days=ended) if ended else None,
        )
        services.add_membership(demo.users["vs"], child, membership)
        made.append(child)
    return made


def _registers(demo, children) -> None:
    authority = demo.authorities["demoshire"]
    here = [(child, child.current_enrolment().school) for child in children]
    attendance_demo.build(authority, here, demo.today)
    for child in children:
        if (child.first_name, child.last_name) != SEVERE:
            continue
        days = list(AttendanceDay.objects.filter(child=child).select_related("school").order_by("date"))
        sessions = {
            (child.pk, day.school_id, day.date): {"am": "N", "pm": "O"} for n, day in enumerate(days) if n % 5 < 3
        }
        save_sessions(authority, sessions, schools={d.school_id: d.school.urn for d in days}, summary="Demo attendance")


def _casework(demo, children) -> None:
    vs = demo.users["vs"]
    topics = {t.name: t for t in CaseworkTopic.objects.filter(local_authority=demo.authorities["demoshire"])}
    by_name = {c.first_name: c for c in children}
    advice = [
        (
            "Poppy",
            40,
            GivenTo.PARENT,
            How.PHONE,
            "Pupil premium plus",
            "Explained that Poppy's school receives pupil premium plus and how to ask what it is spent on.",
            None,
            True,
        ),
        (
            "Reuben",
            20,
            GivenTo.SCHOOL,
            How.MEETING,
            "Transition to a new school or phase",
            "Met the Designated Teacher about Reuben's move to Year 10 options; agreed a mentor.",
            5,
            True,
        ),
        (
            "Lena",
            6,
            GivenTo.SOCIAL_WORKER,
            How.EMAIL,
            "Attendance",
            "Lena's attendance is below 50%. Suggested a multi-agency meeting with the school.",
            7,
            False,
        ),
        (
            "Maisie",
            12,
            GivenTo.KINSHIP_CARER,
            How.VISIT,
            "Special educational needs and disabilities",
            "Talked Maisie's grandmother through asking for an EHC needs assessment.",
            None,
            False,
        ),
    ]
    for first, days_ago, to, how, topic, notes, follow_up, shared in advice:
        services.record_casework(
            vs,
            by_name[first],
            CaseworkEntry(
                given_on=demo.today - datetime.timedelta(days=days_ago),
                given_to=to,
                how=how,
                topic=topics[topic],
                notes=notes,
                follow_up_on=demo.today + datetime.timedelta(days=follow_up) if follow_up is not None else None,
                shared_with_school=shared,
            ),
        )


def build(demo) -> int:
    """Make the wider cohort; returns how many children."""
    authority = demo.authorities["demoshire"]
    settings = CohortSettings.for_authority_id(authority.pk)
    settings.share_with_schools = True
    services.save_settings(demo.users["vsadmin"], settings)
    children = _children(demo)
    _registers(demo, children)
    _casework(demo, children)
    return len(children) + _imports(demo)


#: The sample files' children on a school's roll (the files say nothing of schools).
ON_ROLL = {
    "KC2001": "oakfield",
    "KC2002": "oakfield",
    "PL3001": "castlebrook",
    "PL3002": "castlebrook",
    "SW1002": "castlebrook",
}
#: The synthetic example files of the wider cohort's imports (README, ``docs/imports.md``).
SAMPLES = django_settings.BASE_DIR / "docs" / "samples"


def _imports(demo) -> int:
    """The sample files imported as the head would: new children with a social worker, in kinship care and
    previously looked after, and a plan and an order for two of the children above (WC0004, WC0005), who keep
    their one record; all but one of the new children on a school's roll. Returns how many children the files
    made."""
    made = 0
    for importer, name in ((import_cin, "cin.csv"), (import_orders, "orders.csv")):
        report = importer(str(SAMPLES / name), demo.authorities["demoshire"], actor=demo.users["vsadmin"])
        if report.failed:
            raise RuntimeError(f"The demo's sample {name} no longer imports: {report.problems}")
        made += report.created
    # On roll as the enrolments import would put them; Robin Ashdown (SW1001, Year 6) has no school place.
    for local_id, school in ON_ROLL.items():
        Enrolment.objects.create(
            child=Child.objects.get(local_authority=demo.authorities["demoshire"], local_id=local_id),
            school=demo.schools[school],
            starts_on=demo.today - datetime.timedelta(days=400),
        )
    return made
