"""Staff of every role, and the seed's family (tests/world/commune.py)."""

import pytest
from django.test import Client

from tests.world import staff
from tests.world.commune import seed_family
from tests.world.staff import client_for


@pytest.fixture
def fam():
    return seed_family()


@pytest.fixture
def gestionnaire():
    return staff.gestionnaire("gestion@example.org")


@pytest.fixture
def pointage(fam):
    return staff.pointage([fam.activity.site], "pointage@example.org")


@pytest.fixture
def cuisine():
    return staff.cuisine("cuisine@example.org")


@pytest.fixture
def staff_client(gestionnaire) -> Client:
    return client_for(gestionnaire)
