"""Leaving matchmaking: events.services.meetings.participant_opt_out and its pages."""

import datetime as dt
import threading

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core import mail
from django.db import connection
from django.urls import reverse

from accounts.errors import ApplicationError
from events.models import (
    Meeting,
    MeetingParticipant,
    MeetingSlot,
    MeetingStatus,
    SlotOccupancy,
)
from events.realtime import participant_group
from events.selectors_meetings import agenda_for
from events.services import meetings as svc
from tests.accounts.factories import UserFactory

from .factories import EditionFactory, meeting_programme_with_slots, opted_in_participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def slots(edition, organiser):
    meeting_programme_with_slots(edition, organiser, tables=2)
    return list(MeetingSlot.objects.filter(edition=edition).order_by("starts_at"))


@pytest.fixture
def people(edition, slots):
    return [opted_in_participant(edition) for _ in range(4)]


def _state(meeting):
    meeting = Meeting.objects.get(pk=meeting.pk)
    return meeting.status, meeting.cancelled_by_id


def _fixture_meetings(people, slots):
    """a has: a scheduled meeting with b, a request waiting for a's answer from c, and a's own
    request to d waiting for d's answer."""
    a, b, c, d = people
    scheduled = svc.meeting_accept(
        meeting=svc.meeting_request(requester=a, recipient=b, slot=slots[0]), actor=b.user
    )
    incoming = svc.meeting_request(requester=c, recipient=a, slot=slots[1])
    outgoing = svc.meeting_request(requester=a, recipient=d, slot=slots[2])
    return scheduled, incoming, outgoing


def test_opt_out_cancels_declines_and_withdraws_and_frees_slots_and_tables(edition, people, slots):
    a, b, c, d = people
    scheduled, incoming, outgoing = _fixture_meetings(people, slots)
    table = scheduled.location

    report = svc.participant_opt_out(edition=edition, user=a.user)

    assert report.participant.is_active is False
    assert [m.pk for m in report.declined] == [incoming.pk]
    assert sorted(m.pk for m in report.cancelled) == sorted([scheduled.pk, outgoing.pk])
    assert _state(scheduled) == (MeetingStatus.CANCELLED, a.pk)
    assert _state(incoming) == (MeetingStatus.DECLINED, None)
    assert _state(outgoing) == (MeetingStatus.CANCELLED, a.pk)
    assert SlotOccupancy.objects.filter(participant__in=[a, b, c, d]).count() == 0
    assert MeetingParticipant.objects.get(pk=a.pk).meetings_count == 0
    assert MeetingParticipant.objects.get(pk=b.pk).meetings_count == 0
    assert agenda_for(MeetingParticipant.objects.get(pk=b.pk)) == []
    # The freed table in the freed slot goes to the next pair.
    again = svc.meeting_accept(
        meeting=svc.meeting_request(requester=b, recipient=c, slot=slots[0]), actor=c.user
    )
    assert (again.status, again.location) == (MeetingStatus.SCHEDULED, table)


def test_opt_out_keeps_meetings_under_way_or_over(edition, people, slots):
    a, b, *_ = people
    meeting = svc.meeting_accept(
        meeting=svc.meeting_request(requester=a, recipient=b, slot=slots[0]), actor=b.user
    )
    started = slots[0].starts_at + dt.timedelta(minutes=5)
    report = svc.participant_opt_out(edition=edition, user=a.user, now=started)
    assert (report.declined, report.cancelled) == ([], [])
    assert _state(meeting) == (MeetingStatus.SCHEDULED, None)
    assert [m.pk for m in agenda_for(b)] == [meeting.pk]


def test_opted_out_participant_cannot_be_asked_and_can_opt_in_again(edition, people, slots):
    a, b, *_ = people
    svc.participant_opt_out(edition=edition, user=a.user)
    with pytest.raises(ApplicationError) as error:
        svc.meeting_request(requester=b, recipient=a, slot=slots[0])
    assert (error.value.code, error.value.status) == ("not_participating", 409)

    back = svc.participant_opt_in(edition=edition, user=a.user, offers_text="Máy sấy lúa")
    assert (back.pk, back.is_active, back.offers_text) == (a.pk, True, "Máy sấy lúa")
    meeting = svc.meeting_request(requester=b, recipient=a, slot=slots[0])
    assert meeting.status == MeetingStatus.PENDING


def test_opt_out_without_taking_part_refused(edition, slots):
    with pytest.raises(ApplicationError) as error:
        svc.participant_opt_out(edition=edition, user=UserFactory())
    assert (error.value.code, error.value.status) == ("not_participating", 404)


def test_opt_out_after_publishing_emails_the_partner(edition, organiser, people, slots):
    a, b, *_ = people
    svc.meeting_accept(
        meeting=svc.meeting_request(requester=a, recipient=b, slot=slots[0]), actor=b.user
    )
    svc.programme_publish(edition=edition, organiser=organiser)
    mail.outbox.clear()
    svc.participant_opt_out(edition=edition, user=a.user)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([a.user.email, b.user.email])
    assert mail.outbox[0].subject.endswith("đã thay đổi")


