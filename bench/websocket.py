"""Meetings websockets under load: CLIENTS concurrent websocket clients on daphne with
channels-redis, CHANGES slot changes broadcast to all of them through events.realtime.

Runs against PostgreSQL in its own database (<DATABASE_URL's name>_bench_websocket) and Redis
(BENCH_REDIS_URL, else REDIS_URL, else redis://127.0.0.1:6379/12); give it a Redis database of
its own: the test suite's cache.clear() flushes its Redis database, channel groups included.
Each client is a meetings participant with a real session cookie, connected to
/ws/events/<slug>/meetings/ on one of WORKERS daphne processes (clients are spread over them,
so deliveries cross processes through Redis). The changes are sent by this process with
events.realtime.notify_slots_changed, as a service would after its commit; delivery latency is
from that call to the client's receipt of the frame. Prints p50 / p95 / p99 / max latency and
whether every client got every change.
Target: p95 < 500 ms. BENCH_INTERVAL sets the pace of the changes (default 0.5 s: two slot
changes a second, i.e. 1,000 frames a second to deliver); BENCH_LAYER=pubsub runs it on
channels-redis's pub/sub layer instead of the core layer the platform uses.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/websocket.py
"""

import asyncio
import datetime as dt
import json
import logging
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
from _database import bench_database_url  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "500"))
CHANGES = int(os.environ.get("BENCH_CHANGES", "100"))
INTERVAL = float(os.environ.get("BENCH_INTERVAL", "0.5"))  # seconds between two changes
WORKERS = int(os.environ.get("BENCH_WORKERS", str(os.cpu_count() or 2)))
REDIS_URL = (
    os.environ.get("BENCH_REDIS_URL") or os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/12"
)
SLUG = "bench-websocket"
# config.settings (channels-redis's core layer, what the platform runs) or, with
# BENCH_LAYER=pubsub, bench.websocket_settings (its pub/sub layer).
SETTINGS = (
    "bench.websocket_settings" if os.environ.get("BENCH_LAYER") == "pubsub" else "config.settings"
)
PASSWORD_HASH = "!"  # unusable: the bench users log in by session only


