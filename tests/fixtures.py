"""A small world for tests: one Virtual School, two schools, two teams, and a
person for every role — with outsiders who must be refused (healthchecks' Charlie)."""

import copy
import datetime
import time
import zlib
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.models import F
from django.test import Client, TestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import seed
from hypothesis import settings as hypothesis_settings

from openpep.backups.checksums import table_checksums
from openpep.children.models import Child, Enrolment, Placement
from openpep.demo import build_demo
from openpep.people.enums import Role, SchoolPhase
from openpep.people.models import LocalAuthority, Membership, School, Team, User

PASSWORD = "correct-horse-battery"


@dataclass
class World:
    authority: LocalAuthority
    other_authority: LocalAuthority
    school: School
    other_school: School
    team: Team
    other_team: Team
    sw: User  # allocated social worker of `child`
    sw_other: User  # social worker of the other team
    tm: User  # team manager of `team`
    dt: User  # Designated Teacher of `school`, where `child` is on roll
    dt_other: User  # Designated Teacher of `other_school`
    vs: User  # Virtual School officer
    vs_admin: User  # Virtual School Head
    vs_other: User  # Virtual School officer of another authority
    iro: User
    nobody: User  # signed in, no role at all
    child: Child
    other_child: Child  # allocated to sw_other, at other_school

    def users(self):
        return {
            name: getattr(self, name)
            for name in ("sw", "sw_other", "tm", "dt", "dt_other", "vs", "vs_admin", "vs_other", "iro", "nobody")
        }


def make_user(email: str, name: str, role: str | None = None, **organisation) -> User:
    user = User.objects.create_user(email=email, full_name=name, password=PASSWORD)
    if role:
        Membership.objects.create(user=user, role=role, starts_on=datetime.date(2020, 1, 1), **organisation)
    return user


def make_child(
    authority,
    social_worker,
    school,
    *,
    first="Amira",
    last="Test",
    born=datetime.date(2014, 3, 2),
    upn="",
    local_id=None,
    iro=None,
) -> Child:
    child = Child.objects.create(
        local_authority=authority,
        first_name=first,
        last_name=last,
        date_of_birth=born,
        gender="2",
        upn=upn,
        local_id=local_id or f"{first[:3].upper()}{Child.objects.count() + 1:04d}",
        care_start_date=datetime.date(2023, 9, 1),
        social_worker=social_worker,
        iro=iro,
    )
    Placement.objects.create(child=child, starts_on=child.care_start_date, legal_status="C2", placement_type="U4")
    if school is not None:
        Enrolment.objects.create(child=child, school=school, starts_on=datetime.date(2023, 9, 1))
    return child


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture(scope="module")
def module_transaction(django_db_setup, django_db_blocker):
    """A transaction open for a whole test module, rolled back after its last test: what the module's
    own module-scoped fixtures build inside it is built once, yet is never seen by another module.
    Each test still runs in a savepoint of its own (pytest-django's ``db``, as Django's TestCase does
    with its class-level data), rolled back after it, so what one test writes never reaches the next.
    Only for modules whose tests all use ``db`` (not ``transactional_db`` or ``live_server``)."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def module_world(module_transaction, django_db_blocker) -> World:
    """The same world as ``world``, built once for the module (see ``module_transaction``). A module
    uses it by overriding ``world`` with ``def world(module_world, db): return module_world``."""
    with django_db_blocker.unblock():
        return build_world()


def _tables_of(model) -> set[str]:
    """A model's table and the link tables of its many-to-many fields (serialized with its rows)."""
    links = (field.remote_field.through._meta.db_table for field in model._meta.local_many_to_many)
    return {model._meta.db_table, *links}


def _every_row(tables: set[str]) -> list:
    """Every row of the models whose tables (or many-to-many link tables) are in ``tables``, as
    Django's serialized rollback walks them (``BaseDatabaseCreation.serialize_db_to_string``), but
    as Python values: its JSON keeps times to the millisecond only, and a copy must be the same to
    the microsecond."""
    loader = MigrationLoader(connection)
    models = [
        model
        for app_config in apps.get_app_configs()
        if app_config.models_module is not None and app_config.label in loader.migrated_apps
        for model in app_config.get_models()
        if model._meta.can_migrate(connection) and tables & _tables_of(model)
    ]
    return serializers.serialize("python", (row for model in models for row in model._base_manager.order_by("pk")))


