from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "openpep.backups"
    verbose_name = "Backups"
