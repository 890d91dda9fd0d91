"""413 `request_too_large` is documented on every operation that reads a body, and
answered for a body over DATA_UPLOAD_MAX_MEMORY_SIZE."""

import json

import pytest
from django.conf import settings
from django.test import Client

from tests.api.conftest import bearer, get_token
from tests.api.document import document

pytestmark = pytest.mark.django_db


def test_every_operation_reading_a_body_documents_413():
    operations = [
        (path, method, op)
        for path, item in document()["paths"].items()
        for method, op in item.items()
        if "requestBody" in op
    ]
    assert len(operations) > 10
    for path, method, op in operations:
        assert "request_too_large" in op["responses"]["413"]["description"], (method, path)


def test_a_body_too_large_answers_413_request_too_large(guardian):
    client = Client(headers=bearer(get_token(Client(), guardian.user.email)))
    padding = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)

    response = client.post(
        "/api/v1/basket", json.dumps({"add": [], "pad": padding}), content_type="application/json"
    )

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "request_too_large"