@dataclass
class DemoSnapshot:
    """The demo as ``build_demo()`` leaves it: every row of the tables it wrote, what it left to run
    on commit, what it returned, and those tables' row counts and checksums
    (openpep.backups.checksums). Tables it did not write are left out: the content types and
    permissions that Django makes after migrating are made again, with other ids, after every test
    that flushes the database (``transactional_db``), so a copy of them would clash."""

    rows: list
    on_commit: list
    made: dict
    tables: dict

    def load(self) -> dict:
        """Put the demo in the test's transaction as building it would: the same rows with the same
        ids, and its on-commit callbacks registered again in the same order (so they run when the
        test runs them, e.g. ``django_capture_on_commit_callbacks(execute=True)``, and never
        otherwise). Returns a copy of what ``build_demo()`` returned. Rolled back with the test."""
        tables = set()
        with transaction.atomic(), connection.constraint_checks_disabled():
            for row in serializers.deserialize("python", self.rows):
                row.save()
                tables.add(row.object._meta.db_table)
            connection.check_constraints(table_names=sorted(tables))
        for callback in self.on_commit:
            transaction.on_commit(callback)
        return copy.deepcopy(self.made)


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker) -> DemoSnapshot:
    """The demo built once for the whole run (it takes seconds of CPU), in a transaction rolled back
    at once; each test that wants it calls ``demo_snapshot.load()`` under ``db``. Browser tests with
    a live server build their own, as the server needs it committed."""
    with django_db_blocker.unblock(), transaction.atomic():
        before = table_checksums(connection)
        with TestCase.captureOnCommitCallbacks() as on_commit:
            made = build_demo()
        after = table_checksums(connection)
        written = {table for table, sums in after.items() if sums != before.get(table)}
        # A module's world (module_world) would be copied with the demo and loaded into every test.
        assert not [table for table in written if before.get(table, {}).get("rows")], (
            "The demo snapshot is built on an empty database: don't use it in a module with a module world"
        )
        snapshot = DemoSnapshot(_every_row(written), list(on_commit), made, {table: after[table] for table in written})
        transaction.set_rollback(True)
    return snapshot


def build_world() -> World:
    authority = LocalAuthority.objects.create(code="999", name="Testshire", virtual_school_name="Testshire VS")
    other_authority = LocalAuthority.objects.create(code="998", name="Otherborough")
    school = School.objects.create(
        urn="100001", laestab="9992001", name="Oak Primary", phase=SchoolPhase.PRIMARY, local_authority=authority
    )
    other_school = School.objects.create(
        urn="100002",
        laestab="9984001",
        name="Elm Academy",
        phase=SchoolPhase.SECONDARY,
        local_authority=other_authority,
    )
    team = Team.objects.create(local_authority=authority, name="North")
    other_team = Team.objects.create(local_authority=authority, name="South")
    sw = make_user("sw@test.example", "Sam Worker", Role.SOCIAL_WORKER, team=team)
    sw_other = make_user("sw2@test.example", "Sal Other", Role.SOCIAL_WORKER, team=other_team)
    tm = make_user("tm@test.example", "Tia Manager", Role.TEAM_MANAGER, team=team)
    dt = make_user("dt@test.example", "Dee Teacher", Role.DESIGNATED_TEACHER, school=school)
    dt_other = make_user("dt2@test.example", "Don Elsewhere", Role.DESIGNATED_TEACHER, school=other_school)
    vs = make_user("vs@test.example", "Val School", Role.VS_OFFICER, local_authority=authority)
    vs_admin = make_user("vsh@test.example", "Viv Head", Role.VS_ADMIN, local_authority=authority)
    vs_other = make_user("vs3@test.example", "Vic Away", Role.VS_OFFICER, local_authority=other_authority)
    iro = make_user("iro@test.example", "Ira Reviewer", Role.IRO, local_authority=authority)
    nobody = make_user("nobody@test.example", "No Role")
    child = make_child(authority, sw, school, iro=iro)
    other_child = make_child(
        authority, sw_other, other_school, first="Ben", last="Other", born=datetime.date(2010, 5, 1)
    )
    return World(
        authority,
        other_authority,
        school,
        other_school,
        team,
        other_team,
        sw,
        sw_other,
        tm,
        dt,
        dt_other,
        vs,
        vs_admin,
        vs_other,
        iro,
        nobody,
        child,
        other_child,
    )


def today():
    return timezone.localdate()


def sign_in(client, user, *, second_factor: bool = True) -> None:
    """Sign `user` in on a Django test client the way every test does, so that what signing in
    takes is decided in one place: the password (``force_login``), then the second factor — the
    user's confirmed authenticator app (one is made if they have none) marks the session verified
    through django-otp's own session key. ``second_factor=False`` leaves the session where the
    password alone leaves it: every signed-in page then sends it to the second step."""
    user.refresh_from_db(fields=["session_epoch"])  # as signing in reads it: a sign-out elsewhere raises it
    client.force_login(user)
    if not second_factor:
        return
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture(scope="module")
def module_sessions(module_world, django_db_blocker) -> dict[int, str]:
    """Each person of ``module_world`` signed in once for the module (``sign_in``, password and
    second factor), their session key by user id. A test hands one to its client with
    ``resume_session`` rather than signing in again, which cost a fifth of a permission-matrix
    cell. The sessions are rows of the module's transaction (``module_transaction``), so what a
    test does to one — signs out, touches it, raises the person's session epoch — is rolled back
    with the rest of the test's writes."""
    with django_db_blocker.unblock():
        keys = {}
        for user in module_world.users().values():
            client = Client()
            sign_in(client, user)
            keys[user.pk] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return keys


