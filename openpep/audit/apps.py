from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "openpep.audit"
    label = "audit"
    verbose_name = "Audit"
