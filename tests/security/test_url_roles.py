"""Roles x URLs, built from the URL configuration itself (tracker issue 12).

Every URL pattern of the project (tests/security/urlmatrix.py walks the resolver) is
requested by every role: anonymous, the parent of another household, the parent of the
household the URL names, an attendance agent, a kitchen account, a gestionnaire and a
superuser. Each pattern must be declared below:

- PARAMETERS says which world object fills each URL parameter (ambiguous names such as
  `pk` or `token` per route), so a new pattern with a new parameter fails until its
  author says what it names;
- EXPECTATIONS (or a group rule: the Django admin) says what each role gets on GET, and
  what a refused role gets on POST, so a new page fails until its author says who may
  open it.

Then for every pattern x role: the GET answers as declared; a refused role's POST is
refused too and changes no row of any table; and the answers given to anyone but the
household and the staff allowed to see it never contain the household's data (its
name, child, references, documents). Household B's parent asks for household A's
objects: they must look exactly like unknown ones (404).

One world for the whole module (module-scoped, rolled back at the end); each test runs
in a savepoint of it, so the POSTs and the GETs that act (confirmation links) leave
nothing behind.
"""

import contextlib
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from portail.backoffice.permissions import CUISINE, GESTIONNAIRE, POINTAGE
from tests.security import urlmatrix
from tests.security.urlmatrix import ANON, OTHER, PARENT, ROLES, STAFF_ROLES, SUPERUSER, Route

# --- Outcomes ---------------------------------------------------------------------------

LOGIN = "login"  # 302 to the portal's login page (an HTML page, signed out)
ADMIN_LOGIN = "admin login"  # 302 to the admin's login page
REDIRECT = "redirect"  # 302/303 somewhere else (declared where it is the normal answer)
ANSWERED = "answered"  # any answer but a server error (the superuser in the admin)
REFUSALS = (LOGIN, ADMIN_LOGIN, 401, 403, 404)

Outcome = int | str | tuple  # a status, one of the names above, or several of them


@dataclass(frozen=True)
class Rule:
    """What each role gets. `post`: what a refused role's POST gets, when it differs from
    its GET; roles whose GET is not a refusal are not probed with a POST (they may act).
    `capability`: the URL carries a secret token and serves whoever holds it (an e-mailed
    link, a calendar feed): its answers may show the household's data to anyone.
    `query`: a query string naming household A's objects (filled from the world)."""

    get: dict[str, Outcome]
    post: dict[str, Outcome] = field(default_factory=dict)
    capability: bool = False
    query: str = ""
    family: bool = False  # a family route on the caller's own household


def roles(default: Outcome, **by_role: Outcome) -> dict[str, Outcome]:
    return {role: by_role.get(role, default) for role in ROLES}


def public(status: Outcome = 200, **by_role: Outcome) -> Rule:
    return Rule(roles(status, **by_role))


def parent_page(staff: Outcome, ok: Outcome = 200, **kw) -> Rule:
    """A family page acting on the signed-in parent's own household (no id in the URL):
    both parents get their own; staff logins have no household."""
    return Rule(roles(staff, **{ANON: LOGIN, PARENT: ok, OTHER: ok}), family=True, **kw)


def parent_object(staff: Outcome, ok: Outcome = 200, **kw) -> Rule:
    """A family page naming one of household A's objects: another household's parent gets
    404, as for an id that does not exist."""
    return Rule(roles(staff, **{ANON: LOGIN, PARENT: ok, OTHER: 404}), **kw)


def account_page(ok: Outcome = 200) -> Rule:
    """A page about the signed-in login itself, whoever it is."""
    return Rule(roles(ok, **{ANON: LOGIN}))


def staff_page(*allowed: str, ok: Outcome = 200, **kw) -> Rule:
    """A back-office page: `allowed` roles get `ok`; other staff and parents 403."""
    allowed = (*allowed, SUPERUSER)  # a superuser without a profile is a gestionnaire
    return Rule(
        roles(403, **{ANON: LOGIN}, **dict.fromkeys(allowed, ok)),
        **kw,
    )


