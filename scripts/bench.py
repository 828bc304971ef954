#!/usr/bin/env python
"""``make bench``: OpenPEP at council size, served by gunicorn and driven over HTTP.

Usage (DATABASE_URL must name a throwaway PostgreSQL database; ``make bench`` starts one):
    scripts/with-postgres.sh .venv/bin/python scripts/bench.py [--children 2000] [--years 10]

1. Generates a council (``synthetic.council``): 2,000 children, ten years of PEPs.
2. Serves the app with gunicorn (production settings: DEBUG off, a SECRET_KEY, WhiteNoise's
   manifest from ``make static``), several workers on 127.0.0.1.
3. Drives each key page from client processes, each signed in as a user of the page's role
   through ``synthetic.sessions.make_session`` (never the sign-in form), and reports median
   and p95 latency and throughput, each as a ratio to ``/healthz/`` (the trivial view) measured by
   the same server in the same run just before that page (and before and after all the pages).
4. Counts the queries of each page (Django's test client, in this process, same database),
   reads each worker's memory, times the 903 import of 10,000 children and the PEP PDF.
5. Ends with one line of JSON holding every figure.
"""

import argparse
import http.client
import json
import multiprocessing
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
HOST = "127.0.0.1"

# Targets (issue 9).
MIN_THROUGHPUT_RATIO = 0.25
MAX_WORKER_RSS_MB = 200
MAX_PDF_MEDIAN_S = 1.5
MAX_IMPORT_S = 60


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def setup_environment(workdir: str) -> dict:
    """Production settings, as a deployment would set them (see docs/deployment.md)."""
    env = dict(os.environ)
    for name in ("DEBUG", "SECURE_SSL_REDIRECT", "BEHIND_PROXY", "SECURE_COOKIES"):
        env.pop(name, None)
    env.update(
        # The driver talks plain HTTP to gunicorn on 127.0.0.1, where production has a TLS proxy.
        OPENPEP_INSECURE_HTTP="true",
        SECRET_KEY=env.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        DOCUMENTS_ROOT=f"{workdir}/documents",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="openpep.settings",
    )
    os.environ.update(env)
    return env


# --- the server -----------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Server:
    """gunicorn serving openpep.wsgi with ``workers`` sync workers on 127.0.0.1."""

    def __init__(self, env: dict, workers: int):
        self.port = free_port()
        self.workers = workers
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),  # the virtualenv's, beside this Python
                "openpep.wsgi:application",
                f"--workers={workers}",
                f"--bind={HOST}:{self.port}",
                "--timeout=120",
                "--log-level=warning",
            ],
            cwd=ROOT,
            env=env,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if request(self.port, "GET", "/healthz/")[0] == 200:
                    return
            except OSError:
                pass
            if self.process.poll() is not None:
                raise SystemExit("gunicorn exited before serving")
            time.sleep(0.3)
        self.stop()
        raise SystemExit("gunicorn did not answer /healthz/ within 60 s")

    def worker_rss_mb(self) -> list[float]:
        out = subprocess.run(
            ["ps", "-o", "rss=", "--ppid", str(self.process.pid)], capture_output=True, text=True, check=False
        ).stdout
        return sorted(round(int(kb) / 1024, 1) for kb in out.split())

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# --- the client -----------------------------------------------------------------------------------------------


def request(port, method, path, *, cookies=None, body=None, timeout=120):
    """One request on a new connection (gunicorn's sync workers close each): (status, headers, body)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    headers = {"Host": f"{HOST}:{port}"}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    if body is not None:
        body = urlencode(body, doseq=True)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        return response.status, response.getheaders(), data
    finally:
        connection.close()


def set_cookies(headers, cookies: dict) -> None:
    for name, value in headers:
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            cookies[key.strip()] = rest.split(";", 1)[0]


class FormReader(HTMLParser):
    """The fields of the page's forms as a browser would submit them (text, hidden, checked, textareas)."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, list[str]] = {}
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("radio", "checkbox") and "checked" not in a:
                return
            if kind in ("submit", "button", "file"):
                return
            self.fields.setdefault(name, []).append(a.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = [""]
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.fields[self._select] = [a.get("value") or ""]

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea][0] += data


