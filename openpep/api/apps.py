from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "openpep.api"
    label = "api"
    verbose_name = "Open API and PEP exchange"

    def ready(self):
        from openpep import jobs

        from . import receivers, schema  # noqa: F401
        from .services import run_webhooks

        # Webhook events and their retries.
        jobs.register("webhooks", jobs.Every.LOOP, run_webhooks)
