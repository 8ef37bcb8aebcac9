"""The meetings services push over the participants' websockets once their transaction
commits: a request reaches the recipient, an accept reaches both sides, taken slots reach
every open page of the edition, and the organiser's dashboard recomputes its figures."""

import datetime as dt

import pytest
from channels.db import database_sync_to_async
from django.utils import timezone

from events.models import MeetingStatus
from events.services.meetings import meeting_accept, meeting_request
from tests.accounts.factories import UserFactory
from tests.servers import run_async

from .factories import (
    EditionFactory,
    MeetingBlockFactory,
    MeetingLocationFactory,
    MeetingParticipantFactory,
    MeetingProgrammeFactory,
    MeetingSlotFactory,
)
from .realtime_helpers import communicator

pytestmark = pytest.mark.django_db(transaction=True)


async def _frames(comm, count: int) -> list[dict]:
    return [await comm.receive_json_from(timeout=5) for _ in range(count)]


def test_request_and_accept_reach_both_sides_the_edition_and_the_dashboard():
    organiser = UserFactory(roles=["organiser"])
    edition = EditionFactory(organisers=[organiser])
    block = MeetingBlockFactory(programme=MeetingProgrammeFactory(edition=edition))
    start = timezone.make_aware(dt.datetime.combine(block.day, dt.time(9, 0)))
    slot = MeetingSlotFactory(block=block, starts_at=start)
    MeetingLocationFactory(edition=edition)
    requester = MeetingParticipantFactory(edition=edition)
    recipient = MeetingParticipantFactory(edition=edition)
    onlooker = MeetingParticipantFactory(edition=edition)
    path = f"/ws/events/{edition.slug}/meetings/"
    sockets = {
        "requester": communicator(path, requester.user),
        "recipient": communicator(path, recipient.user),
        "onlooker": communicator(path, onlooker.user),
        "dashboard": communicator(f"/ws/events/{edition.slug}/dashboard/", organiser),
    }
    state = {}

    def request():
        state["meeting"] = meeting_request(requester=requester, recipient=recipient, slot=slot)

    def accept():
        meeting_accept(meeting=state["meeting"], actor=recipient.user)

    async def scenario():
        got = {name: [] for name in sockets}
        for comm in sockets.values():
            await comm.connect(timeout=5)
            await comm.receive_json_from(timeout=5)  # hello, or the first figures
        await database_sync_to_async(request)()
        got["recipient"] += await _frames(sockets["recipient"], 2)
        got["requester"] += await _frames(sockets["requester"], 1)
        got["onlooker"] += await _frames(sockets["onlooker"], 1)
        got["dashboard"] += await _frames(sockets["dashboard"], 1)
        await database_sync_to_async(accept)()
        got["requester"] += await _frames(sockets["requester"], 2)
        got["recipient"] += await _frames(sockets["recipient"], 2)
        got["dashboard"] += await _frames(sockets["dashboard"], 1)
        for comm in sockets.values():
            await comm.disconnect()
        return got

    got = run_async(scenario())
    meeting = state["meeting"]
    meeting.refresh_from_db()

    taken = {
        "event": "slots.changed",
        "payload": {
            "participant_ids": sorted([requester.pk, recipient.pk]),
            "slot_ids": [slot.pk],
        },
    }
    assert sorted(f["event"] for f in got["recipient"]) == [
        "meeting.scheduled",
        "request.answered",
        "request.new",
        "slots.changed",
    ]
    assert taken in got["recipient"]
    assert got["onlooker"] == [taken]
    new = next(f for f in got["recipient"] if f["event"] == "request.new")
    assert new["payload"]["meeting_id"] == meeting.pk
    assert [f["event"] for f in got["requester"]] == [
        "slots.changed",
        "request.answered",
        "meeting.scheduled",
    ]
    scheduled = got["requester"][2]["payload"]
    assert (scheduled["meeting_id"], scheduled["status"], scheduled["slot_id"]) == (
        meeting.pk,
        MeetingStatus.SCHEDULED,
        slot.pk,
    )
    assert meeting.status == MeetingStatus.SCHEDULED
    requested, accepted = (f["payload"]["meetings"] for f in got["dashboard"])
    assert (requested["requested"], requested["pending"], requested["accepted"]) == (1, 1, 0)
    assert (accepted["requested"], accepted["pending"], accepted["accepted"]) == (1, 0, 1)
