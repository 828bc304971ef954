from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "openpep.people"
    label = "people"
    verbose_name = "Organisations and people"

    def ready(self):
        from openpep import jobs

        from .services import disable_dormant_accounts, prune_lockout_log

        jobs.register(
            "dormant accounts", jobs.Every.DAY, lambda today: disable_dormant_accounts(), "Disabled %s dormant accounts"
        )
        # django-axes' log
        jobs.register(
            "lockout log",
            jobs.Every.DAY,
            lambda today: prune_lockout_log(),
            "Deleted %s lockout records past their time",
        )