def api_parent(ok: Outcome = 200) -> Rule:
    """A guardian endpoint on the caller's own household; staff have none (403)."""
    return Rule(roles(403, **{ANON: 401, PARENT: ok, OTHER: ok}), family=True)


def family_post_only(anonymous: Outcome, staff: Outcome) -> Rule:
    """A family action taking POST only: every GET is a 405 (the method is checked first);
    both parents POST for their own household, the others are refused."""
    post = roles(staff, **{ANON: anonymous, PARENT: None, OTHER: None})
    return Rule(roles(405), post=post, family=True)


def api_parent_object(ok: Outcome = 200) -> Rule:
    """A guardian endpoint naming household A's object: 404 for another household."""
    return Rule(roles(403, **{ANON: 401, PARENT: ok, OTHER: 404}))


def api_staff(*allowed: str, ok: Outcome = 200, query: str = "") -> Rule:
    """A staff endpoint; endpoints that only take POST answer 405 to every GET (the
    method is checked first), and their POST is what is refused."""
    allowed = (*allowed, SUPERUSER)
    refusals = roles(403, **{ANON: 401}, **dict.fromkeys(allowed))
    if ok == 405:
        return Rule(roles(405), post=refusals, query=query)
    return Rule(roles(403, **{ANON: 401}, **dict.fromkeys(allowed, ok)), query=query)


EVERY_STAFF = (GESTIONNAIRE, POINTAGE, CUISINE)

# --- Parameters -------------------------------------------------------------------------

# What a URL parameter names, by its name (see urlmatrix.parameter_sources for the
# values: household A's objects). Names that mean different things in different routes
# are declared per route in ROUTE_PARAMETERS.
PARAMETERS = {
    "attachment_pk": "attachment",
    "guardian_pk": "guardian",
    "reference": "basket_reference",
    "uidb64": "uidb64",
    "household_id": "household",
    "session_id": "session",
    "basket_id": "basket",
    "child_id": "child",
    "enrolment_id": "enrolment",
}
AMBIGUOUS = {"pk", "token", "id", "object_id", "content_type_id", "app_label", "url"}
ROUTE_PARAMETERS = {
    ("families:document", "pk"): "document",
    ("families:document_attachment", "pk"): "document",
    ("families:enrolment_history", "pk"): "enrolment",
    ("families:enrolment_recap_pdf", "pk"): "enrolment",
    ("families:email_change_confirm", "token"): "email_token",
    ("families:calendar_feed", "token"): "calendar_token",
    ("accounts:password_reset_confirm", "token"): "reset_token",
    ("accounts:activate", "token"): "activation_token",
    ("backoffice:attendance_record", "pk"): "session",
    ("backoffice:attendance_justify", "pk"): "session",
    ("backoffice:session_capacity", "pk"): "session",
    ("backoffice:session_close", "pk"): "session",
    ("backoffice:payment_check", "pk"): "payment",
    ("admin:view_on_site", "content_type_id"): "household_content_type",
    ("admin:view_on_site", "object_id"): "household",
    ("admin:auth_user_password_change", "id"): "user",
    ("admin:app_list", "app_label"): "admin_app",
}
for _name in (
    "household",
    "household_enrol",
    "household_qf",
    "household_credit",
    "guardian_activation",
    "planning",
    "basket",
    "basket_validate",
    "basket_counter",
    "basket_drop",
):
    ROUTE_PARAMETERS[(f"backoffice:{_name}", "pk")] = "household"
# The admin: a model's object URLs name a row of that model (the first one, which is
# household A's where the model belongs to households); its catch-all, a missing page.
ADMIN_PARAMETERS = {"object_id": "admin_object", "url": "nowhere"}


def parameter_kind(route: Route, param: str) -> str | None:
    if (route.key, param) in ROUTE_PARAMETERS:
        return ROUTE_PARAMETERS[(route.key, param)]
    if route.is_admin and param in ADMIN_PARAMETERS:
        return ADMIN_PARAMETERS[param]
    if param in AMBIGUOUS:
        return None
    return PARAMETERS.get(param)


# --- Expectations -----------------------------------------------------------------------

