import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from events.models import Meeting, MeetingSlot, MeetingStatus
from events.services import meetings as svc
from tests.accounts.factories import UserFactory
from tests.marketplace.factories import OfferFactory

from .factories import meeting_programme_with_slots, opted_in_participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(edition, organiser):
    return meeting_programme_with_slots(edition, organiser, ends_at=dt.time(11, 0))


@pytest.fixture
def slots(programme, edition):
    return list(MeetingSlot.objects.filter(edition=edition).order_by("starts_at"))


@pytest.fixture
def me(programme, edition):
    return opted_in_participant(edition)


def _meetings(edition, me, slots, count, *, accept=True):
    made = []
    for i in range(count):
        other = opted_in_participant(edition)
        other.offers.set([OfferFactory(organisation=other.organisation, title=f"Máy sấy {i}")])
        meeting = svc.meeting_request(requester=other, recipient=me, slot=slots[i], message="Chào")
        if accept:
            meeting = svc.meeting_accept(meeting=meeting, actor=me.user)
        made.append(meeting)
    return made


def url(name, edition, *args):
    return reverse(f"events:{name}", args=[edition.slug, *args])


# --- agenda ---------------------------------------------------------------------------------


def test_agenda_lists_time_place_partner(client, edition, me, slots):
    (meeting,) = _meetings(edition, me, slots, 1)
    client.force_login(me.user)
    response = client.get(url("meetings_agenda", edition))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<div id="agenda" data-live="agenda"' in html
    assert f'data-ws-url="/ws/events/{edition.slug}/meetings/"' in html
    assert "events/meetings-live.js" in html
    assert f'data-meeting-id="{meeting.pk}" data-slot-id="{slots[0].pk}"' in html
    assert "Bàn 1" in html
    assert meeting.requester.display_name in html
    assert "Chào bán: Máy sấy 0" in html


@pytest.mark.parametrize("count", [1, 5])
def test_agenda_query_count_constant(client, edition, me, slots, count, django_assert_num_queries):
    _meetings(edition, me, slots, count)
    client.force_login(me.user)
    with django_assert_num_queries(13):
        response = client.get(url("meetings_agenda", edition))
    assert len(re.findall(r'data-meeting-id="', response.content.decode())) == count


def test_agenda_without_profile_redirects_to_profile(client, edition, programme):
    user = UserFactory()
    client.force_login(user)
    response = client.get(url("meetings_agenda", edition))
    assert response.url == url("meetings_profile", edition)


def test_agenda_ics_parses_back(client, edition, me, slots):
    first, second = _meetings(edition, me, slots, 2)
    client.force_login(me.user)
    response = client.get(url("meetings_agenda_ics", edition))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    events = [c for c in calendar.walk("VEVENT")]
    assert [str(e["uid"]) for e in events] == [
        f"meeting-{first.pk}@{_host()}",
        f"meeting-{second.pk}@{_host()}",
    ]
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Ho_Chi_Minh"]
    start = events[0].decoded("dtstart")
    assert str(start.tzinfo) == "Asia/Ho_Chi_Minh"
    assert start == slots[0].starts_at
    assert (start.hour, start.minute) == (9, 0)
    assert events[1].decoded("dtend") == slots[1].ends_at
    assert str(events[0]["location"]) == "Bàn 1"
    assert str(events[0]["summary"]) == f"Gặp gỡ B2B: {first.requester}"
    again = Calendar.from_ical(client.get(url("meetings_agenda_ics", edition)).content)
    assert [str(e["uid"]) for e in again.walk("VEVENT")] == [str(e["uid"]) for e in events]


def _host():
    from django.conf import settings

    return settings.SITE_URL.split("//")[-1].split("/")[0] or "techmart.local"


def test_agenda_pdf(client, edition, me, slots):
    _meetings(edition, me, slots, 2)
    client.force_login(me.user)
    response = client.get(url("meetings_agenda_pdf", edition))
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert response.content[:5] == b"%PDF-"
    import pypdfium2

    pdf = pypdfium2.PdfDocument(response.content)
    text = pdf[0].get_textpage().get_text_range()
    assert "Bàn 1" in text
    assert "09:00" in text


# --- requests -------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 5])
def test_requests_query_count_constant(
    client, edition, me, slots, count, django_assert_num_queries
):
    _meetings(edition, me, slots, count, accept=False)
    client.force_login(me.user)
    with django_assert_num_queries(15):
        response = client.get(url("meetings_requests", edition))
    assert len(re.findall(r'data-testid="request-\d+"', response.content.decode())) == count


