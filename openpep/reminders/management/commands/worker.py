import logging
import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from openpep.clock.services import refresh_open_pep_clocks
from openpep.reminders.services import queue_reminders, send_queued

log = logging.getLogger("openpep.worker")


class Command(BaseCommand):
    help = "Run the background jobs: recompute due dates once a day, queue and send reminders every few minutes."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run each job once and stop (for cron or tests)")
        parser.add_argument("--interval", type=int, default=300, help="Seconds between runs (default 300)")

    def handle(self, *args, once: bool, interval: int, **options):
        refreshed_on = None
        while True:
            today = timezone.localdate()
            if refreshed_on != today:
                # A due date can depend on today itself (a term that has started), so once a day.
                count = refresh_open_pep_clocks()
                refreshed_on = today
                log.info("Recomputed the due dates of %s PEPs in progress", count)
            queued = queue_reminders(today)
            sent = send_queued()
            log.info("Reminders: %s due, %s sent", queued, sent)
            if once:
                return
            time.sleep(interval)
