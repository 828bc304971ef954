from django.apps import AppConfig
from django.core import checks


def check_groups(app_configs, **kwargs):
    from django.core.exceptions import ImproperlyConfigured

    from .config import mappings

    try:
        mappings()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="openpep.scim.E001")]
    return []


class ScimConfig(AppConfig):
    name = "openpep.scim"
    label = "scim"
    verbose_name = "Directory provisioning (SCIM 2.0)"

    def ready(self):
        checks.register(check_groups, "openpep")
