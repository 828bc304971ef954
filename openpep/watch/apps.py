from django.apps import AppConfig


class WatchConfig(AppConfig):
    name = "openpep.watch"
    label = "watch"
    verbose_name = "Unusual access"

    def ready(self):
        from openpep import jobs

        from .services import raise_unusual_access_alerts

        # One grouped query over the last hour's page views.
        jobs.register(
            "unusual access",
            jobs.Every.FEW_MINUTES,
            lambda today: len(raise_unusual_access_alerts()),
            "Unusual access: %s alerts raised",
        )