EXPECTATIONS: dict[str, Rule] = {
    # Family pages (portail/families, reservations, billing).
    "families:home": account_page(),  # staff get the staff home, without a household
    "families:documents": parent_page(404),
    "families:document": parent_object(404),
    "families:document_attachment": parent_object(404),
    "families:enrolment_history": parent_object(404),
    "families:enrolment_recap_pdf": parent_object(404),
    "families:personal_data": account_page(),
    "families:email_change": account_page(),
    "families:password_change": account_page(),
    "api_pages:tokens": account_page(),  # any signed-in account's own API tokens
    "families:phone_change": parent_page(404),
    "families:calendar_settings": parent_page(404),
    # The e-mailed confirmation link: the token is the proof, whoever opens it.
    "families:email_change_confirm": Rule(roles(200), capability=True),
    # The private calendar feed: its token is the only credential (calendar apps).
    "families:calendar_feed": Rule(roles(200), capability=True),
    "reservations:planning": parent_page(403),
    "reservations:typical_week": parent_page(403),
    "reservations:basket": parent_page(403),
    "reservations:basket_cancel": parent_page(403),
    "reservations:basket_pdf": parent_page(403),
    # POST only (405 to every GET); a parent POSTs for their own household.
    "billing:checkout": family_post_only(LOGIN, staff=403),
    "billing:validated": parent_object(403),
    "billing:credits": parent_page(403),
    # PayFiP's addresses: the notification is public (PayFiP calls it, the payment is
    # re-read from PayFiP); the return page shows a payment to its household only.
    "payfip:notify": public(400),
    # A POST (PayFiP's form back to the portal, cross-site, without the session cookie)
    # is turned into a GET by a 303; the GET asks for a login.
    "payfip:return": Rule(
        roles(200, **{ANON: LOGIN}), post={ANON: REDIRECT}, query="idop={payment_idop}"
    ),
    "core:help": public(),
    # Accounts.
    "accounts:login": public(REDIRECT, **{ANON: 200}),
    "accounts:logout": public(405),  # POST only
    "accounts:password_reset": public(),
    "accounts:password_reset_done": public(),
    "accounts:password_reset_complete": public(),
    # E-mailed links: the token is the credential; a valid one goes on to the form.
    "accounts:password_reset_confirm": Rule(roles(REDIRECT), capability=True),
    "accounts:activate": Rule(roles(REDIRECT), capability=True),
    "set_language": public(REDIRECT),
    # The back office (portail/backoffice/permissions.py).
    "backoffice:index": staff_page(*EVERY_STAFF),
    "backoffice:families": staff_page(GESTIONNAIRE),
    "backoffice:household_create": staff_page(GESTIONNAIRE),
    "backoffice:household": staff_page(GESTIONNAIRE),
    "backoffice:household_enrol": staff_page(GESTIONNAIRE, ok=405),
    "backoffice:household_qf": staff_page(GESTIONNAIRE, ok=405),
    "backoffice:household_credit": staff_page(GESTIONNAIRE, ok=405),
    "backoffice:guardian_activation": staff_page(GESTIONNAIRE, ok=405),
    "backoffice:planning": staff_page(GESTIONNAIRE),
    "backoffice:basket": staff_page(GESTIONNAIRE),
    "backoffice:basket_validate": staff_page(GESTIONNAIRE, ok=405),
    "backoffice:basket_counter": staff_page(GESTIONNAIRE, ok=405),
    "backoffice:basket_drop": staff_page(GESTIONNAIRE, ok=405),
    "backoffice:headcounts": staff_page(*EVERY_STAFF, query="date={day}"),
    "backoffice:headcounts_csv": staff_page(*EVERY_STAFF, query="date={day}"),
    "backoffice:headcounts_xlsx": staff_page(*EVERY_STAFF, query="date={day}"),
    "backoffice:attendance": staff_page(GESTIONNAIRE, POINTAGE, query="seance={session}"),
    "backoffice:attendance_record": staff_page(GESTIONNAIRE, POINTAGE, ok=405),
    # Justifying an absence credits money: gestionnaires only.
    "backoffice:attendance_justify": staff_page(GESTIONNAIRE, ok=405),
    "backoffice:sessions": staff_page(GESTIONNAIRE),
    "backoffice:session_capacity": staff_page(GESTIONNAIRE, ok=405),
    "backoffice:session_close": staff_page(GESTIONNAIRE, ok=405),
    "backoffice:payments": staff_page(GESTIONNAIRE),
    "backoffice:payment_check": staff_page(GESTIONNAIRE, ok=405),
    "backoffice:payments_export": staff_page(GESTIONNAIRE),
    # The API (/api/v1/): bearer tokens.
    "api:openapi": public(),
    "api:auth-token": public(405),  # POST (sign in) and DELETE (sign out) only
    "api:not-found": public(404),
    "api:household": api_parent(),
    "api:planning": api_parent(),
    "api:basket": api_parent(),
    "api:basket-typical-week": family_post_only(401, staff=403),
    "api:basket-checkout": family_post_only(401, staff=403),
    "api:baskets": api_parent(),
    "api:credits": api_parent(),
    "api:basket-detail": api_parent_object(),
    "api:basket-pdf": api_parent_object(),
    "api:child-history": api_parent_object(),
    "api:enrolment-recap": api_parent_object(),
    "api:staff-me": api_staff(*EVERY_STAFF),
    "api:staff-headcounts": api_staff(*EVERY_STAFF, query="date={day}"),
    "api:staff-households": api_staff(GESTIONNAIRE, ok=405),
    "api:staff-household-basket": api_staff(GESTIONNAIRE, ok=405),
    "api:staff-household-credits": api_staff(GESTIONNAIRE, ok=405),
    "api:staff-session": api_staff(GESTIONNAIRE, ok=405),
    "api:staff-session-close": api_staff(GESTIONNAIRE, ok=405),
    "api:staff-attendance": api_staff(GESTIONNAIRE, POINTAGE, ok=405),
    "api:staff-attendance-justify": api_staff(GESTIONNAIRE, ok=405),
    # The PayFiP simulator (never installed in production): PayFiP's stand-in, public
    # like PayFiP (its payment page without an idOp is a 404), but for its switches.
    "payfip_simulator:control": staff_page(GESTIONNAIRE),
    "payfip_simulator:soap": public(405),
    "payfip_simulator:payment_page": public(404),
    "payfip_simulator:notification_sink": public(),
}

