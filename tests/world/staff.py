"""Staff of every role, and a test client signed in as someone."""

from django.test import Client

from portail.accounts.models import User
from portail.backoffice.permissions import CUISINE, GESTIONNAIRE, POINTAGE, grant_role
from portail.core.models import Site
from tests import factories


def gestionnaire(email: str | None = None) -> User:
    """A gestionnaire, Camille ROUX (a fresh e-mail unless `email` is given)."""
    user = factories.staff(email=email, first_name="Camille", last_name="ROUX")
    grant_role(user, GESTIONNAIRE)
    return user


def pointage(sites: list[Site], email: str | None = None) -> User:
    """An attendance agent of `sites`, Karim BENALI."""
    user = factories.staff(email=email, first_name="Karim", last_name="BENALI")
    grant_role(user, POINTAGE, sites=sites)
    return user


def cuisine(email: str | None = None) -> User:
    """A kitchen account."""
    user = factories.staff(email=email)
    grant_role(user, CUISINE)
    return user


def client_for(user: User, language: str | None = None) -> Client:
    """A test client signed in as `user`; asking for `language` (Accept-Language) if given,
    e.g. "en" to read the msgids without depending on a catalogue."""
    client = Client(HTTP_ACCEPT_LANGUAGE=language) if language else Client()
    client.force_login(user)
    return client
