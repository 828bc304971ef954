#!/usr/bin/env python
"""``make bench-national``: the dashboard and the lists as the database grows to national size.

Usage (under scripts/with-postgres.sh, as ``make bench-national`` runs it):
    .venv/bin/python scripts/bench_national.py [--sizes 1000,10000,100000] [--per-authority 1000]

The database grows to each size in turn by adding authorities of ``--per-authority`` children
(lighter data per child than ``make bench``: a signed-off PEP and one in progress, each with its
sections, due dates, decision, QA round and PP+ request — what the dashboard and lists read). At
each size the same people of the first authority (a Virtual School officer, a team manager, a
social worker) load the dashboard and the lists, and the trivial view is measured beside them.
A Virtual School's dashboard is of its own authority, so at national size (England has about
83,000 children looked after, in 153 authorities) what must not happen is that one council's
pages slow down as the database holds everybody else's children too: the target is the
dashboard's p95 at 100,000 under 4x its p95 at 1,000.

``--one-authority`` instead puts every child in one authority (a cohort of 100,000 for one
Virtual School officer: no council is that large, but a provider's reporting could be).

Prints how each page's p95 grows, then one line of JSON.
"""

import argparse
import json
import multiprocessing
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402  (scripts/bench.py: the server, the client, the measures)

MAX_DASHBOARD_GROWTH = 4


def scenarios_for(made, clients: int) -> list:
    from django.urls import reverse

    from synthetic.sessions import make_session

    def sessions(user):
        return [make_session(user) for _ in range(clients)]

    vs, tm, sw = made.vs_officers[0], made.team_managers[0], made.social_workers[0]
    children, dashboard = reverse("children:list"), reverse("dashboards:dashboard")
    return [
        bench.Scenario("dashboard_vs_officer", dashboard, sessions(vs)),
        bench.Scenario("dashboard_team_manager", dashboard, sessions(tm)),
        bench.Scenario("dashboard_list_overdue", reverse("dashboards:children") + "?figure=due:overdue", sessions(vs)),
        bench.Scenario("children_vs_officer", children, sessions(vs)),
        bench.Scenario("children_team_manager", children, sessions(tm)),
        bench.Scenario("children_social_worker", children, sessions(sw)),
        bench.Scenario("tasks_vs_officer", reverse("reminders:tasks"), sessions(vs)),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--per-authority", type=int, default=1000)
    parser.add_argument("--one-authority", action="store_true")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=6)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Run under scripts/with-postgres.sh: the benchmark needs a throwaway PostgreSQL")
    sizes = [int(size) for size in args.sizes.split(",")]
    begun = time.monotonic()
    env = bench.setup_environment(tempfile.mkdtemp(prefix="openpep-bench-national-"))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, connections

    from synthetic.council import generate

    call_command("migrate", verbosity=0)
    cookie = settings.SESSION_COOKIE_NAME
    first, total, authorities, results = None, 0, 0, {}
    for size in sizes:
        started = time.perf_counter()
        if args.one_authority:
            if first is not None:
                raise SystemExit("--one-authority measures one size a run")
            first = generate(size, years=1, peps_per_year=2, targets_per_pep=1, code="300")
            total = size
        while total < size:
            count = min(args.per_authority, size - total)
            made = generate(
                count,
                years=1,
                peps_per_year=2,
                targets_per_pep=1,
                code=f"{300 + authorities}",
                seed=authorities,
                first_pk=total,
            )
            first = first or made
            total += count
            authorities += 1
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        generated_s = round(time.perf_counter() - started, 1)
        bench.log(f"{total} children in {max(authorities, 1)} authorities (+{generated_s} s)")
        scenarios = scenarios_for(first, args.clients)
        queries = bench.count_queries(cookie, scenarios)
        connections.close_all()
        server = bench.Server(env, args.workers)
        trivial = bench.Scenario("trivial", "/healthz/", [""] * args.clients)
        pages = {}
        try:
            with multiprocessing.get_context("fork").Pool(args.clients) as pool:
                base = bench.drive(pool, server.port, trivial, args.clients, args.seconds, cookie)
                for scenario in scenarios:
                    pages[scenario.name] = bench.with_ratios(
                        bench.drive(pool, server.port, scenario, args.clients, args.seconds, cookie, minimum=3), base
                    )
                    pages[scenario.name]["queries"] = queries[scenario.name]
                    bench.log(f"  {scenario.name}: {pages[scenario.name]}")
            rss = server.worker_rss_mb()
        finally:
            server.stop()
        results[str(size)] = {"generate_s": generated_s, "trivial": base, "pages": pages, "worker_rss_mb": rss}

    smallest, largest = str(sizes[0]), str(sizes[-1])
    growth = {
        name: round(results[largest]["pages"][name]["p95_ms"] / results[smallest]["pages"][name]["p95_ms"], 2)
        for name in results[smallest]["pages"]
    }
    bench.log("")
    bench.log("p95 in ms at each size (and as a multiple of the trivial view's p95 in the same run):")
    bench.log(f"{'page':28}" + "".join(f"{size:>22}" for size in results) + f"{'growth':>10}")
    for name in results[smallest]["pages"]:
        cells = "".join(
            f"{results[s]['pages'][name]['p95_ms']:>12} ({results[s]['pages'][name]['p95_ratio']:>6}x)" for s in results
        )
        bench.log(f"{name:28}{cells}{growth[name]:>9}x")
    bench.log(
        "queries per page: " + ", ".join(f"{n}: {[results[s]['pages'][n]['queries'] for s in results]}" for n in growth)
    )
    met = growth["dashboard_vs_officer"] < MAX_DASHBOARD_GROWTH
    bench.log(
        f"Virtual School dashboard p95 grew {growth['dashboard_vs_officer']}x from {smallest} to {largest} children "
        f"(target under {MAX_DASHBOARD_GROWTH}x): {'met' if met else 'MISSED'}"
    )
    print(
        json.dumps(
            {
                "bench": "national",
                "one_authority": args.one_authority,
                "per_authority": args.per_authority,
                "sizes": results,
                "p95_growth": growth,
                "target": {
                    "dashboard_p95_growth": growth["dashboard_vs_officer"],
                    "under": MAX_DASHBOARD_GROWTH,
                    "met": met,
                },
                "total_s": round(time.monotonic() - begun, 1),
            },
            separators=(",", ":"),
        ),
        flush=True,
    )


if __name__ == "__main__":
    main()
