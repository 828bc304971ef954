"""The demo's early warnings: raised from the demo's own data (its attendance registers, schools
and PEPs), as the worker would on the demo's first morning. Called at the end of ``openpep.demo``."""

from openpep.plans.due import refresh_open_pep_clocks

from .services import raise_warnings


def build(demo) -> int:
    """Raise today's warnings; returns how many. The PEPs' due dates are stored first: the clock
    stores them after the demo's commit, and a PEP overdue by them is a warning."""
    refresh_open_pep_clocks()
    return len(raise_warnings(demo.today))