def prepare() -> tuple[int, list[str]]:
    """Migrate; a fresh edition with CLIENTS participants, each with a user and a session.
    Returns the edition id and the session keys."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.core.management import call_command
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from accounts.models import User
    from events.models import Edition, EditionStatus, MeetingParticipant, Ticket
    from events.services.tickets import ticket_code_generate

    call_command("migrate", verbosity=0)
    Edition.objects.filter(slug=SLUG).delete()
    User.objects.filter(email__endswith="@bench-websocket.local").delete()
    today = timezone.localdate()
    edition = Edition.objects.create(
        name="Websocket benchmark",
        slug=SLUG,
        start_date=today,
        end_date=today + dt.timedelta(days=1),
        opens_at=dt.time(8, 0),
        closes_at=dt.time(17, 0),
        venue="Bench",
        address="Bench",
        province="dong-nai",
        status=EditionStatus.RUNNING,
    )
    User.objects.bulk_create(
        [User(email=f"p{n}@bench-websocket.local", password=PASSWORD_HASH) for n in range(CLIENTS)],
        batch_size=1000,
    )
    users = list(User.objects.filter(email__endswith="@bench-websocket.local").order_by("pk"))
    tickets = Ticket.objects.bulk_create(
        [
            Ticket(edition=edition, code=ticket_code_generate(), name=f"P {n}", user=user)
            for n, user in enumerate(users)
        ],
        batch_size=1000,
    )
    MeetingParticipant.objects.bulk_create(
        [
            MeetingParticipant(edition=edition, ticket=ticket, user=ticket.user, display_name="P")
            for ticket in tickets
        ],
        batch_size=1000,
    )
    backend = settings.AUTHENTICATION_BACKENDS[0]
    expires = timezone.now() + dt.timedelta(days=1)
    store = SessionStore()
    sessions = [
        Session(
            session_key=get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789"),
            session_data=store.encode(
                {
                    SESSION_KEY: str(user.pk),
                    BACKEND_SESSION_KEY: backend,
                    HASH_SESSION_KEY: user.get_session_auth_hash(),
                }
            ),
            expire_date=expires,
        )
        for user in users
    ]
    Session.objects.bulk_create(sessions, batch_size=1000)
    return edition.pk, [s.session_key for s in sessions]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_servers(database_url: str) -> tuple[list[subprocess.Popen], list[str]]:
    """WORKERS daphne processes, each on its own port, sharing PostgreSQL and Redis."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "DJANGO_DEBUG": "",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "PYTHONPATH": str(ROOT),
    }
    log = open(os.environ.get("BENCH_SERVER_LOG", os.devnull), "w")  # noqa: SIM115
    ports = [free_port() for _ in range(WORKERS)]
    processes = [
        subprocess.Popen(
            [
                str(Path(sys.executable).with_name("daphne")),
                "-b",
                "127.0.0.1",
                "-p",
                str(port),
                "--verbosity",
                "0",
                "config.asgi:application",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        for port in ports
    ]
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    deadline = time.monotonic() + 60
    for url in urls:
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or any(p.poll() is not None for p in processes):
                for process in processes:
                    process.kill()
                sys.exit("daphne did not start")
            time.sleep(0.2)
    return processes, urls


async def run(edition_id: int, urls: list[str], session_keys: list[str]) -> dict:
    from asgiref.sync import sync_to_async
    from django.conf import settings
    from websockets.asyncio.client import connect

    from events import realtime

    sent_at: dict[int, float] = {}
    latencies: list[float] = []
    received = [0] * len(session_keys)
    connected = asyncio.Event()
    ready = 0
    opening = asyncio.Semaphore(50)  # a few dozen handshakes at a time, like a morning rush
    connect_times: list[float] = []

    async def client(number: int, session_key: str) -> None:
        nonlocal ready
        base = urls[number % len(urls)]
        async with opening:
            started = time.perf_counter()
            socket = await connect(
                base.replace("http://", "ws://") + f"/ws/events/{SLUG}/meetings/",
                origin=base,
                additional_headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={session_key}"},
                open_timeout=60,
                max_queue=None,
            )
            hello = json.loads(await socket.recv())
            assert hello["event"] == "hello", hello
            connect_times.append(time.perf_counter() - started)
        ready += 1
        if ready == len(session_keys):
            connected.set()
        try:
            while received[number] < CHANGES:
                frame = json.loads(await asyncio.wait_for(socket.recv(), 30))
                now = time.perf_counter()
                if frame["event"] != "slots.changed":
                    continue
                change = frame["payload"]["slot_ids"][0]
                latencies.append(now - sent_at[change])
                received[number] += 1
        except TimeoutError:
            pass
        finally:
            await socket.close()

    def send(change: int) -> None:
        realtime.notify_slots_changed(edition_id=edition_id, participant_ids=[], slot_ids=[change])

    tasks = [asyncio.create_task(client(n, key)) for n, key in enumerate(session_keys)]
    opened = time.perf_counter()
    await asyncio.wait_for(connected.wait(), 300)
    connect_seconds = time.perf_counter() - opened
    await asyncio.sleep(1)
    send_async = sync_to_async(send, thread_sensitive=False)
    for change in range(CHANGES):
        sent_at[change] = time.perf_counter()
        await send_async(change)
        await asyncio.sleep(INTERVAL)
    await asyncio.gather(*tasks)
    return {
        "latencies": latencies,
        "received": received,
        "connect_seconds": connect_seconds,
        "connect_times": connect_times,
    }


def server_cpu(pid: int) -> float:
    """CPU seconds (user + system) a server process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(round(len(ordered) * fraction)) - 1)]


def main() -> None:
    sys.path.insert(0, str(ROOT))
    database_url = bench_database_url(script="bench/websocket.py", suffix="bench_websocket")
    os.environ["DATABASE_URL"] = database_url
    os.environ["REDIS_URL"] = REDIS_URL
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    edition_id, session_keys = prepare()
    logging.getLogger("httpx").setLevel(logging.WARNING)
    servers, urls = start_servers(database_url)
    try:
        cpu_before = [server_cpu(server.pid) for server in servers]
        client_before = time.process_time()
        outcome = asyncio.run(run(edition_id, urls, session_keys))
        server_seconds = sum(
            server_cpu(server.pid) - before
            for server, before in zip(servers, cpu_before, strict=True)
        )
        client_seconds = time.process_time() - client_before
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
    latencies = [seconds * 1000 for seconds in outcome["latencies"]]
    expected = CLIENTS * CHANGES
    complete = sum(1 for n in outcome["received"] if n == CHANGES)
    print(
        f"clients {CLIENTS} on {WORKERS} daphne processes ({SETTINGS}), "
        f"changes {CHANGES} every {INTERVAL * 1000:.0f} ms"
    )
    print(
        f"connect: all {CLIENTS} in {outcome['connect_seconds']:.1f} s, "
        f"handshake p50 {statistics.median(outcome['connect_times']) * 1000:.0f} ms"
    )
    print(
        f"delivered {len(latencies)} / {expected} frames; "
        f"clients that got every change: {complete} / {CLIENTS}"
    )
    print(
        f"CPU (connects + deliveries): daphne {server_seconds:.1f} s, "
        f"the bench's {CLIENTS} clients and sender {client_seconds:.1f} s"
    )
    if latencies:
        p50 = statistics.median(latencies)
        p95 = percentile(latencies, 0.95)
        print(
            f"delivery latency p50 {p50:.1f} ms   p95 {p95:.1f} ms   "
            f"p99 {percentile(latencies, 0.99):.1f} ms   max {max(latencies):.1f} ms"
        )
        verdict = "met" if p95 < 500 and len(latencies) == expected else "MISSED"
        print(f"target (p95 < 500 ms, every frame delivered): {verdict}")


if __name__ == "__main__":
    threading.current_thread().name = "bench"
    main()
