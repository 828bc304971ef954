"""Imports of many rows at once: correct, and idempotent, at thousands of children. How fast they are
is measured by `make bench` (scripts/bench.py), not asserted here (run with -s to see the times)."""

import time

import pytest

from openpep.children.models import Child, Enrolment, Placement
from openpep.people.models import School
from synthetic.files import ENROLMENTS, write_903, write_csv, write_gias

from .conftest import run

pytestmark = pytest.mark.django_db

CHILDREN = 3_000
SCHOOLS = 10_000


def test_import_903_and_enrolments_of_many_children(tmp_path, authority):
    h, e = tmp_path / "header.csv", tmp_path / "episodes.csv"
    write_903(h, e, CHILDREN)
    started = time.perf_counter()
    status, out, err = run("import_903", h, e, "--authority", "201")
    took = time.perf_counter() - started
    print(f"\nimport_903, {CHILDREN:,} children: {took:.1f} s ({out.strip()})")
    assert status == 0, err[-2000:]
    assert Child.objects.count() == CHILDREN
    assert Placement.objects.filter(ends_on=None).count() == CHILDREN
    started = time.perf_counter()
    status, out, _ = run("import_903", h, e, "--authority", "201")
    print(f"import_903 again: {time.perf_counter() - started:.1f} s ({out.strip()})")
    assert f"0 created, 0 updated, {CHILDREN} unchanged" in out

    School.objects.bulk_create(
        School(urn=f"{100000 + i}", name=f"School {i}", phase="primary", local_authority=authority) for i in range(100)
    )
    rows = []
    for i in range(CHILDREN):
        rows.append([f"C{i:06d}", f"{100000 + i % 100}", "01/09/2022", "31/08/2023"])
        rows.append([f"C{i:06d}", f"{100000 + (i + 1) % 100}", "2023-09-01", ""])
    path = tmp_path / "enrolments.csv"
    write_csv(path, ENROLMENTS, rows)
    started = time.perf_counter()
    status, out, err = run("import_enrolments", path, "--authority", "201")
    took = time.perf_counter() - started
    print(f"import_enrolments, {CHILDREN:,} children ({2 * CHILDREN:,} rows): {took:.1f} s ({out.strip()})")
    assert status == 0, err[-2000:]
    assert Enrolment.objects.filter(ends_on=None).count() == CHILDREN


def test_import_gias_of_many_schools(tmp_path, db):
    path = tmp_path / "gias.csv"
    write_gias(path, SCHOOLS)
    started = time.perf_counter()
    status, out, err = run("import_gias", path)
    took = time.perf_counter() - started
    print(f"\nimport_gias, {SCHOOLS:,} rows: {took:.1f} s ({out.strip()})")
    assert status == 0, err[-2000:]
    assert School.objects.count() == SCHOOLS
