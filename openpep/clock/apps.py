from django.apps import AppConfig


class ClockConfig(AppConfig):
    name = "openpep.clock"
    label = "clock"
    verbose_name = "Statutory clock"

    def ready(self):
        from . import receivers  # noqa: F401  (connects the receivers)