# The Django admin, as a group: a superuser's tool. Signed-out visitors and parents are
# sent to its login page; staff without Django model permissions (every role here but
# the superuser) get no model page: 403, 404, or the admin's own redirects from an old
# object URL; only these pages about their own login open for them.
ADMIN_OWN_PAGES = {
    "admin:index": 200,
    "admin:password_change": 200,
    "admin:password_change_done": 200,
    "admin:jsi18n": 200,
    "admin:login": REDIRECT,
    "admin:logout": 405,
}


def admin_rule(route: Route) -> Rule:
    signed_out = {ANON: ADMIN_LOGIN, PARENT: ADMIN_LOGIN, OTHER: ADMIN_LOGIN}
    if route.key == "admin:login":
        return Rule(roles(REDIRECT, **{ANON: 200, PARENT: 200, OTHER: 200}))
    if route.key == "admin:logout":  # POST only; signed-out visitors go to the admin
        return Rule(roles(405, **{ANON: REDIRECT, PARENT: REDIRECT, OTHER: REDIRECT}))
    staff = ADMIN_OWN_PAGES.get(route.key, (403, 404, REDIRECT))
    get = roles(staff, **signed_out)
    get[SUPERUSER] = ANSWERED
    # A staff login without model permissions POSTs nothing that changes a row, not even
    # through the admin's old-URL redirects (the own pages have their own tests).
    post = {}
    if route.key not in ADMIN_OWN_PAGES:
        post = dict.fromkeys(EVERY_STAFF, (403, 404, 405, REDIRECT))
    return Rule(get, post=post)


def rule_for(route: Route) -> Rule | None:
    if route.is_admin:
        return admin_rule(route)
    return EXPECTATIONS.get(route.key)


# No pattern is left out of the matrix. Static files are served by WhiteNoise (a
# middleware, not a URL pattern) and documents' files are database rows served by
# families:document_attachment, so there is no static/media pattern to list.
EXCLUDED: dict[str, str] = {}


# --- The world --------------------------------------------------------------------------

