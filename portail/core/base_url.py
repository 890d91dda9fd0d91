"""The portal's own address, for the addresses that leave the page: PayFiP's urlnotif and
urlredirect, the simulator's SOAP endpoint and payment page, links in e-mails.

`base_url()` is scheme://host[:port][/prefix], without a trailing slash:
- PORTAIL_BASE_URL when set (production requires it);
- else, in development, the address the current request reached the server on: its
  scheme, the host name of its Host header (which Django checks against ALLOWED_HOSTS)
  and the port the server listens on (SERVER_PORT: a port written in the Host header is
  not trusted, so nobody can point the portal's callbacks at another port of the
  machine), so that `PORT=8001 make run` or `portail runserver 0.0.0.0:8123` work
  without any setting and a parent who opened http://localhost:8001 comes back from
  PayFiP to that same address. Behind a proxy or a port mapping, set PORTAIL_BASE_URL;
- else (development, outside any request: a command run by hand or from cron)
  DEVELOPMENT_DEFAULT.

RequestBaseUrlMiddleware keeps the request's address for the time of the request, in a
context variable (one per thread or task: never shared between requests).
"""

from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port

DEVELOPMENT_DEFAULT = "http://127.0.0.1:8000"
DEFAULT_PORTS = {"http": "80", "https": "443"}

_request_base: ContextVar[str] = ContextVar("portail_request_base_url", default="")


def configured() -> str:
    """PORTAIL_BASE_URL without its trailing slash ("" when not set)."""
    return settings.PORTAIL_BASE_URL.strip().rstrip("/")


def request_base(request: HttpRequest) -> str:
    """scheme://host[:port] the request came on: the Host header's name (allowed by
    ALLOWED_HOSTS, else "") and the server's own port."""
    try:
        name, _port = split_domain_port(request.get_host())
    except DisallowedHost:
        return ""
    if not name:
        return ""
    scheme = request.scheme or "http"
    port = str(request.META.get("SERVER_PORT") or "")
    if port in ("", DEFAULT_PORTS.get(scheme)):
        return f"{scheme}://{name}"
    return f"{scheme}://{name}:{port}"


def base_url(request: HttpRequest | None = None) -> str:
    """The portal's own address (see the module's docstring); "" only in production
    without PORTAIL_BASE_URL, which the settings refuse."""
    base = configured()
    if base or settings.PRODUCTION:
        return base
    if request is not None:
        base = request_base(request)
    return base or _request_base.get() or DEVELOPMENT_DEFAULT


class RequestBaseUrlMiddleware:
    """In development without PORTAIL_BASE_URL, remembers the request's own address for
    base_url() while the request is served. Does nothing otherwise."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if configured() or settings.PRODUCTION:
            return self.get_response(request)
        token = _request_base.set(request_base(request))
        try:
            return self.get_response(request)
        finally:
            _request_base.reset(token)
