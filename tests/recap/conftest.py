import pytest
from django.test import Client

from tests.recap import world


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def story(db) -> world.Story:
    return world.build()


def logged_in(email: str, language: str | None = None) -> Client:
    client = Client()
    assert client.login(email=email, password=world.PASSWORD)
    if language:
        client.cookies["portail_language"] = language
    return client


@pytest.fixture
def parent(story) -> Client:
    return logged_in(world.PARENT_EMAIL)
