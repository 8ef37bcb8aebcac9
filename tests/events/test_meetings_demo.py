import datetime as dt
import io
from collections import Counter

from django.core.management.color import no_style
from django.db.models import F
from django.utils import timezone

from accounts import demo as accounts_demo
from events import demo
from events.models import (
    Meeting,
    MeetingBlock,
    MeetingParticipant,
    MeetingProgramme,
    MeetingSlot,
    SlotOccupancy,
)
from marketplace import demo as marketplace_demo
from marketplace.models import Inquiry


def run_seed():
    for module in (accounts_demo, marketplace_demo, demo):
        module.seed(stdout=io.StringIO(), style=no_style())


def test_demo_meetings_every_state_published_and_idempotent(db):
    run_seed()
    programme = MeetingProgramme.objects.get(edition__slug=demo.SLUG)
    statuses = Counter(Meeting.objects.values_list("status", flat=True))
    assert statuses == Counter(
        {
            "held": 1,
            "no_show": 1,
            "scheduled": 2,
            "accepted_unscheduled": 1,
            "pending": 3,
            "declined": 1,
            "cancelled": 1,
            "expired": 1,
        }
    )
    assert programme.is_published is True
    held = Meeting.objects.get(status="held")
    assert held.inquiry == Inquiry.objects.get(pk=held.inquiry_id)
    counts = (
        MeetingParticipant.objects.count(),
        Meeting.objects.count(),
        MeetingSlot.objects.count(),
        SlotOccupancy.objects.count(),
    )
    assert counts == (6, 11, 18, 2 * 7)
    # A run on a later day moves the programme to the fair's new dates.
    day = dt.timedelta(days=1)
    MeetingBlock.objects.update(day=F("day") - day)
    for slot in MeetingSlot.objects.order_by("starts_at"):  # earliest first: never overlaps
        MeetingSlot.objects.filter(pk=slot.pk).update(
            starts_at=F("starts_at") - day, ends_at=F("ends_at") - day
        )

    run_seed()

    assert MeetingBlock.objects.order_by("day").first().day == timezone.localdate()
    assert timezone.localtime(MeetingSlot.objects.first().starts_at).date() == (
        timezone.localdate()
    )

    assert (
        MeetingParticipant.objects.count(),
        Meeting.objects.count(),
        MeetingSlot.objects.count(),
        SlotOccupancy.objects.count(),
    ) == counts
