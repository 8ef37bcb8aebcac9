"""Gate check-in under load: 10,000 tickets, 20 concurrent scanners, the real HTTP API on daphne.

Runs against PostgreSQL in its own database (<DATABASE_URL's name>_bench_checkin) and measures
two things in one run, on two gate lists of the same edition:

1. Gate rush: the 20 scanners send back to back, each as soon as its previous answer arrives:
   the most scans per second the server sustains (and the latency when it is saturated).
2. Steady 200 scans/s: the 20 scanners together offer 200 scans a second (each one scan every
   100 ms, on a fixed schedule): the latency a scanner sees at the target rate. Latency is
   counted from the scheduled moment, so a late answer also delays what is behind it
   (no coordinated omission).

Each phase scans every ticket once plus 10% again (often two gates at once), then the script
verifies that no ticket has two successful entries on a list. Targets on a 2-core machine:
>= 200 scans/s, p99 < 100 ms at 200 scans/s, zero double entries.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/checkin.py
"""

import gc
import http.client
import json
import logging
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import httpx
import psycopg
from _database import bench_database_url  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TICKETS = int(os.environ.get("BENCH_TICKETS", "10000"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "20"))
WORKERS = int(os.environ.get("BENCH_WORKERS", str(os.cpu_count() or 2)))
REPEATS = TICKETS // 10  # codes scanned a second time, often by two gates at once
RATE = float(os.environ.get("BENCH_RATE", "200"))  # scans/s offered in the steady phase
STEADY_SCANS = int(os.environ.get("BENCH_STEADY_SCANS", str(int(RATE * 30))))
SLUG = "bench-checkin"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare() -> tuple[str, list[str]]:
    """Migrate, then a fresh edition with a gate list, one scanner and TICKETS tickets."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from rest_framework.authtoken.models import Token

    from accounts.models import Role, User
    from accounts.services import user_set_roles
    from events.models import CheckinList, Edition, EditionStatus, Ticket
    from events.services.tickets import ticket_code_generate

    call_command("migrate", verbosity=0)
    # The scan log is append-only (a trigger refuses DELETE); this database is the bench's own.
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE events_checkin")
    Edition.objects.filter(slug=SLUG).delete()
    import datetime as dt

    from django.utils import timezone

    today = timezone.localdate()
    edition = Edition.objects.create(
        name="Benchmark",
        slug=SLUG,
        start_date=today,
        end_date=today,
        opens_at=dt.time(0, 0),
        closes_at=dt.time(23, 59),
        venue="Bench",
        address="Bench",
        province="dong-nai",
        status=EditionStatus.RUNNING,
    )
    scanner, _created = User.objects.get_or_create(email="bench-scanner@techmart.local")
    user_set_roles(user=scanner, roles={Role.EXHIBITOR_STAFF})
    for name, slug in (("Gate", "gate"), ("Gate 2", "gate-2")):
        gate = CheckinList.objects.create(edition=edition, name=name, slug=slug, kind="gate")
        gate.staff.add(scanner)
    token, _created = Token.objects.get_or_create(user=scanner)
    Ticket.objects.bulk_create(
        [
            Ticket(edition=edition, code=ticket_code_generate(), name=f"Visitor {n}")
            for n in range(TICKETS)
        ],
        batch_size=2000,
    )
    codes = list(Ticket.objects.filter(edition=edition).values_list("code", flat=True))
    return token.key, codes


def start_servers(database_url: str) -> tuple[list[subprocess.Popen], list[str]]:
    """WORKERS daphne processes, one per core, each on its own port, as behind a load
    balancer. Scanners keep their connection open, so the balancer's job is done here by
    pinning scanner n to worker n mod WORKERS. (With one socket shared by every process, the
    kernel handed the 20 connections out unevenly, 15 to 5 in one run, and the busier process
    set the latency.)"""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONPATH": str(ROOT),
    }
    log = open(os.environ.get("BENCH_SERVER_LOG", os.devnull), "w")  # noqa: SIM115
    processes, urls = [], []
    for _ in range(WORKERS):
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", 0))
        listener.listen(512)
        urls.append(f"http://127.0.0.1:{listener.getsockname()[1]}")
        processes.append(
            subprocess.Popen(
                [
                    str(Path(sys.executable).with_name("daphne")),
                    "--fd",
                    str(listener.fileno()),
                    "--verbosity",
                    "0",
                    "config.asgi:application",
                ],
                cwd=ROOT,
                env=env,
                pass_fds=[listener.fileno()],
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
        )
        listener.close()
    deadline = time.monotonic() + 60
    waiting = list(urls)
    while waiting:
        try:
            if httpx.get(f"{waiting[0]}/healthz", timeout=1).status_code == 200:
                waiting.pop(0)
                continue
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline or any(p.poll() is not None for p in processes):
            for process in processes:
                process.kill()
            sys.exit("daphne did not start")
        time.sleep(0.2)
    return processes, urls


def run(
    urls: list[str], token: str, scans: list[str], *, list_slug: str, interval: float | None
) -> tuple[list[float], dict[str, int], float]:
    """CLIENTS scanners share `scans`. With no interval each sends as soon as its previous
    answer arrives; with one, each sends on a fixed schedule (one scan every `interval` seconds,
    scanners evenly staggered) and latency counts from the scheduled moment."""
    shares = [scans[n::CLIENTS] for n in range(CLIENTS)]
    latencies: list[float] = []
    outcomes: dict[str, int] = {}
    lock = threading.Lock()
    start_at: list[float] = []
    # The schedule starts once every scanner has warmed its connection.
    barrier = threading.Barrier(
        CLIENTS + 1, action=lambda: start_at.append(time.perf_counter() + 0.05)
    )

    def scanner(share: list[str], number: int) -> None:
        mine, counted = [], {}
        host, port = urls[number % len(urls)].removeprefix("http://").split(":")
        path = f"/api/v1/events/{SLUG}/checkins/"
        headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
        # The standard library's HTTP client: a scanner is a phone, not a server process, and
        # the lighter the load generator, the more of this machine's two cores the server has.
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        try:
            # Warm the connection so the measurement is of scans, not of TCP set-up.
            connection.request("GET", "/healthz")
            connection.getresponse().read()
            barrier.wait()
            for index, code in enumerate(share):
                if interval is None:
                    started = time.perf_counter()
                else:
                    started = start_at[0] + (index + number / CLIENTS) * interval
                    pause = started - time.perf_counter()
                    if pause > 0:
                        time.sleep(pause)
                body = json.dumps(
                    {
                        "code": code,
                        "list": list_slug,
                        "type": "entry",
                        "nonce": uuid.uuid4().hex,
                        "gate": f"gate-{number}",
                    }
                )
                connection.request("POST", path, body=body, headers=headers)
                response = connection.getresponse()
                answer = response.read()
                mine.append(time.perf_counter() - started)
                try:
                    reason = json.loads(answer).get("reason", "ok")
                except ValueError:
                    reason = f"http_{response.status}"
                counted[reason] = counted.get(reason, 0) + 1
        finally:
            connection.close()
        with lock:
            latencies.extend(mine)
            for reason, count in counted.items():
                outcomes[reason] = outcomes.get(reason, 0) + count

    threads = [threading.Thread(target=scanner, args=(s, n)) for n, s in enumerate(shares)]
    # The load generator's own garbage collection would stall all 20 scanners at once and be
    # counted as server latency: it is off while they run.
    gc.collect()
    gc.disable()
    try:
        for thread in threads:
            thread.start()
        barrier.wait()
        started = time.perf_counter()
        for thread in threads:
            thread.join()
    finally:
        gc.enable()
    return latencies, outcomes, time.perf_counter() - started


def with_repeats(codes: list[str]) -> list[str]:
    scans = codes + random.sample(codes, len(codes) // 10)
    random.shuffle(scans)
    return scans


def summary(latencies: list[float], elapsed: float) -> tuple[float, float, float]:
    latencies = sorted(latencies)
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[max(0, int(len(latencies) * 0.99) - 1)] * 1000
    return len(latencies) / elapsed, p50, p99


def server_cpu(pid: int) -> float:
    """CPU seconds (user + system) a server process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def postgres_cpu(database: str) -> float:
    """CPU seconds used so far by this PostgreSQL server's connections to the bench's database
    and by its WAL writer, checkpointer and background writer (0 when the server runs
    elsewhere): the database shares the cores with daphne here. Other databases' connections
    are left out."""
    total = 0.0
    wanted = (f" {database} ", "walwriter", "checkpointer", "background writer")
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            stat = (proc / "stat").read_text()
        except OSError:
            continue
        if not command.startswith("postgres:") or not any(w in command for w in wanted):
            continue
        fields = stat.rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def double_entries(database_url: str) -> int:
    """Tickets with two successful entries on one list and no exit between them: an entry
    after an exit is allowed, and the bench never scans an exit."""
    with psycopg.connect(database_url) as connection:
        return connection.execute(
            """
            SELECT count(*) FROM (
                SELECT c.ticket_id, c.checkin_list_id FROM events_checkin c
                JOIN events_checkinlist l ON l.id = c.checkin_list_id
                JOIN events_edition e ON e.id = l.edition_id
                WHERE e.slug = %s AND c.successful AND c.type = 'entry'
                GROUP BY c.ticket_id, c.checkin_list_id HAVING count(*) > 1
            ) doubles
            """,
            [SLUG],
        ).fetchone()[0]


