"""OpenPEP settings: one module, every deployment difference read from the environment.

Helpers fail loudly on a malformed value rather than guessing (healthchecks' style).
"""

import datetime
import json
import os
import tempfile
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"The environment variable {name} must be set")
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# Commands that sign nothing (makemigrations, check) run without a key; serving pages
# does not: openpep/wsgi.py refuses to start without SECRET_KEY unless DEBUG is on, and
# `check --deploy` fails on this placeholder.
INSECURE_KEY = "django-insecure-development-key-only"
SECRET_KEY = os.environ.get("SECRET_KEY") or INSECURE_KEY
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_forms_gds",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "openpep.audit",
    "openpep.people",
    "openpep.mfa",
    "openpep.sso",
    "openpep.scim",
    "openpep.children",
    "openpep.plans",
    "openpep.meetings",
    "openpep.clock",
    "openpep.reminders",
    "openpep.quality",
    "openpep.attendance",
    "openpep.documents",
    "openpep.funding",
    "openpep.dashboards",
    "openpep.warnings",
    "openpep.cohorts",
    "openpep.imports",
    "openpep.backups",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "openpep.api",
    "openpep.drafts",
    "openpep.voice",
    "openpep.watch",
    "openpep.project",  # the worker and the demo: above every app
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so that static files carry the policy too.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The second factor: request.user.is_verified(), then every signed-in page but the second
    # step itself (and sign-out) sends a session not yet verified to that step.
    "django_otp.middleware.OTPMiddleware",
    "openpep.mfa.middleware.SecondFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "openpep.middleware.NoStoreForSignedInMiddleware",
    # After authentication, messages and CSRF (its checks run in process_view, after CSRF's).
    "openpep.session_limits.SessionLimitsMiddleware",
    # Records a 404 for a child or PEP that exists but is out of the requester's scope (pages and
    # API alike), for the unusual-access alerts; it looks only at 404s.
    "openpep.watch.middleware.RefusalMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "openpep.urls"
WSGI_APPLICATION = "openpep.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "openpep" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "openpep.people.context_processors.navigation",
                "openpep.navigation.menu",
                "openpep.reminders.context_processors.task_count",
                "openpep.session_limits.timeout_settings",
            ],
            "builtins": ["openpep.templatetags.govuk"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
    )
}
# PostgreSQL's JIT compiler spent tens of seconds compiling the dashboard's large generated
# queries, for a few milliseconds of execution (docs/deployment.md): OpenPEP's queries are short,
# so JIT is off for its connections unless DB_JIT is set.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not env_bool("DB_JIT", False):
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = (_options.get("options", "") + " -c jit=off").strip()
# The embedded SQLite database (the demo, a council's pilot) is used by several people at once:
# WAL lets readers go on while one writes; a write transaction takes the write lock when it begins
# (IMMEDIATE), so two never deadlock half-way, which SQLite answers at once with "database is
# locked" whatever the timeout; the timeout makes a writer wait its turn instead of failing.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_TIMEOUT_SECONDS", 20),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Tests: a file, not memory, so that threads and the live server use connections of their
    # own as production does; one per test run, so that runs side by side never share it.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"openpep-test-{os.getpid()}.sqlite3"),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.User"
# django-axes first: it refuses a locked-out sign-in before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Signing in with a council's own account (openpep.sso): only from its provider's callback.
    "openpep.sso.backends.CouncilBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "openpep" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Signed-off PEP copies and subject-access exports: private files, never served as media.
    "documents": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env_str("DOCUMENTS_ROOT", str(BASE_DIR / "var" / "documents"))},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Where `make backup` writes its archives (see docs/backups.md).
BACKUP_DIR = env_str("BACKUP_DIR", str(BASE_DIR / "var" / "backups"))
# Static files are served by WhiteNoise from the app process, so that a proxy
# needs no shared volume; in development the finders serve them directly.
WHITENOISE_USE_FINDERS = DEBUG

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"
CRISPY_GDS_FRONTEND_VERSION = "5.14.0"

