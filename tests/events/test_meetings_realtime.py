"""events.realtime: the contract the meetings services call. Sends reach the channel layer only
after the transaction commits, never for a rolled-back change, and never raise into the caller."""

import asyncio

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import connection, transaction

from events import realtime
from tests.servers import run_async

pytestmark = pytest.mark.django_db


async def _listen(group: str, action, timeout: float = 2.0) -> list[dict]:
    """Join `group` on a fresh channel, run `action` (sync) and collect what arrives."""
    from asgiref.sync import sync_to_async

    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add(group, channel)
    await sync_to_async(action)()
    received = []
    try:
        while True:
            received.append(await asyncio.wait_for(layer.receive(channel), timeout))
            timeout = 0.3
    except TimeoutError:
        pass
    await layer.group_discard(group, channel)
    return received


def test_group_names_are_distinct_and_stable():
    assert realtime.participant_group(3, 17) == "meetings.3.participant.17"
    assert realtime.dashboard_group(3) == "meetings.3.dashboard"
    assert realtime.edition_slots_group(3) == "meetings.3.slots"


def test_notify_participant_sends_after_commit(django_capture_on_commit_callbacks):

    def action():
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            with transaction.atomic():
                realtime.notify_participant(
                    edition_id=3,
                    participant_id=17,
                    event="meeting.scheduled",
                    payload={"meeting_id": 5, "html": "<li>10:20</li>"},
                )
        assert len(callbacks) == 1

    received = async_to_sync(_listen)("meetings.3.participant.17", action)
    assert received == [
        {
            "type": "meetings.event",
            "event": "meeting.scheduled",
            "payload": {"meeting_id": 5, "html": "<li>10:20</li>"},
        }
    ]


@pytest.mark.django_db(transaction=True)
def test_notify_participant_rolled_back_sends_nothing():
    def action():
        try:
            with transaction.atomic():
                realtime.notify_participant(
                    edition_id=3, participant_id=17, event="request.new", payload={"id": 1}
                )
                raise RuntimeError("roll back")
        except RuntimeError:
            pass
        # A committed one afterwards proves the listener was listening.
        with transaction.atomic():
            realtime.notify_participant(
                edition_id=3, participant_id=17, event="request.answered", payload={"id": 2}
            )

    received = async_to_sync(_listen)("meetings.3.participant.17", action)
    assert [m["event"] for m in received] == ["request.answered"]
    assert received[0]["payload"] == {"id": 2}


def test_notify_participant_refuses_unknown_event(django_capture_on_commit_callbacks, caplog):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        realtime.notify_participant(edition_id=1, participant_id=1, event="bogus", payload={})
    assert callbacks == []
    assert "unknown participant event 'bogus'" in caplog.text


def test_notify_slots_changed_reaches_the_edition_slots_group(django_capture_on_commit_callbacks):
    def action():
        with django_capture_on_commit_callbacks(execute=True):
            realtime.notify_slots_changed(edition_id=4, participant_ids=[9, 2, 9], slot_ids=[30, 7])

    received = async_to_sync(_listen)("meetings.4.slots", action)
    assert received == [
        {
            "type": "meetings.event",
            "event": "slots.changed",
            "payload": {"participant_ids": [2, 9], "slot_ids": [7, 30]},
        }
    ]


def test_notify_dashboard_reaches_the_dashboard_group(django_capture_on_commit_callbacks):
    def action():
        with django_capture_on_commit_callbacks(execute=True):
            realtime.notify_dashboard(edition_id=4)

    received = async_to_sync(_listen)("meetings.4.dashboard", action)
    assert received == [{"type": "dashboard.refresh"}]


def test_broken_channel_layer_is_logged_not_raised(
    settings, caplog, django_capture_on_commit_callbacks
):
    # A real Redis client aimed at a closed port: the send fails like Redis being down.
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": ["redis://127.0.0.1:9/0"]},
        }
    }
    with django_capture_on_commit_callbacks(execute=True):
        realtime.notify_participant(
            edition_id=1, participant_id=2, event="reminder", payload={"meeting_id": 3}
        )
        realtime.notify_dashboard(edition_id=1)
    assert "could not send meetings.event to meetings.1.participant.2" in caplog.text
    assert "could not send dashboard.refresh to meetings.1.dashboard" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_notify_from_a_thread_running_an_event_loop_still_sends(monkeypatch):
    # Sync code called from a thread whose event loop is running (as under Playwright's sync
    # API, which also relaxes Django's async check) cannot use async_to_sync; the send goes
    # through a helper thread instead.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    async def sync_call_inside_a_loop():
        realtime.notify_participant(
            edition_id=8, participant_id=1, event="reminder", payload={"meeting_id": 4}
        )
        connection.close()  # the one this thread opened, so the test database can be dropped

    received = async_to_sync(_listen)(
        "meetings.8.participant.1", lambda: run_async(sync_call_inside_a_loop())
    )
    assert received == [
        {"type": "meetings.event", "event": "reminder", "payload": {"meeting_id": 4}}
    ]
