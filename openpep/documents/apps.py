from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "openpep.documents"
    label = "documents"
    verbose_name = "Documents"

    def ready(self):
        from . import receivers  # noqa: F401  (connects the receivers)
