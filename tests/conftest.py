import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"
REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def pytest_collection_modifyitems(config, items):
    """`@pytest.mark.postgres` tests need PostgreSQL: on SQLite they are skipped with a reason
    (or fail under REQUIRE_SERVICES=1 only when PostgreSQL itself is missing, see run-tests.sh)."""
    skip_pg = pytest.mark.skip(
        reason="needs PostgreSQL (row locks and real concurrency); set DATABASE_URL to run it"
    )
    for item in items:
        if "postgres" in item.keywords and not settings.IS_POSTGRES:
            item.add_marker(skip_pg)


@pytest.fixture(autouse=True)
def _test_settings(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Password hashing is deliberately slow; tests create many users on a 2-core machine.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SMS_URL = "locmem://"
    from accounts import sms

    sms.outbox.clear()


@pytest.fixture
def sms_outbox():
    """Text messages sent during the test (accounts.sms, locmem backend)."""
    from accounts import sms

    return sms.outbox


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _dashboard_throttle_reset():
    """events.realtime throttles dashboard refreshes per process; each test starts afresh."""
    from events.realtime import dashboard_throttle_reset

    dashboard_throttle_reset()


@pytest.fixture
def shared_data() -> Path:
    """../shared/data, which CI always has and a newcomer's clone may not."""
    if not SHARED_DATA.is_dir():
        if REQUIRE_SERVICES:
            pytest.fail(f"{SHARED_DATA} is missing, and CI must have it")
        pytest.skip(f"{SHARED_DATA} is absent (a newcomer's clone): sample data tests skipped")
    return SHARED_DATA


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not (os.path.exists(path) or shutil.which(path)):
        if REQUIRE_SERVICES:
            pytest.fail(f"Chromium is missing at {path}; .ci/run installs Debian's chromium")
        pytest.skip(f"no Chromium at {path}: browser tests skipped (apt-get install chromium)")
    return path
