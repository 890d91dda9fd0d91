"""The building blocks of every JSON endpoint under /api/v1/.

Writing an endpoint (see views/household.py for a complete one):

    from portail.api import openapi
    from portail.api.fields import read_int
    from portail.api.http import ApiError, ApiRequest, endpoint, get_or_404, json_response

    @endpoint(
        methods=("POST",),
        auth="guardian",
        summary="Ask for something",
        request=openapi.obj({"child_id": openapi.INTEGER}),
        response=openapi.obj({"id": openapi.INTEGER}),
        status=201,
        errors={404: "No such child in the household."},
    )
    def create_thing(request: ApiRequest) -> HttpResponse:
        child_id = read_int(request.data, "child_id")
        child = get_or_404(Child.objects.filter(household=request.household), pk=child_id)
        ...
        return json_response({"id": thing.pk}, status=201)

then one line in portail/api/urls.py: `path("things", things.create_thing, name="things")`.
The OpenAPI document (openapi.py) is built from those decorators and urls.py, so the
description lives next to the view and cannot miss an endpoint.

- `endpoint(...)` does, in this order: authentication (bearer token or browser session;
  a bad token is 401), language (Accept-Language, else the user's language, else
  French), method check (405), CSRF for session-authenticated unsafe methods, permission
  (`auth`: 401/403), JSON body parsing into `request.data` (only for an endpoint
  declaring a `request` schema; keys it does not list are refused); it turns ApiError,
  Http404, PermissionDenied and the database being unavailable (503) into JSON errors and marks
  every response private, uncacheable.
- `auth`: None (anyone), "user" (any signed-in account), "guardian" (a guardian of a
  household: `request.household` is set), "staff" (the service gestionnaire; use it for
  everything under /api/v1/staff/).
- `by_method(GET=view_a, POST=view_b)` serves one URL with one decorated view per method
  (each with its own auth and documentation).
- `ApiError(status, code, message, **extra)`: raise it anywhere below a view; `extra`
  keys (such as `field`) are added to the error object.
- `get_or_404(queryset, **filters)`: always scope the queryset to the caller first
  (e.g. `Child.objects.filter(household=request.household)`), so that another
  household's ids answer exactly like ids that do not exist.
- `json_response(data, status=200)` (dates and datetimes as ISO 8601), `no_content()`.

Every error is `{"error": {"code": "...", "message": "..."}}` with a 4xx status; the
message is for people (translated), the code for programs. The one 5xx is 503
`service_unavailable` with a Retry-After header, when the database is down, unreachable
or locked (OperationalError, InterfaceError): the client may simply try again.
"""

import functools
import json
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.request import RawPostDataException
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt

from portail.api.openapi import Operation, Schema, resolve
from portail.backoffice.permissions import has_role, staff_role
from portail.core.security import (
    DATABASE_UNAVAILABLE,
    RETRY_AFTER_SECONDS,
    log_database_unavailable,
)

if TYPE_CHECKING:
    from portail.api.models import ApiToken
    from portail.families.models import Household

logger = logging.getLogger(__name__)

Auth = Literal["guardian", "staff", "user"] | None
View = Callable[..., HttpResponse]
M = TypeVar("M", bound=Model)

# Methods whose body is read as JSON (a GET body is ignored, as HTTP says).
BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

# The database errors that mean "not now" rather than "a bug": the server is down or
# unreachable, the connection broke, SQLite's write lock or a PostgreSQL lock/deadlock
# timed out. They answer 503 with Retry-After (this many seconds), not a 500.


class ApiRequest(HttpRequest):
    """What an endpoint receives (for type hints only: it is Django's request, plus these)."""

    data: dict[str, Any]  # the JSON object sent as body ({} when there is none, or GET)
    household: "Household"  # the caller's household for auth="guardian"; None for others
    auth_token: "ApiToken | None"  # the bearer token used, None for a session


