"""The PEP exchange document: a child's whole PEP history as one JSON document
(``exchange-schema.json``, also published in docs/), exported by one OpenPEP and imported by
another when the child moves council.

Every object carries a stable ``id``: this OpenPEP's ``OPENPEP_INSTANCE_ID`` with the object's
kind and key, or the ID it was imported under (``ExchangeId``), so IDs survive any number of
moves and a second import of the same document finds what the first made and skips it.
No carer, placement, meeting venue, notes or attendee is exported (see documents.disclosure)."""

import datetime
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import jsonschema
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from openpep.audit.enums import Verb
from openpep.audit.services import record
from openpep.children.models import Child, Enrolment
from openpep.children.queries import children_for
from openpep.documents.disclosure import carer_names, scrub
from openpep.people.models import LocalAuthority, School, User
from openpep.plans.models import (
    Attainment,
    Decision,
    Pep,
    Target,
    TargetReview,
)
from openpep.plans.tasklist import section_parts

from .models import ExchangeId

SCHEMA_PATH = Path(__file__).with_name("exchange-schema.json")
FORMAT = "openpep-pep-history"
VERSION = 1

#: The sections of one row, as the document names them (from the parts registry); each model's
#: CONTENT_FIELDS are what goes in it.
SECTIONS = tuple((part.accessor, part.model) for part in section_parts())


def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text())


class InvalidDocument(ValueError):
    """The document does not match the schema (or refers to something it does not hold)."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def validate(document) -> None:
    validator = jsonschema.Draft202012Validator(schema(), format_checker=jsonschema.FormatChecker())
    problems = [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(document)'}: {error.message}"
        for error in sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path)))
    ]
    if problems:
        raise InvalidDocument(problems[:20])


# Export


def _value(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _fields(instance, names) -> dict:
    return {name: _value(getattr(instance, name)) for name in names}


def _taken(data: dict, names) -> dict:
    """The values of ``names`` that ``data`` holds (a question added since the document was made is left out)."""
    return {name: data[name] for name in names if name in data}


class _Ids:
    """Stable IDs: the imported one when there is one, else this instance's own."""

    def __init__(self):
        self.known = {
            (kind, obj): ext for kind, ext, obj in ExchangeId.objects.values_list("kind", "exchange_id", "object_id")
        }

    def __call__(self, kind: str, pk: int | None) -> str | None:
        if pk is None:
            return None
        return self.known.get((kind, pk)) or f"{settings.OPENPEP_INSTANCE_ID}/{kind}/{pk}"


def _school(school: School | None) -> dict | None:
    if school is None:
        return None
    return {
        "urn": school.urn,
        "name": school.name,
        "phase": school.phase,
        "la_code": school.local_authority.code,
        "la_name": school.local_authority.name,
    }


def export_history(child: Child) -> dict:
    """The document for ``child``: every PEP (every version), oldest first."""
    ids = _Ids()
    peps = (
        child.peps.order_by("created_at", "pk")
        .select_related("school__local_authority", "child_views", "arrangements", "school_section")
        .prefetch_related("targets", "target_reviews", "attainment", "decisions__decided_by")
    )
    document = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().isoformat(),
        "source": {
            "instance": settings.OPENPEP_INSTANCE_ID,
            "local_authority": {"code": child.local_authority.code, "name": child.local_authority.name},
        },
        "child": {
            "id": ids("child", child.pk),
            **_fields(
                child, ["first_name", "last_name", "date_of_birth", "gender", "upn", "local_id", "care_start_date"]
            ),
        },
        "enrolments": [
            {
                "id": ids("enrolment", e.pk),
                "school": _school(e.school),
                "starts_on": _value(e.starts_on),
                "ends_on": _value(e.ends_on),
            }
            for e in child.enrolments.select_related("school__local_authority").order_by("starts_on", "pk")
        ],
        "peps": [],
    }
    for pep in peps:
        sections = {}
        for name, model in SECTIONS:
            section = getattr(pep, name, None)
            sections[name] = _fields(section, model.CONTENT_FIELDS) if section is not None else None
        document["peps"].append(
            {
                "id": ids("pep", pep.pk),
                "version": pep.version,
                "corrects": ids("pep", pep.corrects_id),
                **_fields(pep, [*Pep.CONTENT_FIELDS, "status", "created_at"]),
                "school": _school(pep.school),
                **sections,
                "targets": [
                    {
                        "id": ids("target", t.pk),
                        **_fields(t, Target.CONTENT_FIELDS),
                        "continues": ids("target", t.continues_id),
                        "created_at": _value(t.created_at),
                    }
                    for t in pep.targets.all()
                ],
                "target_reviews": [
                    {
                        "id": ids("review", r.pk),
                        "target": ids("target", r.target_id),
                        **_fields(r, TargetReview.CONTENT_FIELDS),
                    }
                    for r in pep.target_reviews.all()
                ],
                "attainment": [
                    {"id": ids("attainment", a.pk), **_fields(a, Attainment.CONTENT_FIELDS)}
                    for a in pep.attainment.all()
                ],
                "decisions": [
                    {
                        "id": ids("decision", d.pk),
                        **_fields(d, [*Decision.CONTENT_FIELDS, "decided_at"]),
                        "decided_by": d.decided_by.full_name,
                    }
                    for d in pep.decisions.all()
                ],
            }
        )
    # Free text naming a carer (Section C's views, say) has the name withheld, as in every document.
    return scrub(document, carer_names(child.placements.all()))


