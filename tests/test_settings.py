import subprocess
import sys

import pytest
from django.conf import settings

SERVE = "import openpep.wsgi"


def run(env):
    return subprocess.run([sys.executable, "-c", SERVE], env=env, capture_output=True, text=True, cwd=settings.BASE_DIR)


@pytest.mark.parametrize("debug", ["", "true"])
def test_serving_without_a_secret_key_is_refused_unless_debugging(debug):
    result = run({"PATH": "/usr/bin:/bin", "DEBUG": debug})

    if debug:
        assert result.returncode == 0, result.stderr
    else:
        assert "Set the environment variable SECRET_KEY before serving OpenPEP" in result.stderr


def test_serving_with_a_secret_key_starts():
    assert run({"PATH": "/usr/bin:/bin", "SECRET_KEY": "a-real-key-for-this-test"}).returncode == 0
