"""What the session tests count and read: statements on the sign-in tables, session rows."""

import re

from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from django.test import Client
from django.test.utils import CaptureQueriesContext

from portail.accounts.models import Session

# A statement reading the session, the user, the guardian or the API token (its FROM).
SIGN_IN_TABLES = re.compile(
    r'\bFROM "(accounts_session|django_session|accounts_user|families_guardian|api_apitoken)"'
)


def sign_in_statements(path: str, client: Client) -> tuple[list[str], HttpRequest]:
    """GET `path` (200 expected): the statements it spent on the sign-in tables, and the
    request as the view saw it."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, response
    sql = [query["sql"] for query in queries.captured_queries]
    reads = [statement for statement in sql if SIGN_IN_TABLES.search(statement)]
    return reads, response.wsgi_request


def row_of(client: Client) -> Session | None:
    """The client's session row, None when there is none (no cookie, or deleted)."""
    cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
    if cookie is None or not cookie.value:
        return None
    return Session.objects.filter(session_key=cookie.value).first()
