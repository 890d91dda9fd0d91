"""Every pattern x role: the GET answers as declared; a refused role's POST is refused too
and changes no row of any table; nobody but the household and the staff allowed to see
it is shown the household's data."""

import pytest

from tests.security import urlmatrix
from tests.security.urlmatrix import ANON, PARENT, ROLES, STAFF_ROLES

from .answers import body_of, check, client_for, is_refusal, path_of
from .expectations import EXCLUDED, ROUTES, rule_for

CASES = [
    pytest.param(route, role, "token", id=f"{route.key}-{role}")
    for route in ROUTES
    if route.key not in EXCLUDED
    for role in ROLES
] + [
    # The API signed in by session too: the same answers as with a token.
    pytest.param(route, role, "session", id=f"{route.key}-{role}-session")
    for route in ROUTES
    if route.is_api and route.key not in EXCLUDED
    for role in ROLES
    if role != ANON
]


@pytest.mark.parametrize(("route", "role", "auth"), CASES)
def test_role_gets_what_is_declared(matrix, values, route, role, auth, db):
    rule = rule_for(route)
    assert rule is not None, f"{route.key!r} is in no expectation table"
    path = path_of(route, values)
    client, headers = client_for(matrix, role, route, auth)
    # A reference the URL itself carries may be echoed back (the 404 page names the path).
    secrets = [secret for secret in matrix.world.a.secrets if secret not in path]
    get_outcome = rule.get[role]
    may_see_a = role in (PARENT, *STAFF_ROLES) and not is_refusal(get_outcome)

    # A refused role's write first (against the world as built), then its read.
    post_outcome = rule.post.get(role, get_outcome if is_refusal(get_outcome) else None)
    if post_outcome is not None:
        if route.is_api:
            response = client.post(path, data="{}", content_type="application/json", **headers)
        else:
            response = client.post(path, **headers)
        refused = post_outcome if isinstance(post_outcome, tuple) else (post_outcome,)
        check(response, (*refused, 405), f"POST {path} as {role}")
        changed = urlmatrix.changed_tables(matrix.baseline, urlmatrix.snapshot())
        assert not changed, f"POST {path} as {role} was refused but changed {changed}"
        if not rule.capability:
            body = body_of(response)
            leaked = [s for s in secrets if s.encode() in body]
            assert not leaked, f"POST {path} as {role} shows household A's {leaked}"

    response = client.get(path, **headers)
    check(response, get_outcome, f"GET {path} as {role}")
    if not may_see_a and not rule.capability:
        body = body_of(response)
        leaked = [s for s in secrets if s.encode() in body]
        assert not leaked, f"GET {path} as {role} shows household A's {leaked}"
