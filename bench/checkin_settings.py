"""Settings for bench/checkin.py's daphne: the platform's settings with a connection pool.

Django runs every ASGI request in a thread of its own, so persistent connections
(CONN_MAX_AGE > 0) pile up under load until PostgreSQL refuses new clients, and CONN_MAX_AGE = 0
pays a new connection per scan. Django 5.1+'s psycopg pool hands each request a warm
connection and takes it back at the end, which is what a gate under load needs."""

import os

from config.settings import *  # noqa: F403

DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = False  # noqa: F405
DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {  # noqa: F405
    "min_size": 2,
    "max_size": int(os.environ.get("BENCH_POOL_SIZE", "12")),
    "timeout": 10,
}


class SyncBoundary:
    """A sync-only middleware at the bottom of the stack (BENCH_SYNC_BOUNDARY=1). Under ASGI,
    Django runs each MiddlewareMixin middleware's process_request/process_response through its
    own sync_to_async hop (~20 thread hand-offs per request); with a sync-only middleware last,
    Django builds the whole chain in sync mode and crosses threads once. Measured in-process on
    this machine: 15.4 → 10.4 ms of CPU per scan. A candidate for config/settings.py, which is
    the lead's to decide: the benchmark measures the platform's settings by default."""

    sync_capable = True
    async_capable = False

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)


if os.environ.get("BENCH_SYNC_BOUNDARY"):
    MIDDLEWARE = [*MIDDLEWARE, "bench.checkin_settings.SyncBoundary"]  # noqa: F405