def test_request_accept_through_page(client, edition, me, slots):
    (meeting,) = _meetings(edition, me, slots, 1, accept=False)
    client.force_login(me.user)
    response = client.post(url("meetings_request_action", edition, meeting.pk, "accept"))
    assert response.status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.SCHEDULED


def test_request_accept_with_htmx_returns_row(client, edition, me, slots):
    (meeting,) = _meetings(edition, me, slots, 1, accept=False)
    client.force_login(me.user)
    response = client.post(
        url("meetings_request_action", edition, meeting.pk, "accept"), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert html.startswith(f'<li class="card mb-2 request-row" data-meeting-id="{meeting.pk}"')
    assert "Đã xếp lịch" in html


def test_request_action_by_other_participant_is_404(client, edition, me, slots):
    (meeting,) = _meetings(edition, me, slots, 1, accept=False)
    stranger = opted_in_participant(edition)
    client.force_login(stranger.user)
    response = client.post(url("meetings_request_action", edition, meeting.pk, "accept"))
    assert response.status_code == 404


def test_partner_page_offers_free_slots_and_sends_request(client, edition, me, slots):
    other = opted_in_participant(edition)
    svc.participant_set_unavailable(participant=other, slot_ids=[slots[1].pk])
    client.force_login(me.user)
    response = client.get(url("meetings_partner", edition, other.pk))
    html = response.content.decode()
    offered = [int(s) for s in re.findall(r'<option value="\d+" data-slot-id="(\d+)"', html)]
    assert offered == [s.pk for s in slots if s.pk != slots[1].pk]
    assert f'data-participant-ids="{me.pk},{other.pk}"' in html
    response = client.post(
        url("meetings_partner", edition, other.pk), {"slot": str(slots[2].pk), "message": "Hi"}
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert (meeting.requester, meeting.recipient, meeting.slot, meeting.message) == (
        me,
        other,
        slots[2],
        "Hi",
    )


def test_partner_page_message_too_long_shows_error(client, edition, me, slots):
    other = opted_in_participant(edition)
    client.force_login(me.user)
    response = client.post(
        url("meetings_partner", edition, other.pk), {"slot": "any", "message": "x" * 1001}
    )
    assert response.status_code == 200
    assert Meeting.objects.count() == 0


def test_profile_opt_in_through_page(client, edition, programme):
    from accounts.models import MembershipRole
    from tests.accounts.factories import OrganisationFactory, member_of

    from .factories import TicketFactory

    org = OrganisationFactory()
    user = member_of(org, MembershipRole.OWNER)
    TicketFactory(edition=edition, user=user)
    offer = OfferFactory(organisation=org)
    client.force_login(user)
    response = client.post(
        url("meetings_profile", edition),
        {"offers_text": "Máy sấy", "offer_ids": [str(offer.pk)], "sectors": ["agriculture"]},
    )
    assert response.url == url("meetings_suggestions", edition)
    participant = user.meeting_participations.get()
    assert (participant.offers_text, list(participant.offers.all()), participant.sectors) == (
        "Máy sấy",
        [offer],
        ["agriculture"],
    )


def test_suggestions_filter_by_type(client, edition, me, programme):
    from events.models import TicketType

    svc.participant_opt_in(edition=edition, user=me.user, sectors=["agriculture"])
    visitor = opted_in_participant(edition, sectors=["agriculture"])
    exhibitor = opted_in_participant(
        edition, ticket_type=TicketType.EXHIBITOR_STAFF, sectors=["agriculture"]
    )
    client.force_login(me.user)
    html = client.get(url("meetings_suggestions", edition)).content.decode()
    assert sorted(int(p) for p in re.findall(r'data-participant-id="(\d+)"', html)) == sorted(
        [visitor.pk, exhibitor.pk]
    )
    html = client.get(url("meetings_suggestions", edition), {"type": "exhibitor"}).content.decode()
    assert [int(p) for p in re.findall(r'data-participant-id="(\d+)"', html)] == [exhibitor.pk]


# --- organisers -----------------------------------------------------------------------------


def test_organiser_page_needs_organiser(client, edition, me):
    client.force_login(me.user)
    assert client.get(url("meetings_organiser", edition)).status_code == 403


def test_organiser_quick_schedule_button_reports(client, edition, organiser, me, slots):
    svc.tables_set(edition=edition, organiser=organiser, count=0)
    _meetings(edition, me, slots, 2)
    svc.tables_set(edition=edition, organiser=organiser, count=1)
    client.force_login(organiser)
    response = client.post(url("meetings_organiser_action", edition, "quick"))
    html = response.content.decode()
    assert re.search(r'data-testid="placed">\s*Đã xếp 2 cuộc gặp', html)
    assert Meeting.objects.filter(status=MeetingStatus.SCHEDULED).count() == 2


def test_organiser_publish_button(client, edition, organiser, programme):
    client.force_login(organiser)
    response = client.post(url("meetings_organiser_action", edition, "publish"))
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.is_published is True
    assert programme.published_at <= timezone.now()


def test_organiser_block_form_adds_slots(client, edition, organiser, programme):
    client.force_login(organiser)
    client.post(
        url("meetings_organiser_action", edition, "block"),
        {
            "day": (edition.start_date + dt.timedelta(days=2)).isoformat(),
            "starts_at": "14:00",
            "ends_at": "15:00",
            "slot_minutes": "30",
            "break_minutes": "0",
        },
    )
    assert programme.blocks.count() == 2
    assert programme.blocks.order_by("day").last().slots.count() == 2


@pytest.mark.parametrize("count", [1, 5])
def test_organiser_page_query_count_constant(
    client, edition, organiser, me, slots, count, django_assert_num_queries
):
    _meetings(edition, me, slots, count)
    client.force_login(organiser)
    with django_assert_num_queries(21):
        response = client.get(url("meetings_organiser", edition))
    assert response.status_code == 200


def _started(meeting):
    """Move the meeting's slot into the past (as if the fair day had come)."""
    past = timezone.now() - dt.timedelta(minutes=5)
    MeetingSlot.objects.filter(pk=meeting.slot_id).update(
        starts_at=past, ends_at=past + dt.timedelta(minutes=20)
    )


def test_organiser_marks_no_show_and_comes_back(client, edition, organiser, me, slots):
    (meeting,) = _meetings(edition, me, slots, 1)
    _started(meeting)
    client.force_login(organiser)
    page = url("meetings_organiser", edition)
    response = client.post(
        url("meetings_attendance", edition, meeting.pk), {"held": "0", "next": page}
    )
    assert (response.status_code, response.url) == (302, page)
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.NO_SHOW


def test_attendance_next_elsewhere_is_ignored(client, edition, me, slots):
    (meeting,) = _meetings(edition, me, slots, 1)
    _started(meeting)
    client.force_login(me.user)
    response = client.post(
        url("meetings_attendance", edition, meeting.pk),
        {"held": "1", "next": "https://evil.example/"},
    )
    assert response.url == url("meetings_agenda", edition)
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.HELD


def test_follow_up_yes_through_page_opens_the_thread(client, edition, me, slots):
    (meeting,) = _meetings(edition, me, slots, 1)
    _started(meeting)
    client.force_login(me.user)
    client.post(url("meetings_attendance", edition, meeting.pk), {"held": "1"})
    response = client.post(url("meetings_follow_up", edition, meeting.pk), {"answer": "yes"})
    meeting.refresh_from_db()
    assert response.url == meeting.inquiry.get_absolute_url()
    assert (meeting.recipient_follow_up, meeting.inquiry.initiator_organisation) == (
        "yes",
        me.organisation,
    )


def test_availability_page_saves_blocked_slots(client, edition, me, slots):
    client.force_login(me.user)
    response = client.post(
        url("meetings_availability", edition),
        {"unavailable": [str(slots[0].pk), str(slots[3].pk)]},
    )
    assert response.url == url("meetings_agenda", edition)
    assert sorted(me.unavailabilities.values_list("slot_id", flat=True)) == [
        slots[0].pk,
        slots[3].pk,
    ]


def test_meetings_link_without_programme_explains(client, edition):
    client.force_login(UserFactory())
    response = client.get(url("meetings_agenda", edition))
    assert response.status_code == 404
    assert "Hội chợ này không có chương trình gặp gỡ B2B." in response.content.decode()


def test_fair_nav_links_to_meetings(client, edition, programme):
    html = client.get(reverse("events:seminars", args=[edition.slug])).content.decode()
    assert f'href="{url("meetings_agenda", edition)}"' in html


def test_request_decline_and_propose_through_page(client, edition, me, slots):
    first, second = _meetings(edition, me, slots, 2, accept=False)
    client.force_login(me.user)
    client.post(url("meetings_request_action", edition, first.pk, "decline"), {"reason": "Bận"})
    client.post(
        url("meetings_request_action", edition, second.pk, "propose"),
        {f"p{second.pk}-slot": str(slots[4].pk)},
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.decline_reason) == (MeetingStatus.DECLINED, "Bận")
    assert (second.status, second.slot, second.proposed_slot) == (
        MeetingStatus.PENDING,
        slots[4],
        slots[4],
    )
