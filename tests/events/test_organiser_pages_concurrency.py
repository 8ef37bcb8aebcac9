"""Two organisers issuing to the same phones at the same moment, on PostgreSQL with real threads:
the one-ticket-per-phone index decides, and the loser is told, not handed the winner's ticket."""

import threading

import pytest
from django.db import connection

from accounts.errors import ApplicationError
from events.models import Ticket
from events.services.organiser import issued_ticket_create, issued_tickets_import_csv
from events.services.tickets import Attendee
from tests.accounts.factories import UserFactory

from .factories import EditionFactory


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
