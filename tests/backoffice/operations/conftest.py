import pytest
from django.utils import translation

from tests.world.town import Town, build_town


@pytest.fixture(autouse=True)
def _english_messages():
    """These tests read the services' messages in English (French is checked elsewhere)."""
    with translation.override("en"):
        yield


@pytest.fixture
def town() -> Town:
    return build_town()
