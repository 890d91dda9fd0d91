"""The OpenAPI 3.1 document, built from portail/api/urls.py and the @endpoint decorators.

Nothing is listed by hand: every path() in urls.py whose view is an @endpoint (or a
by_method of endpoints) appears with its methods, authentication, parameters, request
and response schemas, and the errors it can answer. A test checks that no route is left
out.

Schemas are plain JSON Schema (2020-12, as OpenAPI 3.1 uses) dicts. Small helpers keep
them short:

    CHILD = openapi.component("Child", openapi.obj({
        "id": openapi.INTEGER,
        "birth_date": openapi.DATE,
        "note": openapi.nullable(openapi.STRING),
    }))
    @endpoint(..., response=openapi.array(CHILD))

`obj(required, optional)` forbids other keys, so the document states the exact shape.
`component(name, schema)` files the schema under #/components/schemas/<name> and returns
a $ref to it. `query_param(name, schema, description, required=False)` describes a
query-string parameter.
"""

import datetime
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.urls import URLPattern, URLResolver, reverse

from portail.reservations.forms import FIRST_YEAR, LAST_YEAR

Schema = dict[str, Any]

INTEGER: Schema = {"type": "integer"}
STRING: Schema = {"type": "string"}
BOOLEAN: Schema = {"type": "boolean"}
DATE: Schema = {"type": "string", "format": "date", "examples": ["2026-12-07"]}
DATETIME: Schema = {"type": "string", "format": "date-time"}
CENTS: Schema = {"type": "integer", "description": "An amount in euro cents."}

# The bounds the readers of api/fields.py enforce, stated for the document.
MAX_ID = 2**63 - 1  # database ids are 64-bit
ID: Schema = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
# A date of the years 2000 to 2099 (the years any date the API reads is checked against).
DATE_2000: Schema = {
    **DATE,
    "pattern": r"^20[0-9]{2}-",
    "description": f"YYYY-MM-DD, in the years {FIRST_YEAR} to {LAST_YEAR}.",
}


def _iso_week_pattern() -> str:
    """Weeks 01 to 52 of the years 2000 to 2099, and 53 for the years that have one."""
    long_years = [
        str(year)
        for year in range(FIRST_YEAR, LAST_YEAR + 1)
        if datetime.date(year, 12, 28).isocalendar()[1] == 53
    ]
    return rf"^20[0-9]{{2}}-W(0[1-9]|[1-4][0-9]|5[0-2])$|^({'|'.join(long_years)})-W53$"


# maxLength too: a trailing newline is refused whatever the regex flavour makes of `$`.
ISO_WEEK: Schema = {
    "type": "string",
    "pattern": _iso_week_pattern(),
    "maxLength": 8,
    "examples": ["2026-W49"],
}


def text(max_length: int | None = None, *, blank: bool = False, strip: bool = True) -> Schema:
    """A string as fields.read_str reads it: never a NUL character; unless `blank`, some
    character other than a space (`strip=False`: at least one character);
    `max_length` counts the characters as sent."""
    if blank:
        pattern = r"^[^\x00]*$"
    elif strip:
        pattern = r"^[^\x00]*[^\s\x00][^\x00]*$"
    else:
        pattern = r"^[^\x00]+$"
    schema: Schema = {"type": "string", "pattern": pattern}
    if not blank:
        schema["minLength"] = 1
    if max_length is not None:
        schema["maxLength"] = max_length
    return schema


def amount(minimum: int, maximum: int, *, zero: bool = True, **extra: Any) -> Schema:
    """An integer amount in cents between the bounds (`zero=False`: never 0)."""
    schema: Schema = {**CENTS, "minimum": minimum, "maximum": maximum, **extra}
    if not zero:
        schema["not"] = {"const": 0}
    return schema


def obj(
    required: Mapping[str, Schema], optional: Mapping[str, Schema] | None = None, **extra: Any
) -> Schema:
    """An object with exactly these properties (`required` ones always present)."""
    return {
        "type": "object",
        "properties": {**required, **(optional or {})},
        "required": list(required),
        "additionalProperties": False,
        **extra,
    }


def array(items: Schema, **extra: Any) -> Schema:
    return {"type": "array", "items": items, **extra}


def nullable(schema: Schema) -> Schema:
    return {"anyOf": [schema, {"type": "null"}]}


def or_null(schema: Schema) -> Schema:
    """An optional field of a request body, read with fields.optional(): null is the same
    as leaving the field out."""
    return {"anyOf": [schema, {"type": "null"}], "description": "null: as if left out."}


def enum(*values: str, **extra: Any) -> Schema:
    return {"type": "string", "enum": list(values), **extra}


# Named schemas, filled by component() when the view modules are imported.
COMPONENTS: dict[str, Schema] = {}


