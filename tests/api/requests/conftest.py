"""Requests (démarches) through the API: the procedures' desk (tests/world/procedures.py)
with a bearer-token client for its family, for another family and for each staff role;
every answer in English (the msgids), files stored in a temporary folder."""

import json
from dataclasses import dataclass

import pytest
from django.test import Client

from portail.procedures.models import Request
from tests.api.conftest import bearer, get_token
from tests.world.commune import PASSWORD
from tests.world.procedures import Desk, another_household, desk
from tests.world.uploads import private_dir  # noqa: F401  (the fixture)

STAFF_PASSWORD = "staff-pass-123"

REQUEST_KEYS = {"id", "number", "procedure", "status", "created_at", "data", "events"}
EVENT_KEYS = {"at", "status", "by", "message"}
STAFF_REQUEST_KEYS = REQUEST_KEYS | {
    "household_id",
    "household",
    "submitted_at",
    "decided_at",
    "assigned_to",
}
ATTACHMENT_KEYS = {"id", "filename", "size"}


@pytest.fixture(autouse=True)
def _private_storage_in_a_temporary_folder(private_dir):  # noqa: F811
    """No test here writes to the real DATA_DIR/private."""


def api_client(email: str, password: str) -> Client:
    token = get_token(Client(), email, password)
    return Client(headers={**bearer(token), "Accept-Language": "en"})


@dataclass
class Api:
    """The desk, and clients: `family` (its guardian), `other` (another household's
    guardian), `manager` (the desk's gestionnaire)."""

    desk: Desk
    family: Client
    other: Client
    manager: Client

    def post(self, client: Client, path: str, body, **kwargs):
        return client.post(
            f"/api/v1{path}", json.dumps(body), content_type="application/json", **kwargs
        )

    def patch(self, client: Client, path: str, body):
        return client.patch(f"/api/v1{path}", json.dumps(body), content_type="application/json")

    def get(self, client: Client, path: str, **params):
        return client.get(f"/api/v1{path}", params)

    def create(self, procedure: str, data: dict, submit: bool = True):
        return self.post(
            self.family, "/requests", {"procedure": procedure, "data": data, "submit": submit}
        )

    def decide(self, request_id: int, decision: str, message: str | None = None):
        body = {"decision": decision}
        if message is not None:
            body["message"] = message
        return self.post(self.manager, f"/staff/requests/{request_id}/decision", body)


@pytest.fixture
def api(db) -> Api:
    d = desk()
    _household, other_user = another_household()
    return Api(
        desk=d,
        family=api_client(d.user.email, PASSWORD),
        other=api_client(other_user.email, PASSWORD),
        manager=api_client(d.staff.email, STAFF_PASSWORD),
    )


def count_requests() -> int:
    return Request.objects.count()
