from django.apps import AppConfig


class ProjectConfig(AppConfig):
    """Project-wide machinery above every app: the worker (which runs the jobs the apps register
    in ``openpep.jobs``) and the demo. No app imports it."""

    name = "openpep.project"
    label = "project"
    verbose_name = "Project-wide commands"
