import pytest
from django.utils import translation

from tests.backoffice.operations.world import Town, build_town
from tests.payfip.world import Simulator


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """The factories give every account a password; hashing it for real is slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english_messages():
    """These tests read the services' messages in English (French is checked elsewhere)."""
    with translation.override("en"):
        yield


@pytest.fixture
def town() -> Town:
    return build_town()


@pytest.fixture
def simulator(live_server, settings) -> Simulator:
    """The PayFiP simulator served by the live server (as in tests/billing/conftest.py)."""
    sim = Simulator(base=live_server.url)
    settings.ROOT_URLCONF = "tests.billing.urls"
    settings.PAYFIP_WS_URL = sim.soap_url
    settings.PAYFIP_PAYMENT_URL = sim.page_url
    settings.PAYFIP_NUMCLI = "012345"
    settings.PAYFIP_SAISIE = "T"
    settings.PAYFIP_TIMEOUT_SECONDS = 10
    settings.PORTAIL_BASE_URL = live_server.url
    return sim
