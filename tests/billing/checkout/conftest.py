import pytest
from django.core import mail

from tests.payfip.world import Simulator


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """The factories give every guardian a password; hashing it for real is slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_outbox():
    """The live server's thread sends mail too: one outbox, emptied per test."""
    mail.outbox = []
    yield
    mail.outbox = []


@pytest.fixture
def simulator(live_server, settings) -> Simulator:
    """PayFiP is the simulator served by the live server (real HTTP, real SOAP), and the
    portal's own pages, notification and return addresses are served there too: the
    whole journey travels over real HTTP, as `make run` does it."""
    sim = Simulator(base=live_server.url)
    settings.PAYFIP_WS_URL = sim.soap_url
    settings.PAYFIP_PAYMENT_URL = sim.page_url
    settings.PAYFIP_NUMCLI = "012345"
    settings.PAYFIP_SAISIE = "T"
    settings.PAYFIP_TIMEOUT_SECONDS = 10
    settings.PORTAIL_BASE_URL = live_server.url
    return sim
