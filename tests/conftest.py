"""Browser infrastructure for the test suite: Debian's Chromium under pytest-playwright, and axe.

Data fixtures live elsewhere; this file only knows about browsers.
"""

import hashlib
import os
from collections import Counter
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from hypothesis import settings as hypothesis_settings

pytest_plugins = ["tests.fixtures"]

# Fuzzing (tests/test_fuzz_*.py): "ci" keeps the whole fuzz suite to a few minutes on SQLite;
# HYPOTHESIS_PROFILE=thorough runs 300 a test. No deadline: a page's first
# request is slower than the rest, which is not a bug. No example database in the project.
# CI explores the same examples every run (derandomize), so a red run is the change's, not chance's;
# `HYPOTHESIS_PROFILE=thorough` explores new ones. The form fuzzing seeds each engine apart
# (tests/test_fuzz_forms.py), so the two runs of `make test` post 2 × 25 different examples to
# each form rather than the same 50 twice.
hypothesis_settings.register_profile(
    "ci", max_examples=25, deadline=None, database=None, print_blob=True, derandomize=True
)
hypothesis_settings.register_profile("thorough", max_examples=300, deadline=None, database=None, print_blob=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


# Under --browser-split (`make test` passes it to both engines' runs, which go side by side) each
# browser module runs on the one engine named here and is deselected on the other: every browser
# test still runs on a real database, and every other test on both. Chosen to even out the runs:
# PostgreSQL's is the slower without its browser tests, so SQLite's takes the axe crawl (45% of the
# browser tests' time) and PostgreSQL's the PEP cycles. tests/test_browser_split.py fails on a
# browser module missing here.
BROWSER_TESTS = Path(__file__).parent / "browser"
BROWSER_ENGINE = {
    "test_access_request.py": "postgresql",
    "test_axe_check.py": "postgresql",
    "test_character_count.py": "postgresql",
    "test_child_voice.py": "postgresql",
    "test_connected_systems.py": "postgresql",
    "test_content_security_policy.py": "postgresql",
    "test_crawl.py": "sqlite",
    "test_documents.py": "postgresql",
    "test_early_warnings.py": "sqlite",
    "test_funding.py": "sqlite",
    "test_keyboard.py": "sqlite",
    "test_meeting_calendar.py": "sqlite",
    "test_meeting_invitations.py": "sqlite",
    "test_pep_cycle.py": "postgresql",
    "test_pep_type_wording.py": "postgresql",
    "test_prefill.py": "postgresql",
    "test_quality.py": "sqlite",
    "test_reflow.py": "sqlite",
    "test_register.py": "sqlite",
    "test_school_calendar.py": "postgresql",
    "test_second_factor.py": "postgresql",
    "test_session_timeout.py": "postgresql",
    "test_single_sign_on.py": "sqlite",
    "test_target_reviews.py": "postgresql",
    "test_task_list.py": "postgresql",
    "test_timeline.py": "postgresql",
    "test_without_javascript.py": "postgresql",
}


def pytest_addoption(parser):
    parser.addoption(
        "--browser-split",
        action="store_true",
        help="run each browser test only on the engine tests/conftest.py's BROWSER_ENGINE names for it",
    )


def runs_on(path: Path, vendor: str) -> bool:
    """Whether the test module at `path` runs on the engine `vendor` under --browser-split: every
    module but a browser one, and a browser one on its engine (on both if the table lacks it)."""
    return path.parent != BROWSER_TESTS or BROWSER_ENGINE.get(path.name, vendor) == vendor


def pytest_collection_modifyitems(config, items):
    if not config.getoption("browser_split"):
        return
    from django.db import connection

    deselected = [item for item in items if not runs_on(item.path, connection.vendor)]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if runs_on(item.path, connection.vendor)]


# Seconds per test module (set-up, call and tear-down), summed: where a run's time goes, printed
# at its end beside pytest's slowest tests, so a module that grows slow as a whole shows too.
MODULE_SECONDS: Counter = Counter()
SLOWEST_MODULES = 12


def pytest_runtest_logreport(report):
    MODULE_SECONDS[report.nodeid.split("::")[0]] += report.duration


