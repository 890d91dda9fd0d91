import pytest


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """The factories give every account a password; hashing it for real is slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
