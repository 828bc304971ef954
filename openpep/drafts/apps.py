from django.apps import AppConfig


class DraftsConfig(AppConfig):
    name = "openpep.drafts"
    label = "drafts"
    verbose_name = "Drafts"
