import pytest

from portail.accounts.tokens import activation_token


@pytest.fixture(autouse=True)
def _account_settings(settings):
    """The limits these tests count against, whatever the environment says (the cheap
    password hasher is the whole suite's, tests/conftest.py)."""
    settings.PORTAIL_LOGIN_MAX_FAILURES = 5
    settings.PORTAIL_LOGIN_WINDOW_MINUTES = 15
    settings.PORTAIL_ACTIVATION_HOURS = 72
    settings.PORTAIL_BASE_URL = "https://portail.example.org"


@pytest.fixture
def token_clock(monkeypatch):
    """Move the activation-token clock (its _now() hook) by a timedelta."""

    real_now = activation_token._now

    def shift(delta):
        monkeypatch.setattr(activation_token, "_now", lambda: real_now() + delta)

    return shift
