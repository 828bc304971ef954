"""How many PEPs each check before submission would catch: run over every PEP, its
settings aside, to judge the checks (and the demo) by."""

from collections.abc import Iterable
from dataclasses import dataclass

from openpep.plans.enums import Status
from openpep.plans.models import Pep

from .checks import Plan, findings
from .enums import CheckId

#: The PEPs still being written, and those that have reached the Virtual School.
IN_PROGRESS = {Status.DRAFT, Status.SCHOOL_RETURNED, Status.RETURNED_TO_SCHOOL, Status.RETURNED_TO_SW}


@dataclass(frozen=True)
class Share:
    group: str
    check: CheckId
    caught: int
    total: int

    @property
    def percent(self) -> str:
        return f"{100 * self.caught / self.total:.0f}%" if self.total else "–"


def shares(peps: Iterable[Pep]) -> list[Share]:
    """For each check, how many of ``peps`` it catches: of all of them, of those in
    progress, and of those that have reached the Virtual School."""
    caught: dict[str, dict[CheckId, int]] = {}
    totals: dict[str, int] = {}
    for pep in peps:
        found = {finding.check for finding in findings(Plan.of(pep))}
        groups = ("all", "in progress" if pep.status in IN_PROGRESS else "reached the Virtual School")
        for group in groups:
            totals[group] = totals.get(group, 0) + 1
            counts = caught.setdefault(group, dict.fromkeys(CheckId, 0))
            for check in found:
                counts[check] += 1
    order = ["all", "in progress", "reached the Virtual School"]
    return [
        Share(group, check, caught[group][check], totals[group])
        for group in order
        if group in totals
        for check in CheckId
    ]


def all_peps():
    return Pep.objects.select_related("child", "child_views", "school_section", "meeting").order_by("pk")


def report(rows: list[Share]) -> list[str]:
    lines = []
    for group in dict.fromkeys(row.group for row in rows):
        group_rows = [row for row in rows if row.group == group]
        lines.append(f"PEPs {group}: {group_rows[0].total}")
        lines += [f"  {row.check.label:<45} {row.caught:>3} of {row.total:<3} {row.percent:>4}" for row in group_rows]
    return lines
