from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "openpep.imports"
    label = "imports"
    verbose_name = "Imports"
