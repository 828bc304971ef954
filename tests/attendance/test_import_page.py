"""The Virtual School's upload of the schools' attendance: the command's import, from the page."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from openpep.attendance.models import AttendanceDay, AttendanceYear
from openpep.audit.models import AuditEntry
from openpep.people.enums import Role
from tests.fixtures import make_user, sign_in

from .conftest import upn


def _file(lines: list[str]) -> SimpleUploadedFile:
    body = "\r\n".join(["UPN,URN,DATE,SESSION,CODE", *lines]) + "\r\n"
    return SimpleUploadedFile("register.csv", body.encode(), content_type="text/csv")


def _child_with_upn(world):
    world.child.upn = upn(1)
    world.child.save()
    return world.child


def test_the_head_uploads_a_file_and_sees_each_bad_line_and_what_was_imported(world, client):
    child = _child_with_upn(world)
    sign_in(client, world.vs_admin)

    response = client.post(
        reverse("attendance:import"),
        {"file": _file([f"{child.upn},100001,16/11/2026,AM,/", f"{child.upn},100001,16/11/2026,PM,Q"])},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "2 sessions read: 1 new, 0 changed, 0 unchanged, 1 not imported" in page
    assert "Line 3, column CODE: &#x27;Q&#x27; is not a national attendance code" in page
    assert AttendanceDay.objects.get(child=child).am == "/"
    assert not response.context["form"].is_bound  # the result, and a fresh form for the next file
    entry = AuditEntry.objects.get(target_type="people.localauthority")
    assert entry.actor == world.vs_admin


def test_checking_only_writes_nothing(world, client):
    child = _child_with_upn(world)
    sign_in(client, world.vs_admin)

    response = client.post(
        reverse("attendance:import"),
        {"file": _file([f"{child.upn},100001,16/11/2026,AM,/"]), "check_only": "on"},
    )

    assert "File checked" in response.content.decode()
    assert not AttendanceDay.objects.exists() and not AttendanceYear.objects.exists()
    assert not AuditEntry.objects.filter(target_type="people.localauthority").exists()


def test_a_file_that_is_not_csv_is_one_message_and_nothing_kept(world, client):
    sign_in(client, world.vs_admin)

    response = client.post(
        reverse("attendance:import"),
        {"file": SimpleUploadedFile("book.xlsx", b"PK\x03\x04binary", content_type="application/zip")},
    )

    page = response.content.decode()
    assert 'class="govuk-error-summary"' in page
    assert response.context["form"].errors["file"] == [
        "The selected file is a ZIP file (an Excel workbook?), not a CSV file: save it as CSV UTF-8"
    ]
    assert not AttendanceDay.objects.exists()


def test_another_councils_head_cannot_reach_this_councils_children(world, client):
    """The outsider: a head elsewhere imports against their own authority, where this UPN is no child."""
    child = _child_with_upn(world)
    head_elsewhere = make_user("vsh2@test.example", "Other Head", Role.VS_ADMIN, local_authority=world.other_authority)
    sign_in(client, head_elsewhere)

    response = client.post(reverse("attendance:import"), {"file": _file([f"{child.upn},100001,16/11/2026,AM,/"])})

    assert f"there is no child with UPN {child.upn} in Otherborough" in response.content.decode()
    assert not AttendanceDay.objects.exists()


def test_a_file_over_the_limit_is_refused(world, client, monkeypatch):
    monkeypatch.setattr("openpep.attendance.forms.MAX_UPLOAD_BYTES", 10)
    sign_in(client, world.vs_admin)

    response = client.post(reverse("attendance:import"), {"file": _file(["x" * 20])})

    assert "The selected file must be smaller than 10 MB" in response.content.decode()
    assert not AttendanceDay.objects.exists()


def test_the_example_the_page_shows_imports_for_a_child_of_that_upn(world, client):
    from openpep.attendance.importer import COLUMNS, EXAMPLE

    world.child.upn = EXAMPLE[0][0]
    world.child.save()
    world.school.urn = EXAMPLE[0][1]
    world.school.save()
    sign_in(client, world.vs_admin)
    page = client.get(reverse("attendance:import")).content.decode()
    assert all(f">{cell}<" in page for line in EXAMPLE for cell in line)
    body = "\r\n".join(",".join(line) for line in (COLUMNS, *EXAMPLE)) + "\r\n"

    response = client.post(
        reverse("attendance:import"),
        {"file": SimpleUploadedFile("register.csv", body.encode(), content_type="text/csv")},
    )

    assert "2 sessions read" in response.content.decode()
    assert ", 0 not imported" in response.content.decode()
    day = AttendanceDay.objects.get(child=world.child)
    assert (day.am, day.pm) == ("E", "/")
