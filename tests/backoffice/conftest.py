"""Staff of every role, and the seed's family (tests/web_reservations/world.py)."""

import pytest
from django.test import Client

from portail.backoffice.permissions import CUISINE, GESTIONNAIRE, POINTAGE, grant_role
from tests import factories
from tests.web_reservations.world import seed_family


@pytest.fixture
def fam():
    return seed_family()


@pytest.fixture
def gestionnaire():
    user = factories.staff(email="gestion@example.org", first_name="Camille", last_name="ROUX")
    grant_role(user, GESTIONNAIRE)
    return user


@pytest.fixture
def pointage(fam):
    user = factories.staff(email="pointage@example.org", first_name="Karim", last_name="BENALI")
    grant_role(user, POINTAGE, sites=[fam.activity.site])
    return user


@pytest.fixture
def cuisine():
    user = factories.staff(email="cuisine@example.org")
    grant_role(user, CUISINE)
    return user


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def staff_client(gestionnaire) -> Client:
    return client_for(gestionnaire)