@pytest.fixture(scope="session")
def oidc_provider():
    """A real OpenID Connect provider (django-oidc-provider, synthetic/sso_provider) on 127.0.0.1 for
    the whole run, with its own key and the directory of tests/council_sign_in.py: its client's
    redirect address is the Django test client's. Started when a test first asks for it (about a second)."""
    from synthetic import sso_provider
    from tests.council_sign_in import PROVIDER_USERS

    provider = sso_provider.start(
        redirect_uris=["http://testserver/sign-in/council/callback/"],
        post_logout_redirect_uris=["http://testserver/sign-in/"],
        users=PROVIDER_USERS,
    )
    yield provider
    provider.stop()


@pytest.fixture(scope="module")
def council_sessions(module_world, oidc_provider, django_db_blocker):
    """As ``module_sessions``, for Testshire's council staff of ``module_world`` (tests/council_sign_in.py's
    ``MATRIX_ROLES``: social workers, team manager, Virtual School, IRO), each signed in once for the
    module through the council's provider — OpenPEP's sign-in page with the e-mail alone, the provider's
    sign-in page, the authorization code, the ID token with multi-factor in ``amr`` — rather than with a
    password and an app. Their session key by user id; ``module_sessions | council_sessions`` is every
    role's, school staff, the other council's officer and the person with no role signed in as before.
    The council's provider stays configured (``OIDC_PROVIDERS``, for the domain test.example) until the
    module ends, as it would be in production. About a second for the sign-ins (and the provider's
    start, once a run)."""
    from tests.council_sign_in import MATRIX_ROLES, sign_in_with_council

    configured = override_settings(OIDC_PROVIDERS={"999": oidc_provider.config(domains=["test.example"])})
    configured.enable()
    try:
        keys = {}
        with django_db_blocker.unblock():
            for role in MATRIX_ROLES:
                user = getattr(module_world, role)
                client = Client()
                response = sign_in_with_council(client, user.email)
                assert (response.status_code, response["Location"]) == (302, "/children/"), role
                assert client.session[DEVICE_ID_SESSION_KEY], role  # the council's second factor, not ours
                keys[user.pk] = client.cookies[settings.SESSION_COOKIE_NAME].value
        yield keys
    finally:
        configured.disable()


def resume_session(client, sessions: dict[int, str], user) -> None:
    """Give `client` the session `user` was signed in with once for the module (``module_sessions``)."""
    client.cookies[settings.SESSION_COOKIE_NAME] = sessions[user.pk]


def engine_seed(name: str):
    """``hypothesis.seed`` for the fuzz test `name` on this run's database engine: the same from run
    to run (a red run is the change's, not chance's), different on each engine, so the two runs of
    `make test` post different examples rather than the same ones twice. A profile that is not
    derandomized (``thorough``) keeps exploring new ones."""
    if not hypothesis_settings.default.derandomize:
        return lambda test: test
    return seed(zlib.crc32(f"{connection.vendor}:{name}".encode()))


def totp_code(device: TOTPDevice) -> str:
    """A code from `device`'s authenticator app that the server accepts now: a code works once
    (django-otp keeps the last time step used, ``last_t``), and it accepts the steps within
    ``tolerance`` of now, so when the person has just signed in within this 30-second step this
    gives the next step's code. When every step accepted now is used, the device's clock is moved
    on by one step (its ``t0`` back by one), as waiting up to 30 seconds for it would: the server
    reads ``t0`` from the same row. Read from the database each time: the live server may have
    used a code since."""
    while True:
        if device.pk is not None:  # an app being set up is not saved yet
            device.refresh_from_db()
        now = (int(time.time()) - device.t0) // device.step + device.drift
        for t in range(now, now + device.tolerance + 1):
            if t > device.last_t:
                totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
                totp.time = device.t0 + t * device.step
                return f"{totp.token():0{device.digits}d}"
        if device.pk is None:
            device.t0 -= device.step
        else:
            TOTPDevice.objects.filter(pk=device.pk).update(t0=F("t0") - device.step)


def password_accepted(user, password: str = PASSWORD) -> bool:
    """Whether the sign-in form takes `user`'s password now (as a person types it, so the lockout's
    backend sees a request): an inactive account's is refused."""
    client = Client()
    client.post(reverse("login"), {"username": user.email, "password": password})
    return "_auth_user_id" in client.session
