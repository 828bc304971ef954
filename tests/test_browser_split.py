"""`make test`'s --browser-split runs each browser module on one engine: none may be left to both or
to neither, and every other test runs on both."""

from pathlib import Path

from tests.conftest import BROWSER_ENGINE, BROWSER_TESTS, runs_on

ENGINES = ("sqlite", "postgresql")


def test_browser_engine_names_every_browser_module_and_only_those():
    assert sorted(BROWSER_ENGINE) == sorted(path.name for path in BROWSER_TESTS.glob("test_*.py"))
    assert set(BROWSER_ENGINE.values()) == set(ENGINES)


def test_runs_on_each_browser_module_exactly_one_engine():
    for path in BROWSER_TESTS.glob("test_*.py"):
        assert [engine for engine in ENGINES if runs_on(path, engine)] == [BROWSER_ENGINE[path.name]], path.name


def test_runs_on_both_engines_every_other_module():
    for path in [Path(__file__), BROWSER_TESTS.parent / "mfa" / "test_second_factor.py"]:
        assert [engine for engine in ENGINES if runs_on(path, engine)] == list(ENGINES)
