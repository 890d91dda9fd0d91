import pytest
from django.test import Client

from tests.world.procedures import Desk, desk
from tests.world.staff import client_for
from tests.world.uploads import private_dir  # noqa: F401  (the fixture)


@pytest.fixture(autouse=True)
def _private_storage_in_a_temporary_folder(private_dir):  # noqa: F811
    """No test here writes to the real DATA_DIR/private."""


@pytest.fixture
def d(db) -> Desk:
    """A household with two children (Emy, Lise), its guardian, a canteen, a gestionnaire."""
    return desk()


@pytest.fixture
def parent(d) -> Client:
    """The household's guardian, reading the pages in English (the msgids)."""
    return client_for(d.user, "en")


@pytest.fixture
def parent_fr(d) -> Client:
    return client_for(d.user, "fr")