ROUTES = urlmatrix.routes()
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Matrix:
    world: urlmatrix.World
    values: dict[str, str]
    baseline: dict


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker):
    """One world for the module, rolled back when the module is done."""
    with contextlib.ExitStack() as stack:
        stack.enter_context(django_db_blocker.unblock())
        stack.enter_context(override_settings(PASSWORD_HASHERS=FAST_HASHER))
        stack.enter_context(transaction.atomic())
        world = urlmatrix.build_world()
        values = urlmatrix.parameter_sources(world)
        values["payment_idop"] = world.a.payment.idop
        values["day"] = world.session.date.isoformat()
        yield Matrix(world, values, urlmatrix.snapshot())
        transaction.set_rollback(True)


@pytest.fixture
def values(matrix) -> dict[str, str]:
    """The parameters' values for this test: the world's, and fresh e-mailed links."""
    return {**matrix.values, **urlmatrix.link_tokens(matrix.world)}


def path_of(route: Route, values: dict[str, str]) -> str:
    filled = {}
    for param in route.params:
        kind = parameter_kind(route, param)
        assert kind is not None, (
            f"URL parameter {param!r} of {route.key!r} ({route.route}) is not declared: say "
            "what it names in PARAMETERS or ROUTE_PARAMETERS of tests/security/test_url_roles.py"
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


# --- The tests --------------------------------------------------------------------------


def test_the_matrix_walks_the_whole_url_configuration():
    names = {route.key for route in ROUTES}
    # A sample from every include: if one vanished from the walk, the matrix would shrink.
    for name in (
        "families:home",
        "reservations:planning",
        "billing:checkout",
        "payfip:notify",
        "accounts:login",
        "backoffice:household",
        "api:child-history",
        "api:not-found",
        "set_language",
        "admin:index",
        "admin:families_child_change",
        "core:help",
    ):
        assert name in names, name
    assert len(ROUTES) >= 92


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.key)
def test_every_pattern_is_declared(route):
    if route.key in EXCLUDED:
        return
    assert rule_for(route) is not None, (
        f"{route.key!r} ({route.route}) is in no expectation table: declare who may open it "
        "in EXPECTATIONS of tests/security/test_url_roles.py"
    )
    for param in route.params:
        assert parameter_kind(route, param) is not None, (
            f"URL parameter {param!r} of {route.key!r} ({route.route}) is not declared in "
            "PARAMETERS or ROUTE_PARAMETERS of tests/security/test_url_roles.py"
        )


def test_no_expectation_names_a_pattern_that_is_gone():
    names = {route.key for route in ROUTES}
    stale = sorted(set(EXPECTATIONS) - names)
    stale += sorted({key for key, _param in ROUTE_PARAMETERS} - names)
    assert not stale, f"declared but no longer in the URL configuration: {stale}"


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
    for kind in ("document", "attachment", "enrolment", "basket", "child", "household"):
        unknown[kind] = "987654321"
    unknown["basket_reference"] = "PF0000000000"
    other_client, other_headers = client_for(matrix, OTHER, route)
    owner_client, owner_headers = client_for(matrix, PARENT, route)
    other = other_client.get(path_of(route, values), **other_headers)
    missing = owner_client.get(path_of(route, unknown), **owner_headers)
    assert other.status_code == missing.status_code == 404
    if route.is_api:
        assert other.json() == missing.json()


# --- Household B's parent writing with household A's ids ---------------------------------

