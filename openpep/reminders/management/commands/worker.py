import logging
import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from openpep.api.services import run_webhooks
from openpep.clock.services import refresh_open_pep_clocks
from openpep.documents.services import run_queued_exports
from openpep.drafts.services import purge_expired
from openpep.people.services import disable_dormant_accounts, prune_lockout_log
from openpep.reminders.services import queue_reminders, send_queued
from openpep.watch.services import raise_unusual_access_alerts

log = logging.getLogger("openpep.worker")


class Command(BaseCommand):
    help = (
        "Run the background jobs: queued jobs (subject-access exports) every few seconds, reminders every "
        "few minutes, and the due dates of every PEP in progress once a day."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run each job once and stop (for cron or tests)")
        parser.add_argument("--interval", type=int, default=5, help="Seconds between looks for queued jobs")
        parser.add_argument("--reminders-every", type=int, default=300, help="Seconds between reminder runs")

    def handle(self, *args, once: bool, interval: int, reminders_every: int, **options):
        refreshed_on = None
        reminded_at = None
        while True:
            today = timezone.localdate()
            if refreshed_on != today:
                # A due date can depend on today itself (a term that has started), so once a day.
                count = refresh_open_pep_clocks()
                refreshed_on = today
                log.info("Recomputed the due dates of %s PEPs in progress", count)
                log.info("Deleted %s drafts past their time", purge_expired())
                log.info("Disabled %s dormant accounts", disable_dormant_accounts())  # openpep.people
                log.info("Deleted %s lockout records past their time", prune_lockout_log())  # django-axes' log
            if reminded_at is None or time.monotonic() - reminded_at >= reminders_every:
                queued = queue_reminders(today)
                sent = send_queued()
                reminded_at = time.monotonic()
                log.info("Reminders: %s due, %s sent", queued, sent)
                # One grouped query over the last hour's page views (openpep.watch).
                alerts = raise_unusual_access_alerts()
                log.info("Unusual access: %s alerts raised", len(alerts))
            run_queued_exports()  # subject-access exports (openpep.documents)
            run_webhooks(today)  # webhook events and their retries (openpep.api)
            if once:
                return
            time.sleep(interval)
