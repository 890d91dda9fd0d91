"""Household B's parent asking for household A's objects gets exactly what an unknown
object gives (404)."""

import pytest

from tests.security.urlmatrix import OTHER, PARENT

from .answers import client_for, path_of
from .expectations import EXPECTATIONS, ROUTES, parameter_kind

OBJECT_ROUTES = [
    route
    for route in ROUTES
    if route.key in EXPECTATIONS
    and EXPECTATIONS[route.key].get[OTHER] == 404
    and any(parameter_kind(route, p) not in (None, "uidb64") for p in route.params)
]


@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=lambda route: route.key)
def test_another_households_object_looks_like_an_unknown_one(matrix, values, route, db):
    """The parent asking for an id that exists nowhere gets the very answer household B's
    parent gets for household A's object: nothing tells one from the other."""
    unknown = dict(values)
    for kind in (
        "document",
        "attachment",
        "enrolment",
        "basket",
        "child",
        "household",
        "invoice",
        "request",
        "request_attachment",
    ):
        unknown[kind] = "987654321"
    unknown["basket_reference"] = "PF0000000000"
    other_client, other_headers = client_for(matrix, OTHER, route)
    owner_client, owner_headers = client_for(matrix, PARENT, route)
    other = other_client.get(path_of(route, values), **other_headers)
    missing = owner_client.get(path_of(route, unknown), **owner_headers)
    assert other.status_code == missing.status_code == 404
    if route.is_api:
        assert other.json() == missing.json()