# Session limits (openpep/session_limits.py): signed out after SESSION_IDLE_SECONDS without a
# request and SESSION_ABSOLUTE_SECONDS after signing in, whatever happens; the page warns
# SESSION_WARNING_SECONDS before the idle limit. The cookie lives as long as the absolute limit,
# so that the middleware still knows whose idle session ended and keeps what they had typed.
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60)
SESSION_WARNING_SECONDS = env_int("SESSION_WARNING_SECONDS", 2 * 60)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
# A GET records activity (a write of the session) only when the last recorded is this old; the
# idle limit runs from the last recorded, and pages count down from there (openpep/session_limits.py).
SESSION_TOUCH_SECONDS = env_int("SESSION_TOUCH_SECONDS", 60)
# What a person typed and did not save (openpep/drafts) is kept this many days.
DRAFT_DAYS = env_int("DRAFT_DAYS", 14)
# The PDF renderer's budget (openpep.documents.pdf.render_pdf): a document whose HTML is longer
# is refused, one that takes longer is killed; either is an error page and an error in the log.
# A PEP with every answer at its limit (openpep.text_limits) is well inside both.
PDF_SECONDS = env_int("PDF_SECONDS", 60)
PDF_MAX_HTML_CHARS = env_int("PDF_MAX_HTML_CHARS", 2_000_000)
# An alert to the Virtual School head when one person views more than this many different
# children in an hour (openpep/watch).
UNUSUAL_ACCESS_CHILDREN = env_int("UNUSUAL_ACCESS_CHILDREN", 25)
# And when one person (or token) is refused the records of more than this many different children
# of an authority in an hour: asked for a child or PEP that exists but is not theirs to see.
UNUSUAL_ACCESS_REFUSALS = env_int("UNUSUAL_ACCESS_REFUSALS", 10)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# HTTPS. Production is HTTPS-only unless told otherwise: the one switch OPENPEP_INSECURE_HTTP=true
# (set by the Makefile's test and demo targets, which serve plain HTTP on this machine) turns off the
# redirect to HTTPS and the Secure flag of the cookies; `make check-deploy` fails when it is on.
INSECURE_HTTP = env_bool("OPENPEP_INSECURE_HTTP", False)
for _retired in ("SECURE_COOKIES", "SECURE_SSL_REDIRECT", "BEHIND_PROXY"):
    if _retired in os.environ:  # silently ignoring it could leave a deployment other than intended
        raise ImproperlyConfigured(f"{_retired} is no longer read: see OPENPEP_INSECURE_HTTP and TRUSTED_PROXIES")
SECURE_SSL_REDIRECT = not INSECURE_HTTP
# The health check is answered over plain HTTP too: a proxy or orchestrator polls gunicorn directly.
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
SESSION_COOKIE_SECURE = not INSECURE_HTTP
CSRF_COOKIE_SECURE = not INSECURE_HTTP
# How many reverse proxies in front of the app set X-Forwarded-For and X-Forwarded-Proto (each
# appending to X-Forwarded-For). 0, the default, trusts neither header: a client could forge them.
TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 0)
if TRUSTED_PROXIES < 0:
    raise ImproperlyConfigured("TRUSTED_PROXIES must be 0 or more")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXIES else None
SECURE_CONTENT_TYPE_NOSNIFF = True
CSRF_FAILURE_VIEW = "openpep.errors.csrf_failure"
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# HSTS is sent on HTTPS responses only (browsers ignore it over HTTP). The preload token does
# nothing until someone submits the domain to the browsers' preload list.
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", True)
# Content-Security-Policy (django-csp): scripts only from this site or with the page's nonce
# (base.html's one-line GOV.UK "js-enabled" script), no plugins, no <base>, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
    }
}

