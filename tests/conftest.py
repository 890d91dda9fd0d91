import pytest
import time_machine

from tests.clock import NOW


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
