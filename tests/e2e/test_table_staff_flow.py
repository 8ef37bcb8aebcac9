"""Table staff on a 360 px phone in headless Chromium: a volunteer put on table 1's staff signs
in, opens the page of today's meetings at their tables, marks the meeting under way held (a
plain form post, no JavaScript needed) and sees it marked."""

import datetime as dt
import os
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Meeting, MeetingLocation, MeetingSlot, MeetingStatus
from events.services import meetings as svc
from tests.accounts.factories import PASSWORD, UserFactory
from tests.events.factories import (
    EditionFactory,
    meeting_programme_with_slots,
    opted_in_participant,
)

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def meeting_under_way():
    """A meeting at table 1 in a slot that began five minutes ago."""
    organiser = UserFactory(roles=["organiser"])
    edition = EditionFactory(organisers=[organiser])
    meeting_programme_with_slots(edition, organiser, tables=2)
    slot = MeetingSlot.objects.filter(edition=edition).order_by("starts_at").first()
    local = timezone.localtime()
    if local.hour == 0 and local.minute < 10:
        pytest.skip("the slot would start yesterday (the page shows one day)")
    slot.starts_at = timezone.now() - dt.timedelta(minutes=5)
    slot.ends_at = slot.starts_at + dt.timedelta(minutes=20)
    slot.save(update_fields=["starts_at", "ends_at"])
    a = opted_in_participant(edition)
    b = opted_in_participant(edition)
    earlier = timezone.now() - dt.timedelta(hours=1)
    meeting = svc.meeting_accept(
        meeting=svc.meeting_request(requester=a, recipient=b, slot=slot, now=earlier),
        actor=b.user,
        now=earlier,
    )
    assert meeting.location == MeetingLocation.objects.get(edition=edition, number=1)
    return meeting


def test_table_staff_signs_in_and_marks_meeting_held(
    browser, live_server, meeting_under_way, artifacts_dir
):
    meeting = meeting_under_way
    staff = UserFactory(email="tinh.nguyen@example.vn")
    svc.location_staff_add(
        location=meeting.location,
        organiser=meeting.edition.organisers.get(),
        email="tinh.nguyen@example.vn",
    )
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="vi-VN", base_url=live_server.url
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    table_page = reverse("events:meetings_table_staff", args=[meeting.edition.slug])

    page.goto(f"{reverse('account_login')}?next={table_page}")
    page.fill("input[name=login]", "tinh.nguyen@example.vn")
    page.fill("input[name=password]", PASSWORD)
    page.locator("form:has(input[name=password]) [type=submit]").click()
    page.wait_for_url(re.compile(re.escape(table_page) + "$"))

    card = page.locator(f'[data-meeting-id="{meeting.pk}"]')
    assert card.get_by_test_id("meeting-status").inner_text() == "Đã xếp lịch"
    assert meeting.requester.display_name in card.inner_text()
    assert meeting.recipient.organisation_name in card.inner_text()
    # Nothing sticks out sideways on a 360 px screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    card.get_by_role("button", name="Đã gặp").click()
    page.wait_for_url(re.compile(re.escape(table_page) + "$"))
    card = page.locator(f'[data-meeting-id="{meeting.pk}"]')
    assert card.get_by_test_id("meeting-status").inner_text() == "Đã gặp"
    assert card.get_by_role("button", name="Đã gặp").is_disabled()
    page.screenshot(path=str(artifacts_dir / "table-staff.png"), full_page=True)
    assert page.get_by_text("Đã ghi nhận tham dự.").count() == 1
    meeting.refresh_from_db()
    assert (meeting.status, meeting.attendance_marked_by) == (MeetingStatus.HELD, staff)
    context.close()
    assert Meeting.objects.filter(status=MeetingStatus.HELD).count() == 1
