"""Timings on synthetic files of the real size (run with -s to see them)."""

import time

import pytest

from openpep.children.models import Child, Enrolment, Placement
from openpep.imports.synthetic import ENROLMENTS, write_903, write_csv, write_gias
from openpep.people.models import School

from .conftest import run

pytestmark = pytest.mark.django_db


def test_import_903_of_10000_children_takes_under_a_minute(tmp_path, authority):
    h, e = tmp_path / "header.csv", tmp_path / "episodes.csv"
    write_903(h, e, 10_000)
    started = time.perf_counter()
    status, out, err = run("import_903", h, e, "--authority", "201")
    took = time.perf_counter() - started
    print(f"\nimport_903, 10,000 children: {took:.1f} s ({out.strip()})")
    assert status == 0, err[-2000:]
    assert Child.objects.count() == 10_000
    assert Placement.objects.filter(ends_on=None).count() == 10_000
    assert took < 60
    started = time.perf_counter()
    status, out, _ = run("import_903", h, e, "--authority", "201")
    print(f"import_903 again: {time.perf_counter() - started:.1f} s ({out.strip()})")
    assert "0 created, 0 updated, 10000 unchanged" in out

    School.objects.bulk_create(
        School(urn=f"{100000 + i}", name=f"School {i}", phase="primary", local_authority=authority) for i in range(100)
    )
    rows = []
    for i in range(10_000):
        rows.append([f"C{i:06d}", f"{100000 + i % 100}", "01/09/2022", "31/08/2023"])
        rows.append([f"C{i:06d}", f"{100000 + (i + 1) % 100}", "2023-09-01", ""])
    path = tmp_path / "enrolments.csv"
    write_csv(path, ENROLMENTS, rows)
    started = time.perf_counter()
    status, out, err = run("import_enrolments", path, "--authority", "201")
    took = time.perf_counter() - started
    print(f"import_enrolments, 10,000 children (20,000 rows): {took:.1f} s ({out.strip()})")
    assert status == 0, err[-2000:]
    assert Enrolment.objects.filter(ends_on=None).count() == 10_000
    assert took < 60


def test_import_gias_of_50000_schools(tmp_path, db):
    path = tmp_path / "gias.csv"
    write_gias(path, 50_000)
    started = time.perf_counter()
    status, out, err = run("import_gias", path)
    took = time.perf_counter() - started
    print(f"\nimport_gias, 50,000 rows: {took:.1f} s ({out.strip()})")
    assert status == 0, err[-2000:]
    assert School.objects.count() == 50_000
    assert took < 120
