"""/ws/events/<slug>/meetings/: a participant's socket, authenticated by the session, receives
what events.realtime sends to them and to their edition's slots group, after the commit."""

import pytest
from channels.db import database_sync_to_async
from django.db import transaction

from events import realtime
from tests.accounts.factories import UserFactory
from tests.servers import run_async

from .factories import EditionFactory, MeetingParticipantFactory
from .realtime_helpers import close_code, communicator

pytestmark = pytest.mark.django_db(transaction=True)


def test_meetings_socket_closes_4401_without_session_or_participant():
    edition = EditionFactory()
    elsewhere = MeetingParticipantFactory()  # takes part in another edition only
    inactive = MeetingParticipantFactory(edition=edition, is_active=False)
    path = f"/ws/events/{edition.slug}/meetings/"
    comms = [
        communicator(path),
        communicator(path, UserFactory()),
        communicator(path, elsewhere.user),
        communicator(path, inactive.user),
        communicator("/ws/events/no-such-fair/meetings/", inactive.user),
    ]

    async def scenario():
        return [await close_code(comm) for comm in comms]

    assert run_async(scenario()) == [4401, 4401, 4401, 4401, 4401]


def test_meetings_socket_receives_own_events_and_slot_changes_after_commit():
    edition = EditionFactory()
    me = MeetingParticipantFactory(edition=edition)
    partner = MeetingParticipantFactory(edition=edition)
    stranger = MeetingParticipantFactory()  # another edition
    path = f"/ws/events/{edition.slug}/meetings/"
    mine = communicator(path, me.user)
    theirs = communicator(path, partner.user)
    other_fair = communicator(f"/ws/events/{stranger.edition.slug}/meetings/", stranger.user)

    def rolled_back_then_committed():
        try:
            with transaction.atomic():
                realtime.notify_participant(
                    edition_id=edition.pk,
                    participant_id=me.pk,
                    event="meeting.cancelled",
                    payload={"meeting_id": 1},
                )
                raise RuntimeError("roll back")
        except RuntimeError:
            pass
        with transaction.atomic():
            realtime.notify_participant(
                edition_id=edition.pk,
                participant_id=me.pk,
                event="request.new",
                payload={"meeting_id": 7, "html": "<li>Yêu cầu mới</li>"},
            )
            realtime.notify_slots_changed(
                edition_id=edition.pk, participant_ids=[me.pk, partner.pk], slot_ids=[42]
            )

    async def scenario():
        hellos = []
        for comm in (mine, theirs, other_fair):
            connected, _ = await comm.connect(timeout=5)
            assert connected is True
            hellos.append(await comm.receive_json_from(timeout=5))
        await database_sync_to_async(rolled_back_then_committed)()
        mine_got = [await mine.receive_json_from(timeout=5) for _ in range(2)]
        theirs_got = await theirs.receive_json_from(timeout=5)
        quiet = (
            await mine.receive_nothing(timeout=0.3),
            await theirs.receive_nothing(timeout=0.1),
            await other_fair.receive_nothing(timeout=0.1),
        )
        for comm in (mine, theirs, other_fair):
            await comm.disconnect()
        return hellos, mine_got, theirs_got, quiet

    hellos, mine_got, theirs_got, quiet = run_async(scenario())

    assert hellos == [
        {"event": "hello", "payload": {"participant_id": me.pk}},
        {"event": "hello", "payload": {"participant_id": partner.pk}},
        {"event": "hello", "payload": {"participant_id": stranger.pk}},
    ]
    slots = {
        "event": "slots.changed",
        "payload": {"participant_ids": sorted([me.pk, partner.pk]), "slot_ids": [42]},
    }
    assert mine_got == [
        {"event": "request.new", "payload": {"meeting_id": 7, "html": "<li>Yêu cầu mới</li>"}},
        slots,
    ]
    assert theirs_got == slots
    assert quiet == (True, True, True)


def test_meetings_socket_answers_ping():
    participant = MeetingParticipantFactory()
    comm = communicator(f"/ws/events/{participant.edition.slug}/meetings/", participant.user)

    async def scenario():
        await comm.connect(timeout=5)
        await comm.receive_json_from(timeout=5)
        await comm.send_json_to({"event": "ping"})
        answer = await comm.receive_json_from(timeout=5)
        await comm.disconnect()
        return answer

    assert run_async(scenario()) == {"event": "pong", "payload": {}}
