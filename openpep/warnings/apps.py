from django.apps import AppConfig


class WarningsConfig(AppConfig):
    name = "openpep.warnings"
    label = "warnings"
    verbose_name = "Early warnings"

    def ready(self):
        from openpep import jobs

        from .services import raise_warnings

        jobs.register("warnings", jobs.Every.DAY, lambda today: len(raise_warnings(today)), "Early warnings: %s raised")