def test_opt_out_pushes_the_cancellation_to_the_partner(
    edition, people, slots, django_capture_on_commit_callbacks
):
    a, b, *_ = people
    meeting = svc.meeting_accept(
        meeting=svc.meeting_request(requester=a, recipient=b, slot=slots[0]), actor=b.user
    )
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(participant_group(edition.pk, b.pk), channel)
    with django_capture_on_commit_callbacks(execute=True):
        svc.participant_opt_out(edition=edition, user=a.user)
    frame = async_to_sync(layer.receive)(channel)
    assert (frame["event"], frame["payload"]["meeting_id"], frame["payload"]["status"]) == (
        "meeting.cancelled",
        meeting.pk,
        "cancelled",
    )
    assert frame["payload"]["cancelled_by"] == a.pk


# --- pages ----------------------------------------------------------------------------------


def test_opt_out_page_confirms_then_leaves_and_partner_agenda_loses_meeting(
    client, edition, people, slots
):
    a, b, *_ = people
    scheduled, _incoming, _outgoing = _fixture_meetings(people, slots)
    url = reverse("events:meetings_opt_out", args=[edition.slug])
    client.force_login(a.user)
    profile = client.get(reverse("events:meetings_profile", args=[edition.slug]))
    assert url in profile.content.decode()

    confirm = client.get(url)
    assert confirm.status_code == 200
    assert [m.pk for m in confirm.context["meetings"]] == sorted(
        Meeting.objects.filter(edition=edition).values_list("pk", flat=True)
    )
    assert MeetingParticipant.objects.get(pk=a.pk).is_active is True

    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("events:meetings_profile", args=[edition.slug])
    assert MeetingParticipant.objects.get(pk=a.pk).is_active is False
    after = client.get(response["Location"])
    assert 'data-testid="opted-out"' in after.content.decode()
    assert url not in after.content.decode()

    client.force_login(b.user)
    agenda = client.get(reverse("events:meetings_agenda", args=[edition.slug]))
    assert agenda.context["rows"] == []
    assert f'data-meeting-id="{scheduled.pk}"' not in agenda.content.decode()


def test_opt_out_page_for_non_participant_sends_to_profile(client, edition, slots):
    client.force_login(UserFactory())
    response = client.post(reverse("events:meetings_opt_out", args=[edition.slug]))
    assert response.status_code == 302
    assert response["Location"] == reverse("events:meetings_profile", args=[edition.slug])


def test_opt_out_page_needs_sign_in(client, edition, slots):
    response = client.post(reverse("events:meetings_opt_out", args=[edition.slug]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login") + "?next=")


# --- concurrency (PostgreSQL) ---------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_opt_out_racing_requests_and_a_partner_cancel_leaves_nothing_open():
    """While a participant opts out, two people ask them for a meeting and their scheduled
    partner cancels: nobody deadlocks, every request either fails with not_participating or is
    withdrawn, and no slot stays held for the person who left."""
    organiser = UserFactory(roles=["organiser"])
    edition = EditionFactory(organisers=[organiser])
    meeting_programme_with_slots(edition, organiser, tables=3)
    slots = list(MeetingSlot.objects.filter(edition=edition).order_by("starts_at"))
    leaver, partner, *askers = [opted_in_participant(edition) for _ in range(4)]
    scheduled = svc.meeting_accept(
        meeting=svc.meeting_request(requester=partner, recipient=leaver, slot=slots[0]),
        actor=leaver.user,
    )
    work = [
        lambda: svc.participant_opt_out(edition=edition, user=leaver.user),
        lambda: svc.meeting_cancel(meeting=scheduled, actor=partner.user),
        lambda: svc.meeting_request(requester=askers[0], recipient=leaver, slot=slots[1]),
        lambda: svc.meeting_request(requester=askers[1], recipient=leaver, slot=slots[2]),
    ]
    barrier = threading.Barrier(len(work))
    results: list = [None] * len(work)

    def run(i):
        try:
            barrier.wait(timeout=10)
            results[i] = work[i]()
        except Exception as error:  # noqa: BLE001 - the outcome is what the test inspects
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(work))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert isinstance(results[0], svc.OptOutReport)
    cancel = results[1]
    assert isinstance(cancel, Meeting) or (cancel.code, cancel.status) == ("not_cancellable", 409)
    for outcome in results[2:]:
        assert isinstance(outcome, Meeting) or (outcome.code, outcome.status) == (
            "not_participating",
            409,
        )
    open_statuses = [
        MeetingStatus.PENDING,
        MeetingStatus.ACCEPTED_UNSCHEDULED,
        MeetingStatus.SCHEDULED,
    ]
    assert Meeting.objects.filter(recipient=leaver, status__in=open_statuses).count() == 0
    assert Meeting.objects.filter(requester=leaver, status__in=open_statuses).count() == 0
    assert SlotOccupancy.objects.filter(participant=leaver).count() == 0
    people = MeetingParticipant.objects.in_bulk([leaver.pk, partner.pk])
    assert (people[leaver.pk].is_active, people[leaver.pk].meetings_count) == (False, 0)
    assert (people[partner.pk].is_active, people[partner.pk].meetings_count) == (True, 0)
    assert Meeting.objects.get(pk=scheduled.pk).status == MeetingStatus.CANCELLED
