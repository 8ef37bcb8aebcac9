"""Real servers on loopback for tests: daphne serving the project's ASGI application."""

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

REPO_ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.HTTPError as exc:
            last_error = exc
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout}s: {last_error}")


@contextlib.contextmanager
def daphne_server(env: dict[str, str] | None = None) -> Iterator[str]:
    """Start `daphne config.asgi:application` on a free port; yield its base URL."""
    port = free_port()
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **(env or {})}
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # the test process's, not the server's
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "daphne",
            "-b",
            "127.0.0.1",
            "-p",
            str(port),
            "config.asgi:application",
        ],
        cwd=REPO_ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        try:
            wait_for_http(f"{base_url}/healthz")
        except RuntimeError:
            process.kill()
            raise RuntimeError(process.stderr.read().decode()[-2000:]) from None
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def database_url_for_subprocess() -> dict[str, str]:
    """Environment that points a server process at the test database, where it can share it
    (PostgreSQL); an in-memory SQLite test database cannot be shared across processes."""
    from django.db import connection

    settings_dict = connection.settings_dict
    if connection.vendor != "postgresql":
        return {}
    user = settings_dict.get("USER") or "postgres"
    password = settings_dict.get("PASSWORD") or ""
    auth = f"{user}:{password}@" if password else f"{user}@"
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or "5432"
    return {"DATABASE_URL": f"postgres://{auth}{host}:{port}/{settings_dict['NAME']}"}


def run_async(coroutine):
    """Run a coroutine to completion on a fresh event loop in its own thread, so it works even
    while another loop (Playwright's sync API) is running in the test thread."""
    import asyncio
    import threading

    outcome: dict = {}

    def target() -> None:
        try:
            outcome["value"] = asyncio.run(coroutine)
        except BaseException as exc:  # re-raised in the test thread
            outcome["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]
