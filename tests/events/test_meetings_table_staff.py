"""Table staff: organisers put accounts on a table's staff; staff see the day's meetings at their
own tables and mark them held or no-show through meeting_mark_attendance."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.models import Edition, Meeting, MeetingLocation, MeetingSlot, MeetingStatus
from events.services import meetings as svc
from tests.accounts.factories import UserFactory

from .factories import EditionFactory, meeting_programme_with_slots, opted_in_participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def slots(edition, organiser):
    """The programme's three slots moved to today: the first two have started, the last one
    starts in ten minutes. Requests are made "two hours ago" (the services take `now`)."""
    local = timezone.localtime()
    minutes = local.hour * 60 + local.minute
    if minutes < 40 or minutes > 23 * 60 + 45:
        pytest.skip("the slots around now would straddle local midnight (the page shows one day)")
    meeting_programme_with_slots(edition, organiser, tables=2)
    slots = list(MeetingSlot.objects.filter(edition=edition).order_by("starts_at"))
    now = timezone.now().replace(second=0, microsecond=0)
    for n, slot in enumerate(reversed(slots)):
        slot.starts_at = now + dt.timedelta(minutes=10 - 20 * n)
        slot.ends_at = slot.starts_at + dt.timedelta(minutes=20)
        slot.save(update_fields=["starts_at", "ends_at"])
    return sorted(slots, key=lambda s: s.starts_at)


@pytest.fixture
def tables(edition, slots):
    return list(MeetingLocation.objects.filter(edition=edition, kind="table").order_by("number"))


@pytest.fixture
def people(edition, slots):
    return [opted_in_participant(edition) for _ in range(4)]


EARLIER = dt.timedelta(hours=2)


def _meet(a, b, slot, *, at=None):
    earlier = at or timezone.now() - EARLIER
    return svc.meeting_accept(
        meeting=svc.meeting_request(requester=a, recipient=b, slot=slot, now=earlier),
        actor=b.user,
        now=earlier,
    )


def _staff(location):
    user = UserFactory()
    location.staff.add(user)
    return user


def _page(client, edition, **params):
    return client.get(reverse("events:meetings_table_staff", args=[edition.slug]), params)


def test_table_staff_page_lists_days_meetings_at_own_tables_in_time_order(
    client, edition, slots, tables, people
):
    a, b, c, d = people
    later = _meet(a, b, slots[1])  # first table
    _meet(c, d, slots[1])  # second table
    earlier = _meet(a, c, slots[0])  # first table, earlier slot, made after `later`
    assert (later.location, earlier.location) == (tables[0], tables[0])
    client.force_login(_staff(tables[0]))

    response = _page(client, edition)

    assert response.status_code == 200
    assert [m.pk for m in response.context["meetings"]] == [earlier.pk, later.pk]
    html = response.content.decode()
    for person in (a, b, c):
        assert person.display_name in html
        assert person.organisation_name in html
    assert d.display_name not in html


def test_table_staff_page_other_day_shows_nothing_for_today(client, edition, slots, tables, people):
    a, b, *_ = people
    _meet(a, b, slots[0])
    client.force_login(_staff(tables[0]))
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = _page(client, edition, ngay=tomorrow.isoformat())
    assert (response.status_code, response.context["meetings"]) == (200, [])


def test_table_staff_marks_held_and_it_is_recorded(client, edition, slots, tables, people):
    a, b, *_ = people
    meeting = _meet(a, b, slots[0])
    staff = _staff(tables[0])
    client.force_login(staff)
    url = reverse("events:meetings_table_staff_mark", args=[edition.slug, meeting.pk])

    response = client.post(url, {"held": "1"})

    page = reverse("events:meetings_table_staff", args=[edition.slug])
    today = timezone.localdate().isoformat()
    assert (response.status_code, response["Location"]) == (302, f"{page}?ngay={today}")
    meeting.refresh_from_db()
    assert (meeting.status, meeting.attendance_marked_by) == (MeetingStatus.HELD, staff)
    assert meeting.attendance_marked_at is not None
    shown = client.get(page)
    assert 'data-testid="meeting-status">Đã gặp<' in shown.content.decode()

    client.post(url, {"held": "0"})
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.NO_SHOW


def test_table_staff_cannot_mark_before_the_meeting_starts(client, edition, slots, tables, people):
    a, b, *_ = people
    meeting = _meet(a, b, slots[2])
    client.force_login(_staff(meeting.location))
    client.post(
        reverse("events:meetings_table_staff_mark", args=[edition.slug, meeting.pk]), {"held": "1"}
    )
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.SCHEDULED


def test_staff_of_another_table_gets_404_and_nothing_changes(
    client, edition, slots, tables, people
):
    a, b, *_ = people
    meeting = _meet(a, b, slots[0])
    assert meeting.location == tables[0]
    client.force_login(_staff(tables[1]))

    response = client.post(
        reverse("events:meetings_table_staff_mark", args=[edition.slug, meeting.pk]), {"held": "1"}
    )

    assert response.status_code == 404
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.SCHEDULED
    assert _page(client, edition).context["meetings"] == []


def test_table_staff_page_refuses_users_without_a_table(client, edition, slots, people):
    client.force_login(people[0].user)
    assert _page(client, edition).status_code == 403


def test_table_staff_page_queries_constant_for_one_or_many_meetings(
    client, edition, slots, tables, people
):
    a, b, c, d = people
    staff = _staff(tables[0])
    tables[1].staff.add(staff)
    client.force_login(staff)
    _meet(a, b, slots[0])
    _page(client, edition)  # the session's first request fills per-process caches
    with CaptureQueriesContext(connection) as one:
        assert len(_page(client, edition).context["meetings"]) == 1
    _meet(c, d, slots[0])
    _meet(a, c, slots[1])
    _meet(b, d, slots[1])
    _meet(a, d, slots[2])
    with CaptureQueriesContext(connection) as many:
        assert len(_page(client, edition).context["meetings"]) == 5
    assert len(many) == len(one)


# --- the link in the meetings navigation ------------------------------------------------------

STAFF_LINK = (
    '<a class="nav-link" href="{url}" data-testid="table-staff-link">Cuộc gặp tại bàn của tôi</a>'
)


def _staff_link(edition):
    return STAFF_LINK.format(url=reverse("events:meetings_table_staff", args=[edition.slug]))


@pytest.fixture
def fair_tables(edition, organiser):
    """The programme as the factory makes it, without moving slots to now: three 20-minute slots
    from 09:00 local on the fair's second day, and two tables."""
    meeting_programme_with_slots(edition, organiser, tables=2)
    return list(MeetingLocation.objects.filter(edition=edition, kind="table").order_by("number"))


