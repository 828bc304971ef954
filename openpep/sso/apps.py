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
        from openpep.people import sign_in_elsewhere

        from .config import council_account

        checks.register(check_providers, "openpep")
        sign_in_elsewhere.register(council_account)  # the welcome e-mail of a council account