# Every family route household B's parent may POST to (its own household) is either given
# a body naming household A's child, bookings and sessions here, or listed in
# WRITES_WITHOUT_IDS with the reason its input names nothing of another household.
CROSS_HOUSEHOLD_WRITES: dict[str, list[tuple[str, object]]] = {
    "reservations:planning": [
        (
            "form",
            {
                "week": "{week}",
                "change": ["reserve:{child}:{free_session}", "cancel:{child}:{booked_session}"],
            },
        )
    ],
    "reservations:typical_week": [
        (
            "query",
            {
                "step": "preview",
                "day": "{child}:{activity}:0",
                "from": "{first_day}",
                "to": "{last_day}",
            },
        ),
        (
            "form",
            {
                "day": "{child}:{activity}:0",
                "from": "{first_day}",
                "to": "{last_day}",
                "mode": "reserve",
            },
        ),
        (
            "form",
            {
                "day": "{child}:{activity}:0",
                "from": "{first_day}",
                "to": "{last_day}",
                "mode": "cancel",
            },
        ),
    ],
    "api:basket": [
        (
            "json",
            {
                "add": [{"child_id": "{child}", "session_id": "{free_session}"}],
                "cancel": [{"child_id": "{child}", "session_id": "{booked_session}"}],
            },
        )
    ],
    "api:basket-typical-week": [
        (
            "json",
            {
                "child_id": "{child}",
                "activity_id": "{activity}",
                "weekdays": [0, 1],
                "from": "{first_day}",
                "to": "{last_day}",
                "mode": mode,
            },
        )
        for mode in ("reserve", "cancel")
    ],
    "api:planning": [("query", {"week": "{week}", "child_id": "{child}"})],
    # Not a family route (any account has it), but its form names a token by id.
    "api_pages:tokens": [("form", {"token_id": "{api_token_id}"})],
}
WRITES_WITHOUT_IDS = {
    "families:documents": "a list of the caller's own documents (GET)",
    "families:phone_change": "the caller's own telephone",
    "families:calendar_settings": "the caller's own feed",
    "reservations:basket": "the caller's own open basket",
    "reservations:basket_cancel": "drops the caller's own open basket",
    "reservations:basket_pdf": "the caller's own basket (GET)",
    "billing:checkout": "pays the caller's own basket (expected_due_cents only)",
    "billing:credits": "the caller's own credit (GET)",
    "api:household": "the caller's own household (GET)",
    "api:baskets": "the caller's own baskets (GET)",
    "api:credits": "the caller's own credit (GET)",
    "api:basket-checkout": "pays the caller's own basket (expected_due_cents only)",
}


def household_routes() -> list[str]:
    """Family routes that household B's parent may use for its own household."""
    return [route.key for route in ROUTES if (rule := rule_for(route)) is not None and rule.family]


def test_every_family_write_is_probed_with_another_households_ids():
    missing = sorted(
        set(household_routes()) - set(CROSS_HOUSEHOLD_WRITES) - set(WRITES_WITHOUT_IDS)
    )
    assert not missing, (
        f"{missing}: give a body naming household A's objects in CROSS_HOUSEHOLD_WRITES, "
        "or say in WRITES_WITHOUT_IDS why its input names nothing of another household"
    )


def fill(template: object, values: dict[str, str]) -> object:
    if isinstance(template, str):
        text = template.format(**values)
        return int(text) if template.startswith("{") and text.isdigit() else text
    if isinstance(template, list):
        return [fill(item, values) for item in template]
    if isinstance(template, dict):
        return {key: fill(item, values) for key, item in template.items()}
    return template


CROSS_CASES = [
    pytest.param(route, kind, body, id=f"{route.key}-{kind}-{n}")
    for route in ROUTES
    for n, (kind, body) in enumerate(CROSS_HOUSEHOLD_WRITES.get(route.key, []))
]


@pytest.mark.parametrize(("route", "kind", "body"), CROSS_CASES)
def test_another_households_ids_change_nothing(matrix, values, route, kind, body, db):
    """Household B's parent sends household A's child, bookings and sessions: refused
    (or shown as errors), no row of any table written, nothing of household A shown."""
    path = path_of(route, {})
    client, headers = client_for(matrix, OTHER, route)
    data = fill(body, values)
    if kind == "json":
        response = client.post(path, data=data, content_type="application/json", **headers)
    elif kind == "form":
        data = {
            key: str(value) if not isinstance(value, list) else value for key, value in data.items()
        }
        response = client.post(path, data, **headers)
    else:
        response = client.get(path, {key: str(value) for key, value in data.items()}, **headers)
    assert response.status_code < 500
    changed = urlmatrix.changed_tables(matrix.baseline, urlmatrix.snapshot())
    assert not changed, f"{kind} {path} with household A's ids changed {changed}"
    leaked = [s for s in matrix.world.a.secrets if s.encode() in body_of(response)]
    assert not leaked, f"{kind} {path} as household B's parent shows household A's {leaked}"
