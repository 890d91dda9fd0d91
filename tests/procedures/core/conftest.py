import pytest
from django.utils import translation

from tests.world.uploads import private_dir  # noqa: F401  (the fixture)


@pytest.fixture(autouse=True)
def _english():
    """Messages are compared as the msgids (English); e-mails choose their own language."""
    with translation.override("en"):
        yield