@pytest.fixture
def fair_slots(edition, fair_tables):
    return list(MeetingSlot.objects.filter(edition=edition).order_by("starts_at"))


@pytest.fixture
def fair_people(edition, fair_tables):
    return [opted_in_participant(edition) for _ in range(4)]


def test_agenda_nav_links_table_staff_page_for_a_participant_on_a_tables_staff(
    client, edition, fair_tables, fair_people
):
    me = fair_people[0]
    fair_tables[1].staff.add(me.user)
    client.force_login(me.user)
    response = client.get(reverse("events:meetings_agenda", args=[edition.slug]))
    assert (response.status_code, response.context["is_table_staff"]) == (200, True)
    assert response.content.decode().count(_staff_link(edition)) == 1


def test_agenda_nav_hides_table_staff_link_from_participants_without_a_table(
    client, edition, organiser, fair_tables, fair_people
):
    me = fair_people[0]
    other = EditionFactory(organisers=[organiser], slug="techmart-khac")
    meeting_programme_with_slots(other, organiser, tables=1)
    MeetingLocation.objects.get(edition=other, number=1).staff.add(me.user)  # another fair's
    client.force_login(me.user)
    response = client.get(reverse("events:meetings_agenda", args=[edition.slug]))
    html = response.content.decode()
    assert (response.status_code, response.context["is_table_staff"]) == (200, False)
    assert html.count('data-testid="table-staff-link"') == 0
    assert html.count(reverse("events:meetings_table_staff", args=[edition.slug])) == 0
    other_page = client.get(reverse("events:meetings_agenda", args=[other.slug]))
    assert other_page.status_code == 302  # not a participant there: to the profile page
    other_profile = client.get(reverse("events:meetings_profile", args=[other.slug]))
    assert other_profile.content.decode().count(_staff_link(other)) == 1


