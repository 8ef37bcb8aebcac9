"""The organiser pages' writes racing other requests, on PostgreSQL with real threads.

Two organisers issuing to the same phones at the same moment: the one-ticket-per-phone index
decides, and the loser is told, not handed the winner's ticket. An organiser deleting a check-in
list while a gate scans on it: the append-only scan log must never lose a row nor point at a
list that is gone."""

import threading
import time
from contextlib import contextmanager

import pytest
from django.db import connection, transaction
from rest_framework.test import APIClient

from accounts.errors import ApplicationError
from events.models import Checkin, CheckinList, Ticket
from events.services.organiser import (
    checkin_list_delete,
    issued_ticket_create,
    issued_tickets_import_csv,
)
from events.services.tickets import Attendee
from tests.accounts.factories import UserFactory

from .factories import CheckinListFactory, EditionFactory, TicketFactory


def _at_once(*jobs) -> list:
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def run(number, job):
        try:
            barrier.wait()
            results[number] = job()
        except ApplicationError as exc:
            results[number] = exc.code
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_organisers_issue_to_one_phone_at_once():
    organisers = [UserFactory(roles=["organiser"]) for _ in range(2)]
    edition = EditionFactory(organisers=organisers)

    def issue(organiser, type, name):
        return lambda: issued_ticket_create(
            edition=edition,
            attendee=Attendee(name=name, phone="0912345678"),
            type=type,
            organiser=organiser,
        )

    results = _at_once(
        issue(organisers[0], "press", "Phạm Thị Báo"),
        issue(organisers[1], "vip", "Ông Khách Quý"),
    )

    ticket = Ticket.objects.get()
    assert sorted(r if isinstance(r, str) else "issued" for r in results) == [
        "issued",
        "phone_taken",
    ]
    assert [r for r in results if isinstance(r, Ticket)] == [ticket]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_files_sharing_phones_at_once_one_is_imported_whole_the_other_not_at_all():
    organisers = [UserFactory(roles=["organiser"]) for _ in range(2)]
    edition = EditionFactory(organisers=organisers)
    first = "name,phone,type\nA Một,0912000001,press\nA Hai,0912000002,press\nA Ba,0912000003,vip\n"
    second = (
        "name,phone,type\nB Ba,0912000003,vip\nB Hai,0912000002,speaker\nB Bốn,0912000004,vip\n"
    )

    def load(organiser, text):
        return lambda: issued_tickets_import_csv(edition=edition, text=text, organiser=organiser)

    results = _at_once(load(organisers[0], first), load(organisers[1], second))

    imported = [r for r in results if not r.errors]
    refused = [r for r in results if r.errors]
    assert (len(imported), len(refused)) == (1, 1)
    assert len(refused[0].errors) == 1
    assert refused[0].tickets == []
    names = sorted(Ticket.objects.values_list("name", flat=True))
    assert names == sorted(ticket.name for ticket in imported[0].tickets)
    assert len(names) == 3
    assert {name[0] for name in names} in ({"A"}, {"B"})


# --- Deleting a check-in list while a gate scans on it ----------------------------------------


def _in_thread(job) -> tuple[threading.Thread, dict]:
    """Run job in a thread of its own (its own database connection); the dict gets its
    "result" or the "error" it raised."""
    outcome: dict = {}

    def run():
        try:
            outcome["result"] = job()
        except Exception as exc:  # whatever came out is what the test looks at
            outcome["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


@contextmanager
def _row_locked(model, pk: int):
    """Hold a FOR UPDATE lock on one row from another connection until the block ends: the
    requests that need the row wait at a known point, which makes an interleaving repeatable
    without touching the code under test."""
    locked, release = threading.Event(), threading.Event()

    def hold():
        with transaction.atomic():
            model.objects.select_for_update().get(pk=pk)
            locked.set()
            release.wait(timeout=30)

    thread, outcome = _in_thread(hold)
    assert locked.wait(timeout=10), outcome
    try:
        yield
    finally:
        release.set()
        thread.join(timeout=30)


def _wait_for_lock_waiters(count: int) -> None:
    deadline = time.monotonic() + 10
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            (waiting,) = cursor.fetchone()
        if waiting >= count:
            return
        assert time.monotonic() < deadline, f"{waiting} of {count} requests wait on a lock"
        time.sleep(0.02)


def _gate_scan(*, user, edition, checkin_list, ticket):
    def scan():
        api = APIClient()
        api.force_authenticate(user)
        return api.post(
            f"/api/v1/events/{edition.slug}/checkins/",
            {"code": ticket.code, "list": checkin_list.slug, "type": "entry", "nonce": "gate-1"},
            format="json",
        )

    return scan


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_scan_logged_while_the_list_is_deleted_lands_and_the_delete_is_refused():
    """The scan has written its log row and is committing (its foreign key check waits for the
    list row) when the organiser deletes the list: the delete's row lock waits for the scan,
    then sees its row and refuses. Without that lock the delete would not see the uncommitted
    row, and its own foreign key check would fail with an IntegrityError at commit."""
    organiser = UserFactory(roles=["organiser"])
    edition = EditionFactory(organisers=[organiser])
    gate = CheckinListFactory(edition=edition, name="Cổng chính")
    ticket = TicketFactory(edition=edition)

    with _row_locked(CheckinList, gate.pk):
        scanning, scan = _in_thread(
            _gate_scan(user=organiser, edition=edition, checkin_list=gate, ticket=ticket)
        )
        _wait_for_lock_waiters(1)
        deleting, delete = _in_thread(
            lambda: checkin_list_delete(checkin_list=gate, organiser=organiser)
        )
        _wait_for_lock_waiters(2)
    scanning.join(timeout=30)
    deleting.join(timeout=30)

    assert "error" not in scan, scan
    assert (scan["result"].status_code, scan["result"].json()["status"]) == (201, "ok")
    assert isinstance(delete.get("error"), ApplicationError), delete
    assert (delete["error"].code, delete["error"].status) == ("list_scanned", 409)
    assert list(CheckinList.objects.values_list("pk", flat=True)) == [gate.pk]
    assert list(Checkin.objects.values_list("checkin_list_id", "result")) == [(gate.pk, "ok")]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_list_deleted_while_a_scan_is_deciding_gives_the_gate_a_clean_error():
    """The scan has loaded the list and waits for its ticket's row lock (another gate holds
    it) while the organiser deletes the list, which has no scans yet. The delete wins; the scan
    must then be told the list is gone, not fail with an IntegrityError."""
    organiser = UserFactory(roles=["organiser"])
    edition = EditionFactory(organisers=[organiser])
    gate = CheckinListFactory(edition=edition, name="Cổng phụ")
    ticket = TicketFactory(edition=edition)

    with _row_locked(Ticket, ticket.pk):
        scanning, scan = _in_thread(
            _gate_scan(user=organiser, edition=edition, checkin_list=gate, ticket=ticket)
        )
        _wait_for_lock_waiters(1)
        checkin_list_delete(checkin_list=gate, organiser=organiser)
    scanning.join(timeout=30)

    if "error" in scan:
        raise scan["error"]
    assert (scan["result"].status_code, scan["result"].json()["reason"]) == (404, "unknown_list")
    assert CheckinList.objects.count() == 0
    assert Checkin.objects.count() == 0
