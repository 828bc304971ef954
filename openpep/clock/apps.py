from django.apps import AppConfig


class ClockConfig(AppConfig):
    name = "openpep.clock"
    label = "clock"
    verbose_name = "Statutory clock"

    def ready(self):
        from openpep import jobs

        from . import receivers  # noqa: F401  (connects the receivers)
        from .services import refresh_open_pep_clocks

        # A due date can depend on today itself (a term that has started), so once a day.
        jobs.register(
            "due dates",
            jobs.Every.DAY,
            lambda today: refresh_open_pep_clocks(),
            "Recomputed the due dates of %s PEPs in progress",
        )
