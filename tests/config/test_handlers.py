"""config.handlers: each request runs its synchronous code on one thread of its own, and the
threads are kept between requests instead of being started and joined for every one."""

import functools
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from asgiref.sync import async_to_sync
from asgiref.testing import ApplicationCommunicator
from django.core.handlers.base import BaseHandler

from config.handlers import ExecutorPool, PooledThreadASGIHandler
from tests.servers import REPO_ROOT


def _scope(path: str) -> dict:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }


async def _get(handler, path: str = "/healthz") -> int:
    communicator = ApplicationCommunicator(handler, _scope(path))
    await communicator.send_input({"type": "http.request", "body": b""})
    start = await communicator.receive_output(10)
    await communicator.receive_output(10)
    await communicator.wait(10)
    return start["status"]


async def _get_both(handler) -> list[int]:
    import asyncio

    return list(await asyncio.gather(_get(handler), _get(handler)))


@pytest.fixture
def threads_seen(monkeypatch):
    """The thread each request's middleware and view ran on, in order."""
    seen: list[int] = []
    original = BaseHandler._get_response

    @functools.wraps(original)
    def spy(self, request):
        seen.append(threading.get_ident())
        return original(self, request)

    monkeypatch.setattr(BaseHandler, "_get_response", spy)
    return seen


@pytest.mark.django_db(transaction=True)
def test_requests_one_after_another_reuse_one_thread(threads_seen):
    handler = PooledThreadASGIHandler()

    statuses = [async_to_sync(_get)(handler) for _ in range(3)]

    assert statuses == [200, 200, 200]
    assert len(threads_seen) == 3
    assert len(set(threads_seen)) == 1
    assert threads_seen[0] != threading.get_ident()
    assert handler.pool.idle == 1


@pytest.mark.django_db(transaction=True)
def test_requests_at_the_same_time_run_on_threads_of_their_own(monkeypatch):
    # Each request waits inside its view until the other one is there too: on one shared
    # thread the second could never arrive and the barrier would time out (a 500).
    barrier = threading.Barrier(2, timeout=10)
    seen: list[int] = []
    original = BaseHandler._get_response

    def meet(self, request):
        seen.append(threading.get_ident())
        barrier.wait()
        return original(self, request)

    monkeypatch.setattr(BaseHandler, "_get_response", meet)
    handler = PooledThreadASGIHandler()

    statuses = async_to_sync(_get_both)(handler)

    assert statuses == [200, 200]
    assert len(set(seen)) == 2
    assert handler.pool.idle == 2


@pytest.mark.django_db(transaction=True)
def test_a_failing_request_gives_its_thread_back(threads_seen):
    handler = PooledThreadASGIHandler()

    assert async_to_sync(_get)(handler, "/no-such-page/") == 404
    assert async_to_sync(_get)(handler) == 200
    assert len(set(threads_seen)) == 1
    assert handler.pool.idle == 1


def test_pool_keeps_at_most_max_idle_executors():
    pool = ExecutorPool(max_idle=1)
    first, second = pool.borrow(), pool.borrow()
    assert first is not second
    # Both run something, so both have a worker thread.
    assert first.submit(threading.get_ident).result() != second.submit(threading.get_ident).result()

    pool.give_back(first)
    pool.give_back(second)

    assert pool.idle == 1
    assert pool.borrow() is first
    with pytest.raises(RuntimeError):
        second.submit(threading.get_ident)  # shut down, not kept


def test_pool_hands_out_single_thread_executors():
    executor = ExecutorPool().borrow()
    assert isinstance(executor, ThreadPoolExecutor)
    assert executor._max_workers == 1


def test_served_application_uses_the_pooled_handler_and_the_gc_policy():
    # In a process of its own: importing config.asgi freezes that process's heap.
    program = (
        "import gc\n"
        "from config.asgi import application\n"
        "from config.memory import FreezeSurvivors\n"
        "print(type(application.application_mapping['http']).__name__)\n"
        "print(sum(isinstance(c, FreezeSurvivors) for c in gc.callbacks))\n"
        "print(gc.get_freeze_count() > 10000)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["PooledThreadASGIHandler", "1", "True"]
