"""Documents: signed-off copies, downloads and subject-access exports.

Every download goes through a function here that checks the right again, and writes
its audit entry (``Verb.DOWNLOADED``); views never write the audit."""

import logging
import time
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from openpep import text_limits
from openpep.audit.enums import Verb
from openpep.audit.services import record
from openpep.children.models import Child
from openpep.people.models import User
from openpep.plans.enums import DecisionOutcome, Status
from openpep.plans.models import Pep
from openpep.plans.queries import wording_for

from . import export, pdf, rules
from .enums import KIND_NOUNS, CopyKind, JobStatus
from .models import ExportJob, StoredCopy, sha256_of
from .storage import CopyTampered, discard, read_verified, save

log = logging.getLogger("openpep.documents")

__all__ = ["CopyTampered"]


@dataclass(frozen=True)
class Download:
    filename: str
    content: bytes
    content_type: str
    sha256: str


def _pep_filename(pep: Pep, kind: str) -> str:
    created = timezone.localtime(pep.created_at).date().isoformat()
    what = "pep" if kind == CopyKind.WHOLE else "pep-school-section"
    return f"{what}-{slugify(pep.child.full_name)}-{created}-v{pep.version}.pdf"


# --- signed-off copies -------------------------------------------------------------------------


def _signed_off_by(pep: Pep) -> User | None:
    decisions = [d for d in pep.decisions.all() if d.outcome == DecisionOutcome.SIGNED_OFF]
    return decisions[-1].decided_by if decisions else None


def ensure_stored_copy(pep: Pep, kind: str, *, terms=None) -> StoredCopy:
    """The stored copy of a signed-off PEP, rendering and storing it if it is not there yet.

    Rendered once: two processes racing both render, the unique constraint keeps the
    first, and the second deletes its file. ``pep`` should come from
    ``pdf.documents_queryset``. Side effects: a file in the documents storage, an
    audit entry (by OpenPEP itself) with its checksum."""
    existing = next((c for c in pep.stored_copies.all() if c.kind == kind), None)
    if existing is None:
        existing = StoredCopy.objects.filter(pep=pep, kind=kind).first()
    if existing is not None:
        return existing
    if pep.status != Status.SIGNED_OFF:
        raise ValueError("Only a signed-off PEP has a stored copy")
    signer = _signed_off_by(pep)
    content = pdf.pep_pdf(pep, CopyKind(kind), generated_by=signer, terms=terms)
    digest = sha256_of(content)
    name = save(f"peps/{pep.pk}/{kind}-{digest[:16]}.pdf", content)
    try:
        with transaction.atomic():
            copy = StoredCopy.objects.create(
                pep=pep, kind=kind, path=name, size=len(content), sha256=digest, generated_by=signer
            )
            record(
                None,
                Verb.CREATED,
                copy,
                summary=f"Stored the signed-off copy: {CopyKind(kind).label} (SHA-256 {digest[:16]}…)",
                after={"kind": kind, "sha256": digest, "size": len(content)},
            )
    except IntegrityError:
        discard(name)
        return StoredCopy.objects.get(pep=pep, kind=kind)
    return copy


def store_signed_off_copies(pep_id: int) -> list[StoredCopy]:
    """Both copies of a signed-off PEP (none for a PEP in any other state). Idempotent:
    called whenever a PEP changes, it costs two small queries once the copies exist."""
    if not Pep.objects.filter(pk=pep_id, status=Status.SIGNED_OFF).exists():
        return []
    stored = list(StoredCopy.objects.filter(pep_id=pep_id))
    if len(stored) == len(CopyKind):
        return stored
    pep = (
        pdf.documents_queryset(Pep.objects.filter(pk=pep_id, status=Status.SIGNED_OFF))
        .prefetch_related("stored_copies")
        .first()
    )
    if pep is None:
        return []
    return [ensure_stored_copy(pep, kind) for kind in CopyKind]


def read_copy(copy: StoredCopy) -> bytes:
    what = f"the {copy.get_kind_display().lower()} of PEP {copy.pep_id}"
    return read_verified(copy.path, copy.sha256, what=what)


# --- downloads ---------------------------------------------------------------------------------


def download_pep(actor: User, pep: Pep, kind: str) -> Download:
    """A PDF of ``pep`` for ``actor``: a signed-off PEP's stored copy (checked against its
    checksum: ``CopyTampered`` if it fails), otherwise rendered now.

    ``pep`` comes from ``peps_for(actor)``. Side effects: the audit entry of the download;
    a signed-off PEP's copies are stored if they were not (a failed sign-off render)."""
    if not rules.can_download(actor, pep, kind):
        raise PermissionDenied("You cannot download this document")
    pep = pdf.documents_queryset(Pep.objects.filter(pk=pep.pk)).prefetch_related("stored_copies").get()
    if pep.status == Status.SIGNED_OFF:
        content = read_copy(ensure_stored_copy(pep, kind))
        source = "signed-off copy"
    else:
        content = pdf.pep_pdf(pep, CopyKind(kind), generated_by=actor)
        source = f"status: {pep.get_status_display()}"
    digest = sha256_of(content)
    with transaction.atomic():
        record(
            actor,
            Verb.DOWNLOADED,
            pep,
            summary=f"Downloaded {KIND_NOUNS[kind]} (PDF, {source})",
            after={"kind": kind, "sha256": digest, "signed_off_copy": pep.status == Status.SIGNED_OFF},
        )
    return Download(_pep_filename(pep, kind), content, "application/pdf", digest)