class ApiError(Exception):
    """An error answered as JSON: `{"error": {"code", "message", **extra}}`."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        headers: Mapping[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = dict(headers or {})
        self.extra = extra

    def response(self) -> JsonResponse:
        body = {"error": {"code": self.code, "message": str(self.message), **self.extra}}
        response = json_response(body, status=self.status)
        for name, value in self.headers.items():
            response[name] = value
        return response


def json_response(data: Any, status: int = 200) -> JsonResponse:
    """`data` as JSON (UTF-8, dates and datetimes ISO 8601, lazy strings translated)."""
    return JsonResponse(
        data,
        status=status,
        encoder=DjangoJSONEncoder,
        safe=False,
        json_dumps_params={"ensure_ascii": False},
    )


def no_content() -> HttpResponse:
    return HttpResponse(status=204)


def not_found_error() -> ApiError:
    return ApiError(404, "not_found", _("Not found."))


def database_unavailable_error() -> ApiError:
    return ApiError(
        503,
        "service_unavailable",
        _("The service is temporarily unavailable. Please try again in a few moments."),
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


class ApiDatabaseUnavailableMiddleware:
    """Under /api/, a database down or locked outside an endpoint (which answers its own)
    still answers the API's JSON 503; core.security.DatabaseUnavailableMiddleware answers
    the pages. Listed after it in MIDDLEWARE, so its process_exception runs first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DATABASE_UNAVAILABLE) or not request.path_info.startswith(
            "/api/"
        ):
            return None
        log_database_unavailable(request)
        response = database_unavailable_error().response()
        response["Cache-Control"] = "no-store"
        return response


def get_or_404(queryset: QuerySet[M], **filters: Any) -> M:
    """The one object of `queryset` matching `filters`, else ApiError 404 `not_found`."""
    obj = queryset.filter(**filters).first()
    if obj is None:
        raise not_found_error()
    return obj


# --- language -----------------------------------------------------------------------


def _header_language(request: HttpRequest) -> str | None:
    """The first supported language of the Accept-Language header, by preference."""
    choices: list[tuple[float, int, str]] = []
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for index, part in enumerate(header.split(",")):
        code, _sep, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _eq, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if code and code != "*" and quality > 0:
            choices.append((-quality, index, code))
    for _q, _i, code in sorted(choices):
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return None


def request_language(request: HttpRequest, user: Any = None) -> str:
    """Accept-Language if it names a language we have, else the user's, else French."""
    language = _header_language(request)
    if language:
        return language
    user_language = getattr(user, "language", "") if user is not None else ""
    if user_language in dict(settings.LANGUAGES):
        return user_language
    return settings.LANGUAGE_CODE


def _finish(response: HttpResponse) -> HttpResponse:
    """Headers every API answer carries: private data, never cached."""
    add_never_cache_headers(response)
    patch_vary_headers(response, ("Accept-Language", "Authorization", "Cookie"))
    response.setdefault("Content-Language", translation.get_language())
    return response


def render_error(request: HttpRequest, make_error: Callable[[], ApiError]) -> HttpResponse:
    """An error answered outside an endpoint (unknown URL, wrong method), translated.

    `make_error` builds the ApiError once the caller's language is active.
    """
    from portail.api import auth as api_auth  # auth.py imports this module

    try:
        api_auth.identify(request, None)
        user = request.user
        language = request_language(request, user)
    except DATABASE_UNAVAILABLE:
        # The answer does not need the caller: only the language, from the header then.
        log_database_unavailable(request)
        language = request_language(request)
    with translation.override(language):
        return _finish(make_error().response())


def method_not_allowed(allowed: Iterable[str]) -> ApiError:
    allowed = sorted(allowed)
    return ApiError(
        405,
        "method_not_allowed",
        _("This method is not allowed here. Allowed: %(methods)s.")
        % {"methods": ", ".join(allowed)},
        headers={"Allow": ", ".join(allowed)},
    )


