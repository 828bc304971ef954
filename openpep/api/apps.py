from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "openpep.api"
    label = "api"
    verbose_name = "Open API and PEP exchange"

    def ready(self):
        from . import receivers, schema  # noqa: F401
