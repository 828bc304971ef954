"""The subject-access export, end to end: requested by the Virtual School, run by the worker's
function, downloaded (and audited), with carers' details withheld unless included with a reason."""

import datetime
import io
import json
import time
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from openpep.audit.enums import Verb
from openpep.audit.models import AuditEntry
from openpep.audit.services import record
from openpep.documents import services
from openpep.documents.disclosure import WITHHELD
from openpep.documents.enums import JobStatus
from openpep.documents.models import ExportJob, StoredCopy
from openpep.meetings.enums import MeetingRole
from openpep.meetings.models import Attendee, Meeting
from openpep.plans.enums import (
    DecisionOutcome,
    Occasion,
    Phase,
    SenStatus,
    Status,
    TargetArea,
    TargetRating,
)
from openpep.plans.models import (
    Arrangements,
    Attainment,
    ChildViews,
    Decision,
    Pep,
    SchoolSection,
    Target,
    TargetReview,
)
from tests.fixtures import sign_in

from .conftest import CARER, full_pep, pdf_text


@pytest.fixture
def signed_off(world, carer, django_capture_on_commit_callbacks):
    return full_pep(world, django_capture_on_commit_callbacks)


def _request(client, user, child, **data):
    sign_in(client, user)
    return client.post(reverse("documents:exports", args=[child.pk]), data)


