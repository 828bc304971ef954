from django.apps import AppConfig


class DraftsConfig(AppConfig):
    name = "openpep.drafts"
    label = "drafts"
    verbose_name = "Drafts"

    def ready(self):
        from openpep import jobs
        from openpep.plans import hooks

        from . import services
        from .services import purge_expired

        hooks.lend(hooks.DRAFTS, services)  # a section form opens with its draft, and saving discards it

        jobs.register(
            "expired drafts", jobs.Every.DAY, lambda today: purge_expired(), "Deleted %s drafts past their time"
        )