# --- body ---------------------------------------------------------------------------


def _reject_constant(name: str) -> None:
    raise ValueError(name)


def unknown_keys(data: Any, schema: Schema, path: str = "") -> tuple[str, list[str]] | None:
    """The first object of `data` (a JSON body) holding keys its schema does not list,
    as (where, its allowed keys), naming the keys in full ("add[0].note"); None when every
    key is known. Values of the wrong type are left to the field readers."""
    schema = resolve(schema)
    for branch in schema.get("anyOf", ()):  # e.g. nullable(obj(...))
        if resolve(branch).get("type") == {dict: "object", list: "array"}.get(type(data)):
            schema = resolve(branch)
    if isinstance(data, dict) and schema.get("type") == "object":
        properties = schema.get("properties", {})
        prefix = f"{path}." if path else ""
        if schema.get("additionalProperties") is False:
            unknown = [prefix + str(key) for key in data if key not in properties]
            if unknown:
                return ", ".join(unknown), list(properties)
        for key, value in data.items():
            if key in properties:
                found = unknown_keys(value, properties[key], prefix + key)
                if found:
                    return found
    elif isinstance(data, list) and schema.get("type") == "array" and "items" in schema:
        for index, item in enumerate(data):
            found = unknown_keys(item, schema["items"], f"{path}[{index}]")
            if found:
                return found
    return None


def refuse_unknown_keys(data: dict[str, Any], schema: Schema) -> None:
    """ApiError 422 `invalid_field` naming the keys of `data` that `schema` does not list."""
    found = unknown_keys(data, schema)
    if found is None:
        return
    unknown, allowed = found
    raise ApiError(
        422,
        "invalid_field",
        ngettext(
            "Unknown field: %(fields)s. Send only: %(allowed)s.",
            "Unknown fields: %(fields)s. Send only: %(allowed)s.",
            len(unknown.split(", ")),
        )
        % {"fields": unknown, "allowed": ", ".join(allowed)},
        field=unknown.split(", ")[0],
    )


def parse_json_body(request: HttpRequest) -> dict[str, Any]:
    """The body as a JSON object; {} when empty. ApiError `invalid_json` otherwise."""
    wrong_type = ApiError(
        415,
        "invalid_json",
        _("Send the request body as JSON, with the header Content-Type: application/json."),
    )
    try:
        body = request.body
    except RequestDataTooBig:
        raise ApiError(413, "request_too_large", _("The request body is too large.")) from None
    except RawPostDataException:  # a multipart upload, already read as a form
        raise wrong_type from None
    if not body.strip():
        return {}
    if request.content_type != "application/json":
        raise wrong_type
    try:
        data = json.loads(body, parse_constant=_reject_constant)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise ApiError(400, "invalid_json", _("The request body is not valid JSON.")) from None
    if not isinstance(data, dict):
        raise ApiError(400, "invalid_json", _("The request body must be a JSON object."))
    return data


# --- the decorator ------------------------------------------------------------------


def check_api_roles(request: HttpRequest, roles: Iterable[str]) -> None:
    """For `endpoint(auth="staff", roles=...)`: ApiError 403 `permission_denied` unless the
    caller has one of `roles` (backoffice.permissions says who has which). Sets
    `request.staff_role`."""
    if not has_role(request.user, *tuple(roles)):
        raise ApiError(403, "permission_denied", _("Your staff role does not allow this action."))
    request.staff_role = staff_role(request.user)  # type: ignore[attr-defined]


