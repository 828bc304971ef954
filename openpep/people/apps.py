from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "openpep.people"
    label = "people"
    verbose_name = "Organisations and people"