def read_form(html: bytes) -> dict:
    reader = FormReader()
    reader.feed(html.decode())
    return reader.fields


@dataclass
class Scenario:
    """A page as one role sees it. ``sessions`` has one session cookie for each client process;
    a save (``save=True``) posts the form of ``path`` back, each client on its own PEP."""

    name: str
    path: str
    sessions: list[str]
    expect: int = 200
    save: bool = False
    save_paths: list[str] = field(default_factory=list)
    html: bool = True
    key: bool = True  # a key page of the issue (the floor is not)


def _client(args):
    """One client process: requests ``scenario`` until ``until`` (and at least ``minimum`` times)."""
    port, scenario, index, cookie_name, until, minimum, hard_stop = args
    cookies = {cookie_name: scenario.sessions[index]}
    times, errors = [], []
    path = scenario.save_paths[index] if scenario.save else scenario.path
    form = None

    def open_form():
        status, headers, body = request(port, "GET", path, cookies=cookies)
        set_cookies(headers, cookies)
        if status != 200:
            raise RuntimeError(f"GET {path}: {status}")
        fields = read_form(body)
        fields.pop("csrfmiddlewaretoken", None)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
        return fields, token

    if scenario.save:
        form, token = open_form()
    count = 0
    while (time.monotonic() < until or count < minimum) and time.monotonic() < hard_stop:
        body = None
        if scenario.save:
            form["transport"] = [f"Bench save {index}-{count}"]
            body = {**form, "csrfmiddlewaretoken": token}
        started = time.perf_counter()
        status, headers, content = request(port, "POST" if scenario.save else "GET", path, cookies=cookies, body=body)
        took = time.perf_counter() - started
        count += 1
        if status != scenario.expect:
            errors.append(status)
            if scenario.save:
                form, token = open_form()
            continue
        times.append(took)
        if scenario.save:
            form["lock_version"] = [str(int(form["lock_version"][0]) + 1)]
    return times, errors


def percentile(values, p):
    ordered = sorted(values)
    if not ordered:
        return None
    k = (len(ordered) - 1) * p / 100
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def drive(pool, port, scenario: Scenario, clients: int, seconds: float, cookie_name: str, minimum=5) -> dict:
    """Warm up, then run ``clients`` processes on ``scenario`` for ``seconds``; latency and throughput."""
    warm = time.monotonic() + 0.5
    pool.map(_client, [(port, scenario, i, cookie_name, warm, 1, warm + 60) for i in range(clients)])
    started = time.monotonic()
    results = pool.map(
        _client,
        [
            (port, scenario, i, cookie_name, started + seconds, minimum, started + 6 * seconds + 60)
            for i in range(clients)
        ],
    )
    elapsed = time.monotonic() - started
    times = [t for r in results for t in r[0]]
    errors = [e for r in results for e in r[1]]
    if not times:
        raise SystemExit(f"{scenario.name}: no successful request ({errors[:5]})")
    return {
        "median_ms": round(statistics.median(times) * 1000, 2),
        "p95_ms": round(percentile(times, 95) * 1000, 2),
        "rps": round(len(times) / elapsed, 2),
        "requests": len(times),
        "errors": len(errors),
    }


def with_ratios(figures: dict, trivial: dict) -> dict:
    figures["median_ratio"] = round(figures["median_ms"] / trivial["median_ms"], 2)
    figures["p95_ratio"] = round(figures["p95_ms"] / trivial["p95_ms"], 2)
    figures["throughput_ratio"] = round(figures["rps"] / trivial["rps"], 3)
    return figures


def trivial_of(before: dict, after: dict) -> dict:
    """The trivial view's figures: the mean of its runs before and after the pages."""
    return {key: round((before[key] + after[key]) / 2, 2) for key in ("median_ms", "p95_ms", "rps")}


