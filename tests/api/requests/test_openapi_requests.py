"""The OpenAPI document lists the requests' paths with their methods, bodies, answers and
errors; what the server refuses as `invalid_field`, the schemas refuse too."""

import pytest

from tests.api.document import body_is_valid, document, operation, query_is_valid

pytestmark = pytest.mark.django_db

PATHS = {
    "/procedures": {"get"},
    "/requests": {"get", "post"},
    "/requests/{request_id}": {"get", "patch"},
    "/requests/{request_id}/attachments": {"get", "post"},
    "/requests/{request_id}/attachments/{attachment_id}": {"get"},
    "/requests/{request_id}/messages": {"post"},
    "/staff/requests": {"get"},
    "/staff/requests/{request_id}/decision": {"post"},
}


def test_the_new_paths_and_methods_are_documented():
    paths = document()["paths"]

    for path, methods in PATHS.items():
        assert set(paths[path]) == methods, path


def test_answers_and_errors_are_documented():
    doc = document()
    schemas = doc["components"]["schemas"]
    assert set(schemas["Request"]["properties"]) == {
        "id",
        "number",
        "procedure",
        "status",
        "created_at",
        "data",
        "events",
    }
    assert set(schemas["RequestEvent"]["properties"]) == {"at", "status", "by", "message"}
    assert set(schemas["Procedure"]["properties"]) == {"code", "title", "description"}
    assert set(schemas["RequestAttachment"]["properties"]) == {"id", "filename", "size"}
    create = operation(doc, "POST", "/requests")
    assert set(create["responses"]) >= {"201", "400", "401", "403", "409", "413", "415", "422"}
    assert "invalid_request" in create["responses"]["422"]["description"]
    assert "closed" in create["responses"]["409"]["description"]
    upload = operation(doc, "POST", "/requests/{request_id}/attachments")
    assert "multipart/form-data" in upload["description"]
    assert "invalid_file" in upload["responses"]["422"]["description"]
    assert {"201", "404", "409", "422"} <= set(upload["responses"])
    for method, path in [
        ("GET", "/staff/requests"),
        ("POST", "/staff/requests/{request_id}/decision"),
    ]:
        op = operation(doc, method, path)
        assert "permission_denied" in op["responses"]["403"]["description"]
        assert "gestionnaire" in op["responses"]["403"]["description"]
    decision = operation(doc, "POST", "/staff/requests/{request_id}/decision")
    assert {"200", "404", "409", "422"} <= set(decision["responses"])
    patch = operation(doc, "PATCH", "/requests/{request_id}")
    assert patch["requestBody"]["required"] is True
    assert {"200", "404", "409", "422"} <= set(patch["responses"])


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/requests", {"procedure": "passport"}),
        ("POST", "/requests", {"procedure": "contact", "data": []}),
        ("POST", "/requests", {"procedure": "contact", "submit": "true"}),
        ("POST", "/requests", {"procedure": "contact", "number": 1}),
        ("PATCH", "/requests/{request_id}", {}),
        ("PATCH", "/requests/{request_id}", {"data": None}),
        ("PATCH", "/requests/{request_id}", {"submit": None}),
        ("POST", "/requests/{request_id}/messages", {"text": "   "}),
        ("POST", "/requests/{request_id}/messages", {"text": "x" * 5001}),
        ("POST", "/staff/requests/{request_id}/decision", {"decision": "approve"}),
        ("POST", "/staff/requests/{request_id}/decision", {"decision": "refuse", "message": ""}),
    ],
)
def test_what_the_server_refuses_the_schema_refuses(method, path, body):
    assert not body_is_valid(document(), method, path, body)


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/requests", {"procedure": "contact"}),
        ("POST", "/requests", {"procedure": "contact", "data": {"a": 1}, "submit": None}),
        ("PATCH", "/requests/{request_id}", {"submit": True}),
        ("PATCH", "/requests/{request_id}", {"data": {}}),
        ("POST", "/staff/requests/{request_id}/decision", {"decision": "accept"}),
        ("POST", "/staff/requests/{request_id}/decision", {"decision": "refuse", "message": None}),
    ],
)
def test_valid_bodies_are_valid(method, path, body):
    assert body_is_valid(document(), method, path, body)


@pytest.mark.parametrize(
    ("name", "value", "valid"),
    [
        ("status", "draft", False),
        ("status", "submitted", True),
        ("procedure", "enrolment", True),
        ("procedure", "passport", False),
    ],
)
def test_the_inbox_query_values(name, value, valid):
    assert query_is_valid(document(), "GET", "/staff/requests", name, value) is valid