# Lockout (django-axes): failures are counted per account and client address together, so that
# nobody can lock a colleague out from elsewhere for long; the client address comes from
# openpep.client_ip, which believes X-Forwarded-For only as far as TRUSTED_PROXIES says.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env_int("LOCKOUT_FAILURES", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("LOCKOUT_MINUTES", 15))
AXES_RESET_ON_SUCCESS = True
# A second limit, per account across every address (openpep.lockout): after this many failures
# within LOCKOUT_MINUTES, signing in to the account is paused this long after each failure, and
# its owner is e-mailed.
AXES_HANDLER = "openpep.lockout.AccountLockoutHandler"
LOCKOUT_ACCOUNT_FAILURES = env_int("LOCKOUT_ACCOUNT_FAILURES", 20)
LOCKOUT_ACCOUNT_PAUSE_SECONDS = env_int("LOCKOUT_ACCOUNT_PAUSE_SECONDS", 60)
# The lockout's records of sign-ins and failed attempts are deleted by the worker after this many days.
LOCKOUT_LOG_DAYS = env_int("LOCKOUT_LOG_DAYS", 90)
AXES_CLIENT_IP_CALLABLE = "openpep.client_ip.client_ip"
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "openpep.client_ip.username"
AXES_LOCKOUT_CALLABLE = "openpep.client_ip.locked_out"

# The child's "Have your say" (openpep.voice): how long a code works, and the limits on wrong codes
# within VOICE_CODE_MINUTES — from one address, and from every address at once.
VOICE_INVITATION_DAYS = env_int("VOICE_INVITATION_DAYS", 14)
VOICE_CODE_MINUTES = env_int("VOICE_CODE_MINUTES", 15)
VOICE_CODE_FAILURES = env_int("VOICE_CODE_FAILURES", 10)
VOICE_CODE_FAILURES_ALL = env_int("VOICE_CODE_FAILURES_ALL", 200)
# How long a child's Have your say pages stay open in their browser after the code was typed.
VOICE_SESSION_SECONDS = env_int("VOICE_SESSION_SECONDS", 2 * 60 * 60)

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "openpep@localhost")
# GOV.UK Notify, when EMAIL_BACKEND is openpep.notify.NotifyEmailBackend (see that module).
NOTIFY_API_KEY = env_str("NOTIFY_API_KEY", "")
NOTIFY_TEMPLATE_ID = env_str("NOTIFY_TEMPLATE_ID", "")
NOTIFY_BASE_URL = env_str("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")

SERVICE_NAME = env_str("SERVICE_NAME", "OpenPEP")
# The address e-mails link to (they are sent by the worker, outside any request).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# The second factor (openpep.mfa): TOTP through django-otp, passkeys through py_webauthn.
OTP_TOTP_ISSUER = SERVICE_NAME
# The WebAuthn relying party: the site's domain (empty: the host of the request, which
# ALLOWED_HOSTS has checked). Passkeys are bound to it, so set it in production.
WEBAUTHN_RP_ID = env_str("WEBAUTHN_RP_ID", "")


# Single sign-on (openpep.sso): each council's OpenID Connect provider, keyed by LA code, as JSON in
# OPENPEP_OIDC_PROVIDERS or in the file OPENPEP_OIDC_PROVIDERS_FILE (docs/deployment.md). Through
# mozilla-django-oidc: authorization code flow with PKCE, state and nonce, ID tokens checked against the
# provider's keys; no account is ever made from a sign-in.
def _oidc_providers() -> dict:
    raw, path = os.environ.get("OPENPEP_OIDC_PROVIDERS"), os.environ.get("OPENPEP_OIDC_PROVIDERS_FILE")
    if raw and path:
        raise ImproperlyConfigured("Set OPENPEP_OIDC_PROVIDERS or OPENPEP_OIDC_PROVIDERS_FILE, not both")
    if path:
        try:
            raw = Path(path).read_text(encoding="utf-8")
        except OSError as error:
            raise ImproperlyConfigured(f"OPENPEP_OIDC_PROVIDERS_FILE: {error}") from None
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError as error:
        raise ImproperlyConfigured(f"The OIDC providers are not valid JSON: {error}") from None
    if not isinstance(value, dict):
        raise ImproperlyConfigured("The OIDC providers must be a JSON object keyed by LA code")
    return value