def component(name: str, schema: Schema) -> Schema:
    """File `schema` as #/components/schemas/<name>; returns the $ref to use instead."""
    if COMPONENTS.get(name, schema) != schema:
        raise ValueError(f"Two different OpenAPI schemas named {name!r}")
    COMPONENTS[name] = schema
    return {"$ref": f"#/components/schemas/{name}"}


def query_param(
    name: str, schema: Schema, description: str, required: bool = False
) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": required,
        "description": description,
        "schema": schema,
    }


ERROR = component(
    "Error",
    obj(
        {
            "error": obj(
                {
                    "code": {
                        "type": "string",
                        "description": (
                            "For programs: invalid_json, invalid_field, not_authenticated, "
                            "invalid_credentials, inactive, permission_denied, csrf_failed, "
                            "not_found, method_not_allowed, throttled, request_too_large, "
                            "token_expired, service_unavailable, or an endpoint's own code."
                        ),
                    },
                    "message": {
                        "type": "string",
                        "description": "For people, in the request's language.",
                    },
                },
                {"field": {"type": "string", "description": "The field in error, if any."}},
                additionalProperties=True,
            )
        }
    ),
)


@dataclass(frozen=True)
class Operation:
    """What @endpoint records about a view, for the document."""

    view: Callable[..., Any]
    auth: str | None
    summary: str
    description: str = ""
    request: Schema | None = None
    response: Schema | None = None
    status: int = 200
    query: tuple[dict[str, Any], ...] = ()
    errors: dict[int, str] = field(default_factory=dict)
    # Other success statuses, with the same response schema: {status: "when"}.
    also: dict[int, str] = field(default_factory=dict)
    # The success answer's media type: application/json, or e.g. application/pdf.
    content_type: str = "application/json"

    @property
    def tag(self) -> str:
        return self.view.__module__.rsplit(".", 1)[-1]


# --- routes ---------------------------------------------------------------------------

_PARAM_RE = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_CONVERTER_SCHEMAS = {
    "int": {"type": "integer", "minimum": 0},
    "uuid": {"type": "string", "format": "uuid"},
}


@dataclass(frozen=True)
class Route:
    path: str  # OpenAPI form, relative to the API root: /children/{child_id}
    route: str  # Django form: children/<int:child_id>
    view: Callable[..., Any]


def api_routes() -> Iterator[Route]:
    """Every documented route of portail/api/urls.py (the JSON 404 fallback excluded)."""
    from portail.api import urls

    yield from _walk(urls.urlpatterns, "")


def _walk(patterns: list[Any], prefix: str) -> Iterator[Route]:
    for pattern in patterns:
        if getattr(getattr(pattern, "callback", None), "openapi_hidden", False):
            continue
        route = str(pattern.pattern)
        if route.startswith("^"):
            raise ValueError(f"API routes are written with path(), not re_path(): {route}")
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + route)
        elif isinstance(pattern, URLPattern):
            full = prefix + route
            yield Route(
                path="/" + _PARAM_RE.sub(r"{\g<name>}", full), route=full, view=pattern.callback
            )


def _path_parameters(route: str) -> list[dict[str, Any]]:
    return [
        {
            "name": match["name"],
            "in": "path",
            "required": True,
            "schema": _CONVERTER_SCHEMAS.get(match["converter"] or "str", {"type": "string"}),
        }
        for match in _PARAM_RE.finditer(route)
    ]


# --- operations -----------------------------------------------------------------------

_AUTH_TEXT = {
    None: "Public.",
    "user": "Any signed-in account (guardian or staff).",
    "guardian": "Guardians of a household; acts on the caller's household only.",
    "staff": "Staff of the service gestionnaire only.",
}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": ERROR}}}


# Any operation may meet a database that is down or locked (see http.py).
UNAVAILABLE: dict[str, Any] = {
    **_error(
        "`service_unavailable`: the database is down, unreachable or busy; nothing to fix "
        "on the client's side: try again after the `Retry-After` delay."
    ),
    "headers": {
        "Retry-After": {
            "description": "Seconds to wait before trying again.",
            "schema": {"type": "integer", "minimum": 1},
        }
    },
}


