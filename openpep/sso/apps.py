from django.apps import AppConfig
from django.core import checks


def check_providers(app_configs, **kwargs):
    from django.core.exceptions import ImproperlyConfigured

    from .config import providers

    try:
        providers()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="openpep.sso.E001")]
    return []


class SsoConfig(AppConfig):
    name = "openpep.sso"
    label = "sso"
    verbose_name = "Single sign-on"

    def ready(self):
        checks.register(check_providers, "openpep")
