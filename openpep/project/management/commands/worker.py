import logging
import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from openpep import jobs

log = logging.getLogger("openpep.worker")


class Command(BaseCommand):
    help = (
        "Run the background jobs the apps register (openpep.jobs): queued work (subject-access exports, "
        "webhooks) every few seconds, reminders and alerts every few minutes, and the daily jobs (the due "
        "dates of every PEP in progress first) once a day."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run each job once and stop (for cron or tests)")
        parser.add_argument("--interval", type=int, default=5, help="Seconds between looks for queued jobs")
        parser.add_argument("--reminders-every", type=int, default=300, help="Seconds between reminder runs")

    def handle(self, *args, once: bool, interval: int, reminders_every: int, **options):
        ran_on = None
        reminded_at = None
        while True:
            today = timezone.localdate()
            if ran_on != today:
                run(jobs.Every.DAY, today)
                ran_on = today
            if reminded_at is None or time.monotonic() - reminded_at >= reminders_every:
                run(jobs.Every.FEW_MINUTES, today)
                reminded_at = time.monotonic()
            run(jobs.Every.LOOP, today)
            if once:
                return
            time.sleep(interval)


def run(every: jobs.Every, today) -> None:
    for job in jobs.due(every):
        result = job.run(today)
        if job.log:
            log.info(job.log, *(result if isinstance(result, tuple) else (result,)))