# Import


@dataclass
class Result:
    child: Child | None = None
    created: dict = field(default_factory=dict)
    skipped: dict = field(default_factory=dict)

    def count(self, kind: str, made: bool) -> None:
        counter = self.created if made else self.skipped
        counter[kind] = counter.get(kind, 0) + 1


def importer_for(authority: LocalAuthority) -> User:
    """Who imported documents are recorded as made by, when no token did it: an account that
    cannot sign in and has no role."""
    user, _ = User.objects.get_or_create(
        email=f"import-{authority.code}@connected-systems.invalid",
        defaults={"full_name": f"Imported into {authority.name}", "password": make_password(None), "is_active": False},
    )
    return user


class _Importer:
    def __init__(self, document: dict, authority: LocalAuthority, actor: User, children):
        self.document = document
        self.authority = authority
        self.actor = actor
        self.children = children  # whom the importer may reach: every reference resolves inside them
        self.result = Result()
        self.local = {}  # (kind, exchange id) -> object id, for this document's references
        self.source = document["source"]["local_authority"]["name"]

    def find(self, kind: str, exchange_id: str, within) -> int | None:
        """The object ``exchange_id`` names, if it is in ``within`` (a queryset the importer may
        reach): an ID of anything else here — another council's PEP, say — finds nothing."""
        if (kind, exchange_id) in self.local:
            candidates = [self.local[(kind, exchange_id)]]
        else:
            # What an earlier import made of it (perhaps into another council of this OpenPEP), and,
            # coming home, the object this OpenPEP exported itself: the first the importer may reach.
            candidates = list(
                ExchangeId.objects.filter(kind=kind, exchange_id=exchange_id).values_list("object_id", flat=True)
            )
            if exchange_id.startswith(f"{settings.OPENPEP_INSTANCE_ID}/{kind}/"):
                key = exchange_id.rsplit("/", 1)[-1]
                if key.isascii() and key.isdigit() and len(key) < 19:
                    candidates.append(int(key))
        if not candidates:
            return None
        return within.filter(pk__in=candidates).values_list("pk", flat=True).order_by().first()

    def refer(self, kind: str, exchange_id: str, within, where: str) -> int:
        """A reference the document makes (the PEP a version corrects, a target continued or
        reviewed): it must be to this child's history, never to a row of anyone else."""
        found = self.find(kind, exchange_id, within)
        if found is None:
            raise InvalidDocument([f"{where}: {exchange_id} is not in this document's history of the child"])
        return found

    def remember(self, kind: str, exchange_id: str, obj) -> None:
        self.local[(kind, exchange_id)] = obj.pk
        # Kept even for this OpenPEP's own IDs: one OpenPEP may host both councils.
        if not ExchangeId.objects.filter(kind=kind, object_id=obj.pk).exists():
            ExchangeId.objects.get_or_create(kind=kind, exchange_id=exchange_id, defaults={"object_id": obj.pk})

    def school(self, data: dict | None) -> School | None:
        if data is None:
            return None
        school = School.objects.filter(urn=data["urn"]).first()
        if school is None:
            authority, _ = LocalAuthority.objects.get_or_create(
                code=data["la_code"], defaults={"name": data["la_name"]}
            )
            school = School.objects.create(
                urn=data["urn"], name=data["name"], phase=data["phase"], local_authority=authority
            )
            record(self.actor, Verb.CREATED, school, summary=f"Added {school.name} from a PEP exchange document")
        return school

    def child(self) -> Child:
        data = self.document["child"]
        pk = self.find("child", data["id"], self.children)
        child = self.children.filter(pk=pk).first() if pk else None
        if child is None and data.get("upn"):
            child = self.children.filter(upn=data["upn"].upper()).first()
            if child is None and Child.objects.filter(upn=data["upn"].upper()).exists():
                raise InvalidDocument([f"child/upn: {data['upn']} is a child of another local authority here"])
        made = child is None
        if made:
            local_id = data["local_id"]
            if Child.objects.filter(local_authority=self.authority, local_id=local_id).exists():
                raise InvalidDocument([f"child/local_id: {local_id} is already another child's ID here"])
            child = Child.objects.create(
                local_authority=self.authority,
                **{k: data[k] for k in ["first_name", "last_name", "gender", "upn", "local_id"]},
                date_of_birth=parse_date(data["date_of_birth"]),
                # Absent or null for a child never in care (the schema asks for it when there is a PEP).
                care_start_date=parse_date(data["care_start_date"]) if data.get("care_start_date") else None,
            )
            record(
                self.actor, Verb.CREATED, child, summary=f"Imported {child.full_name}'s PEP history from {self.source}"
            )
        self.result.count("child", made)
        self.remember("child", data["id"], child)
        return child

    def enrolments(self, child: Child) -> None:
        for data in self.document["enrolments"]:
            if self.find("enrolment", data["id"], child.enrolments.all()):
                self.result.count("enrolment", False)
                continue
            school = self.school(data["school"])
            starts = parse_date(data["starts_on"])
            existing = child.enrolments.filter(school=school, starts_on=starts).first()
            made = existing is None
            if made:
                ends = parse_date(data["ends_on"]) if data["ends_on"] else None
                if ends is None and child.enrolments.filter(ends_on__isnull=True).exists():
                    raise InvalidDocument([f"enrolments/{data['id']}: the child already has an open enrolment here"])
                existing = Enrolment.objects.create(child=child, school=school, starts_on=starts, ends_on=ends)
                record(self.actor, Verb.ENROLLED, existing, summary=f"Imported the enrolment at {school.name}")
            self.result.count("enrolment", made)
            self.remember("enrolment", data["id"], existing)

    def pep(self, child: Child, data: dict) -> None:
        peps, targets = Pep.objects.filter(child=child), Target.objects.filter(pep__child=child)
        pk = self.find("pep", data["id"], peps)
        if pk:
            self.result.count("pep", False)
            self.local[("pep", data["id"])] = pk
            for target in data["targets"]:
                target_pk = self.find("target", target["id"], targets)
                if target_pk:
                    self.local[("target", target["id"])] = target_pk
            return
        where = f"peps/{data['id']}"
        corrects = self.refer("pep", data["corrects"], peps, f"{where}/corrects") if data["corrects"] else None
        pep = Pep.objects.create(
            child=child,
            school=self.school(data["school"]),
            **_taken(data, Pep.CONTENT_FIELDS),
            status=data["status"],
            version=data["version"],
            corrects_id=corrects,
            created_by=self.actor,
        )
        created_at = parse_datetime(data["created_at"])
        Pep.objects.filter(pk=pep.pk).update(created_at=created_at)
        self.remember("pep", data["id"], pep)
        for name, model in SECTIONS:
            if data[name] is not None:
                values = _taken(data[name], model.CONTENT_FIELDS)
                if "next_meeting_at" in values and values["next_meeting_at"]:
                    values["next_meeting_at"] = parse_datetime(values["next_meeting_at"])
                model.objects.create(pep=pep, updated_by=self.actor, **values)
        for target in data["targets"]:
            continues = None
            if target["continues"]:
                continues = self.refer("target", target["continues"], targets, f"{where}/targets/continues")
            made = Target.objects.create(pep=pep, continues_id=continues, **_taken(target, Target.CONTENT_FIELDS))
            Target.objects.filter(pk=made.pk).update(created_at=parse_datetime(target["created_at"]))
            self.remember("target", target["id"], made)
            self.result.count("target", True)
        for review in data["target_reviews"]:
            target_pk = self.refer("target", review["target"], targets, f"{where}/target_reviews/target")
            TargetReview.objects.create(pep=pep, target_id=target_pk, **_taken(review, TargetReview.CONTENT_FIELDS))
        for row in data["attainment"]:
            Attainment.objects.create(pep=pep, **_taken(row, Attainment.CONTENT_FIELDS))
        for decision in data["decisions"]:
            made = Decision.objects.create(pep=pep, decided_by=self.actor, **_taken(decision, Decision.CONTENT_FIELDS))
            Decision.objects.filter(pk=made.pk).update(decided_at=parse_datetime(decision["decided_at"]))
        record(
            self.actor,
            Verb.CREATED,
            pep,
            summary=f"Imported the PEP {pep.title} from {self.source}",
            after={"exchange_id": data["id"], "status": pep.status},
        )
        self.result.count("pep", True)

    def run(self) -> Result:
        child = self.child()
        self.result.child = child
        self.enrolments(child)
        # Oldest first, so a correction and a continued target find what they refer to.
        for data in sorted(self.document["peps"], key=lambda p: p["created_at"]):
            self.pep(child, data)
        return self.result


@transaction.atomic
def import_history(document: dict, authority: LocalAuthority, actor: User | None = None) -> Result:
    """Import ``document`` into ``authority``: validated against the schema first; all or
    nothing; a second import of the same (or a later) document makes nothing twice.
    Every ID it refers to resolves only inside the authority's children that ``actor`` (a token's
    principal) may see, and inside the child's own history: anything else refuses the document.
    Side effects: audit entries, recorded as made by ``actor`` (or the authority's importer)."""
    validate(document)
    children = Child.objects.filter(local_authority=authority)
    if actor is not None:
        children = children.filter(pk__in=children_for(actor).values("pk"))
    try:
        with transaction.atomic():
            return _Importer(document, authority, actor or importer_for(authority), children).run()
    except IntegrityError as error:
        raise InvalidDocument([f"The document conflicts with what is here already: {error}"]) from None
