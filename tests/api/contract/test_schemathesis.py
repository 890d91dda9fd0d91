"""The OpenAPI document tells the truth: Schemathesis against the live test server.

Every operation of the OpenAPI document (the one /api/v1/openapi.json serves: a test
below checks it) gets generated requests (valid ones, and invalid ones that must be refused) as the
seed's parent or as a gestionnaire, each answer going through all of Schemathesis's
checks: no 500, only documented statuses, content types and headers, answers matching
their schema, valid input accepted, invalid input refused, authentication not ignored,
unsupported methods refused with 405. Plus one check of our own: a request the schema
allows is never refused as `invalid_field`, except by the rules between fields that a
schema cannot state (CROSS_FIELD_RULES).

A bounded number of examples per operation (MAX_EXAMPLES) and derandomized generation
(a fixed seed) keep it to a minute or two, the same on every run; any finding fails it.
"""

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from portail.api.openapi import build_document
from tests.world import commune, staff
from tests.world.commune import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

MAX_EXAMPLES = 12
STAFF_PASSWORD = "staff-pass-123"

# Positive data may still be refused by the rules of the domain: documented 409s, and the
# 422s with their own codes (invalid_changes, nothing_to_do, period_order...). A 422
# `invalid_field` on valid data is a bound the document does not state: see check below.
CONFIG = """
[checks.positive_data_acceptance]
expected-statuses = ["2xx", "401", "403", "404", "409", "422", "429"]
"""

# (method, path) -> the fields whose rule involves other fields or the data, so that a
# schema cannot state it (a weekday the activity does not run on, a period longer than a
# year, `to` before `from`, a reason required with bypass_deadlines, an e-mail in use, an
# activity that does not exist, a period ending before it starts...).
CROSS_FIELD_RULES = {
    ("POST", "/basket/typical-week"): {"weekdays", "from", "to", "patterns"},
    ("GET", "/children/{child_id}/history"): {"to"},
    ("POST", "/staff/households"): {"guardians", "children"},
    ("POST", "/staff/households/{household_id}/basket"): {"reason"},
    ("POST", "/staff/households/{household_id}/credits"): {"amount_cents", "non_field_errors"},
}


def valid_fields_are_not_refused(ctx, response, case) -> None:
    """A request generated valid is not refused as invalid_field, but by a rule between
    fields (CROSS_FIELD_RULES)."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code != 422:
        return
    error = response.json().get("error", {})
    if error.get("code") != "invalid_field":
        return
    allowed = CROSS_FIELD_RULES.get((case.operation.method.upper(), case.operation.path), ())
    field = str(error.get("field", ""))
    if not any(
        field == name or field.startswith(f"{name}.") or field.startswith(f"{name}[")
        for name in allowed
    ):
        raise AssertionError(f"A valid request was refused: {error}")


def _token(base: str, email: str, password: str) -> str:
    response = requests.post(
        f"{base}/auth/token", json={"email": email, "password": password}, timeout=30
    )
    assert response.status_code == 201, response.text
    return response.json()["token"]


@pytest.fixture
def api(live_server):
    """The live server's API root, a family (the seed's, in a canteen with sessions) and
    a gestionnaire, with a token each; the document loaded from the server."""
    world = commune.seed_family()
    manager = staff.gestionnaire()
    base = live_server.url + "/api/v1"
    tokens = {
        "parent": _token(base, world.user.email, PASSWORD),
        "staff": _token(base, manager.email, STAFF_PASSWORD),
    }
    return base, world, tokens


# The document as the server builds it (the same function answers /openapi.json; a test
# below checks the live server serves exactly this). Loaded at import so that each
# operation is a test of its own (schemathesis.pytest.from_fixture, which would load it
# from the live server, does not run under pytest 9.2: it sets a node attribute pytest
# no longer has).
schema = schemathesis.openapi.from_dict(
    build_document(), config=SchemathesisConfig.from_str(CONFIG)
)


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_the_operation_answers_as_the_document_says(case, api):
    base, world, tokens = api
    who = "staff" if case.operation.path.startswith("/staff/") else "parent"
    token = tokens[who]
    if case.operation.path == "/auth/token" and case.method.upper() == "DELETE":
        # Revoking: a token of its own each time, so the others stay valid.
        token = _token(base, world.user.email, PASSWORD)
    case.call_and_validate(
        base_url=base,
        headers={"Authorization": f"Bearer {token}"},
        additional_checks=[valid_fields_are_not_refused],
        timeout=60,
    )


def test_the_live_server_serves_this_document(api):
    base, _world, _tokens = api
    response = requests.get(f"{base}/openapi.json", timeout=30)
    assert response.status_code == 200
    assert response.json() == build_document()
