import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from events.models import Meeting, MeetingSlot, MeetingStatus
from events.services import meetings as svc
from tests.accounts.factories import UserFactory

from .factories import meeting_programme_with_slots, opted_in_participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(edition, organiser):
    import datetime as dt

    return meeting_programme_with_slots(edition, organiser, ends_at=dt.time(11, 0))


@pytest.fixture
def slots(programme, edition):
    return list(MeetingSlot.objects.filter(edition=edition).order_by("starts_at"))


@pytest.fixture
def me(programme, edition):
    return opted_in_participant(edition)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def list_url(edition):
    return reverse("api-event-meetings", args=[edition.slug])


def action_url(edition, meeting, action):
    return reverse(f"api-event-meeting-{action}", args=[edition.slug, meeting.pk])


def test_api_create_request(edition, me, slots):
    other = opted_in_participant(edition)
    response = api(me.user).post(
        list_url(edition),
        {"recipient": other.pk, "slot": slots[0].pk, "message": "Xin chào"},
        format="json",
    )
    assert response.status_code == 201
    meeting = Meeting.objects.get()
    assert response.json() == {
        "id": meeting.pk,
        "status": "pending",
        "status_label": "Đang chờ trả lời",
        "direction": "outgoing",
        "requester": {
            "id": me.pk,
            "display_name": me.display_name,
            "organisation": me.organisation_name,
            "type": "visitor",
        },
        "recipient": {
            "id": other.pk,
            "display_name": other.display_name,
            "organisation": other.organisation_name,
            "type": "visitor",
        },
        "slot": {
            "id": slots[0].pk,
            "starts_at": response.json()["slot"]["starts_at"],
            "ends_at": response.json()["slot"]["ends_at"],
        },
        "any_slot": False,
        "location": None,
        "message": "Xin chào",
        "decline_reason": "",
        "expires_at": response.json()["expires_at"],
        "created_at": response.json()["created_at"],
    }
    assert response.json()["slot"]["starts_at"].endswith("09:00:00+07:00")