def test_agenda_nav_link_costs_no_extra_query(client, edition, fair_tables, fair_people):
    """The EXISTS rides on the participant's own query, so the agenda makes as many queries for
    table staff as for anyone else."""
    staffing, other = fair_people[:2]
    fair_tables[0].staff.add(staffing.user)
    counts = []
    for person in (staffing, other):
        client.force_login(person.user)
        client.get(reverse("events:meetings_agenda", args=[edition.slug]))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("events:meetings_agenda", args=[edition.slug]))
        counts.append((len(queries), response.context["is_table_staff"]))
    assert counts == [(counts[1][0], True), (counts[1][0], False)]


def test_profile_page_links_table_staff_page_for_staff_without_a_meeting_profile(
    client, edition, fair_tables
):
    staff = _staff(fair_tables[0])
    client.force_login(staff)
    response = client.get(reverse("events:meetings_profile", args=[edition.slug]))
    html = response.content.decode()
    assert (response.status_code, response.context["participant"]) == (200, None)
    assert html.count(_staff_link(edition)) == 1
    # Without a profile the participant's own pages are not offered.
    assert html.count(reverse("events:meetings_requests", args=[edition.slug])) == 0


def test_profile_page_has_no_meetings_nav_for_someone_without_profile_or_table(
    client, edition, fair_tables
):
    client.force_login(UserFactory())
    html = client.get(reverse("events:meetings_profile", args=[edition.slug])).content.decode()
    assert html.count('<nav aria-label="Gặp gỡ B2B"') == 0
    assert html.count(reverse("events:meetings_table_staff", args=[edition.slug])) == 0


def test_table_staff_page_has_the_meetings_nav_with_a_participants_own_pages(
    client, edition, fair_tables, fair_people
):
    me = fair_people[0]
    fair_tables[0].staff.add(me.user)
    client.force_login(me.user)
    response = _page(client, edition)
    html = response.content.decode()
    assert (response.status_code, response.context["participant"]) == (200, me)
    assert html.count('<nav aria-label="Gặp gỡ B2B"') == 1
    assert html.count(_staff_link(edition)) == 1
    assert html.count(reverse("events:meetings_agenda", args=[edition.slug])) == 1
    assert html.count(reverse("events:meetings_requests", args=[edition.slug])) == 1


def test_table_staff_page_nav_offers_no_participant_pages_to_staff_without_a_profile(
    client, edition, fair_tables
):
    client.force_login(_staff(fair_tables[0]))
    response = _page(client, edition)
    html = response.content.decode()
    assert (response.status_code, response.context["participant"]) == (200, None)
    assert html.count(_staff_link(edition)) == 1
    assert html.count(reverse("events:meetings_agenda", args=[edition.slug])) == 0


# --- one day of the fair --------------------------------------------------------------------


def _day_links(response):
    return re.findall(r'href="\?ngay=([0-9-]+)"', response.content.decode())


def _current_day_link(response):
    return re.findall(
        r'class="nav-link active" href="\?ngay=([0-9-]+)" aria-current="page">([^<]+)<',
        response.content.decode(),
    )


def _set_dates(edition, start, end):
    Edition.objects.filter(pk=edition.pk).update(start_date=start, end_date=end)


def test_table_staff_page_offers_each_day_of_the_fair(client, edition, fair_tables):
    client.force_login(_staff(fair_tables[0]))
    _set_dates(edition, dt.date(2026, 12, 5), dt.date(2026, 12, 7))  # Saturday to Monday
    response = _page(client, edition, ngay="2026-12-06")
    assert _day_links(response) == ["2026-12-05", "2026-12-06", "2026-12-07"]
    assert _current_day_link(response) == [("2026-12-06", "Chủ nhật 06/12")]
    html = response.content.decode()
    assert 'data-testid="shown-day">Chủ nhật 06/12/2026<' in html
    assert html.count('data-testid="day-refused"') == 0


def test_table_staff_page_shows_each_days_meetings(
    client, edition, fair_slots, fair_tables, fair_people
):
    a, b, c, d = fair_people
    day1, day2, day3 = (edition.start_date + dt.timedelta(days=n) for n in range(3))
    last = fair_slots[2]
    last.starts_at += dt.timedelta(days=1)  # to the third day, 09:40 local
    last.ends_at += dt.timedelta(days=1)
    last.save(update_fields=["starts_at", "ends_at"])
    second_day = [_meet(a, b, fair_slots[0]), _meet(c, d, fair_slots[1])]
    third_day = _meet(a, c, last)
    client.force_login(_staff(fair_tables[0]))

    shown = {day: _page(client, edition, ngay=day.isoformat()) for day in (day1, day2, day3)}

    assert {day: [m.pk for m in r.context["meetings"]] for day, r in shown.items()} == {
        day1: [],
        day2: [m.pk for m in second_day],
        day3: [third_day.pk],
    }
    assert {day: r.context["day"] for day, r in shown.items()} == {d: d for d in shown}
    assert "Không có cuộc gặp nào tại bàn của bạn trong ngày này." in shown[day1].content.decode()
    assert f"{day3:%d/%m} 09:40–10:00" in shown[day3].content.decode()