def pytest_terminal_summary(terminalreporter):
    if not MODULE_SECONDS:
        return
    total = sum(MODULE_SECONDS.values())
    terminalreporter.section(f"slowest {SLOWEST_MODULES} modules")
    for module, seconds in MODULE_SECONDS.most_common(SLOWEST_MODULES):
        terminalreporter.write_line(f"{seconds:8.1f}s {100 * seconds / total:5.1f}%  {module}")
    terminalreporter.write_line(f"{total:8.1f}s in all, {len(MODULE_SECONDS)} modules")


def pytest_configure(config):
    # One fast hasher for the whole suite. Hashing passwords properly (PBKDF2, by design slow)
    # is what production does and what no test here is about; it cost minutes per run.
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# Playwright's sync API runs an event loop in the test thread, after which Django refuses
# ORM calls there (SynchronousOnlyOperation) unless told this is safe, as it is in tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Playwright cannot download its own browsers here, so drive the Debian package instead.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",  # tests run as root, where Chromium's sandbox will not start
    "--disable-gpu",
    # No network traffic of Chromium's own: tests must not depend on (or wait for) the internet.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# WCAG 2.2 AA, the level UK public sector bodies must meet.
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "resultTypes": ["violations"],
}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Extends pytest-playwright's fixture, so --headed and --slowmo still work.
    return {
        "headless": True,
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A laptop-sized default; --device still overrides it.
    return {"viewport": {"width": 1280, "height": 900}, **browser_context_args}


# The axe-core copy bundled with axe-playwright-python: no network needed.
AXE_SOURCE = Axe().axe_script

# What axe's findings on a page depend on: its elements, their attributes and styles, whether each has
# words, and the viewport — not which words or which record. The page's skeleton keeps exactly that:
# each element with its attributes (numbers made 0, so /children/12/ and /children/31/ are alike;
# addresses, values and the CSP nonce reduced to whether they are there, fragments kept whole), each run
# of words as "#", and style sheets' text whole.
SKELETON = r"""() => {
  const out = [];
  const reduced = new Set(['href', 'action', 'src', 'value', 'content']);
  const walk = node => {
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) {
        if (child.data.trim()) out.push(node.tagName === 'STYLE' ? child.data : '#');
        continue;
      }
      if (child.nodeType !== Node.ELEMENT_NODE) continue;
      out.push('<' + child.tagName);
      for (const {name, value} of child.attributes) {
        if (name === 'nonce') continue;
        const meta = child.tagName === 'META' && name === 'content';
        const kept = meta || !reduced.has(name) || value.startsWith('#') ? value : (value ? 'v' : '');
        out.push(name + '=' + kept.replace(/[0-9]+/g, '0'));
      }
      walk(child);
      out.push('>');
    }
  };
  walk(document);
  return out.join('\n');
}"""
RUN_AXE = """options => axe.run(document, options).then(results => results.violations.map(
  v => ({id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map(node => node.target.join(' '))})))"""
# The skeletons axe passed in this run (one engine's process), with the viewport each was seen at.
AXE_PASSED: set[str] = set()


@pytest.fixture
def axe_check(page):
    """Return check(target=page): fails the test if axe finds any WCAG 2.2 AA violation. A page whose
    skeleton (``SKELETON``) axe passed earlier in the run, at the same viewport, is not checked again:
    check returns whether axe ran."""

    def check(target=None) -> bool:
        target = target or page
        viewport = target.viewport_size or {}
        key = f"{viewport.get('width')}x{viewport.get('height')}\n" + target.evaluate(SKELETON)
        digest = hashlib.sha256(key.encode()).hexdigest()
        if digest in AXE_PASSED:
            return False
        if not target.evaluate("() => typeof window.axe === 'object'"):
            target.evaluate(AXE_SOURCE)  # once a document, not once a check
        violations = target.evaluate(RUN_AXE, AXE_OPTIONS)
        if violations:  # raised directly so the report is not buried under a repr of the results
            report = "\n".join(
                f"- {v['id']} ({v['impact']}): {v['help']}\n" + "\n".join(f"    {t}" for t in v["targets"])
                for v in violations
            )
            raise AssertionError(f"axe found {len(violations)} violation(s) on {target.url}:\n{report}")
        AXE_PASSED.add(digest)
        return True

    return check


@pytest.fixture(autouse=True)
def documents_in_a_temporary_folder(settings, tmp_path):
    """Stored PDF copies and exports go to a folder of the test's own, never into the project."""
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {**settings.STORAGES["documents"], "OPTIONS": {"location": str(tmp_path / "documents")}},
    }
