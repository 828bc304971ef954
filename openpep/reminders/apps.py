from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "openpep.reminders"
    label = "reminders"
    verbose_name = "Tasks and reminders"
