"""GET /api/v1/openapi.json: valid OpenAPI 3.1 that describes every route of api/urls.py."""

import re

import pytest
from django.urls import URLPattern, URLResolver
from openapi_spec_validator import validate

from portail.api import urls as api_urls

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


def flatten(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from flatten(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def test_document_is_valid_openapi_3_1(document):
    assert document["openapi"].startswith("3.1")
    validate(document)


def test_every_api_route_has_a_documented_path_and_methods(document):
    routes = [(route, view) for route, view in flatten(api_urls.urlpatterns)]
    documented = [
        (route, view) for route, view in routes if not getattr(view, "openapi_hidden", False)
    ]
    assert len(documented) == len(routes) - 1  # only the JSON 404 fallback is hidden
    for route, view in documented:
        path = "/" + re.sub(r"<(?:[^>:]+:)?([^>]+)>", r"{\1}", route)
        assert path in document["paths"], route
        methods = {m.lower() for m in getattr(view, "api_operations", {})}
        assert methods, f"{route} is not an @endpoint"
        assert set(document["paths"][path]) == methods, route


def test_the_not_found_fallback_is_the_last_route():
    assert getattr(api_urls.urlpatterns[-1].callback, "openapi_hidden", False)


def test_every_staff_route_requires_staff():
    for route, view in flatten(api_urls.urlpatterns):
        if route.startswith("staff/"):
            for operation in view.api_operations.values():
                assert operation.auth == "staff", route


def test_contract_paths_and_error_schema_are_described(document):
    paths = document["paths"]
    assert {"/auth/token", "/household", "/staff/me", "/openapi.json"} <= set(paths)
    assert set(paths["/auth/token"]) == {"post", "delete"}
    assert document["servers"] == [{"url": "/api/v1"}]
    error = document["components"]["schemas"]["Error"]
    assert error["required"] == ["error"]
    assert error["properties"]["error"]["required"] == ["code", "message"]

    token = paths["/auth/token"]["post"]
    assert token["security"] == []
    assert set(token["requestBody"]["content"]["application/json"]["schema"]["required"]) == {
        "email",
        "password",
    }
    assert {"201", "401", "422", "429"} <= set(token["responses"])
    assert token["responses"]["429"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }

    household = paths["/household"]["get"]
    assert household["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Household"
    }
    assert {"401", "403"} <= set(household["responses"])
    assert paths["/staff/me"]["get"]["responses"]["403"]
