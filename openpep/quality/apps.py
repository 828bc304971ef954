from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "openpep.quality"
    label = "quality"
    verbose_name = "Quality assurance"

    def ready(self):
        from . import receivers  # noqa: F401 — a new authority gets the default rubric
        from .checks import register

        register()  # the blocking checks and the sign-off rule join the PEP workflow
