import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from openpep.people.models import LocalAuthority


@pytest.fixture
def authority(db):
    return LocalAuthority.objects.create(code="201", name="Borough 201")


@pytest.fixture
def other_authority(db):
    """The outsider: an authority whose children no import for 201 may touch."""
    return LocalAuthority.objects.create(code="202", name="Borough 202")


def run(*args) -> tuple[int, str, str]:
    """Run a command as from the shell: (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*[str(a) for a in args], stdout=out, stderr=err)
        status = 0
    except CommandError as error:
        err.write(str(error))
        status = error.returncode
    return status, out.getvalue(), err.getvalue()
