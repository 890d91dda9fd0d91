import pytest
from django.core import mail


@pytest.fixture(autouse=True)
def _empty_outbox():
    """The live server's thread sends mail too: one outbox, emptied per test."""
    mail.outbox = []
    yield
    mail.outbox = []
