from django.apps import AppConfig


class ClockConfig(AppConfig):
    name = "openpep.clock"
    label = "clock"
    verbose_name = "Statutory clock"
