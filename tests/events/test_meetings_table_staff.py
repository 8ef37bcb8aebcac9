"""Table staff: organisers put accounts on a table's staff; staff see the day's meetings at their
own tables and mark them held or no-show through meeting_mark_attendance."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.models import Meeting, MeetingLocation, MeetingSlot, MeetingStatus
from events.services import meetings as svc
from tests.accounts.factories import UserFactory

from .factories import meeting_programme_with_slots, opted_in_participant

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


def _meet(a, b, slot):
    earlier = timezone.now() - EARLIER
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
    assert (response.status_code, response["Location"]) == (302, page)
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
