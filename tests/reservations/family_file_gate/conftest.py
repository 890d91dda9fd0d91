import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    """Messages are compared as the msgids (English); the French test and the pages ask
    for their own language."""
    with translation.override("en"):
        yield