def main() -> None:
    sys.path.insert(0, str(ROOT))
    database_url = bench_database_url(script="bench/checkin.py", suffix="bench_checkin")
    os.environ["DATABASE_URL"] = database_url
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    token, codes = prepare()
    logging.getLogger("httpx").setLevel(logging.WARNING)
    servers, urls = start_servers(database_url)
    cpu_before = [server_cpu(server.pid) for server in servers]
    database = database_url.rsplit("/", 1)[1]
    postgres_before = postgres_cpu(database)
    client_before = time.process_time()
    steady_codes = random.sample(codes, min(len(codes), int(STEADY_SCANS / 1.1)))
    try:
        rush = run(urls, token, with_repeats(codes), list_slug="gate", interval=None)
        server_seconds = sum(
            server_cpu(server.pid) - before
            for server, before in zip(servers, cpu_before, strict=True)
        )
        client_seconds = time.process_time() - client_before
        postgres_seconds = postgres_cpu(database) - postgres_before
        steady = run(
            urls, token, with_repeats(steady_codes), list_slug="gate-2", interval=CLIENTS / RATE
        )
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=10)
    doubles = double_entries(database_url)
    rush_rate, rush_p50, rush_p99 = summary(rush[0], rush[2])
    steady_rate, steady_p50, steady_p99 = summary(steady[0], steady[2])
    scans = len(rush[0])
    print(f"tickets {len(codes)}, clients {CLIENTS}, daphne workers {WORKERS}")
    print(
        f"gate rush, back to back: {scans} scans in {rush[2]:.1f} s, "
        f"outcomes {dict(sorted(rush[1].items()))}"
    )
    print(
        f"  throughput {rush_rate:.0f} scans/s   latency p50 {rush_p50:.1f} ms   "
        f"p99 {rush_p99:.1f} ms (saturated)"
    )
    print(
        f"  CPU per scan: daphne {server_seconds / scans * 1000:.1f} ms, "
        f"PostgreSQL {postgres_seconds / scans * 1000:.1f} ms, "
        f"load-generating clients {client_seconds / scans * 1000:.1f} ms"
    )
    print(
        f"steady {RATE:.0f} scans/s offered: {len(steady[0])} scans in {steady[2]:.1f} s, "
        f"outcomes {dict(sorted(steady[1].items()))}"
    )
    print(
        f"  achieved {steady_rate:.0f} scans/s   latency p50 {steady_p50:.1f} ms   "
        f"p99 {steady_p99:.1f} ms"
    )
    print(f"tickets with two successful entries on a list: {doubles}")
    all_ok = rush[1].get("ok") == len(codes) and steady[1].get("ok") == len(steady_codes)
    targets = (
        rush_rate >= 200
        and steady_rate >= 0.97 * RATE
        and steady_p99 < 100
        and doubles == 0
        and all_ok
    )
    verdict = "met" if targets else "MISSED"
    print(
        f"targets (>= 200 scans/s, p99 < 100 ms at {RATE:.0f} scans/s, no double entry, "
        f"every ticket admitted once): {verdict}"
    )


if __name__ == "__main__":
    main()
