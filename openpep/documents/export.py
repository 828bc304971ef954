"""The subject-access export of one child: everything OpenPEP holds about them.

A ZIP of ``record.json`` (every record, in full), one PDF per PEP (the whole PEP;
a signed-off PEP's stored copy, checked against its checksum) and a README. Records
of apps this module does not know (quality assurance, Pupil Premium Plus, …) are
found by their foreign key to the child or to one of their PEPs, meetings or
targets, so an app added later is exported without a change here.

Carers are third parties: unless the Virtual School officer included their details
with a reason, a placement's carer name, a carer invited to or attending a
meeting, and every carer name in free text are withheld. PDFs never show them."""

import datetime
import io
import json
import zipfile
from collections.abc import Callable

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone

from openpep.audit.models import AuditEntry
from openpep.children.models import Child, Enrolment, Placement
from openpep.clock.models import Term
from openpep.meetings.enums import MeetingRole
from openpep.meetings.models import Attendee, Invitation, Meeting
from openpep.people.models import User
from openpep.plans.models import (
    Arrangements,
    Attainment,
    ChildViews,
    Decision,
    Pep,
    SchoolSection,
    Target,
    TargetReview,
    wordings_remembered,
)

from .disclosure import WITHHELD, carer_names, scrub
from .models import ExportJob, StoredCopy, sha256_of
from .pdf import documents_queryset

FORMAT_VERSION = 1
#: Models exported by name below, or not at all (the audit is exported as entries; documents are files).
HANDLED = {
    Child,
    Enrolment,
    Placement,
    Pep,
    ChildViews,
    Arrangements,
    SchoolSection,
    Target,
    TargetReview,
    Attainment,
    Decision,
    Meeting,
    Attendee,
    Invitation,
    StoredCopy,
    ExportJob,
    AuditEntry,
}
SKIP_APPS = {"admin", "auth", "contenttypes", "sessions", "audit", "documents"}


class Collector:
    """Turns model instances into JSON-safe dicts, noting every person they refer to."""

    def __init__(self):
        self.user_ids: set[int] = set()

    def plain(self, instance: models.Model) -> dict:
        row = {}
        for field in instance._meta.concrete_fields:
            value = getattr(instance, field.attname)
            row[field.attname] = value
            if field.is_relation and field.related_model is User and value is not None:
                self.user_ids.add(value)
            if field.choices and value not in (None, ""):
                row[f"{field.name}_display"] = str(getattr(instance, f"get_{field.name}_display")())
        return row

    def people(self) -> dict:
        users = User.objects.filter(pk__in=self.user_ids).order_by("pk")
        return {str(u.pk): {"name": u.full_name, "email": u.email} for u in users}


def _withhold_carer(row: dict, include: bool, *, fields=("name", "email")) -> dict:
    if include or row.get("role") != MeetingRole.CARER:
        return row
    return {**row, **{name: WITHHELD for name in fields if name in row}, "carer_details_withheld": True}


def _pep_record(pep: Pep, collect: Collector, include_carers: bool) -> dict:
    def one(name):
        try:
            value = getattr(pep, name)
        except models.ObjectDoesNotExist:
            return None
        return collect.plain(value)

    meeting = None
    try:
        meeting_obj = pep.meeting
    except models.ObjectDoesNotExist:
        meeting_obj = None
    if meeting_obj is not None:
        meeting = collect.plain(meeting_obj)
        meeting["attendees"] = [
            _withhold_carer(collect.plain(a), include_carers, fields=("name",)) for a in meeting_obj.attendees.all()
        ]
        meeting["invitations"] = [
            _withhold_carer(collect.plain(i), include_carers) for i in meeting_obj.invitations.all()
        ]
    return {
        **collect.plain(pep),
        "title": pep.title,
        "section_b_child_views": one("child_views"),
        "section_c_arrangements": one("arrangements"),
        "section_d_school": one("school_section"),
        "targets": [collect.plain(t) for t in pep.targets.all()],
        "reviews_of_previous_targets": [collect.plain(r) for r in pep.target_reviews.all()],
        "attainment": [collect.plain(a) for a in pep.attainment.all()],
        "meeting": meeting,
        "section_e_decisions": [collect.plain(d) for d in pep.decisions.all()],
        "stored_copies": [
            {"kind": c.kind, "sha256": c.sha256, "size": c.size, "created_at": c.created_at}
            for c in pep.stored_copies.all()
        ],
    }


def _other_records(child: Child, collect: Collector) -> dict[str, list[dict]]:
    """Rows of every other app that point at the child or at one of their PEPs, meetings or targets."""
    paths = {Child: "", Pep: "__child", Meeting: "__pep__child", Target: "__pep__child"}
    found: dict[str, list[dict]] = {}
    for model in apps.get_models():
        if model in HANDLED or model._meta.app_label in SKIP_APPS:
            continue
        condition = Q(pk__in=[])
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model in paths:
                condition |= Q(**{f"{field.name}{paths[field.related_model]}": child})
        if condition == Q(pk__in=[]):
            continue
        rows = [collect.plain(row) for row in model._default_manager.filter(condition).distinct().order_by("pk")]
        if rows:
            found[model._meta.label_lower] = rows
    return found