def count_queries(cookie_name, scenarios: list[Scenario]) -> dict:
    """Queries per page, through Django's test client against the same database."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for scenario in scenarios:
        client = Client()
        client.cookies[cookie_name] = scenario.sessions[0]
        path = scenario.save_paths[0] if scenario.save else scenario.path
        if scenario.save:
            page = client.get(path)
            form = read_form(page.content)
            form["transport"] = ["Bench: counting queries"]
            with CaptureQueriesContext(connection) as queries:
                response = client.post(path, form)
        else:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
        if response.status_code != scenario.expect:
            raise SystemExit(f"{scenario.name}: {response.status_code} through the test client")
        counts[scenario.name] = len(queries)
    return counts


# --- the council's key pages ----------------------------------------------------------------------------------


def council_scenarios(made, clients: int) -> list[Scenario]:
    from django.urls import reverse

    from openpep.plans.enums import SOCIAL_WORKER_PART_OPEN, Status
    from openpep.plans.models import Pep
    from synthetic.sessions import make_session

    def sessions(user):
        return [make_session(user) for _ in range(clients)]

    sw, tm, dt, vs = made.social_workers[0], made.team_managers[0], made.designated_teachers[0], made.vs_officers[0]
    open_pep = Pep.objects.filter(child__social_worker=sw).exclude(status=Status.SIGNED_OFF).order_by("pk").first()
    child = open_pep.child
    # Each client saves Section C of its own PEP, as that PEP's social worker.
    editable = list(
        Pep.objects.filter(status__in=SOCIAL_WORKER_PART_OPEN, child__local_authority=made.authority)
        .select_related("child__social_worker")
        .order_by("child__social_worker_id", "pk")
        .distinct("child__social_worker_id")[:clients]
    )
    if len(editable) < clients:
        raise SystemExit("Not enough PEPs open to the social worker to save in parallel")
    save_sessions = [make_session(p.child.social_worker) for p in editable]
    save_paths = [reverse("plans:section_c", args=[p.pk]) for p in editable]
    section_c = (
        reverse("plans:section_c", args=[open_pep.pk]) if open_pep.status in SOCIAL_WORKER_PART_OPEN else save_paths[0]
    )
    section_c_sessions = sessions(sw) if open_pep.status in SOCIAL_WORKER_PART_OPEN else [save_sessions[0]] * clients
    tasks, children = reverse("reminders:tasks"), reverse("children:list")
    return [
        # Not a key page: the floor of any signed-in HTML page (session, roles, layout), for comparison.
        Scenario("signed_in_floor", reverse("accessibility"), sessions(sw), key=False),
        Scenario("tasks_social_worker", tasks, sessions(sw)),
        Scenario("tasks_team_manager", tasks, sessions(tm)),
        Scenario("tasks_designated_teacher", tasks, sessions(dt)),
        Scenario("tasks_vs_officer", tasks, sessions(vs)),
        Scenario("child_overview", reverse("children:detail", args=[child.pk]), sessions(sw)),
        Scenario("pep_overview", reverse("plans:detail", args=[open_pep.pk]), sessions(sw)),
        Scenario("section_c_view", section_c, section_c_sessions),
        Scenario("section_c_save", "", save_sessions, expect=302, save=True, save_paths=save_paths),
        Scenario("children_social_worker", children, sessions(sw)),
        Scenario("children_team_manager", children, sessions(tm)),
        Scenario("children_designated_teacher", children, sessions(dt)),
        Scenario("children_vs_officer", children, sessions(vs)),
        Scenario("dashboard_vs_officer", reverse("dashboards:dashboard"), sessions(vs)),
        Scenario("dashboard_team_manager", reverse("dashboards:dashboard"), sessions(tm)),
        Scenario("dashboard_list_overdue", reverse("dashboards:children") + "?figure=due:overdue", sessions(vs)),
        Scenario("pep_pdf", reverse("documents:pep_pdf", args=[open_pep.pk]), sessions(sw), html=False),
    ]


def time_pdf(made, renders: int = 10) -> dict:
    """The whole-PEP PDF's median over ``renders`` renders of the fullest PEP (as scripts/bench_pdf.py)."""
    from django.db.models import Count
    from django.utils import timezone

    from openpep.documents.enums import CopyKind
    from openpep.documents.pdf import documents_queryset, pep_pdf
    from openpep.plans.models import Pep

    pep_id = (
        Pep.objects.filter(child__local_authority=made.authority)
        .annotate(
            rows=Count("targets", distinct=True)
            + Count("target_reviews", distinct=True)
            + Count("attainment", distinct=True)
        )
        .order_by("-rows", "pk")
        .values_list("pk", flat=True)
        .first()
    )
    user = made.social_workers[0]
    pep_pdf(documents_queryset(Pep.objects.filter(pk=pep_id)).get(), CopyKind.WHOLE, generated_by=user)
    times = []
    for _ in range(renders):
        started = time.perf_counter()
        pep = documents_queryset(Pep.objects.filter(pk=pep_id)).get()
        pep_pdf(pep, CopyKind.WHOLE, generated_by=user, generated_at=timezone.now())
        times.append(time.perf_counter() - started)
    return {"pep": pep_id, "median_s": round(statistics.median(times), 3), "max_s": round(max(times), 3)}


