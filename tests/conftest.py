import pytest
import time_machine
from django.core import mail

from tests.clock import NOW
from tests.world.payfip import Simulator


@pytest.fixture(scope="session", autouse=True)
def _fixed_clock_for_the_session():
    """Session- and module-scoped fixtures are built at `tests.clock.NOW` too."""
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture(autouse=True)
def _fixed_clock():
    """Every test starts at `tests.clock.NOW`, whatever the real date (see tests/clock.py)."""
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture(autouse=True)
def _english_free_defaults(settings):
    """Tests run with the shipped defaults: French first, Europe/Paris."""
    settings.LANGUAGE_CODE = "fr"
    settings.PORTAIL_DEMO = True


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """The factories give every account a password; hashing it for real is slow, and no
    test is about the hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def empty_outbox():
    """The live server's thread sends mail too: one outbox, emptied before and after the
    test. Not autouse: the folders whose tests send mail through the live server ask for it
    in their conftest.py (tests/billing/checkout, tests/invoices/online)."""
    mail.outbox = []
    yield
    mail.outbox = []


@pytest.fixture
def simulator(live_server, settings) -> Simulator:
    """PayFiP is the simulator served by the live server (real HTTP, real SOAP), with the
    portal's PayFiP settings pointed at it. The live server serves the portal's own pages,
    notification and return addresses too (a test marked
    `pytest.mark.urls("tests.billing.urls")` gets stand-ins for the last two instead)."""
    sim = Simulator(base=live_server.url)
    settings.PAYFIP_WS_URL = sim.soap_url
    settings.PAYFIP_PAYMENT_URL = sim.page_url
    settings.PAYFIP_NUMCLI = "012345"
    settings.PAYFIP_SAISIE = "T"
    settings.PAYFIP_TIMEOUT_SECONDS = 10
    settings.PORTAIL_BASE_URL = live_server.url
    return sim
