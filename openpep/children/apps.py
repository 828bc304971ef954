from django.apps import AppConfig


class ChildrenConfig(AppConfig):
    name = "openpep.children"
    label = "children"
    verbose_name = "Children"
