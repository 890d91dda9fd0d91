import pytest


@pytest.fixture(autouse=True)
def _empty_outbox(empty_outbox):
    """Every test here starts and ends with an empty outbox (tests/conftest.py)."""
