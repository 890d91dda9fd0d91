"""Who is calling the API, and may they call this endpoint.

Two ways in, both for guardians and staff alike:
- `Authorization: Bearer <token>` (scripts, apps): the token from POST /api/v1/auth/token.
  Such requests carry no cookie a third-party site could ride on, so no CSRF check.
- the browser's session cookie (the portal's own pages calling the API): unsafe methods
  then need Django's CSRF token in the X-CSRFToken header, as any form post would.

When an Authorization header is present, it alone counts (a bad token is refused even
if a session exists), so a client always knows which identity it is using.
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest
from django.http.multipartparser import MultiPartParserError
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.translation import gettext as _

from portail.api.http import SAFE_METHODS, ApiError, Auth
from portail.api.tokens import TokenExpired, token_for
from portail.families.guardians import guardian_of

FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")

BEARER_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="api"'}


def not_authenticated(message: str | None = None) -> ApiError:
    return ApiError(
        401,
        "not_authenticated",
        message or _("Authentication required: send a bearer token or sign in."),
        headers=BEARER_CHALLENGE,
    )


class _CsrfCheck(CsrfViewMiddleware):
    """Django's own CSRF check, returning the reason instead of an HTML page."""

    def _accept(self, request: HttpRequest) -> None:
        return None

    def _reject(self, request: HttpRequest, reason: str) -> str:  # type: ignore[override]
        return reason


def enforce_csrf(request: HttpRequest) -> None:
    # The CSRF check reads a form body (its csrfmiddlewaretoken field): a body Django cannot
    # parse is answered here in JSON, like every API error, not by Django's HTML 400 page.
    if request.method == "POST" and request.content_type in FORM_TYPES:
        try:
            request.POST  # noqa: B018 - parsed now, its errors answered in JSON
        except MultiPartParserError:
            raise ApiError(
                400, "invalid_body", _("The request body is not a well-formed form.")
            ) from None
        except SuspiciousOperation:  # too many fields or files, a body too large
            raise ApiError(413, "request_too_large", _("The request body is too large.")) from None
    check = _CsrfCheck(lambda _request: None)  # type: ignore[arg-type]
    check.process_request(request)
    reason = check.process_view(request, None, (), {})  # type: ignore[arg-type]
    if reason:
        raise ApiError(
            403,
            "csrf_failed",
            _(
                "CSRF check failed: send the csrftoken cookie's value in the X-CSRFToken "
                "header, or use a bearer token."
            ),
        )


def authenticate(request: HttpRequest) -> None:
    """Set request.user and request.auth_token from the bearer token or the session."""
    request.auth_token = None  # type: ignore[attr-defined]
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not header:
        return  # request.user is the session's user (or anonymous), from the middleware
    scheme, _sep, raw = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        raise not_authenticated(_('The Authorization header must read "Bearer <token>".'))
    try:
        token = token_for(raw.strip())
    except TokenExpired:
        raise ApiError(
            401,
            "token_expired",
            _("This token has expired: ask for a new one (POST /api/v1/auth/token)."),
            headers=BEARER_CHALLENGE,
        ) from None
    if token is None:
        raise not_authenticated(_("This token is not valid (unknown or revoked)."))
    request.user = token.user
    request.auth_token = token  # type: ignore[attr-defined]


def identify(request: HttpRequest, auth: Auth) -> None:
    """Set request.user and request.auth_token; a bad token is 401 unless auth is None."""
    try:
        authenticate(request)
    except ApiError:
        if auth is not None:
            raise
        # A public endpoint (e.g. asking for a token) ignores a stale token.
        request.user = AnonymousUser()
        request.auth_token = None  # type: ignore[attr-defined]


def authorize(request: HttpRequest, auth: Auth) -> None:
    """After identify(): CSRF for sessions, then the endpoint's `auth` level (401/403).

    Sets request.household for auth="guardian" (None otherwise).
    """
    request.household = None  # type: ignore[attr-defined]
    user = request.user
    by_session = request.auth_token is None  # type: ignore[attr-defined]
    if user.is_authenticated and by_session and request.method not in SAFE_METHODS:
        enforce_csrf(request)
    if auth is None:
        return
    if not user.is_authenticated or not user.is_active:
        raise not_authenticated()
    if auth == "staff" and not user.is_staff:
        raise ApiError(
            403, "permission_denied", _("This endpoint is for the service gestionnaire only.")
        )
    if auth == "guardian":
        guardian = guardian_of(user)
        if guardian is None:
            raise ApiError(
                403, "permission_denied", _("This endpoint is for guardians of a household.")
            )
        request.household = guardian.household  # type: ignore[attr-defined]