def _unzip(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_export_end_to_end(world, signed_off, client, documents_root):
    response = _request(client, world.vs, world.child)
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("documents:export", args=[world.child.pk, job.pk])
    assert (job.status, job.progress, job.requested_by) == (JobStatus.QUEUED, 0, world.vs)
    page = client.get(response["Location"]).content.decode()
    assert "Waiting to start" in page and "Refresh to check progress" in page

    assert services.run_queued_exports() == 1

    job.refresh_from_db()
    assert (job.status, job.progress, job.error) == (JobStatus.DONE, 100, "")
    assert job.finished_at >= job.started_at >= job.created_at
    page = client.get(reverse("documents:export", args=[world.child.pk, job.pk])).content.decode()
    assert "Ready to download" in page and "Download the export (ZIP" in page
    download = client.get(reverse("documents:export_download", args=[world.child.pk, job.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    files = _unzip(download.content)
    assert sorted(files) == [
        "README.txt",
        f"peps/01-{timezone.localdate().isoformat()}-initial-v1-signed_off.pdf",
        f"peps/02-{timezone.localdate().isoformat()}-review-v1-signed_off.pdf",
        "record.json",
    ]
    # A signed-off PEP's PDF is its stored copy, byte for byte.
    stored = StoredCopy.objects.get(pep=signed_off, kind="whole")
    assert (
        files[f"peps/02-{timezone.localdate().isoformat()}-review-v1-signed_off.pdf"]
        == (documents_root / stored.path).read_bytes()
    )
    record_ = json.loads(files["record.json"])
    assert record_["export"]["carer_details_included"] is False
    assert record_["child"]["first_name"] == "Amira"
    assert [e["school"] for e in record_["enrolments"]] == ["Oak Primary"]
    assert [p["placement_type"] for p in record_["placements"]] == ["U4"]
    second = record_["peps"][1]
    assert second["occasion"] == Occasion.REVIEW
    assert second["section_b_child_views"]["going_well"] == "Reading with my carer"
    assert second["section_c_arrangements"]["carer_views"] == "Settled and happy"
    assert [t["outcome"] for t in second["targets"]] == [
        "I will read a chapter book each week (1)",
        "I will read a chapter book each week (2)",
    ]
    assert [r["rating"] for r in second["reviews_of_previous_targets"]] == ["achieved", "achieved"]
    assert [a["subject"] for a in second["attainment"]] == ["Reading", "Maths"]
    assert [d["outcome"] for d in second["section_e_decisions"]] == ["signed_off"]
    assert {c["kind"] for c in second["stored_copies"]} == {"whole", "school"}
    assert second["meeting"]["chair"] == "Sam Worker"
    assert record_["people"][str(world.vs.pk)]["name"] == "Val School"
    summaries = [e["summary"] for e in record_["audit"]]
    assert "Started the PEP: Termly review – Statutory school age (Reception to Year 11)" in summaries
    assert "Signed off the PEP" in summaries
    assert "Requested a subject-access export" in summaries
    readme = files["README.txt"].decode()
    assert "Carer details are NOT included" in readme
    assert "OFFICIAL-SENSITIVE" in readme
    entry = AuditEntry.objects.filter(verb=Verb.DOWNLOADED).get()
    assert (entry.actor, entry.child_id, entry.summary) == (
        world.vs,
        world.child.pk,
        "Downloaded the subject-access export",
    )


def test_export_withholds_carer_details_by_default(world, signed_off, client):
    _request(client, world.vs, world.child)
    services.run_queued_exports()
    job = ExportJob.objects.get()

    files = _unzip(services.download_export(world.vs, job).content)

    for name, content in files.items():
        text = pdf_text(content) if name.endswith(".pdf") else content.decode()
        assert "Quillfeather" not in text, name
    record_ = json.loads(files["record.json"])
    assert record_["placements"][0]["carer_name"] is None
    assert record_["placements"][0]["carer_name_withheld"] is True
    attendees = record_["peps"][1]["meeting"]["attendees"]
    assert [(a["name"], a["role"]) for a in attendees] == [("Amira Test", "child"), (WITHHELD, MeetingRole.CARER)]
    # The audit of adding the carer as an attendee names her: scrubbed too.
    assert any(WITHHELD in e["summary"] for e in record_["audit"])


def test_export_includes_carer_details_only_with_a_reason(world, signed_off, client):
    refused = _request(client, world.vs, world.child, include_carer_details="on", carer_details_reason="  ")
    assert refused.status_code == 200
    assert "Enter why the carer details must be included" in refused.content.decode()
    assert not ExportJob.objects.exists()

    reason = "The young person asked for her whole file, carers included, at 18 (SAR ref 2026/114)"
    _request(client, world.vs, world.child, include_carer_details="on", carer_details_reason=reason)
    services.run_queued_exports()
    job = ExportJob.objects.get()

    files = _unzip(services.download_export(world.vs, job).content)
    record_ = json.loads(files["record.json"])
    assert record_["placements"][0]["carer_name"] == CARER
    assert record_["export"]["carer_details_reason"] == reason
    assert reason in files["README.txt"].decode()
    for name, content in files.items():  # PDFs never show carers, whoever asks
        if name.endswith(".pdf"):
            assert "Quillfeather" not in pdf_text(content)
    requested = AuditEntry.objects.get(target_type="documents.exportjob", verb=Verb.CREATED)
    assert requested.summary == f"Requested a subject-access export, including carer details because: {reason}"
    assert requested.after == {"include_carer_details": True, "reason": reason}
    assert requested.child_id == world.child.pk


@pytest.mark.parametrize("role", ["sw", "tm", "dt", "iro"])
def test_only_the_virtual_school_exports(world, client, role):
    sign_in(client, getattr(world, role))

    assert client.get(reverse("documents:exports", args=[world.child.pk])).status_code == 403
    assert _request(client, getattr(world, role), world.child).status_code == 403


@pytest.mark.parametrize("role", ["vs_other", "dt_other", "nobody"])
def test_outsiders_cannot_find_the_export(world, client, role):
    job = ExportJob.objects.create(child=world.child, requested_by=world.vs)
    sign_in(client, getattr(world, role))

    assert client.get(reverse("documents:exports", args=[world.child.pk])).status_code == 404
    assert client.get(reverse("documents:export", args=[world.child.pk, job.pk])).status_code == 404
    assert client.get(reverse("documents:export_download", args=[world.child.pk, job.pk])).status_code == 404


def test_job_of_another_child_is_not_found_through_this_one(world, client):
    job = ExportJob.objects.create(child=world.other_child, requested_by=world.vs)
    sign_in(client, world.vs)

    assert client.get(reverse("documents:export", args=[world.child.pk, job.pk])).status_code == 404


def test_a_job_is_claimed_once(world):
    first = ExportJob.objects.create(child=world.child, requested_by=world.vs)
    second = ExportJob.objects.create(child=world.other_child, requested_by=world.vs)

    claims = [services.claim_next_export(), services.claim_next_export(), services.claim_next_export()]

    assert [c.pk if c else None for c in claims] == [first.pk, second.pk, None]
    assert set(ExportJob.objects.values_list("status", flat=True)) == {JobStatus.RUNNING}


def test_failed_job_says_why_and_the_worker_goes_on(world, client, documents_root):
    broken = ExportJob.objects.create(child=world.child, requested_by=world.vs)
    fine = ExportJob.objects.create(child=world.other_child, requested_by=world.vs)
    (documents_root / "exports").mkdir(parents=True)
    (documents_root / "exports" / f"child-{world.child.pk}").write_text("a file where a folder must be")

    assert services.run_queued_exports() == 2

    broken.refresh_from_db()
    assert broken.status == JobStatus.FAILED
    assert "is not a directory" in broken.error
    sign_in(client, world.vs)
    page = client.get(reverse("documents:export", args=[world.child.pk, broken.pk])).content.decode()
    assert "The export failed" in page
    fine.refresh_from_db()
    assert fine.status == JobStatus.DONE


def test_tampered_export_is_refused(world, signed_off, client, documents_root):
    _request(client, world.vs, world.child)
    services.run_queued_exports()
    job = ExportJob.objects.get()
    (documents_root / job.file).write_bytes(b"PK not the export")

    response = client.get(reverse("documents:export_download", args=[world.child.pk, job.pk]))

    assert response.status_code == 500
    assert not AuditEntry.objects.filter(verb=Verb.DOWNLOADED).exists()


# --- ten years of PEPs -------------------------------------------------------------------------


def _ten_years_of_peps(world, count=30) -> list[Pep]:
    """``count`` PEPs of world.child, three a year for ten years, made directly with the models (as a
    council's migrated history would be): full sections, targets, reviews, attainment, a meeting,
    the decisions; all but the last signed off, none with a stored copy yet (the worst case: the
    export renders every one). And the audit of a busy record."""
    child, sw, dt, vs = world.child, world.sw, world.dt, world.vs
    peps, previous_targets = [], []
    start = datetime.date(2016, 9, 15)
    for n in range(count):
        day = start + datetime.timedelta(days=122 * n)
        last = n == count - 1
        pep = Pep.objects.create(
            child=child,
            school=world.school,
            phase=Phase.STATUTORY,
            occasion=Occasion.INITIAL if n == 0 else Occasion.REVIEW,
            status=Status.SUBMITTED if last else Status.SIGNED_OFF,
            created_by=sw,
        )
        created = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
        Pep.objects.filter(pk=pep.pk).update(created_at=created)
        ChildViews.objects.create(
            pep=pep,
            updated_by=dt,
            going_well=f"Reading, term {n}",
            hard="Fractions",
            helps_me="My key adult",
            aspirations="A vet",
            how_gathered="own_words",
        )
        Arrangements.objects.create(
            pep=pep,
            updated_by=sw,
            setting="Full time at Oak Primary",
            full_time=True,
            carer_views=f"{CARER} says she is settled",
            actions_social_worker="Share the PEP",
        )
        SchoolSection.objects.create(
            pep=pep,
            updated_by=dt,
            sen_status=SenStatus.SUPPORT,
            sen_primary_need="SLCN",
            attendance_percent=95,
            education_story="Settled. " * 40,
            pupil_premium_use="Tutoring",
            support_offered="Small-group reading " * 10,
        )
        meeting = Meeting.objects.create(
            pep=pep,
            updated_by=sw,
            held_on=day,
            start_time=datetime.time(9, 30),
            venue="Oak Primary",
            chair="Sam Worker",
            note_taker="Dee Teacher",
            notes="Discussed progress. " * 30,
            agreed=True,
        )
        Attendee.objects.bulk_create(
            [
                Attendee(meeting=meeting, name="Amira Test", role="child"),
                Attendee(meeting=meeting, name=CARER, role=MeetingRole.CARER),
            ]
        )
        for target in previous_targets:
            TargetReview.objects.create(pep=pep, target=target, rating=TargetRating.PARTLY, evidence="Some progress")
        previous_targets = [
            Target.objects.create(
                pep=pep,
                outcome=f"I will read more, target {t} of PEP {n}",
                area=TargetArea.READING,
                success_measure="Reading log",
                actions="Daily reading",
                who="Class teacher",
                by_when=day + datetime.timedelta(days=120),
            )
            for t in range(3)
        ]
        Attainment.objects.bulk_create(
            [Attainment(pep=pep, subject=s, current="EXS", expected="GDS") for s in ("Reading", "Writing", "Maths")]
        )
        if not last:
            Decision.objects.create(pep=pep, outcome=DecisionOutcome.SIGNED_OFF, decided_by=vs)
        for _ in range(10):
            record(sw, Verb.UPDATED, pep, summary="Saved Section C")
        peps.append(pep)
    return peps


def test_export_of_ten_years_of_peps(world, carer, capsys):
    peps = _ten_years_of_peps(world)
    job = services.request_export(world.vs, world.child, include_carer_details=False, reason="")

    started = time.perf_counter()
    services.run_export(services.claim_next_export())
    seconds = time.perf_counter() - started

    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    files = _unzip(services.download_export(world.vs, job).content)
    assert len([name for name in files if name.endswith(".pdf")]) == 30
    record_ = json.loads(files["record.json"])
    assert len(record_["peps"]) == 30 and len(record_["audit"]) >= 300
    assert "Quillfeather" not in files["record.json"].decode()
    assert StoredCopy.objects.filter(pep__in=peps[:-1], kind="whole").count() == 29  # stored on the way
    with capsys.disabled():
        print(f"\nSubject-access export of 30 PEPs (29 signed-off copies rendered and stored): {seconds:.1f} s")
