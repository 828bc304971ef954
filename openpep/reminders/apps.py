from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "openpep.reminders"
    label = "reminders"
    verbose_name = "Tasks and reminders"

    def ready(self):
        from openpep import jobs

        from .services import queue_reminders, send_queued

        jobs.register(
            "reminders",
            jobs.Every.FEW_MINUTES,
            lambda today: (queue_reminders(today), send_queued()),
            "Reminders: %s due, %s sent",
        )
        from . import receivers  # noqa: F401  (connects the receivers)
