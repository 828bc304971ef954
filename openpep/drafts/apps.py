from django.apps import AppConfig


class DraftsConfig(AppConfig):
    name = "openpep.drafts"
    label = "drafts"
    verbose_name = "Drafts"

    def ready(self):
        from openpep import jobs

        from .services import purge_expired

        jobs.register(
            "expired drafts", jobs.Every.DAY, lambda today: purge_expired(), "Deleted %s drafts past their time"
        )
