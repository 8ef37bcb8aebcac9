"""The schedule's invariants hold in the database even when the services are bypassed."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from events.models import Meeting, MeetingStatus, SlotOccupancy

from .factories import (
    EditionFactory,
    MeetingLocationFactory,
    MeetingParticipantFactory,
    MeetingProgrammeFactory,
    MeetingSlotFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    edition = EditionFactory()
    programme = MeetingProgrammeFactory(edition=edition)
    slot = MeetingSlotFactory(block__programme=programme)
    a = MeetingParticipantFactory(edition=edition)
    b = MeetingParticipantFactory(edition=edition)
    c = MeetingParticipantFactory(edition=edition)
    table = MeetingLocationFactory(edition=edition)
    return edition, slot, a, b, c, table


def _meeting(edition, a, b, slot, **kwargs):
    fields = {"status": MeetingStatus.SCHEDULED, "expires_at": None} | kwargs
    return Meeting.objects.create(edition=edition, requester=a, recipient=b, slot=slot, **fields)


def test_occupancy_participant_twice_in_one_slot_refused(world):
    edition, slot, a, b, c, _table = world
    first = _meeting(edition, a, b, slot)
    second = _meeting(edition, a, c, slot, status=MeetingStatus.ACCEPTED_UNSCHEDULED)
    SlotOccupancy.objects.create(participant=a, slot=slot, meeting=first)
    with pytest.raises(IntegrityError), transaction.atomic():
        SlotOccupancy.objects.create(participant=a, slot=slot, meeting=second)


def test_location_two_meetings_in_one_slot_refused(world):
    edition, slot, a, b, c, table = world
    d = MeetingParticipantFactory(edition=edition)
    _meeting(edition, a, b, slot, location=table)
    with pytest.raises(IntegrityError), transaction.atomic():
        _meeting(edition, c, d, slot, location=table)


def test_location_reused_after_cancellation(world):
    edition, slot, a, b, c, table = world
    d = MeetingParticipantFactory(edition=edition)
    _meeting(edition, a, b, slot, location=table, status=MeetingStatus.CANCELLED)
    second = _meeting(edition, c, d, slot, location=table)
    assert Meeting.objects.filter(location=table, slot=slot).count() == 2
    assert second.status == MeetingStatus.SCHEDULED


def test_participant_beyond_limit_refused(world):
    _edition, _slot, a, _b, _c, _table = world
    a.meetings_count = 5
    a.save()
    a.meetings_count = 6
    with pytest.raises(IntegrityError), transaction.atomic():
        a.save()


def test_meeting_with_oneself_refused(world):
    edition, slot, a, _b, _c, _table = world
    with pytest.raises(IntegrityError), transaction.atomic():
        _meeting(edition, a, a, slot)


def test_pending_without_expiry_refused(world):
    edition, slot, a, b, _c, _table = world
    with pytest.raises(IntegrityError), transaction.atomic():
        _meeting(edition, a, b, slot, status=MeetingStatus.PENDING)


def test_programme_expiry_outside_range_refused():
    edition = EditionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingProgrammeFactory(edition=edition, request_expiry_minutes=14)
    MeetingProgrammeFactory(edition=edition, request_expiry_minutes=10 * 24 * 60)


def test_slot_times_ordered(world):
    _edition, slot, *_ = world
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingSlotFactory(
            block=slot.block,
            starts_at=slot.starts_at + dt.timedelta(hours=1),
            ends_at=slot.starts_at,
        )


@pytest.mark.postgres
def test_overlapping_slots_refused_on_postgresql(world):
    _edition, slot, *_ = world
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingSlotFactory(
            block=slot.block,
            starts_at=slot.starts_at + dt.timedelta(minutes=10),
            ends_at=slot.ends_at + dt.timedelta(minutes=10),
        )
    after = MeetingSlotFactory(
        block=slot.block, starts_at=slot.ends_at, ends_at=slot.ends_at + dt.timedelta(minutes=20)
    )
    assert after.starts_at == slot.ends_at
