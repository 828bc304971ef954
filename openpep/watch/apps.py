from django.apps import AppConfig


class WatchConfig(AppConfig):
    name = "openpep.watch"
    label = "watch"
    verbose_name = "Unusual access"
