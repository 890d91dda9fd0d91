"""A real PayFiP conversation over HTTP: the portal's client against the simulator served
by pytest-django's live server (a real threaded HTTP server on 127.0.0.1)."""

import pytest

from tests.payfip.world import Simulator


@pytest.fixture
def simulator(live_server, settings) -> Simulator:
    """The portal's PayFiP settings pointed at the live simulator."""
    sim = Simulator(base=live_server.url)
    settings.PAYFIP_WS_URL = sim.soap_url
    settings.PAYFIP_PAYMENT_URL = sim.page_url
    settings.PAYFIP_NUMCLI = "012345"
    settings.PAYFIP_SAISIE = "T"
    settings.PAYFIP_TIMEOUT_SECONDS = 10
    settings.PORTAIL_BASE_URL = live_server.url
    return sim
