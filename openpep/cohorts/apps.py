from django.apps import AppConfig


class CohortsConfig(AppConfig):
    name = "openpep.cohorts"
    label = "cohorts"
    verbose_name = "The Virtual School's cohorts"

    def ready(self):
        from . import receivers  # noqa: F401  (each new council's casework topics)
