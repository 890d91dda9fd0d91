import pytest

from portail.accounts.tokens import activation_token


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Logins hash passwords many times here; a cheap hasher keeps the suite quick.
    The hasher is not what these tests are about."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
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
