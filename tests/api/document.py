"""The OpenAPI document as the tests read it: one operation, and whether a body or a
query value is valid by its schema (JSON Schema 2020-12, the document's components)."""

from typing import Any

import jsonschema
from django.test import Client


def document(client: Client | None = None) -> dict[str, Any]:
    response = (client or Client()).get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def operation(doc: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    return doc["paths"][path][method.lower()]


def _valid(doc: dict[str, Any], schema: dict[str, Any], value: Any) -> bool:
    root = {**schema, "components": doc["components"]}  # so that the $refs resolve
    return jsonschema.Draft202012Validator(root).is_valid(value)


def body_is_valid(doc: dict[str, Any], method: str, path: str, body: Any) -> bool:
    content = operation(doc, method, path)["requestBody"]["content"]
    return _valid(doc, content["application/json"]["schema"], body)


def query_is_valid(doc: dict[str, Any], method: str, path: str, name: str, value: str) -> bool:
    (parameter,) = [p for p in operation(doc, method, path)["parameters"] if p["name"] == name]
    return _valid(doc, parameter["schema"], value)
