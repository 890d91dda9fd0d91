import pytest

from tests.world.uploads import private_dir  # noqa: F401  (the fixture)


@pytest.fixture(autouse=True)
def _private_storage_in_a_temporary_folder(private_dir):  # noqa: F811
    """No test here writes to the real DATA_DIR/private."""