def _audit(child: Child, pep_ids: list[int]) -> list[dict]:
    entries = (
        AuditEntry.objects.filter(Q(child_id=child.pk) | Q(pep_id__in=pep_ids))
        .select_related("actor")
        .order_by("at", "id")
    )
    return [
        {
            "at": e.at,
            "actor": e.actor.full_name if e.actor else "OpenPEP",
            "actor_id": e.actor_id,
            "verb": e.verb,
            "verb_display": e.get_verb_display(),
            "target_type": e.target_type,
            "target_id": e.target_id,
            "pep_id": e.pep_id,
            "summary": e.summary,
            "before": e.before,
            "after": e.after,
        }
        for e in entries
    ]


def pdf_name(number: int, pep: Pep) -> str:
    created = timezone.localtime(pep.created_at).date().isoformat()
    return f"peps/{number:02d}-{created}-{pep.occasion}-v{pep.version}-{pep.status}.pdf"


def build_export(
    job: ExportJob,
    *,
    pdf_for: Callable[[Pep, list[Term]], bytes],
    progress: Callable[[int, str], None],
) -> bytes:
    """The ZIP of ``job``'s child. ``progress(per_cent, step)`` is called as it goes."""
    with wordings_remembered():  # every PEP's title and PDF: the council's wording read once
        return _build_export(job, pdf_for=pdf_for, progress=progress)


def _build_export(
    job: ExportJob,
    *,
    pdf_for: Callable[[Pep, list[Term]], bytes],
    progress: Callable[[int, str], None],
) -> bytes:
    include = job.include_carer_details
    child = Child.objects.select_related("local_authority").get(pk=job.child_id)
    placements = list(child.placements.all())
    names = carer_names(placements)
    peps = list(
        documents_queryset(Pep.objects.filter(child=child))
        .prefetch_related("meeting__invitations", "stored_copies")
        .order_by("created_at", "pk")
    )
    terms = list(Term.objects.filter(local_authority_id=child.local_authority_id))
    progress(3, "Collecting the records")

    collect = Collector()
    placement_rows = []
    for placement in placements:
        row = collect.plain(placement)
        if not include:
            row["carer_name"] = None
            row["carer_name_withheld"] = True
        placement_rows.append(row)
    data = {
        "child": collect.plain(child),
        "local_authority": child.local_authority.name,
        "enrolments": [
            {**collect.plain(e), "school": e.school.name, "school_urn": e.school.urn}
            for e in child.enrolments.select_related("school").order_by("starts_on", "pk")
        ],
        "placements": placement_rows,
        "peps": [_pep_record(pep, collect, include) for pep in peps],
        "other_records": _other_records(child, collect),
        "audit": _audit(child, [pep.pk for pep in peps]),
    }
    data["people"] = collect.people()
    if not include:
        data = scrub(data, names)
    data = {
        "export": {
            "format_version": FORMAT_VERSION,
            "child_id": child.pk,
            "requested_by": job.requested_by.full_name,
            "requested_at": job.created_at,
            "generated_at": timezone.now(),
            "carer_details_included": include,
            "carer_details_reason": job.carer_details_reason if include else "",
        },
        **data,
    }
    progress(8, "Writing the PDFs")

    buffer = io.BytesIO()
    checksums = []
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        record = json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False).encode()
        archive.writestr("record.json", record)
        checksums.append(("record.json", sha256_of(record)))
        for number, pep in enumerate(peps, start=1):
            content = pdf_for(pep, terms)
            name = pdf_name(number, pep)
            # PDFs are compressed already: storing them saves the time of compressing again.
            archive.writestr(name, content, compress_type=zipfile.ZIP_STORED)
            checksums.append((name, sha256_of(content)))
            progress(8 + 90 * number // len(peps), f"Written the PDF of PEP {number} of {len(peps)}")
        archive.writestr("README.txt", _readme(job, child, include, checksums))
    return buffer.getvalue()


def _readme(job: ExportJob, child: Child, include: bool, checksums: list[tuple[str, str]]) -> str:
    generated = timezone.localtime().strftime("%d %B %Y at %H:%M")
    carers = (
        f"Carer details ARE included, at the request of {job.requested_by.full_name}, who gave this reason:\n"
        f"    {job.carer_details_reason}\n"
        if include
        else "Carer details are NOT included: carers' names (on placements, as meeting attendees or invitees,\n"
        "and in free text) are replaced by “[carer's name withheld]”.\n"
    )
    files = "\n".join(f"    {sha} {name}" for name, sha in checksums)
    return (
        f"Subject-access export: {child.full_name} (OpenPEP child {child.pk})\n"
        f"Generated on {generated} for {job.requested_by.full_name}. OFFICIAL-SENSITIVE.\n\n"
        "record.json  every record OpenPEP holds about the child: details, schools, placements,\n"
        "             every PEP with all its sections, targets, reviews, attainment, meetings and\n"
        "             decisions, other records about them (quality assurance, Pupil Premium Plus)\n"
        "             and the audit trail: who saw (downloaded) and changed their record, and when.\n"
        "peps/        the whole PEP as a PDF, one for each PEP; a signed-off PEP's is the copy\n"
        "             stored when it was signed off. PDFs never show placements or carers' names.\n\n"
        f"{carers}\n"
        f"SHA-256 checksums:\n{files}\n"
    )


def elapsed(job: ExportJob) -> datetime.timedelta | None:
    if job.started_at and job.finished_at:
        return job.finished_at - job.started_at
    return None
