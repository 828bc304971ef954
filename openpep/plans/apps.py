from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "openpep.plans"
    label = "plans"
    verbose_name = "Personal Education Plans"
