"""No state changes on GET, and no POST without a CSRF token.

Every URL pattern is requested the way tests/test_permission_matrix.py does (the same objects,
built by its `_url`), as every role and anonymously. Two witnesses of a write, each catching what
the other could miss:

- every row an ``INSERT``, ``UPDATE`` or ``DELETE`` changed through Django's connection during a
  request, by table (``Writes``, a database execute wrapper reading each statement's row count):
  this says which role's request wrote what;
- every table's row count and checksum (openpep.backups.checksums, the same ones a backup's
  manifest holds) before the first role's request and after the last: this catches a write made
  any other way, and one written and put back. Each role's session was made once for the module
  (``module_sessions``), so signing in writes nothing in between.

What a request may leave behind:

- ``django_session``: a signed-in GET records activity for the idle limit (at most once every
  SESSION_TOUCH_SECONDS), which saves its session.
- new audit entries that record a read (a download; a view) or a refusal (a 404 for another
  child's record, kept for the unusual-access alerts): the audit trail grows, its existing rows
  never change.
"""

import re
from collections import Counter

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from openpep.audit.enums import Verb
from openpep.audit.models import AuditEntry
from openpep.backups.checksums import table_checksums
from tests.fixtures import resume_session, sign_in
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


@pytest.fixture(scope="module")
def module_sessions(module_sessions, council_sessions):
    """Each role's session, made once for the module: the council's staff (social workers, team manager,
    Virtual School, IRO) signed in with their council account through a real OpenID Connect provider
    (tests/fixtures.py's ``council_sessions``), everyone else with a password and an app. The same
    table of expected answers holds for both."""
    return module_sessions | council_sessions


@pytest.fixture
def world(matrix_world, db):
    """The permission matrix's world and objects, built once for this module; each test runs in a
    savepoint rolled back after it (tests/fixtures.py's ``module_transaction``)."""
    return matrix_world


def last_audit_entry() -> int:
    return AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


class State:
    def __init__(self):
        self.tables = {table: sums for table, sums in table_checksums(connection).items() if table not in BOOKKEEPING}
        self.last_audit = last_audit_entry()
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


#: A statement that changes rows, and the table it changes (Django quotes every table name).
WRITE = re.compile(r'\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"(\w+)"', re.IGNORECASE)


class Writes:
    """A database execute wrapper noting each write statement by table: every ``INSERT`` (with
    ``RETURNING``, SQLite counts its rows only once they are read), and each ``UPDATE`` or
    ``DELETE`` that changed a row or cannot say (a row count of -1)."""

    def __init__(self):
        self.rows: Counter = Counter()

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if match := WRITE.match(sql):
            statement, table = match.groups()
            statement = statement.split()[0].upper()
            if statement == "INSERT" or context["cursor"].rowcount != 0:
                self.rows[(statement, table)] += 1
        return result

    def tables(self, last_audit: int) -> list[str]:
        """The tables written, less what a request may leave behind (see above): `last_audit` is
        the last audit entry before the request."""
        written = {table for (statement, table) in self.rows if table not in BOOKKEEPING}
        if AUDIT in written and set(self.rows) & {("UPDATE", AUDIT), ("DELETE", AUDIT)} == set():
            new_verbs = set(AuditEntry.objects.filter(pk__gt=last_audit).values_list("verb", flat=True))
            if new_verbs <= READ_VERBS:
                written.remove(AUDIT)
        return sorted(written)


@pytest.mark.parametrize(("name", "column"), CASES)
def test_get_changes_nothing(name, column, world, client, module_sessions):
    url = _url(name, column, world)
    changed, known = {}, set()
    before = State()
    for role in ROLES:
        client.cookies.clear()  # not logout(): signing out writes (the session epoch, the lockout's log)
        if role != "anonymous":
            resume_session(client, module_sessions, getattr(world, role))
        writes, last_audit = Writes(), last_audit_entry()
        with connection.execute_wrapper(writes):
            client.get(url)

        tables = writes.tables(last_audit)
        known |= {(name, table) for table in tables if (name, table) in KNOWN_WRITES}
        if tables := [table for table in tables if (name, table) not in KNOWN_WRITES]:
            changed[role] = tables
    assert changed == {}, f"GET {url} changed tables"
    unexplained = [table for table in State().changes_since(before) if (name, table) not in KNOWN_WRITES]
    assert unexplained == [], f"GET {url} changed tables, as no statement of the requests says"
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
    """So the refusals above are the CSRF check's, not the views' — and both witnesses of a write
    see the writes of a request that makes them."""
    url = _url(name, OWN if OWN in GET[name] else ANY, world)
    role = _allowed_role(name, OWN if OWN in GET[name] else ANY)
    client = Client(enforce_csrf_checks=True)
    sign_in(client, getattr(world, role))
    client.get(reverse("children:list"))  # sets the CSRF cookie, as a page with a form does
    before, writes = State(), Writes()

    with connection.execute_wrapper(writes):
        response = client.post(url, {"csrfmiddlewaretoken": client.cookies["csrftoken"].value})

    assert response.status_code == 302
    # Signing out writes its time in django-axes' access log, and ends every session of the person
    # (their session epoch, openpep.people.services.end_sessions).
    expected = ["axes_accesslog", "people_user"] if name == "logout" else ["audit_auditentry", "plans_target"]
    assert State().changes_since(before) == expected
    assert writes.tables(before.last_audit) == expected
