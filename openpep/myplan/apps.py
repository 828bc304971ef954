from django.apps import AppConfig


class MyPlanConfig(AppConfig):
    name = "openpep.myplan"
    label = "myplan"
    verbose_name = "My plan: the child's version of a signed-off PEP"