def endpoint(
    methods: Sequence[str] = ("GET",),
    *,
    auth: Auth,
    summary: str,
    description: str = "",
    request: Schema | None = None,
    response: Schema | None = None,
    status: int = 200,
    query: Sequence[dict[str, Any]] = (),
    errors: Mapping[int, str] | None = None,
    roles: Sequence[str] = (),
    also: Mapping[int, str] | None = None,
    content_type: str = "application/json",
) -> Callable[[View], View]:
    """Make `view` a JSON endpoint (see the module docstring); the rest documents it.

    request/response: JSON Schemas of the body sent and of the success answer (build them
    with openapi.obj, openapi.array... or openapi.component for a named schema);
    status: the success status; query: openapi.query_param(...) for query-string
    parameters; errors: {status: "when"} for the view's own errors (401/403, invalid_json
    and invalid_field are documented automatically from auth and request);
    roles: with auth="staff", the back-office roles allowed (portail.backoffice.permissions:
    "gestionnaire", "pointage", "cuisine"); other staff get 403 `permission_denied`;
    also: {status: "when"} for other success statuses answering the same schema (e.g. 200
    for a dry run of an endpoint that answers 201); content_type: the success answer's
    media type when it is not JSON (e.g. "application/pdf").

    The body is read only when `request` is given (and the method has one): it must be a
    JSON object with no key the schema does not list (422 `invalid_field` names them);
    without `request` any body is ignored (e.g. DELETE).
    """
    methods = tuple(m.upper() for m in methods)
    if auth not in (None, "user", "guardian", "staff"):
        raise ValueError(f"Unknown auth level {auth!r}")
    roles = tuple(roles)
    if roles and auth != "staff":
        raise ValueError("roles= needs auth='staff'")
    if roles:
        allowed = ", ".join(roles)
        description = (description + "\n\n" if description else "") + f"Staff roles: {allowed}."
        errors = {**(errors or {}), 403: f"`permission_denied`: staff roles allowed: {allowed}."}

    # Imported here: auth.py imports ApiError from this module.
    from portail.api import auth as api_auth

    def decorator(view: View) -> View:
        operation = Operation(
            view=view,
            auth=auth,
            summary=summary,
            description=description,
            request=request,
            response=response,
            status=status,
            query=tuple(query),
            errors=dict(errors or {}),
            also=dict(also or {}),
            content_type=content_type,
        )

        @functools.wraps(view)
        def wrapper(req: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            with translation.override(request_language(req)):
                try:
                    api_auth.identify(req, auth)
                    translation.activate(request_language(req, req.user))
                    if req.method not in methods:
                        raise method_not_allowed(methods)
                    api_auth.authorize(req, auth)
                    if roles:
                        check_api_roles(req, roles)
                    req.data = {}
                    if request is not None and req.method in BODY_METHODS:
                        req.data = parse_json_body(req)
                        refuse_unknown_keys(req.data, request)
                    result = view(req, *args, **kwargs)
                except ApiError as error:
                    result = error.response()
                except Http404:
                    result = not_found_error().response()
                except PermissionDenied:
                    result = ApiError(
                        403, "permission_denied", _("You are not allowed to do this.")
                    ).response()
                except DATABASE_UNAVAILABLE:
                    log_database_unavailable(req)
                    result = database_unavailable_error().response()
                return _finish(result)

        wrapper.api_operations = dict.fromkeys(methods, operation)  # type: ignore[attr-defined]
        return csrf_exempt(wrapper)  # CSRF is checked by auth.authorize(), for sessions only

    return decorator


def by_method(**views: View) -> View:
    """One URL, one endpoint per method: `by_method(POST=create_x, DELETE=revoke_x)`."""
    table: dict[str, View] = {}
    operations: dict[str, Operation] = {}
    for method, view in views.items():
        method = method.upper()
        documented = getattr(view, "api_operations", {})
        if method not in documented:
            raise ValueError(f"{view.__name__} is not an @endpoint accepting {method}")
        table[method] = view
        operations[method] = documented[method]

    def dispatch(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        view = table.get(request.method or "")
        if view is None:
            return render_error(request, lambda: method_not_allowed(table))
        return view(request, *args, **kwargs)

    dispatch.api_operations = operations  # type: ignore[attr-defined]
    return csrf_exempt(dispatch)
