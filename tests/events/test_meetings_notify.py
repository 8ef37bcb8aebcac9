"""Every state change reaches the participants' websocket groups through events.realtime, only
after the transaction commits (the real channel layer: in memory, or Redis when REDIS_URL is
set)."""

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from events.models import MeetingSlot
from events.realtime import edition_slots_group, participant_group
from events.services import meetings as svc

from .factories import meeting_programme_with_slots, opted_in_participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(edition, organiser):
    meeting_programme_with_slots(edition, organiser)
    return opted_in_participant(edition), opted_in_participant(edition)


def _listen(group):
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(group, channel)
    return layer, channel


def _drain(layer, channel):
    import asyncio

    async def collect():
        frames = []
        while True:
            try:
                frames.append(await asyncio.wait_for(layer.receive(channel), timeout=0.3))
            except TimeoutError:
                return frames

    return [(f["event"], f["payload"]) for f in async_to_sync(collect)()]


def test_request_and_accept_notify_both_and_the_slot_watchers(
    edition, pair, django_capture_on_commit_callbacks
):
    a, b = pair
    slot = MeetingSlot.objects.filter(edition=edition).order_by("starts_at").first()
    layer, to_b = _listen(participant_group(edition.pk, b.pk))
    _layer, to_a = _listen(participant_group(edition.pk, a.pk))
    _layer, slots = _listen(edition_slots_group(edition.pk))
    with django_capture_on_commit_callbacks(execute=True):
        meeting = svc.meeting_request(requester=a, recipient=b, slot=slot)
    assert _drain(layer, to_b) == [
        ("request.new", {"meeting_id": meeting.pk, "status": "pending", "slot_id": slot.pk})
    ]
    assert _drain(layer, slots) == [
        ("slots.changed", {"participant_ids": sorted([a.pk, b.pk]), "slot_ids": [slot.pk]})
    ]
    with django_capture_on_commit_callbacks(execute=True):
        meeting = svc.meeting_accept(meeting=meeting, actor=b.user)
    events = _drain(layer, to_a)
    assert [e for e, _p in events] == ["request.answered", "meeting.scheduled"]
    assert events[1][1] == {
        "meeting_id": meeting.pk,
        "status": "scheduled",
        "slot_id": slot.pk,
        "location_id": meeting.location_id,
    }


def test_rolled_back_request_notifies_nobody(edition, pair, django_capture_on_commit_callbacks):
    from accounts.errors import ApplicationError

    a, _b = pair
    layer, to_a = _listen(participant_group(edition.pk, a.pk))
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ApplicationError):
        svc.meeting_request(requester=a, recipient=a)
    assert _drain(layer, to_a) == []


def test_reminder_pushed_once_to_both(edition, pair, django_capture_on_commit_callbacks):
    import datetime as dt

    from django.core import mail

    a, b = pair
    slot = MeetingSlot.objects.filter(edition=edition).order_by("starts_at").first()
    meeting = svc.meeting_accept(
        meeting=svc.meeting_request(requester=a, recipient=b, slot=slot), actor=b.user
    )
    layer, to_a = _listen(participant_group(edition.pk, a.pk))
    mail.outbox.clear()
    soon = slot.starts_at - dt.timedelta(minutes=10)
    for _run in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            svc.meetings_send_reminders(now=soon)
    assert _drain(layer, to_a) == [
        (
            "reminder",
            {
                "meeting_id": meeting.pk,
                "status": "scheduled",
                "slot_id": slot.pk,
                "location_id": meeting.location_id,
            },
        )
    ]
    assert sorted(m.subject for m in mail.outbox) == sorted(
        [
            f"Nhắc lịch: gặp {b.display_name} lúc 09:00",
            f"Nhắc lịch: gặp {a.display_name} lúc 09:00",
        ]
    )