def test_table_staff_page_days_are_local_days(
    client, edition, fair_slots, fair_tables, fair_people
):
    """Slots are stored in UTC: 16:30 UTC is 23:30 the same day in Hồ Chí Minh City, 23:30 UTC is
    06:30 the next morning."""
    a, b, c, d = fair_people
    day2, day3 = (edition.start_date + dt.timedelta(days=n) for n in (1, 2))
    for slot, utc in zip(fair_slots[:2], (dt.time(16, 30), dt.time(23, 30)), strict=True):
        slot.starts_at = dt.datetime.combine(day2, utc, tzinfo=dt.UTC)
        slot.ends_at = slot.starts_at + dt.timedelta(minutes=20)
        slot.save(update_fields=["starts_at", "ends_at"])
    late_evening = _meet(a, b, fair_slots[0])
    next_morning = _meet(c, d, fair_slots[1])
    client.force_login(_staff(fair_tables[0]))

    second = _page(client, edition, ngay=day2.isoformat())
    third = _page(client, edition, ngay=day3.isoformat())

    assert [m.pk for m in second.context["meetings"]] == [late_evening.pk]
    assert [m.pk for m in third.context["meetings"]] == [next_morning.pk]
    assert f"{day2:%d/%m} 23:30–23:50" in second.content.decode()
    assert f"{day3:%d/%m} 06:30–06:50" in third.content.decode()


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        pytest.param(3, 5, 3, id="before-the-fair-first-day"),
        pytest.param(-1, 1, 0, id="during-the-fair-today"),
        pytest.param(0, 0, 0, id="one-day-fair-today"),
        pytest.param(-5, -3, -3, id="after-the-fair-last-day"),
    ],
)
def test_table_staff_page_default_day(client, edition, fair_tables, start, end, expected):
    today = timezone.localdate()
    _set_dates(edition, today + dt.timedelta(days=start), today + dt.timedelta(days=end))
    client.force_login(_staff(fair_tables[0]))

    response = _page(client, edition)

    default = today + dt.timedelta(days=expected)
    assert (response.status_code, response.context["day"]) == (200, default)
    assert response.context["day_refused"] is False
    assert [d for d, _label in _current_day_link(response)] == [default.isoformat()]
    assert response.content.decode().count('data-testid="day-refused"') == 0


@pytest.mark.parametrize(
    "ngay",
    ["hom-nay", "2026-02-30", "06/12/2026", "2026-12-04", "2026-12-08", "2026-12-06 '\"<x>"],
)
def test_table_staff_page_refuses_a_day_outside_the_fair_kindly(client, edition, fair_tables, ngay):
    _set_dates(edition, dt.date(2026, 12, 5), dt.date(2026, 12, 7))
    client.force_login(_staff(fair_tables[0]))
    default = min(max(timezone.localdate(), dt.date(2026, 12, 5)), dt.date(2026, 12, 7))

    response = _page(client, edition, ngay=ngay)

    assert (response.status_code, response.context["day"]) == (200, default)
    assert response.context["day_refused"] is True
    message = (
        '<p class="alert alert-warning small" role="status" data-testid="day-refused">'
        "Ngày đó không thuộc hội chợ này, nên trang hiển thị các cuộc gặp của "
        f"{default:%d/%m/%Y}.</p>"
    )
    assert response.content.decode().count(message) == 1
    assert "<x>" not in response.content.decode()


def test_table_staff_page_empty_day_is_the_default_without_a_message(client, edition, fair_tables):
    client.force_login(_staff(fair_tables[0]))
    response = _page(client, edition, ngay="")
    assert (response.context["day"], response.context["day_refused"]) == (
        timezone.localdate(),
        False,
    )


