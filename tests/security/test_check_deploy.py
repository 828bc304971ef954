"""Django's deployment checklist passes on the production settings with no warning and nothing
silenced, and fails when the environment asks for anything less (as `make check-deploy` runs it)."""

import secrets
import subprocess
import sys

import pytest
from django.conf import settings

PRODUCTION = {
    "PATH": "/usr/bin:/bin",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "openpep.example.gov.uk",
    "TRUSTED_PROXIES": "1",
}


def check_deploy(**env):
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={**PRODUCTION, **env},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )


def test_production_settings_pass_with_nothing_silenced():
    result = check_deploy()

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert not getattr(settings, "SILENCED_SYSTEM_CHECKS", [])


@pytest.mark.parametrize(
    ("env", "warnings"),
    [
        ({"OPENPEP_INSECURE_HTTP": "true"}, ["security.W008", "security.W012", "security.W016"]),
        ({"DEBUG": "true"}, ["security.W018"]),
        ({"SECRET_KEY": "short"}, ["security.W009"]),
        ({"SECRET_KEY": ""}, ["security.W009"]),  # the placeholder key
        ({"HSTS_SECONDS": "0"}, ["security.W004"]),
    ],
)
def test_anything_less_than_production_fails(env, warnings):
    result = check_deploy(**env)

    assert result.returncode == 1
    for warning in warnings:
        assert warning in result.stderr


def test_production_is_https_only_unless_told_otherwise():
    """With nothing in the environment but a key, the settings are the secure ones."""
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, "
        "s.SECURE_PROXY_SSL_HEADER, s.TRUSTED_PROXIES)"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        env={"PATH": "/usr/bin:/bin", "SECRET_KEY": "k"},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )

    assert result.stdout.split() == ["True", "True", "True", "31536000", "None", "0"], result.stderr


@pytest.mark.parametrize("retired", ["SECURE_COOKIES", "SECURE_SSL_REDIRECT", "BEHIND_PROXY"])
def test_a_retired_variable_stops_the_service_rather_than_being_ignored(retired):
    result = check_deploy(**{retired: "false"})

    assert result.returncode == 1
    assert f"{retired} is no longer read" in result.stderr
