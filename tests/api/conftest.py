import json

import pytest
from django.test import Client

from tests import factories
from tests.world.commune import PASSWORD


def post_json(client: Client, url: str, data: object, **kwargs) -> object:
    return client.post(url, data=json.dumps(data), content_type="application/json", **kwargs)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def get_token(client: Client, email: str, password: str = PASSWORD) -> str:
    response = post_json(client, "/api/v1/auth/token", {"email": email, "password": password})
    assert response.status_code == 201, response.content
    return response.json()["token"]


def error_of(response) -> dict:
    """The error object, after checking the envelope is exactly the contract's."""
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"}
    assert {"code", "message"} <= set(body["error"])
    return body["error"]


@pytest.fixture
def guardian(db):
    return factories.guardian(email="parent@example.org", password=PASSWORD)


@pytest.fixture
def staff_user(db):
    return factories.staff(email="agent@example.org", password=PASSWORD)
