"""A tiny Django project that runs django-oidc-provider, a maintained OpenID Connect provider, for the
single sign-on tests and the demo: started on 127.0.0.1 with its own RSA key (``serve.py``). It is never
part of OpenPEP (the production package does not import ``synthetic``)."""

import os
import secrets

PORT = int(os.environ["SSO_PROVIDER_PORT"])
SITE_URL = f"http://127.0.0.1:{PORT}"
SECRET_KEY = secrets.token_hex(32)
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
ROOT_URLCONF = "synthetic.sso_provider.urls"
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oidc_provider",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [os.path.join(os.path.dirname(__file__), "templates")],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["SSO_PROVIDER_DB"]}}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
USE_TZ = True
TIME_ZONE = "UTC"
LOGIN_URL = "/login/"
# The provider's login is a different site from OpenPEP's: its own cookie names keep them apart on 127.0.0.1.
SESSION_COOKIE_NAME = "provider_session"
CSRF_COOKIE_NAME = "provider_csrftoken"
OIDC_IDTOKEN_PROCESSING_HOOK = "synthetic.sso_provider.hooks.id_token_claims"
OIDC_AFTER_USERLOGIN_HOOK = "synthetic.sso_provider.hooks.refuse_disabled"
OIDC_IDTOKEN_EXPIRE = 600
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# Test accounts only: a fast hash keeps the provider's start-up short.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tables made straight from the models (no migration history to replay): a start-up of about a second.
MIGRATION_MODULES = {app: None for app in ("auth", "contenttypes", "sessions", "oidc_provider")}
