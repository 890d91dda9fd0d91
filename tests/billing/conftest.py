import pytest

from tests.payfip.world import Simulator


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """The factories give every guardian a password; hashing it for real is slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def simulator(live_server, settings) -> Simulator:
    """PayFiP is h8's simulator served by the live server (real HTTP, real SOAP); the
    portal's notification and return paths are served too (tests/billing/urls.py)."""
    sim = Simulator(base=live_server.url)
    settings.ROOT_URLCONF = "tests.billing.urls"
    settings.PAYFIP_WS_URL = sim.soap_url
    settings.PAYFIP_PAYMENT_URL = sim.page_url
    settings.PAYFIP_NUMCLI = "012345"
    settings.PAYFIP_SAISIE = "T"
    settings.PAYFIP_TIMEOUT_SECONDS = 10
    settings.PORTAIL_BASE_URL = live_server.url
    return sim
