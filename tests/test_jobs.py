"""openpep.jobs: each app registers its jobs, and the worker runs what is registered."""

import logging

import pytest
from django.core.management import call_command

from openpep import jobs


def test_each_app_registers_its_jobs_with_the_worker():
    names = {every: [job.name for job in jobs.due(every)] for every in jobs.Every}
    assert names == {
        jobs.Every.DAY: ["dormant accounts", "lockout log", "due dates", "warnings", "expired drafts", "wrong codes"],
        jobs.Every.FEW_MINUTES: ["reminders", "unusual access"],
        jobs.Every.LOOP: ["exports", "webhooks"],
    }


@pytest.mark.django_db
def test_worker_once_runs_and_logs_every_job(caplog):
    with caplog.at_level(logging.INFO, logger="openpep.worker"):
        call_command("worker", "--once")
    assert caplog.messages == [
        "Disabled 0 dormant accounts",
        "Deleted 0 lockout records past their time",
        "Recomputed the due dates of 0 PEPs in progress",
        "Early warnings: 0 raised",
        "Deleted 0 drafts past their time",
        "Deleted 0 wrong codes past their time",
        "Reminders: 0 due, 0 sent",
        "Unusual access: 0 alerts raised",
    ]
