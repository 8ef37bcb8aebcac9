"""Simultaneous accepts from real threads on PostgreSQL: the schedule stays valid and every
loser gets a clear 409."""

import datetime as dt
import threading
from collections import Counter

import pytest
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.errors import ApplicationError
from events.models import Meeting, MeetingParticipant, MeetingSlot, MeetingStatus, SlotOccupancy
from events.services import meetings as svc

from .factories import EditionFactory, meeting_programme_with_slots, opted_in_participant

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 5


def _race(work, count=THREADS):
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(i):
        try:
            barrier.wait(timeout=10)
            results[i] = work(i)
        except Exception as error:  # noqa: BLE001 - the outcome is what the test inspects
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.fixture
def world():
    from tests.accounts.factories import UserFactory

    organiser = UserFactory(roles=["organiser"])
    edition = EditionFactory(organisers=[organiser])
    return edition, organiser


def test_concurrent_accepts_of_the_last_common_slot_one_wins_rest_409(world):
    edition, organiser = world
    meeting_programme_with_slots(edition, organiser, ends_at=dt.time(9, 20), tables=THREADS)
    (slot,) = MeetingSlot.objects.filter(edition=edition)
    requester = opted_in_participant(edition)
    recipients = [opted_in_participant(edition) for _ in range(THREADS)]
    meetings = [svc.meeting_request(requester=requester, recipient=r) for r in recipients]

    def accept(i):
        client = APIClient()
        client.force_authenticate(recipients[i].user)
        url = reverse("api-event-meeting-accept", args=[edition.slug, meetings[i].pk])
        response = client.post(url, {}, format="json", HTTP_ACCEPT_LANGUAGE="en")
        return response.status_code, response.json()

    results = _race(accept)
    codes = Counter(status for status, _body in results)
    assert codes == Counter({200: 1, 409: THREADS - 1})
    losers = [body for status, body in results if status == 409]
    assert {(b["reason"], b["detail"]) for b in losers} == {
        ("no_common_free_slot", "You have no free slot in common any more.")
    }
    assert Meeting.objects.filter(status=MeetingStatus.SCHEDULED).count() == 1
    assert SlotOccupancy.objects.filter(participant=requester, slot=slot).count() == 1
    assert MeetingParticipant.objects.get(pk=requester.pk).meetings_count == 1


def test_concurrent_accepts_at_limit_one_wins_rest_409(world):
    edition, organiser = world
    meeting_programme_with_slots(
        edition, organiser, ends_at=dt.time(11, 0), max_meetings_per_participant=1
    )
    slots = list(MeetingSlot.objects.filter(edition=edition).order_by("starts_at"))
    requester = opted_in_participant(edition)
    recipients = [opted_in_participant(edition) for _ in range(THREADS)]
    meetings = [
        svc.meeting_request(requester=requester, recipient=r, slot=slots[i])
        for i, r in enumerate(recipients)
    ]

    def accept(i):
        return svc.meeting_accept(meeting=meetings[i], actor=recipients[i].user).status

    results = _race(accept)
    assert results.count(MeetingStatus.SCHEDULED) == 1
    errors = [r for r in results if isinstance(r, ApplicationError)]
    assert [(e.code, e.status) for e in errors] == [("limit_reached", 409)] * (THREADS - 1)
    assert MeetingParticipant.objects.get(pk=requester.pk).meetings_count == 1


def test_concurrent_accepts_for_one_table_never_double_book_it(world):
    edition, organiser = world
    meeting_programme_with_slots(edition, organiser, ends_at=dt.time(9, 20), tables=1)
    (slot,) = MeetingSlot.objects.filter(edition=edition)
    pairs = [(opted_in_participant(edition), opted_in_participant(edition)) for _ in range(THREADS)]
    meetings = [svc.meeting_request(requester=a, recipient=b, slot=slot) for a, b in pairs]

    def accept(i):
        return svc.meeting_accept(meeting=meetings[i], actor=pairs[i][1].user).status

    results = _race(accept)
    assert Counter(results) == Counter(
        {MeetingStatus.SCHEDULED: 1, MeetingStatus.ACCEPTED_UNSCHEDULED: THREADS - 1}
    )
    assert Meeting.objects.filter(slot=slot, location__isnull=False).count() == 1
