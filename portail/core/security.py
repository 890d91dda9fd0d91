"""Two middlewares from the attack report (issue 12): a Content-Security-Policy on every
response, and a short 503 page instead of a 500 when the database is down or locked.

Content-Security-Policy (Django 5.2 has none built in; a few lines here rather than a
dependency):

- `default-src 'self'`: scripts, styles, images, fonts, fetch() only from the portal.
- `script-src 'self'`: no inline script, no `on*=` attribute, no eval; the templates keep
  their JavaScript in static files (a test in tests/security checks every template).
- `style-src 'self' 'unsafe-inline'`: the planning grid places each block with a `style`
  attribute computed per page (grid rows and columns). CSP 3's `style-src-attr` could
  allow attributes alone, but browsers without it would then drop the planning's layout.
  Injected CSS cannot run code, and cannot send anything away: images and fonts are
  still `'self'` only.
- `object-src 'none'`, `base-uri 'none'`, `frame-ancestors 'none'` (as X-Frame-Options
  DENY already says to older browsers).
- `form-action 'self'` plus PayFiP's payment page: the PAYER form posts to the portal,
  which redirects to PayFiP, and browsers check form-action on that redirect too. The
  page is `PAYFIP_PAYMENT_URL`'s origin (PayFiP's public page when unset outside demo);
  the simulator's is the portal's own address, `PORTAIL_BASE_URL` when set (whose origin
  is allowed too: the simulator's form sends the browser back there), else 'self'.

PDFs (recap, payment tickets, documents) get `frame-ancestors 'none'` only: Chrome's PDF
viewer is an embedded plugin that `object-src 'none'` or `default-src` would block.
A view may set its own Content-Security-Policy header; it is then left alone.
"""

import functools
import logging
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.deprecation import MiddlewareMixin

logger = logging.getLogger(__name__)

# A database down or locked: answered 503 with Retry-After (the pages here, the API by
# api.http), never a 500.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 5

HEADER = "Content-Security-Policy"
PDF_POLICY = "frame-ancestors 'none'"


def _origin(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme in {"http", "https"} and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return None


# Where else a form may send the browser (PayFiP's payment page after PAYER): functions
# the apps above core register from their AppConfig.ready() (payfip does), each giving
# URLs whose origins the policy allows. core needs nothing above it.
FORM_ACTION_SOURCES: list[Callable[[], Iterable[str]]] = []


def allow_form_action(source: Callable[[], Iterable[str]]) -> None:
    """Register `source` (see FORM_ACTION_SOURCES); registering it twice adds it once."""
    if source not in FORM_ACTION_SOURCES:
        FORM_ACTION_SOURCES.append(source)


@functools.lru_cache(maxsize=8)
def _policy(base_url: str, form_targets: tuple[str, ...]) -> str:
    """The policy for these settings (arguments: the cache key, settings may change).
    The portal's own address is PORTAIL_BASE_URL, else the request's own: 'self'."""
    form_action = ["'self'"]
    for url in (*form_targets, base_url):
        origin = _origin(url)
        if origin and origin not in form_action:
            form_action.append(origin)
    directives = {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self' 'unsafe-inline'",
        "object-src": "'none'",
        "base-uri": "'none'",
        "frame-ancestors": "'none'",
        "form-action": " ".join(form_action),
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def content_security_policy(response: HttpResponse | None = None) -> str:
    """The policy a response gets (every one but PDFs gets the full policy)."""
    if response is not None and response.get("Content-Type", "").startswith("application/pdf"):
        return PDF_POLICY
    targets = tuple(url for source in FORM_ACTION_SOURCES for url in source())
    return _policy(settings.PORTAIL_BASE_URL, targets)


class ContentSecurityPolicyMiddleware:
    """Adds the Content-Security-Policy header to every response (see the module)."""

    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if HEADER not in response:
            response[HEADER] = content_security_policy(response)
        return response


class DatabaseUnavailableMiddleware(MiddlewareMixin):
    """A database that is down or locked answers 503 with Retry-After, not a 500.

    The API answers its own JSON 503 (api/http.py: its endpoints, and its middleware for
    any URL under /api/); this catches what the pages raise: a short page that reads
    nothing from the database (no base layout: it shows the organisation, read from the
    database).
    """

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DATABASE_UNAVAILABLE):
            return None
        log_database_unavailable(request)
        response = HttpResponse(
            render_to_string("503.html", {"retry_url": request.get_full_path()}), status=503
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response


def log_database_unavailable(request: HttpRequest) -> None:
    """Log the database error being handled (with its traceback) for the operators."""
    logger.warning(
        "Database unavailable, answered 503: %s %s", request.method, request.path, exc_info=True
    )
