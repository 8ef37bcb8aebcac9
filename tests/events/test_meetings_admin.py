"""The Django admin for B2B meetings: every page loads, a changelist costs the same number of
queries for one row as for many, and what the services own cannot be edited."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.models import (
    Meeting,
    MeetingBlock,
    MeetingLocation,
    MeetingParticipant,
    MeetingProgramme,
    MeetingSlot,
    MeetingStatus,
    ParticipantUnavailability,
    SlotOccupancy,
)
from events.services import meetings as svc
from tests.accounts.factories import UserFactory

from .factories import EditionFactory, meeting_programme_with_slots, opted_in_participant

pytestmark = pytest.mark.django_db

MODELS = [
    MeetingProgramme,
    MeetingBlock,
    MeetingSlot,
    MeetingLocation,
    MeetingParticipant,
    ParticipantUnavailability,
    Meeting,
    SlotOccupancy,
]


def _fair_with_meetings(count: int):
    """An edition with `count` scheduled meetings (one table each, all in the first slot), one
    unavailable slot per meeting's recipient."""
    organiser = UserFactory(roles=["organiser"])
    edition = EditionFactory(organisers=[organiser])
    meeting_programme_with_slots(edition, organiser, tables=count)
    slots = list(MeetingSlot.objects.filter(edition=edition).order_by("starts_at"))
    for _ in range(count):
        a, b = opted_in_participant(edition), opted_in_participant(edition)
        svc.participant_set_unavailable(participant=b, slot_ids=[slots[-1].pk])
        svc.meeting_accept(
            meeting=svc.meeting_request(requester=a, recipient=b, slot=slots[0]), actor=b.user
        )
    return edition


def _queries(client, url) -> int:
    client.get(url)  # the first request of a session also fills per-process caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_meetings_admin_changelist_queries_constant_for_one_or_many_rows(superuser_client, model):
    url = reverse(f"admin:events_{model._meta.model_name}_changelist")
    _fair_with_meetings(1)
    one = _queries(superuser_client, url)
    _fair_with_meetings(4)
    assert model.objects.count() > 1
    assert _queries(superuser_client, url) == one


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_meetings_admin_change_page_loads_with_constant_queries(superuser_client, model):
    _fair_with_meetings(1)
    first = model.objects.order_by("pk").first()
    url = reverse(f"admin:events_{model._meta.model_name}_change", args=[first.pk])
    one = _queries(superuser_client, url)
    _fair_with_meetings(4)
    assert _queries(superuser_client, url) == one


def test_meetings_admin_search_finds_meeting_by_partner_name(superuser_client):
    _fair_with_meetings(2)
    meeting = Meeting.objects.select_related("recipient").order_by("pk").last()
    response = superuser_client.get(
        reverse("admin:events_meeting_changelist"), {"q": meeting.recipient.display_name}
    )
    assert list(response.context["cl"].result_list) == [meeting]


def test_meetings_admin_cannot_move_a_meeting(superuser_client):
    edition = _fair_with_meetings(2)
    meeting, other = Meeting.objects.filter(edition=edition).order_by("pk")
    table = meeting.location_id
    assert table != other.location_id
    url = reverse("admin:events_meeting_change", args=[meeting.pk])
    form = superuser_client.get(url).context["adminform"].form
    assert {"slot", "location", "status", "requester", "recipient"} & set(form.fields) == set()
    response = superuser_client.post(
        url,
        {
            "message": "Hẹn gặp tại bàn",
            "decline_reason": "",
            "location": other.location_id,
            "status": MeetingStatus.CANCELLED,
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.message, meeting.status, meeting.location_id) == (
        "Hẹn gặp tại bàn",
        MeetingStatus.SCHEDULED,
        table,
    )
    assert SlotOccupancy.objects.filter(meeting=meeting).count() == 2


def test_meetings_admin_refuses_adding_and_deleting_meetings(superuser_client):
    _fair_with_meetings(1)
    meeting = Meeting.objects.get()
    assert superuser_client.get(reverse("admin:events_meeting_add")).status_code == 403
    delete = reverse("admin:events_meeting_delete", args=[meeting.pk])
    assert superuser_client.post(delete, {"post": "yes"}).status_code == 403
    assert Meeting.objects.count() == 1