def test_api_request_oneself_is_400_in_english(edition, me, slots):
    client = api(me.user)
    response = client.post(
        list_url(edition),
        {"recipient": me.pk, "slot": slots[0].pk},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert (response.status_code, response.json()) == (
        400,
        {
            "status": "error",
            "reason": "oneself",
            "detail": "You cannot request a meeting with yourself.",
        },
    )


def test_api_request_taken_slot_is_409(edition, me, slots):
    a, b = opted_in_participant(edition), opted_in_participant(edition)
    svc.meeting_request(requester=a, recipient=b, slot=slots[0])
    response = api(me.user).post(
        list_url(edition), {"recipient": b.pk, "slot": slots[0].pk}, format="json"
    )
    assert (response.status_code, response.json()["reason"]) == (409, "slot_taken")


def test_api_message_over_1000_is_400(edition, me, slots):
    other = opted_in_participant(edition)
    response = api(me.user).post(
        list_url(edition), {"recipient": other.pk, "message": "x" * 1001}, format="json"
    )
    assert (response.status_code, response.json()["reason"]) == (400, "message_too_long")


def test_api_without_participation_is_404(edition, programme):
    response = api(UserFactory()).get(list_url(edition))
    assert response.status_code == 404


def test_api_anonymous_is_refused(edition, programme):
    response = APIClient().get(list_url(edition))
    assert response.status_code in (401, 403)


def test_api_accept_decline_cancel(edition, me, slots):
    a, b = opted_in_participant(edition), opted_in_participant(edition)
    first = svc.meeting_request(requester=a, recipient=me, slot=slots[0])
    second = svc.meeting_request(requester=b, recipient=me, slot=slots[1])
    client = api(me.user)
    accepted = client.post(action_url(edition, first, "accept"), {}, format="json")
    assert (accepted.status_code, accepted.json()["status"], accepted.json()["location"]) == (
        200,
        "scheduled",
        "Bàn 1",
    )
    declined = client.post(
        action_url(edition, second, "decline"), {"reason": "Trùng lịch"}, format="json"
    )
    assert (declined.json()["status"], declined.json()["decline_reason"]) == (
        "declined",
        "Trùng lịch",
    )
    again = client.post(action_url(edition, second, "accept"), {}, format="json")
    assert (again.status_code, again.json()["reason"]) == (409, "wrong_state")
    cancelled = api(a.user).post(action_url(edition, first, "cancel"), {}, format="json")
    assert cancelled.json()["status"] == "cancelled"


def test_api_accept_by_requester_is_403(edition, me, slots):
    other = opted_in_participant(edition)
    meeting = svc.meeting_request(requester=me, recipient=other, slot=slots[0])
    response = api(me.user).post(action_url(edition, meeting, "accept"), {}, format="json")
    assert (response.status_code, response.json()["reason"]) == (403, "not_allowed")


def test_api_list_filters_direction_and_status(edition, me, slots):
    a, b = opted_in_participant(edition), opted_in_participant(edition)
    incoming = svc.meeting_request(requester=a, recipient=me, slot=slots[0])
    outgoing = svc.meeting_request(requester=me, recipient=b, slot=slots[1])
    svc.meeting_accept(meeting=outgoing, actor=b.user)
    client = api(me.user)
    assert [m["id"] for m in client.get(list_url(edition)).json()] == [incoming.pk, outgoing.pk]
    assert [m["id"] for m in client.get(list_url(edition), {"direction": "incoming"}).json()] == [
        incoming.pk
    ]
    assert [m["id"] for m in client.get(list_url(edition), {"status": "scheduled"}).json()] == [
        outgoing.pk
    ]
    assert client.get(list_url(edition), {"status": "bogus"}).json() == []


@pytest.mark.parametrize("count", [1, 5])
def test_api_list_query_count_constant(edition, me, slots, count, django_assert_num_queries):
    for i in range(count):
        other = opted_in_participant(edition)
        svc.meeting_accept(
            meeting=svc.meeting_request(requester=other, recipient=me, slot=slots[i]),
            actor=me.user,
        )
    client = api(me.user)
    with django_assert_num_queries(7):
        response = client.get(list_url(edition))
    assert [m["status"] for m in response.json()] == [MeetingStatus.SCHEDULED] * count


def test_api_table_staff_marks_no_show(edition, me, slots):
    import datetime as dt

    from django.utils import timezone

    from events.models import MeetingLocation
    from events.models import MeetingSlot as Slot

    from .factories import CheckinListFactory

    other = opted_in_participant(edition)
    meeting = svc.meeting_accept(
        meeting=svc.meeting_request(requester=other, recipient=me, slot=slots[0]), actor=me.user
    )
    past = timezone.now() - dt.timedelta(minutes=5)
    Slot.objects.filter(pk=slots[0].pk).update(
        starts_at=past, ends_at=past + dt.timedelta(minutes=20)
    )
    staff = UserFactory(roles=["exhibitor_staff"])
    url = reverse("api-event-meeting-attendance", args=[edition.slug, meeting.pk])
    refused = api(staff).post(url, {"held": False}, format="json")
    assert (refused.status_code, refused.json()["reason"]) == (403, "not_allowed")
    # Check-in staff and the staff of another table are not this table's staff.
    CheckinListFactory(edition=edition).staff.add(staff)
    MeetingLocation.objects.filter(edition=edition).exclude(pk=meeting.location_id).get().staff.add(
        staff
    )
    refused = api(staff).post(url, {"held": False}, format="json")
    assert (refused.status_code, refused.json()["reason"]) == (403, "not_allowed")
    meeting.location.staff.add(staff)
    response = api(staff).post(url, {"held": False}, format="json")
    assert (response.status_code, response.json()) == (200, {"id": meeting.pk, "status": "no_show"})
