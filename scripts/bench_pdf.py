#!/usr/bin/env python
"""Time the whole-PEP PDF: the median of 10 renders of the fullest PEP of the demo data.

Usage: .venv/bin/python scripts/bench_pdf.py [--renders N]

Builds the demo in a throwaway SQLite database (never the project's), picks the signed-off
PEP with the most targets, reviews and attainment rows, and renders its whole-PEP PDF N
times (after one warm-up render, which pays WeasyPrint's import and font loading). Target:
a median under 1.5 s on the project's 2-core machine."""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=10)
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="openpep-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ["DOCUMENTS_ROOT"] = f"{workdir}/documents"
    os.environ.setdefault("SECRET_KEY", "bench")
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"  # the demo's invitations
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openpep.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db.models import Count
    from django.utils import timezone

    from openpep.demo import build_demo
    from openpep.documents.enums import CopyKind
    from openpep.documents.pdf import documents_queryset, pep_pdf
    from openpep.people.models import User
    from openpep.plans.models import Pep

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    build_demo()
    print(f"Demo built in {time.perf_counter() - started:.1f} s (including the signed-off copies)")

    pep_id = (
        Pep.objects.filter(status="signed_off")
        .annotate(
            rows=Count("targets", distinct=True)
            + Count("target_reviews", distinct=True)
            + Count("attainment", distinct=True)
        )
        .order_by("-rows", "pk")
        .values_list("pk", flat=True)
        .first()
    )
    pep = documents_queryset(Pep.objects.filter(pk=pep_id)).get()
    user = User.objects.order_by("pk").first()
    content = pep_pdf(pep, CopyKind.WHOLE, generated_by=user)  # warm-up
    print(
        f"PEP {pep.pk}: {pep.targets.count()} targets, {pep.target_reviews.count()} reviews, "
        f"{pep.attainment.count()} attainment rows; PDF {len(content) // 1024} KB"
    )
    times = []
    for _ in range(args.renders):
        # Fetched afresh each time, as a download does: the queries are part of the cost.
        started = time.perf_counter()
        pep = documents_queryset(Pep.objects.filter(pk=pep_id)).get()
        pep_pdf(pep, CopyKind.WHOLE, generated_by=user, generated_at=timezone.now())
        times.append(time.perf_counter() - started)
    print(
        f"Whole-PEP PDF: median {statistics.median(times):.3f} s of {args.renders} renders "
        f"(min {min(times):.3f} s, max {max(times):.3f} s)"
    )


if __name__ == "__main__":
    main()
