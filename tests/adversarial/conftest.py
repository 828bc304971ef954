"""The standing adversarial suite (issue 15): what an attacker with a valid account would try.

Each test adds what it tried to ``tally`` (a kind and a number, e.g. ``tally("foreign ids", 12)``);
the totals are printed at the end of the run, so the suite's reach shows in the test output and a
drop in it is seen.
"""

from collections import Counter

import pytest

TRIED: Counter = Counter()


@pytest.fixture
def tally():
    def add(kind: str, count: int = 1) -> None:
        TRIED[kind] += count

    return add


def pytest_terminal_summary(terminalreporter):
    if not TRIED:
        return
    terminalreporter.section("adversarial suite: what was tried")
    for kind, count in sorted(TRIED.items()):
        terminalreporter.write_line(f"{count:>7}  {kind}")
