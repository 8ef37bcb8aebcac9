import pytest

from matching import runtime


@pytest.fixture(autouse=True)
def _fresh_engine():
    """Each test starts from what its database holds, not from an earlier test's index."""
    runtime.reset()
    yield
    runtime.reset()