def _operation(method: str, route: Route, op: Operation) -> dict[str, Any]:
    errors: dict[int, list[str]] = {}

    def add(status: int, text: str) -> None:
        errors.setdefault(status, []).append(text)

    has_body = op.request is not None and method in {"POST", "PUT", "PATCH", "DELETE"}
    if has_body:
        add(400, "`invalid_json`: the body is not a JSON object.")
        add(413, "`request_too_large`: the body is too large.")
        add(415, "`invalid_json`: the body is not sent as application/json.")
        add(
            422,
            "`invalid_field`: a field is missing or invalid, or the body has a key the "
            "schema does not list (`field` names it).",
        )
    if op.query:
        add(422, "`invalid_field`: a query parameter is missing or invalid.")
    if op.auth is not None:
        add(401, "`not_authenticated`: no valid bearer token or session.")
        add(401, "`token_expired`: the bearer token's lifetime is over; ask for a new one.")
    if method not in {"GET", "HEAD"}:
        add(403, "`csrf_failed`: signed in by session, without the X-CSRFToken header.")
    if op.auth in {"guardian", "staff"}:
        add(403, f"`permission_denied`: {_AUTH_TEXT[op.auth]}")
    for status, text in op.errors.items():
        add(status, text)

    success: dict[str, Any] = {"description": "Success."}
    if op.content_type != "application/json":
        success["content"] = {op.content_type: {"schema": {"type": "string", "format": "binary"}}}
    elif op.response is not None:
        success["content"] = {"application/json": {"schema": op.response}}
    responses: dict[str, Any] = {str(op.status): success}
    for status, text in op.also.items():
        responses[str(status)] = {**success, "description": f"Success: {text}"}
    for status in sorted(errors):
        responses[str(status)] = _error(" ".join(dict.fromkeys(errors[status])))
    responses["503"] = UNAVAILABLE

    operation: dict[str, Any] = {
        "operationId": f"{op.tag}_{op.view.__name__}",
        "tags": [op.tag],
        "summary": op.summary,
        "description": (op.description + "\n\n" if op.description else "")
        + f"Access: {_AUTH_TEXT[op.auth]}",
        "security": [] if op.auth is None else [{"bearerToken": []}, {"sessionCookie": []}],
        "responses": responses,
    }
    parameters = _path_parameters(route.route) + list(op.query)
    if parameters:
        operation["parameters"] = parameters
    if has_body:
        operation["requestBody"] = {
            "required": body_required(op.request),
            "content": {"application/json": {"schema": op.request}},
        }
    return operation


def resolve(schema: Schema) -> Schema:
    """`schema`, or the component it is a $ref to."""
    ref = schema.get("$ref", "")
    return COMPONENTS[ref.rsplit("/", 1)[-1]] if ref else schema


def body_required(schema: Schema) -> bool:
    """Whether the body must be sent: an empty body is read as {} (http.parse_json_body),
    so it may be left out exactly when {} is a valid body."""
    schema = resolve(schema)
    return bool(
        schema.get("required")
        or schema.get("minProperties")
        or any(key in schema for key in ("anyOf", "oneOf", "allOf", "not"))
    )


DESCRIPTION = """\
JSON API of Portail Famille.

**Authentication**: `POST /auth/token` with an e-mail and password returns a token; send
it as `Authorization: Bearer <token>`. A token expires after the server's
`PORTAIL_API_TOKEN_DAYS` (90 days by default; then 401 `token_expired`: ask for a new
one); `DELETE /auth/token` revokes it, and so may its holder, on the portal's
personal-data page, where each token's label, creation, expiry and last use are shown.
The portal's own pages may use the browser session instead; unsafe methods then need the
`X-CSRFToken` header.

**Errors** are `{"error": {"code": "...", "message": "..."}}` with a 4xx status: `code` is
for programs, `message` for people, in the language of `Accept-Language`, else the
account's language, else French. A wrong method answers 405 `method_not_allowed`; an
unknown URL 404 `not_found`; an object that does not exist *or belongs to another
household* 404 `not_found` as well. Any operation may answer 503 `service_unavailable`
with a `Retry-After` header (seconds) when the database is down or busy: try again then.

**Bodies** are JSON objects (`Content-Type: application/json`; over 2.5 MB, 413
`request_too_large`), read only by the operations that document one. A key the schema
does not list is refused (422 `invalid_field` naming it); an optional field may be left
out or sent as null, the same; `3.0` is the integer 3.

**Dates** are ISO 8601 (`2026-12-07`), weeks ISO weeks (`2026-W49`), amounts integer
euro cents. The guide for integrators (tokens, errors, throttling, a whole booking and
payment with curl) is docs/api.md in the project.
"""


def build_document() -> dict[str, Any]:
    base = reverse("api:openapi").removesuffix("openapi.json").rstrip("/")
    paths: dict[str, dict[str, Any]] = {}
    for route in api_routes():
        item = paths.setdefault(route.path, {})
        for method, op in getattr(route.view, "api_operations", {}).items():
            item[method.lower()] = _operation(method, route, op)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Portail Famille API", "version": "1", "description": DESCRIPTION},
        "servers": [{"url": base}],
        "paths": paths,
        "components": {
            "schemas": dict(sorted(COMPONENTS.items())),
            "securitySchemes": {
                "bearerToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A token from POST /auth/token.",
                },
                "sessionCookie": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": settings.SESSION_COOKIE_NAME,
                    "description": "The portal's browser session (unsafe methods need "
                    "the X-CSRFToken header).",
                },
            },
        },
    }
