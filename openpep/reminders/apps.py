from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "openpep.reminders"
    label = "reminders"
    verbose_name = "Tasks and reminders"

    def ready(self):
        from . import receivers  # noqa: F401  (connects the receivers)
