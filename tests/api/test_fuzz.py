"""The API fuzzed from its own OpenAPI schema (schemathesis, against the WSGI app): no server
error, and every response matches the schema. A few examples per operation keep it quick."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from openpep.api import services
from openpep.api.enums import Scope
from openpep.wsgi import application
from tests.builders import add_target, cast_of, complete_section_c, complete_section_d, record_views, start

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)


@pytest.fixture(autouse=True)
def keep_the_tests_connection():
    """As Django's test client does: the WSGI app would otherwise close the connection after each
    request, and with it the test's transaction (PostgreSQL)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def secret(world):
    pep = start(cast_of(world))
    record_views(pep, world.dt)
    complete_section_c(pep, world.sw)
    complete_section_d(pep, world.dt)
    add_target(pep, world.dt)
    _, secret = services.create_token(world.vs_admin, world.authority, name="Fuzz", scope=Scope.READ_WRITE)
    return secret


@pytest.mark.django_db(transaction=False)
@schema.parametrize()
@settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_never_fails_and_answers_as_documented(case, secret):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {secret}"},
        checks=[not_a_server_error, response_schema_conformance, content_type_conformance, status_code_conformance],
    )