def blank_template(actor: User, slug: str) -> Download | None:
    """A blank school section for the PEP type ``slug`` (phase-occasion), worded as the actor's council
    words it (``plans.queries.wording_for``); None for an unknown type. Holds nothing about anyone, so
    it is not audited."""
    parsed = pdf.parse_blank_slug(slug)
    if parsed is None:
        return None
    content = pdf.blank_pdf(*parsed, wording=wording_for(actor), generated_by=actor)
    return Download(
        f"blank-pep-school-section-{slug.replace('_', '-')}.pdf", content, "application/pdf", sha256_of(content)
    )


# --- subject-access exports --------------------------------------------------------------------


def request_export(actor: User, child: Child, *, include_carer_details: bool, reason: str) -> ExportJob:
    """Queue a subject-access export of ``child`` for the worker.

    Side effects: the job, and an audit entry that records whether carer details are
    included and why."""
    if not rules.can_export(actor, child):
        raise PermissionDenied("Only the Virtual School can export a child's records")
    reason = reason.strip()
    if include_carer_details and not reason:
        raise ValidationError({"carer_details_reason": "Enter why the carer details must be included"})
    with transaction.atomic():
        job = ExportJob.objects.create(
            child=child,
            requested_by=actor,
            include_carer_details=include_carer_details,
            carer_details_reason=reason if include_carer_details else "",
        )
        record(
            actor,
            Verb.CREATED,
            job,
            summary="Requested a subject-access export"
            + (f", including carer details because: {reason}" if include_carer_details else ""),
            after={"include_carer_details": include_carer_details, "reason": job.carer_details_reason},
        )
    return job


def claim_next_export() -> ExportJob | None:
    """Take the oldest queued job for this worker. ``skip_locked`` lets two workers pass each
    other's rows on PostgreSQL; the conditional update makes the claim safe on SQLite too."""
    while True:
        with transaction.atomic():
            job = (
                ExportJob.objects.select_for_update(skip_locked=True)
                .filter(status=JobStatus.QUEUED)
                .order_by("created_at", "pk")
                .first()
            )
            if job is None:
                return None
            claimed = ExportJob.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
                status=JobStatus.RUNNING, started_at=timezone.now(), progress=1, step="Starting"
            )
        if claimed:
            job.refresh_from_db()
            return job


def run_export(job: ExportJob) -> ExportJob:
    """Build the ZIP of a claimed job and store it. A failure marks the job failed, with the
    reason, and is logged; it never stops the worker."""

    def progress(per_cent: int, step: str) -> None:
        ExportJob.objects.filter(pk=job.pk).update(progress=min(per_cent, 99), step=step[:200])

    def pdf_for(pep: Pep, terms) -> bytes:
        if pep.status == Status.SIGNED_OFF:
            return read_copy(ensure_stored_copy(pep, CopyKind.WHOLE, terms=terms))
        return pdf.pep_pdf(pep, CopyKind.WHOLE, generated_by=job.requested_by, terms=terms)

    started = time.monotonic()
    try:
        content = export.build_export(job, pdf_for=pdf_for, progress=progress)
        name = save(f"exports/child-{job.child_id}/subject-access-{job.pk}.zip", content)
    except Exception as error:  # the worker must go on to the next job whatever went wrong
        log.exception("Subject-access export %s failed", job.pk)
        ExportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED,
            error=str(error)[: text_limits.SHORT] or type(error).__name__,
            finished_at=timezone.now(),
        )
    else:
        ExportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.DONE,
            progress=100,
            step="Ready",
            file=name,
            size=len(content),
            sha256=sha256_of(content),
            finished_at=timezone.now(),
        )
        log.info("Subject-access export %s done in %.1f s", job.pk, time.monotonic() - started)
    job.refresh_from_db()
    return job


def run_queued_exports(limit: int | None = None) -> int:
    """Run queued exports until none is left (or ``limit`` have run); the worker calls it each loop."""
    count = 0
    while limit is None or count < limit:
        job = claim_next_export()
        if job is None:
            break
        run_export(job)
        count += 1
    return count


def download_export(actor: User, job: ExportJob) -> Download:
    """The ZIP of a finished export, checked against its checksum. Side effect: audit entry."""
    if not rules.can_export(actor, job.child):
        raise PermissionDenied("Only the Virtual School can download a child's records")
    if job.status != JobStatus.DONE:
        raise ValidationError("This export is not ready")
    content = read_verified(job.file, job.sha256, what=f"subject-access export {job.pk}")
    with transaction.atomic():
        record(
            actor,
            Verb.DOWNLOADED,
            job,
            summary="Downloaded the subject-access export"
            + (" (carer details included)" if job.include_carer_details else ""),
            after={"sha256": job.sha256},
        )
    return Download(
        f"subject-access-{slugify(job.child.full_name)}-{timezone.localtime(job.created_at):%Y-%m-%d}-{job.pk}.zip",
        content,
        "application/zip",
        job.sha256,
    )
