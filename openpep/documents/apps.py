from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "openpep.documents"
    label = "documents"
    verbose_name = "Documents"

    def ready(self):
        from openpep import jobs

        from . import receivers  # noqa: F401  (connects the receivers)
        from .services import run_queued_exports

        # Subject-access exports.
        jobs.register("exports", jobs.Every.LOOP, lambda today: run_queued_exports())
