"""No state changes on GET, and no POST without a CSRF token.

Every URL pattern is requested the way tests/test_permission_matrix.py does (the same objects,
built by its `_url`), as every role and anonymously; before and after each request every table's
row count and checksum are taken (openpep.backups.checksums, the same ones a backup's manifest
holds) and must be the same. What a request may leave behind:

- ``django_session``: a signed-in GET records activity for the idle limit (at most once every
  SESSION_TOUCH_SECONDS), which saves its session. Signing in itself (a new session,
  ``last_login``) happens before the first checksum, so it is not excused.
- new audit entries that record a read (a download; a view) or a refusal (a 404 for another
  child's record, kept for the unusual-access alerts): the audit trail grows, its existing rows
  never change.
"""

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from openpep.audit.enums import Verb
from openpep.audit.models import AuditEntry
from openpep.backups.checksums import table_checksums
from tests.fixtures import sign_in
from tests.test_permission_matrix import ANY, GET, OWN, POST, ROLES, _url, with_matrix_objects

BOOKKEEPING = {"django_session"}
AUDIT = AuditEntry._meta.db_table
READ_VERBS = {Verb.DOWNLOADED, Verb.VIEWED, Verb.REFUSED}
# Writes on GET the application makes today, each a finding to fix: (url name, table) -> why.
KNOWN_WRITES: dict[tuple[str, str], str] = {}
CASES = [(name, column) for name, columns in GET.items() for column in columns]


@pytest.fixture(scope="module")
def matrix_world(module_world, django_db_blocker):
    with django_db_blocker.unblock():
        return with_matrix_objects(module_world)


@pytest.fixture
def world(matrix_world, db):
    """The permission matrix's world and objects, built once for this module; each test runs in a
    savepoint rolled back after it (tests/fixtures.py's ``module_transaction``)."""
    return matrix_world


class State:
    def __init__(self):
        self.tables = {table: sums for table, sums in table_checksums(connection).items() if table not in BOOKKEEPING}
        self.last_audit = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        self.audit_rows = list(AuditEntry.objects.filter(pk__lte=self.last_audit).order_by("pk").values_list())

    def changes_since(self, before: "State") -> list[str]:
        tables = self.tables.keys() | before.tables.keys()
        changed = [table for table in tables if self.tables.get(table) != before.tables.get(table)]
        if AUDIT in changed:
            new_verbs = set(AuditEntry.objects.filter(pk__gt=before.last_audit).values_list("verb", flat=True))
            kept = list(AuditEntry.objects.filter(pk__lte=before.last_audit).order_by("pk").values_list())
            if kept == before.audit_rows and new_verbs <= READ_VERBS:
                changed.remove(AUDIT)
        return sorted(changed)


@pytest.mark.parametrize(("name", "column"), CASES)
def test_get_changes_nothing(name, column, world, client):
    url = _url(name, column, world)
    changed, known = {}, set()
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            sign_in(client, getattr(world, role))
        before = State()

        client.get(url)

        tables = State().changes_since(before)
        known |= {(name, table) for table in tables if (name, table) in KNOWN_WRITES}
        if tables := [table for table in tables if (name, table) not in KNOWN_WRITES]:
            changed[role] = tables
    assert changed == {}, f"GET {url} changed tables"
    fixed = {key for key in KNOWN_WRITES if key[0] == name} - known
    assert not fixed, f"Fixed, it seems: remove {fixed} from KNOWN_WRITES"


def _allowed_role(name: str, column: str) -> str:
    """A role the matrix lets through (a POST that would write), else whoever sees the page."""
    for table, wanted in ((POST, 302), (GET, 200), (GET, 302)):
        cells = table.get(name, {}).get(column, {})
        for role in ROLES:
            if cells.get(role) == wanted:
                return role
    return "vs_admin"


CSRF_CASES = [(name, OWN if OWN in columns else ANY) for name, columns in GET.items()]


@pytest.mark.parametrize(("name", "column"), CSRF_CASES)
def test_post_without_a_csrf_token_is_refused_and_writes_nothing(name, column, world):
    url = _url(name, column, world)
    role = _allowed_role(name, column)
    client = Client(enforce_csrf_checks=True)
    if role != "anonymous":
        sign_in(client, getattr(world, role))
    before = State()

    response = client.post(url, {"note": "x", "reason": "x", "confirm": "yes"})

    assert response.status_code == 403, f"POST {url} as {role}"
    assert '<h1 class="govuk-heading-l">This form has expired</h1>' in response.content.decode()
    assert State().changes_since(before) == []


@pytest.mark.parametrize("name", ["plans:target_remove", "logout"])
def test_the_same_post_with_the_token_goes_through(name, world):
    """So the refusals above are the CSRF check's, not the views'."""
    url = _url(name, OWN if OWN in GET[name] else ANY, world)
    role = _allowed_role(name, OWN if OWN in GET[name] else ANY)
    client = Client(enforce_csrf_checks=True)
    sign_in(client, getattr(world, role))
    client.get(reverse("children:list"))  # sets the CSRF cookie, as a page with a form does
    before = State()

    response = client.post(url, {"csrfmiddlewaretoken": client.cookies["csrftoken"].value})

    assert response.status_code == 302
    # Signing out writes its time in django-axes' access log, and ends every session of the person
    # (their session epoch, openpep.people.services.end_sessions).
    expected = ["axes_accesslog", "people_user"] if name == "logout" else ["audit_auditentry", "plans_target"]
    assert State().changes_since(before) == expected