def test_table_staff_mark_returns_to_the_meetings_day(client, edition, fair_tables, fair_people):
    """A meeting yesterday, on the fair's first day (never the default day now): the forms carry
    that day, and the post comes back to it, also without a "next"."""
    a, b, *_ = fair_people
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    _set_dates(edition, yesterday, yesterday + dt.timedelta(days=2))
    slot = MeetingSlot.objects.filter(edition=edition).order_by("starts_at").first()
    slot.starts_at = timezone.make_aware(dt.datetime.combine(yesterday, dt.time(10, 0)))
    slot.ends_at = slot.starts_at + dt.timedelta(minutes=20)
    slot.save(update_fields=["starts_at", "ends_at"])
    meeting = _meet(a, b, slot, at=slot.starts_at - dt.timedelta(days=1))
    client.force_login(_staff(meeting.location))
    page = reverse("events:meetings_table_staff", args=[edition.slug])
    that_day = f"{page}?ngay={yesterday.isoformat()}"

    html = _page(client, edition, ngay=yesterday.isoformat()).content.decode()
    assert html.count(f'<input type="hidden" name="next" value="{that_day}">') == 2

    url = reverse("events:meetings_table_staff_mark", args=[edition.slug, meeting.pk])
    held = client.post(url, {"held": "1", "next": that_day})
    no_show = client.post(url, {"held": "0"})

    assert (held.status_code, held["Location"]) == (302, that_day)
    assert (no_show.status_code, no_show["Location"]) == (302, that_day)
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.NO_SHOW


def test_table_staff_page_default_day_forms_name_the_day(client, edition, slots, tables, people):
    a, b, *_ = people
    meeting = _meet(a, b, slots[0])
    client.force_login(_staff(meeting.location))
    page = reverse("events:meetings_table_staff", args=[edition.slug])
    today = f"{page}?ngay={timezone.localdate().isoformat()}"
    html = _page(client, edition).content.decode()
    assert html.count(f'<input type="hidden" name="next" value="{today}">') == 2


@pytest.mark.parametrize("count", [1, 5])
def test_table_staff_page_queries_constant_on_a_chosen_day(
    client, edition, fair_slots, fair_tables, fair_people, count, django_assert_num_queries
):
    a, b, c, d = fair_people
    pairs = [(a, b, 0), (c, d, 0), (a, c, 1), (b, d, 1), (a, d, 2)][:count]
    for x, y, n in pairs:
        _meet(x, y, fair_slots[n])
    staff = _staff(fair_tables[0])
    fair_tables[1].staff.add(staff)
    client.force_login(staff)
    day2 = (edition.start_date + dt.timedelta(days=1)).isoformat()
    _page(client, edition, ngay=day2)  # the session's first request fills per-process caches

    with django_assert_num_queries(9):  # 8, and the participant row for the navigation
        response = _page(client, edition, ngay=day2)

    assert len(response.context["meetings"]) == count


# --- organisers -----------------------------------------------------------------------------


def _action(client, edition, action, data):
    return client.post(
        reverse("events:meetings_organiser_action", args=[edition.slug, action]), data
    )


def test_organiser_adds_and_removes_table_staff(client, edition, organiser, tables):
    staff = UserFactory(email="ban.so.1@example.vn")
    client.force_login(organiser)
    response = _action(
        client, edition, "staff-add", {"location": tables[0].pk, "email": "BAN.SO.1@example.vn"}
    )
    assert response.status_code == 302
    assert list(tables[0].staff.all()) == [staff]
    page = client.get(reverse("events:meetings_organiser", args=[edition.slug]))
    assert staff.full_name in page.content.decode()

    _action(client, edition, "staff-remove", {"location": tables[0].pk, "user": staff.pk})
    assert list(tables[0].staff.all()) == []


def test_organiser_adding_unknown_email_refused(client, edition, organiser, tables):
    client.force_login(organiser)
    response = _action(
        client, edition, "staff-add", {"location": tables[0].pk, "email": "ai.do@example.vn"}
    )
    assert response.status_code == 302
    assert tables[0].staff.count() == 0
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == [
        "Không có tài khoản nào dùng email ai.do@example.vn. Hãy nhờ người đó đăng ký trước."
    ]


def test_location_staff_add_needs_organiser(edition, tables):
    stranger = UserFactory()
    with pytest.raises(svc.ApplicationError) as error:
        svc.location_staff_add(location=tables[0], organiser=stranger, email=stranger.email)
    assert error.value.status == 403