def time_import_903(env: dict, workdir: str, count: int = 10_000) -> dict:
    from openpep.people.models import LocalAuthority
    from synthetic.files import write_903

    LocalAuthority.objects.get_or_create(code="201", defaults={"name": "Import bench council"})
    header, episodes = f"{workdir}/header.csv", f"{workdir}/episodes.csv"
    write_903(header, episodes, count, la_code="201")
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "manage.py", "import_903", header, episodes, "--authority", "201"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    took = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"import_903 failed: {done.stderr[-2000:]}")
    return {"children": count, "seconds": round(took, 1), "output": done.stdout.strip()}


def explain_dashboard(made, path: str) -> None:
    """EXPLAIN ANALYZE of the dashboard's queries (for docs/deployment.md), written to ``path``."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from synthetic.sessions import make_session

    client = Client()
    from django.conf import settings

    client.cookies[settings.SESSION_COOKIE_NAME] = make_session(made.vs_officers[0])
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("dashboards:dashboard"))
    with open(path, "w") as out, connection.cursor() as cursor:
        for query in queries.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS off) " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            out.write(f"-- {query['time']} s\n{sql}\n{plan}\n\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=2000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--import-children", type=int, default=10_000)
    parser.add_argument("--explain", help="write the dashboard's query plans to this file")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Run under scripts/with-postgres.sh: the benchmark needs a throwaway PostgreSQL")
    begun = time.monotonic()
    workdir = tempfile.mkdtemp(prefix="openpep-bench-")
    env = setup_environment(workdir)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, connections

    from synthetic.council import generate

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    made = generate(args.children, years=args.years)
    generated_s = round(time.perf_counter() - started, 1)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    log(f"Generated in {generated_s} s: {made.counts}")
    if args.explain:
        explain_dashboard(made, args.explain)

    scenarios = council_scenarios(made, args.clients)
    cookie = settings.SESSION_COOKIE_NAME
    queries = count_queries(cookie, scenarios)
    log(f"Queries per page: {queries}")
    connections.close_all()

    server = Server(env, args.workers)
    trivial = Scenario("trivial", "/healthz/", [""] * args.clients)
    pages = {}
    try:
        with multiprocessing.get_context("fork").Pool(args.clients) as pool:
            before = drive(pool, server.port, trivial, args.clients, args.seconds, cookie)
            log(f"trivial (before): {before}")
            for scenario in scenarios:
                # The trivial view again just before each page: on a shared machine the load drifts
                # over minutes, so each page is compared with the trivial view of its own moment.
                near = drive(pool, server.port, trivial, args.clients, args.seconds / 2, cookie)
                pages[scenario.name] = drive(pool, server.port, scenario, args.clients, args.seconds, cookie)
                pages[scenario.name]["trivial_near"] = near
                log(f"{scenario.name}: {pages[scenario.name]}")
            after = drive(pool, server.port, trivial, args.clients, args.seconds, cookie)
            log(f"trivial (after): {after}")
        rss = server.worker_rss_mb()
    finally:
        server.stop()
    base = trivial_of(before, after)
    for scenario in scenarios:
        with_ratios(pages[scenario.name], pages[scenario.name]["trivial_near"])
        pages[scenario.name]["queries"] = queries[scenario.name]
        pages[scenario.name]["html"] = scenario.html
    floor = pages["signed_in_floor"]
    for figures in pages.values():
        figures["floor_throughput_ratio"] = round(figures["rps"] / floor["rps"], 3)

    pdf = time_pdf(made)
    log(f"PDF: {pdf}")
    imported = time_import_903(env, workdir, args.import_children)
    log(f"import_903: {imported}")

    html = {s.name: pages[s.name] for s in scenarios if s.html and s.key}
    slowest = min(html, key=lambda name: html[name]["throughput_ratio"])
    targets = {
        "html_throughput_ratio_min": {
            "value": html[slowest]["throughput_ratio"],
            "page": slowest,
            "target": MIN_THROUGHPUT_RATIO,
        },
        "worker_rss_mb_max": {"value": max(rss), "target": MAX_WORKER_RSS_MB},
        "pdf_median_s": {"value": pdf["median_s"], "target": MAX_PDF_MEDIAN_S},
        "import_903_s": {"value": imported["seconds"], "target": MAX_IMPORT_S},
    }
    targets["html_throughput_ratio_min"]["met"] = html[slowest]["throughput_ratio"] >= MIN_THROUGHPUT_RATIO
    for key in ("worker_rss_mb_max", "pdf_median_s", "import_903_s"):
        targets[key]["met"] = targets[key]["value"] < targets[key]["target"]
    below = sorted(name for name, p in html.items() if p["throughput_ratio"] < MIN_THROUGHPUT_RATIO)

    log("")
    log(
        f"{'page':30} {'median ms':>10} {'p95 ms':>9} {'req/s':>8} {'x median':>9} {'x p95':>7} {'thru %':>7} "
        f"{'of floor':>8} {'queries':>8} {'trivial req/s':>14}"
    )
    log(
        f"{'trivial (/healthz/)':30} {base['median_ms']:>10} {base['p95_ms']:>9} {base['rps']:>8} "
        f"{'1':>9} {'1':>7} {'100':>7} {'-':>8} {'-':>8} {'(before, after)':>14}"
    )
    for name, p in pages.items():
        log(
            f"{name:30} {p['median_ms']:>10} {p['p95_ms']:>9} {p['rps']:>8} {p['median_ratio']:>9} "
            f"{p['p95_ratio']:>7} {round(p['throughput_ratio'] * 100, 1):>7} "
            f"{round(p['floor_throughput_ratio'] * 100, 1):>8} {p['queries']:>8} {p['trivial_near']['rps']:>14}"
        )
    log(f"Worker RSS (MB): {rss}")
    log(f"Pages below {MIN_THROUGHPUT_RATIO:.0%} of the trivial view's throughput: {below or 'none'}")
    result = {
        "bench": "council",
        "children": made.counts["children"],
        "data": made.counts,
        "generate_s": generated_s,
        "workers": args.workers,
        "clients": args.clients,
        "seconds_per_page": args.seconds,
        "trivial": {"before": before, "after": after, "mean": base},
        "pages": pages,
        "worker_rss_mb": rss,
        "pdf": pdf,
        "import_903": {k: v for k, v in imported.items() if k != "output"},
        "targets": targets,
        "below_throughput_target": below,
        "total_s": round(time.monotonic() - begun, 1),
    }
    print(json.dumps(result, separators=(",", ":")), flush=True)


if __name__ == "__main__":
    main()
