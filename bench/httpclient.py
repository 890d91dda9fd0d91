"""A small keep-alive HTTP client for the load scenarios.

Built on http.client rather than requests because the client shares the machine's two
cores with the server: the less CPU the client burns per request, the more of the
measured time is the server's. One `HttpClient` is one connection (keep-alive), with its
own cookies; use one per thread.
"""

import http.client
import json
import re
import socket
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    seconds: float
    headers: dict[str, str]

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class HttpClient:
    """One keep-alive connection to 127.0.0.1:<port>, with cookies and optional Bearer token."""

    def __init__(self, host: str, port: int, timeout: float = 30.0) -> None:
        self.host = host
        self.port = port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.token: str | None = None
        self._conn: http.client.HTTPConnection | None = None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> "HttpClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _connection(self) -> http.client.HTTPConnection:
        if self._conn is None:
            self._conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            self._conn.connect()
            self._conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return self._conn

    def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        """Send one request; reconnect once if the server closed the idle connection."""
        all_headers = {"Host": f"{self.host}:{self.port}", "Accept-Language": "fr"}
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.token:
            all_headers["Authorization"] = f"Bearer {self.token}"
        all_headers.update(headers or {})
        for attempt in (1, 2):
            conn = self._connection()
            started = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=all_headers)
                raw = conn.getresponse()
                data = raw.read()
            except (http.client.RemoteDisconnected, ConnectionError, http.client.BadStatusLine):
                # An idle keep-alive connection the server had closed: retry on a new one.
                self.close()
                if attempt == 2:
                    raise
                continue
            seconds = time.perf_counter() - started
            resp_headers = {k.lower(): v for k, v in raw.getheaders()}
            for value in raw.headers.get_all("Set-Cookie") or []:
                cookie = SimpleCookie()
                cookie.load(value)
                for name, morsel in cookie.items():
                    self.cookies[name] = morsel.value
            if resp_headers.get("connection", "").lower() == "close":
                self.close()
            return Response(raw.status, data, seconds, resp_headers)
        raise AssertionError("unreachable")

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post_json(self, path: str, payload: Any) -> Response:
        return self.request(
            "POST",
            path,
            body=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json", "Accept": "application/json"},
        )

    def delete(self, path: str) -> Response:
        return self.request("DELETE", path, headers={"Accept": "application/json"})

    def login_with_form(self, login_path: str, email: str, password: str) -> None:
        """Log in through the real login form (CSRF token, session cookie)."""
        page = self.get(login_path)
        if page.status != 200:
            raise RuntimeError(f"GET {login_path} answered {page.status}")
        html = page.text
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        if not match:
            raise RuntimeError("no CSRF token in the login form")
        email_field = "email" if re.search(r'name="email"', html) else "username"
        form = urlencode(
            {"csrfmiddlewaretoken": match.group(1), email_field: email, "password": password}
        ).encode()
        resp = self.request(
            "POST",
            login_path,
            body=form,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        if resp.status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login of {email} failed: HTTP {resp.status}")

    def obtain_token(self, token_path: str, email: str, password: str) -> None:
        """Get an API token (POST {"email","password"} -> {"token"}) and use it from now on."""
        resp = self.post_json(token_path, {"email": email, "password": password})
        if resp.status not in (200, 201):
            raise RuntimeError(f"token for {email} refused: HTTP {resp.status} {resp.text[:200]}")
        self.token = resp.json()["token"]
