"""B2B meetings in real time, in headless Chromium against daphne (websockets) sharing the
PostgreSQL test database: one participant requests a meeting, the other accepts in another
browser context, and the first sees it appear in their agenda without reloading. A third
person's open page stops offering a slot within a second of it being taken."""

import datetime as dt
import os

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from events.models import Meeting, MeetingStatus
from events.services.meetings import meeting_request
from tests.events.factories import (
    EditionFactory,
    MeetingBlockFactory,
    MeetingLocationFactory,
    MeetingParticipantFactory,
    MeetingProgrammeFactory,
    MeetingSlotFactory,
)
from tests.events.realtime_helpers import session_cookie
from tests.servers import daphne_server, database_url_for_subprocess

# Playwright's sync API runs an event loop in this thread; the test's own ORM calls are sync.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def server():
    """daphne (HTTP and websockets) on the test database; SQLite's in-memory test database
    cannot be shared with another process."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: daphne runs in another process and must share the test "
            "database (set DATABASE_URL)"
        )
    with daphne_server(database_url_for_subprocess()) as base_url:
        yield base_url


@pytest.fixture
def fair():
    edition = EditionFactory()
    programme = MeetingProgrammeFactory(edition=edition)
    block = MeetingBlockFactory(programme=programme)
    start = timezone.make_aware(dt.datetime.combine(block.day, dt.time(9, 0)))
    slots = [
        MeetingSlotFactory(block=block, starts_at=start + dt.timedelta(minutes=20 * n))
        for n in range(3)
    ]
    MeetingLocationFactory(edition=edition, number=12)
    return edition, slots


def _page(browser, base_url, user):
    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="vi-VN")
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session_cookie(user), "url": base_url}]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def _wait_live(page):
    page.wait_for_selector('#meetings-live[data-live-state="open"]', state="attached")


def test_meetings_flow_request_accept_agenda_updates_live(browser, server, fair):
    edition, slots = fair
    requester = MeetingParticipantFactory(edition=edition, display_name="Nguyễn Thị Hỏi")
    recipient = MeetingParticipantFactory(edition=edition, display_name="Trần Văn Nhận")
    base = f"{server}/techmart/{edition.slug}/gap-go"

    # The requester keeps their agenda open in one tab.
    agenda = _page(browser, server, requester.user)
    agenda.goto(f"{base}/lich/")
    _wait_live(agenda)
    agenda.evaluate("window.__notReloaded = true")
    assert agenda.locator('[data-testid="agenda"] [data-meeting-id]').count() == 0

    # The recipient has their requests page open in another browser context.
    answer = _page(browser, server, recipient.user)
    answer.goto(f"{base}/yeu-cau/")
    _wait_live(answer)
    answer.evaluate("window.__notReloaded = true")

    # The requester asks for a meeting in another tab of their browser.
    ask = agenda.context.new_page()
    ask.goto(f"{base}/nguoi/{recipient.pk}/")
    ask.get_by_test_id("request-form").locator("select[name=slot]").select_option(str(slots[1].pk))
    ask.get_by_test_id("request-form").locator("textarea").fill("Gặp để bàn về máy sấy.")
    ask.get_by_test_id("request-form").get_by_role("button").click()
    ask.wait_for_url(f"{base}/yeu-cau/")

    # The request arrives on the recipient's open page without a reload.
    meeting = Meeting.objects.get(requester=requester, recipient=recipient)
    row = answer.get_by_test_id(f"request-{meeting.pk}")
    row.wait_for(timeout=5_000)
    assert answer.evaluate("window.__notReloaded") is True
    assert answer.locator('[data-notice="request.new"]').count() == 1
    row.locator("form[action$='/accept/'] button").click()
    row.locator("form[action$='/accept/']").wait_for(state="detached")

    # The requester's agenda shows the meeting, pushed over the websocket; no reload.
    item = agenda.locator(f'[data-testid="agenda"] [data-meeting-id="{meeting.pk}"]')
    item.wait_for(timeout=5_000)
    assert "Trần Văn Nhận" in item.inner_text()
    assert agenda.evaluate("window.__notReloaded") is True
    assert agenda.locator('[data-notice="meeting.scheduled"]').count() == 1
    meeting.refresh_from_db()
    assert (meeting.status, meeting.slot_id) == (MeetingStatus.SCHEDULED, slots[1].pk)
    for context in browser.contexts:
        context.close()


def test_taken_slot_stops_being_offered_within_a_second(browser, server, fair):
    edition, slots = fair
    watcher = MeetingParticipantFactory(edition=edition)
    busy = MeetingParticipantFactory(edition=edition)
    rival = MeetingParticipantFactory(edition=edition)

    page = _page(browser, server, watcher.user)
    page.goto(f"{server}/techmart/{edition.slug}/gap-go/nguoi/{busy.pk}/")
    _wait_live(page)
    option = page.locator(f'select[name=slot] option[data-slot-id="{slots[0].pk}"]')
    assert option.is_enabled()

    # Someone else takes the busy person's first slot (in this process, through the service).
    meeting_request(requester=rival, recipient=busy, slot=slots[0])

    # Disabled at once by the pushed event, then gone when the slots list is re-fetched.
    page.wait_for_function(
        "id => { const o = document.querySelector("
        '`select[name=slot] option[data-slot-id="${id}"]`); return !o || o.disabled; }',
        arg=slots[0].pk,
        timeout=1_000,
    )
    page.locator(f'select[name=slot] option[data-slot-id="{slots[0].pk}"]').wait_for(
        state="detached", timeout=5_000
    )
    assert page.locator(f'select[name=slot] option[data-slot-id="{slots[1].pk}"]').is_enabled()
    for context in browser.contexts:
        context.close()


def test_live_dashboard_updates_without_reload(browser, server):
    from events.models import CheckinType
    from events.services.checkin import checkin_redeem
    from tests.accounts.factories import UserFactory
    from tests.events.factories import CheckinListFactory, TicketFactory

    organiser = UserFactory(roles=["organiser"])
    edition = EditionFactory(organisers=[organiser])
    gate = CheckinListFactory(edition=edition, staff=[organiser])
    ticket = TicketFactory(edition=edition)
    requester = MeetingParticipantFactory(edition=edition)
    recipient = MeetingParticipantFactory(edition=edition)
    block = MeetingBlockFactory(programme=MeetingProgrammeFactory(edition=edition))
    slot = MeetingSlotFactory(block=block)

    page = _page(browser, server, organiser)
    page.goto(f"{server}/techmart/{edition.slug}/ban-to-chuc/truc-tiep/")
    page.wait_for_selector('#dashboard-live[data-live-state="open"]', state="attached")
    page.evaluate("window.__notReloaded = true")
    assert page.get_by_test_id("live-inside-now").inner_text() == "0"

    checkin_redeem(checkin_list=gate, code=ticket.code, type=CheckinType.ENTRY, scanner=organiser)
    page.get_by_test_id("live-inside-now").filter(has_text="1").wait_for(timeout=5_000)
    meeting_request(requester=requester, recipient=recipient, slot=slot)
    page.get_by_test_id("live-requested").filter(has_text="1").wait_for(timeout=5_000)

    assert page.get_by_test_id("live-hourly").locator("tr td").nth(1).inner_text() == "1"
    assert page.evaluate("window.__notReloaded") is True
    for context in browser.contexts:
        context.close()


def test_reminder_shows_in_the_open_agenda(browser, server, fair):
    from events.services.meetings import meeting_accept, meetings_send_reminders

    edition, slots = fair
    requester = MeetingParticipantFactory(edition=edition)
    recipient = MeetingParticipantFactory(edition=edition)
    meeting = meeting_request(requester=requester, recipient=recipient, slot=slots[0])
    meeting_accept(meeting=meeting, actor=recipient.user)

    page = _page(browser, server, requester.user)
    page.goto(f"{server}/techmart/{edition.slug}/gap-go/lich/")
    _wait_live(page)
    assert page.locator('[data-notice="reminder"]').count() == 0

    sent = meetings_send_reminders(now=slots[0].starts_at - dt.timedelta(minutes=10))

    notice = page.locator('[data-notice="reminder"]')
    notice.wait_for(timeout=5_000)
    assert sent == [meeting.pk]
    expected = page.locator("#meetings-live").get_attribute("data-msg-reminder")
    assert notice.inner_text().strip() == expected
    for context in browser.contexts:
        context.close()
