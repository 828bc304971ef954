"""The worker's jobs, registered by the app that owns each one.

Each app adds its jobs in its ``AppConfig.ready`` (``jobs.register(...)``), so the worker
(``openpep.project``'s ``manage.py worker``) runs them without importing any app: the apps
depend on this module, never the other way. A job takes today's date, calls a service and
returns what to log."""

import datetime
import enum
from collections.abc import Callable
from dataclasses import dataclass


class Every(enum.Enum):
    """How often the worker runs a job."""

    DAY = "once a day"  # first in a day's loop: a due date can depend on today itself
    FEW_MINUTES = "every few minutes"  # the worker's --reminders-every
    LOOP = "every loop"  # queued work: every few seconds


@dataclass(frozen=True)
class Job:
    name: str
    every: Every
    run: Callable[[datetime.date], object]
    log: str = ""  # a %-format of what ``run`` returned (a tuple fills several %s); blank: not logged


_jobs: dict[str, Job] = {}


def register(name: str, every: Every, run: Callable[[datetime.date], object], log: str = "") -> None:
    """Add (or, for a ready() run twice, replace) the job called ``name``."""
    _jobs[name] = Job(name, every, run, log)


def due(every: Every) -> list[Job]:
    """The jobs run at ``every``, in the order the apps registered them (INSTALLED_APPS' order)."""
    return [job for job in _jobs.values() if job.every is every]
