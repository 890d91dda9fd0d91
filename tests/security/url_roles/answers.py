"""Asking a route as a role and checking its answer: the path filled from the world, a
client signed in by session or bearer token, the expected outcome."""

from dataclasses import dataclass

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.security import urlmatrix
from tests.security.urlmatrix import ANON, Route

from .expectations import (
    ADMIN_LOGIN,
    ANSWERED,
    LOGIN,
    REDIRECT,
    REFUSALS,
    Outcome,
    parameter_kind,
    rule_for,
)

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Matrix:
    world: urlmatrix.World
    values: dict[str, str]
    baseline: dict


def path_of(route: Route, values: dict[str, str]) -> str:
    filled = {}
    for param in route.params:
        kind = parameter_kind(route, param)
        assert kind is not None, (
            f"URL parameter {param!r} of {route.key!r} ({route.route}) is not declared: say "
            "what it names in PARAMETERS or ROUTE_PARAMETERS of "
            "tests/security/url_roles/expectations.py"
        )
        if kind == "admin_object":
            filled[param] = urlmatrix.admin_object_id(urlmatrix.admin_model(route))
        else:
            filled[param] = values[kind]
    path = urlmatrix.build_path(route, filled)
    rule = rule_for(route)
    if rule and rule.query:
        path += "?" + rule.query.format(**values)
    return path


def client_for(matrix: Matrix, role: str, route: Route, auth: str = "token") -> tuple[Client, dict]:
    """A browser signed in as `role` (session cookie), or bearer token headers for the API
    (`auth="session"`: the API through the browser's session, as the pages' scripts do)."""
    client = Client()
    if role == ANON:
        return client, {}
    if route.is_api and auth == "token":
        return client, {"HTTP_AUTHORIZATION": f"Bearer {matrix.world.api_tokens[role]}"}
    client.cookies[settings.SESSION_COOKIE_NAME] = matrix.world.session_cookies[role]
    return client, {}


def body_of(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def check(response, outcome: Outcome, what: str) -> None:
    options = outcome if isinstance(outcome, tuple) else (outcome,)
    status = response.status_code
    location = response.get("Location", "")
    assert status < 500, f"{what}: server error {status}"
    for option in options:
        if option == ANSWERED:
            return
        if option == LOGIN and status == 302 and location.startswith(reverse("accounts:login")):
            return
        if option == ADMIN_LOGIN and status == 302 and location.startswith("/admin/login/"):
            return
        if option == REDIRECT and status in (302, 303):
            return
        if status == option:
            return
    pytest.fail(f"{what}: expected {outcome}, got {status} {location}".rstrip())


def is_refusal(outcome: Outcome) -> bool:
    options = outcome if isinstance(outcome, tuple) else (outcome,)
    return all(option in REFUSALS or option == REDIRECT for option in options) and any(
        option in REFUSALS for option in options
    )
