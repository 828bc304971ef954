from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "openpep.dashboards"
    label = "dashboards"
    verbose_name = "Dashboards and exports"