OIDC_PROVIDERS = _oidc_providers()


# Directory provisioning (openpep.scim): each council's mapping of its directory's groups to roles,
# keyed by LA code, as JSON in OPENPEP_SCIM_GROUPS or in the file OPENPEP_SCIM_GROUPS_FILE
# (docs/deployment.md). A council without one has no group mapped; its token is made with
# `manage.py scim_token <LA code>`.
def _scim_groups() -> dict:
    raw, path = os.environ.get("OPENPEP_SCIM_GROUPS"), os.environ.get("OPENPEP_SCIM_GROUPS_FILE")
    if raw and path:
        raise ImproperlyConfigured("Set OPENPEP_SCIM_GROUPS or OPENPEP_SCIM_GROUPS_FILE, not both")
    if path:
        try:
            raw = Path(path).read_text(encoding="utf-8")
        except OSError as error:
            raise ImproperlyConfigured(f"OPENPEP_SCIM_GROUPS_FILE: {error}") from None
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError as error:
        raise ImproperlyConfigured(f"The SCIM groups are not valid JSON: {error}") from None
    if not isinstance(value, dict):
        raise ImproperlyConfigured("The SCIM groups must be a JSON object keyed by LA code")
    return value


SCIM_GROUPS = _scim_groups()
OIDC_CLOCK_SKEW_SECONDS = env_int("OIDC_CLOCK_SKEW_SECONDS", 120)
OIDC_USE_PKCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
OIDC_USE_NONCE = True
OIDC_CREATE_USER = False
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = "openid email profile"
OIDC_STORE_ID_TOKEN = True  # for the council's sign-out link (id_token_hint)
OIDC_AUTHENTICATION_CALLBACK_URL = "sso:callback"
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT_SECONDS", 10)
LOGIN_REDIRECT_URL_FAILURE = "login"
# Accounts nobody has signed in to for this many days are disabled by the worker.
DORMANT_AFTER_DAYS = env_int("DORMANT_AFTER_DAYS", 90)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# The open API (openpep.api): tokens for connected systems, throttled per token. The throttle counts
# live in the database cache so that every gunicorn process shares them (run `manage.py
# createcachetable` once; `make run` and the tests do).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "api": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "openpep_api_cache"},
}
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["openpep.api.auth.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["openpep.api.auth.TokenScope"],
    "DEFAULT_THROTTLE_CLASSES": ["openpep.api.auth.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": env_str("API_RATE", "600/minute")},
    "DEFAULT_PAGINATION_CLASS": "openpep.api.handling.Pagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["openpep.api.parsing.JSONParser"],
    "UNAUTHENTICATED_USER": None,
    "EXCEPTION_HANDLER": "openpep.api.handling.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "OpenPEP API",
    "DESCRIPTION": "Children, PEPs, meetings and tasks of one local authority, for its connected systems.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_AUTHENTICATION": [],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}
# Webhooks: the first retry waits this long, each next one twice as long, up to this many attempts.
WEBHOOK_RETRY_SECONDS = env_int("WEBHOOK_RETRY_SECONDS", 30)
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 8)
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 10)
# Addresses must be https:// unless this is on (a test receiver on the same machine, say).
WEBHOOK_ALLOW_HTTP = env_bool("WEBHOOK_ALLOW_HTTP", DEBUG)
# Webhooks are never sent inside the network (loopback, private, link-local, reserved addresses:
# openpep.api.addresses) unless to one of these hosts, named as in the webhook's address.
WEBHOOK_ALLOWED_INTERNAL_HOSTS = env_list("WEBHOOK_ALLOWED_INTERNAL_HOSTS")
# Names this OpenPEP in the IDs of the PEP exchange documents it writes; keep it once chosen.
OPENPEP_INSTANCE_ID = env_str("OPENPEP_INSTANCE_ID", SITE_URL.split("://")[-1])
