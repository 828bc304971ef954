from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "openpep.meetings"
    label = "meetings"
    verbose_name = "PEP meetings"
