import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openpep.settings")
application = get_wsgi_application()

from django.conf import settings  # noqa: E402  (after the settings are loaded)

if not settings.DEBUG and settings.SECRET_KEY == settings.INSECURE_KEY:
    # Sessions, CSRF tokens and password links are signed with this key: never serve without one.
    raise ImproperlyConfigured("Set the environment variable SECRET_KEY before serving OpenPEP")
