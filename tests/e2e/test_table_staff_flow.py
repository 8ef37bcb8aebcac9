"""Table staff on a 360 px phone in headless Chromium: a volunteer put on table 1's staff signs
in from the fair's B2B meetings link, follows the meetings navigation to the page of today's
meetings at their tables, looks at tomorrow's, comes back to today and marks the meeting under way
held (plain links and form posts, no JavaScript needed) and sees it marked, still on that day."""

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
    """A meeting at table 1 in a slot that began five minutes ago, and one at table 1 tomorrow
    (the programme's second slot, 09:20 local on the fair's second day)."""
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
    c = opted_in_participant(edition)
    d = opted_in_participant(edition)
    tomorrow_slot = MeetingSlot.objects.filter(edition=edition).order_by("starts_at")[1]
    tomorrow = svc.meeting_accept(
        meeting=svc.meeting_request(requester=c, recipient=d, slot=tomorrow_slot, now=earlier),
        actor=d.user,
        now=earlier,
    )
    assert tomorrow.location == meeting.location
    assert timezone.localdate(tomorrow_slot.starts_at) == edition.start_date + dt.timedelta(days=1)
    return meeting, tomorrow


def test_table_staff_signs_in_and_marks_meeting_held(
    browser, live_server, meeting_under_way, artifacts_dir
):
    meeting, tomorrow_meeting = meeting_under_way
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
    slug = meeting.edition.slug
    table_page = reverse("events:meetings_table_staff", args=[slug])
    today = timezone.localdate(meeting.slot.starts_at)
    tomorrow = today + dt.timedelta(days=1)
    assert today == meeting.edition.start_date

    # The fair's link to the meetings: without a meeting profile, the profile page, whose
    # navigation offers the table staff page.
    page.goto(f"{reverse('account_login')}?next={reverse('events:meetings_agenda', args=[slug])}")
    page.fill("input[name=login]", "tinh.nguyen@example.vn")
    page.fill("input[name=password]", PASSWORD)
    page.locator("form:has(input[name=password]) [type=submit]").click()
    page.wait_for_url(re.compile(re.escape(reverse("events:meetings_profile", args=[slug])) + "$"))
    link = page.get_by_test_id("table-staff-link")
    assert link.inner_text() == "Cuộc gặp tại bàn của tôi"
    link.click()
    page.wait_for_url(re.compile(re.escape(table_page) + "$"))

    days = page.get_by_test_id("fair-days").locator("a")
    assert days.evaluate_all("links => links.map(a => a.getAttribute('href'))") == [
        f"?ngay={meeting.edition.start_date + dt.timedelta(days=n)}" for n in range(3)
    ]
    assert page.locator('[aria-current="page"]').get_attribute("href") == f"?ngay={today}"
    assert page.locator("[data-meeting-id]").count() == 1

    page.locator(f'[data-testid="fair-days"] a[href="?ngay={tomorrow}"]').click()
    page.wait_for_url(re.compile(re.escape(f"{table_page}?ngay={tomorrow}") + "$"))
    assert page.locator("[data-meeting-id]").count() == 1
    later = page.locator(f'[data-meeting-id="{tomorrow_meeting.pk}"]')
    assert tomorrow_meeting.requester.display_name in later.inner_text()
    assert later.get_by_text("Có thể ghi nhận khi cuộc gặp đã bắt đầu.").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.locator(f'[data-testid="fair-days"] a[href="?ngay={today}"]').click()
    today_page = f"{table_page}?ngay={today}"
    page.wait_for_url(re.compile(re.escape(today_page) + "$"))
    card = page.locator(f'[data-meeting-id="{meeting.pk}"]')
    assert card.get_by_test_id("meeting-status").inner_text() == "Đã xếp lịch"
    assert meeting.requester.display_name in card.inner_text()
    assert meeting.recipient.organisation_name in card.inner_text()
    # Nothing sticks out sideways on a 360 px screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    # The form posts back to the very address it is on: wait for that navigation, not the URL.
    with page.expect_navigation(url=re.compile(re.escape(today_page) + "$")):
        card.get_by_role("button", name="Đã gặp").click()
    card = page.locator(f'[data-meeting-id="{meeting.pk}"]')
    assert card.get_by_test_id("meeting-status").inner_text() == "Đã gặp"
    assert card.get_by_role("button", name="Đã gặp").is_disabled()
    page.screenshot(path=str(artifacts_dir / "table-staff.png"), full_page=True)
    assert page.get_by_text("Đã ghi nhận tham dự.").count() == 1
    meeting.refresh_from_db()
    assert (meeting.status, meeting.attendance_marked_by) == (MeetingStatus.HELD, staff)
    context.close()
    assert Meeting.objects.filter(status=MeetingStatus.HELD).count() == 1
