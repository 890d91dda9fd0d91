import pytest


@pytest.fixture(autouse=True)
def _english_free_defaults(settings):
    """Tests run with the shipped defaults: French first, Europe/Paris."""
    settings.LANGUAGE_CODE = "fr"
    settings.PORTAIL_DEMO = True
