import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone, translation

from accounts.errors import ApplicationError
from events.models import (
    Meeting,
    MeetingLocation,
    MeetingLocationKind,
    MeetingParticipant,
    MeetingSlot,
    MeetingStatus,
    ParticipantType,
    SlotOccupancy,
    TicketType,
)
from events.services import meetings as svc
from marketplace.models import Inquiry
from tests.accounts.factories import UserFactory
from tests.marketplace.factories import OfferFactory

from .factories import (
    BookingFactory,
    CheckinListFactory,
    meeting_programme_with_slots,
    opted_in_participant,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(edition, organiser):
    return meeting_programme_with_slots(edition, organiser)


@pytest.fixture
def slots(programme, edition):
    return list(MeetingSlot.objects.filter(edition=edition).order_by("starts_at"))


@pytest.fixture
def people(programme, edition):
    return [opted_in_participant(edition) for _ in range(4)]


def _local(value):
    return timezone.localtime(value).strftime("%H:%M")


def _occupied(meeting):
    return sorted(
        SlotOccupancy.objects.filter(meeting=meeting).values_list("participant_id", "slot_id")
    )


# --- setup ----------------------------------------------------------------------------------


def test_block_add_generates_slots_in_local_time(edition, organiser, programme, slots):
    assert [(_local(s.starts_at), _local(s.ends_at)) for s in slots] == [
        ("09:00", "09:20"),
        ("09:20", "09:40"),
        ("09:40", "10:00"),
    ]


def test_block_add_with_break_skips_the_gap(edition, organiser, programme):
    block = svc.block_add(
        edition=edition,
        organiser=organiser,
        day=edition.start_date + dt.timedelta(days=2),
        starts_at=dt.time(14, 0),
        ends_at=dt.time(15, 0),
        slot_minutes=25,
        break_minutes=5,
    )
    assert [(_local(s.starts_at), _local(s.ends_at)) for s in block.slots.all()] == [
        ("14:00", "14:25"),
        ("14:30", "14:55"),
    ]


def test_block_add_slot_length_outside_range_refused(edition, organiser, programme):
    with pytest.raises(ApplicationError) as error:
        svc.block_add(
            edition=edition,
            organiser=organiser,
            day=edition.start_date,
            starts_at=dt.time(14, 0),
            ends_at=dt.time(15, 0),
            slot_minutes=61,
        )
    assert error.value.code == "bad_slot_length"


def test_programme_save_needs_organiser(edition):
    with pytest.raises(ApplicationError) as error:
        svc.programme_save(edition=edition, organiser=UserFactory())
    assert error.value.status == 403


def test_programme_save_expiry_outside_range_refused(edition, organiser, programme):
    with pytest.raises(ApplicationError) as error:
        svc.programme_save(edition=edition, organiser=organiser, request_expiry_minutes=14)
    assert error.value.code == "bad_expiry"


def test_programme_save_copies_limit_to_participants(edition, organiser, people):
    svc.programme_save(edition=edition, organiser=organiser, max_meetings_per_participant=3)
    assert list(
        MeetingParticipant.objects.filter(edition=edition).values_list("max_meetings", flat=True)
    ) == [3, 3, 3, 3]


def test_tables_set_numbers_and_retires(edition, organiser, programme):
    svc.tables_set(edition=edition, organiser=organiser, count=3)
    svc.tables_set(edition=edition, organiser=organiser, count=1)
    assert list(
        MeetingLocation.objects.filter(edition=edition).values_list("number", "is_active")
    ) == [(1, True), (2, False), (3, False)]


# --- opting in ------------------------------------------------------------------------------


def test_opt_in_without_ticket_refused(edition, programme):
    with pytest.raises(ApplicationError) as error:
        svc.participant_opt_in(edition=edition, user=UserFactory())
    assert (error.value.code, error.value.status) == ("no_ticket", 403)


def test_opt_in_links_only_own_published_listings(edition, programme):
    from accounts.models import MembershipRole
    from tests.accounts.factories import OrganisationFactory, member_of

    from .factories import TicketFactory

    org = OrganisationFactory()
    user = member_of(org, MembershipRole.OWNER)
    TicketFactory(edition=edition, user=user)
    own = OfferFactory(organisation=org)
    other = OfferFactory()
    participant = svc.participant_opt_in(
        edition=edition,
        user=user,
        offers_text="Máy sấy",
        offer_ids=[own.pk, other.pk],
        sectors=["mechanical", "agriculture"],
    )
    assert list(participant.offers.values_list("pk", flat=True)) == [own.pk]
    assert participant.sectors == ["agriculture", "mechanical"]
    assert participant.organisation == org
    assert participant.type == ParticipantType.VISITOR
    again = svc.participant_opt_in(edition=edition, user=user, offers_text="Máy cày")
    assert (again.pk, again.offers_text) == (participant.pk, "Máy cày")


def test_opt_in_exhibitor_staff_is_exhibitor(edition, programme):
    participant = opted_in_participant(edition, ticket_type=TicketType.EXHIBITOR_STAFF)
    assert participant.type == ParticipantType.EXHIBITOR


# --- requests -------------------------------------------------------------------------------


def test_request_holds_slot_for_both(people, slots):
    a, b, *_ = people
    now = timezone.now()
    meeting = svc.meeting_request(
        requester=a, recipient=b, slot=slots[0], message=" Chào anh ", now=now
    )
    assert (meeting.status, meeting.message) == (MeetingStatus.PENDING, "Chào anh")
    assert meeting.expires_at == now + dt.timedelta(days=1)
    assert _occupied(meeting) == sorted([(a.pk, slots[0].pk), (b.pk, slots[0].pk)])


def test_request_held_slot_refused_with_409(people, slots):
    a, b, c, _d = people
    svc.meeting_request(requester=a, recipient=b, slot=slots[0])
    with pytest.raises(ApplicationError) as error:
        svc.meeting_request(requester=c, recipient=b, slot=slots[0])
    assert (error.value.code, error.value.status) == ("slot_taken", 409)


def test_request_oneself_refused(people, slots):
    with pytest.raises(ApplicationError) as error:
        svc.meeting_request(requester=people[0], recipient=people[0], slot=slots[0])
    assert (error.value.code, error.value.status) == ("oneself", 400)


def test_request_message_over_1000_characters_refused(people, slots):
    with pytest.raises(ApplicationError) as error:
        svc.meeting_request(requester=people[0], recipient=people[1], message="x" * 1001)
    assert (error.value.code, error.value.status) == ("message_too_long", 400)
    meeting = svc.meeting_request(requester=people[0], recipient=people[1], message="x" * 1000)
    assert len(meeting.message) == 1000


def test_request_past_slot_refused(people, slots):
    later = slots[0].starts_at + dt.timedelta(minutes=1)
    with pytest.raises(ApplicationError) as error:
        svc.meeting_request(requester=people[0], recipient=people[1], slot=slots[0], now=later)
    assert (error.value.code, error.value.status) == ("slot_past", 400)


def test_request_unavailable_slot_refused(people, slots):
    svc.participant_set_unavailable(participant=people[1], slot_ids=[slots[1].pk])
    with pytest.raises(ApplicationError) as error:
        svc.meeting_request(requester=people[0], recipient=people[1], slot=slots[1])
    assert (error.value.code, error.value.status) == ("slot_unavailable", 409)


def test_request_beyond_limit_refused(edition, organiser, people, slots):
    a, b, c, _d = people
    svc.programme_save(edition=edition, organiser=organiser, max_meetings_per_participant=1)
    svc.meeting_accept(
        meeting=svc.meeting_request(requester=a, recipient=b, slot=slots[0]), actor=b.user
    )
    with pytest.raises(ApplicationError) as error:
        svc.meeting_request(requester=c, recipient=a, slot=slots[1])
    assert (error.value.code, error.value.status) == ("limit_reached", 409)


def test_request_in_the_users_language(people, slots):
    with translation.override("vi"), pytest.raises(ApplicationError) as error:
        svc.meeting_request(requester=people[0], recipient=people[0], slot=slots[0])
    assert str(error.value.message) == "Bạn không thể đặt lịch gặp với chính mình."


def test_request_visitors_only_refuses_exhibitor(edition, organiser, programme, slots):
    svc.programme_save(edition=edition, organiser=organiser, who_may_request="visitors")
    exhibitor = opted_in_participant(edition, ticket_type=TicketType.EXHIBITOR_STAFF)
    visitor = opted_in_participant(edition)
    with pytest.raises(ApplicationError) as error:
        svc.meeting_request(requester=exhibitor, recipient=visitor, slot=slots[0])
    assert error.value.status == 403
    assert svc.meeting_request(requester=visitor, recipient=exhibitor, slot=slots[0]).pk


def test_set_unavailable_slot_with_request_refused(people, slots):
    svc.meeting_request(requester=people[0], recipient=people[1], slot=slots[0])
    with pytest.raises(ApplicationError) as error:
        svc.participant_set_unavailable(participant=people[1], slot_ids=[slots[0].pk])
    assert error.value.code == "slot_has_meeting"


# --- answers --------------------------------------------------------------------------------


def test_accept_schedules_at_first_free_table(people, slots, edition):
    a, b, c, d = people
    first = svc.meeting_accept(
        meeting=svc.meeting_request(requester=a, recipient=b, slot=slots[0]), actor=b.user
    )
    second = svc.meeting_accept(
        meeting=svc.meeting_request(requester=c, recipient=d, slot=slots[0]), actor=d.user
    )
    assert (first.status, first.location.number) == (MeetingStatus.SCHEDULED, 1)
    assert (second.status, second.location.number) == (MeetingStatus.SCHEDULED, 2)
    counts = dict(
        MeetingParticipant.objects.filter(edition=edition).values_list("pk", "meetings_count")
    )
    assert counts == {a.pk: 1, b.pk: 1, c.pk: 1, d.pk: 1}


def test_accept_without_free_table_waits_for_scheduling(edition, organiser, people, slots):
    svc.tables_set(edition=edition, organiser=organiser, count=0)
    a, b, *_ = people
    meeting = svc.meeting_accept(
        meeting=svc.meeting_request(requester=a, recipient=b, slot=slots[0]), actor=b.user
    )
    assert (meeting.status, meeting.location, meeting.slot) == (
        MeetingStatus.ACCEPTED_UNSCHEDULED,
        None,
        slots[0],
    )


def test_accept_prefers_the_exhibitors_booth(edition, organiser, programme, slots):
    booking = BookingFactory(booth__edition=edition)
    exhibitor = opted_in_participant(
        edition, organisation=booking.application.organisation, ticket_type="exhibitor_staff"
    )
    visitor = opted_in_participant(edition)
    assert svc.booths_as_locations(edition=edition, organiser=organiser) == 1
    meeting = svc.meeting_accept(
        meeting=svc.meeting_request(requester=visitor, recipient=exhibitor, slot=slots[0]),
        actor=exhibitor.user,
    )
    assert (meeting.location.kind, meeting.location.booth) == (
        MeetingLocationKind.BOOTH,
        booking.booth,
    )


def test_accept_by_requester_refused(people, slots):
    a, b, *_ = people
    meeting = svc.meeting_request(requester=a, recipient=b, slot=slots[0])
    with pytest.raises(ApplicationError) as error:
        svc.meeting_accept(meeting=meeting, actor=a.user)
    assert error.value.status == 403


def test_accept_any_slot_takes_first_common_free(people, slots):
    a, b, c, _d = people
    svc.meeting_request(requester=c, recipient=b, slot=slots[0])
    svc.participant_set_unavailable(participant=a, slot_ids=[slots[1].pk])
    meeting = svc.meeting_request(requester=a, recipient=b)
    assert (meeting.slot, meeting.any_slot) == (None, True)
    meeting = svc.meeting_accept(meeting=meeting, actor=b.user)
    assert (meeting.status, meeting.slot) == (MeetingStatus.SCHEDULED, slots[2])
    assert _occupied(meeting) == sorted([(a.pk, slots[2].pk), (b.pk, slots[2].pk)])


def test_accept_twice_refused(people, slots):
    a, b, *_ = people
    meeting = svc.meeting_request(requester=a, recipient=b, slot=slots[0])
    svc.meeting_accept(meeting=meeting, actor=b.user)
    with pytest.raises(ApplicationError) as error:
        svc.meeting_accept(meeting=meeting, actor=b.user)
    assert (error.value.code, error.value.status) == ("wrong_state", 409)


def test_automatic_mode_schedules_on_request(edition, organiser, people, slots):
    svc.programme_save(edition=edition, organiser=organiser, acceptance_mode="automatic")
    meeting = svc.meeting_request(requester=people[0], recipient=people[1], slot=slots[1])
    assert (meeting.status, meeting.location.number) == (MeetingStatus.SCHEDULED, 1)


def test_decline_frees_the_slot(people, slots):
    a, b, c, _d = people
    meeting = svc.meeting_request(requester=a, recipient=b, slot=slots[0])
    declined = svc.meeting_decline(meeting=meeting, actor=b.user, reason="Bận việc")
    assert (declined.status, declined.decline_reason) == (MeetingStatus.DECLINED, "Bận việc")
    assert _occupied(meeting) == []
    assert svc.meeting_request(requester=c, recipient=b, slot=slots[0]).status == "pending"


def test_propose_moves_the_hold_and_requester_accepts(people, slots):
    a, b, *_ = people
    meeting = svc.meeting_request(requester=a, recipient=b, slot=slots[0])
    later = timezone.now() + dt.timedelta(hours=3)
    proposed = svc.meeting_propose(meeting=meeting, actor=b.user, slot=slots[2], now=later)
    assert (proposed.slot, proposed.proposed_slot) == (slots[2], slots[2])
    assert proposed.expires_at == later + dt.timedelta(days=1)
    assert _occupied(meeting) == sorted([(a.pk, slots[2].pk), (b.pk, slots[2].pk)])
    with pytest.raises(ApplicationError):
        svc.meeting_accept(meeting=meeting, actor=b.user)
    accepted = svc.meeting_accept(meeting=meeting, actor=a.user)
    assert (accepted.status, accepted.slot) == (MeetingStatus.SCHEDULED, slots[2])


def test_cancel_frees_slot_table_and_limit(edition, people, slots):
    a, b, c, d = people
    meeting = svc.meeting_accept(
        meeting=svc.meeting_request(requester=a, recipient=b, slot=slots[0]), actor=b.user
    )
    table = meeting.location
    cancelled = svc.meeting_cancel(meeting=meeting, actor=a.user)
    assert (cancelled.status, cancelled.cancelled_by) == (MeetingStatus.CANCELLED, a)
    assert _occupied(meeting) == []
    assert MeetingParticipant.objects.get(pk=a.pk).meetings_count == 0
    again = svc.meeting_accept(
        meeting=svc.meeting_request(requester=c, recipient=a, slot=slots[0]), actor=a.user
    )
    assert again.location == table


def test_cancel_by_stranger_refused(people, slots):
    meeting = svc.meeting_request(requester=people[0], recipient=people[1], slot=slots[0])
    with pytest.raises(ApplicationError) as error:
        svc.meeting_cancel(meeting=meeting, actor=people[2].user)
    assert error.value.status == 403


# --- expiry ---------------------------------------------------------------------------------


def test_expire_frees_pending_requests_past_their_time(people, slots):
    a, b, c, _d = people
    old = svc.meeting_request(requester=a, recipient=b, slot=slots[0])
    fresh = svc.meeting_request(requester=c, recipient=b, slot=slots[1])
    Meeting.objects.filter(pk=fresh.pk).update(expires_at=timezone.now() + dt.timedelta(days=2))
    assert svc.meetings_expire(now=timezone.now() + dt.timedelta(days=1, minutes=1)) == 1
    assert Meeting.objects.get(pk=old.pk).status == MeetingStatus.EXPIRED
    assert Meeting.objects.get(pk=fresh.pk).status == MeetingStatus.PENDING
    assert _occupied(old) == []
    assert svc.meetings_expire(now=timezone.now() + dt.timedelta(days=1, minutes=1)) == 0


def test_accept_after_expiry_refused(people, slots):
    meeting = svc.meeting_request(requester=people[0], recipient=people[1], slot=slots[0])
    with pytest.raises(ApplicationError) as error:
        svc.meeting_accept(
            meeting=meeting, actor=people[1].user, now=meeting.expires_at + dt.timedelta(1)
        )
    assert (error.value.code, error.value.status) == ("expired", 409)


def test_expire_task_is_in_the_beat_schedule(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"events.tasks.meetings_expire_task", "events.tasks.meetings_remind_task"} <= tasks


# --- attendance and follow-up ---------------------------------------------------------------


def _scheduled(people, slots, index=0):
    a, b, *_ = people
    return svc.meeting_accept(
        meeting=svc.meeting_request(requester=a, recipient=b, slot=slots[index]), actor=b.user
    )


def test_mark_held_by_party(people, slots):
    meeting = _scheduled(people, slots)
    later = slots[0].starts_at + dt.timedelta(minutes=5)
    marked = svc.meeting_mark_attendance(
        meeting=meeting, actor=people[0].user, held=True, now=later
    )
    assert (marked.status, marked.attendance_marked_by) == (MeetingStatus.HELD, people[0].user)


def test_mark_before_start_refused(people, slots):
    meeting = _scheduled(people, slots)
    with pytest.raises(ApplicationError) as error:
        svc.meeting_mark_attendance(meeting=meeting, actor=people[0].user, held=True)
    assert (error.value.code, error.value.status) == ("not_started", 409)


def test_mark_no_show_by_table_staff(edition, people, slots):
    meeting = _scheduled(people, slots)
    staff = UserFactory(roles=["exhibitor_staff"])
    meeting.location.staff.add(staff)
    later = slots[0].starts_at + dt.timedelta(minutes=5)
    marked = svc.meeting_mark_attendance(meeting=meeting, actor=staff, held=False, now=later)
    assert (marked.status, marked.attendance_marked_by) == (MeetingStatus.NO_SHOW, staff)


def test_mark_by_other_table_or_checkin_staff_refused(edition, people, slots):
    meeting = _scheduled(people, slots)
    staff = UserFactory(roles=["exhibitor_staff"])
    CheckinListFactory(edition=edition).staff.add(staff)
    MeetingLocation.objects.filter(edition=edition).exclude(pk=meeting.location_id).get().staff.add(
        staff
    )
    later = slots[0].starts_at + dt.timedelta(minutes=5)
    with pytest.raises(ApplicationError) as error:
        svc.meeting_mark_attendance(meeting=meeting, actor=staff, held=True, now=later)
    assert (error.value.code, error.value.status) == ("not_allowed", 403)
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.SCHEDULED


def test_mark_by_stranger_refused(people, slots):
    meeting = _scheduled(people, slots)
    with pytest.raises(ApplicationError) as error:
        svc.meeting_mark_attendance(meeting=meeting, actor=people[3].user, held=True)
    assert error.value.status == 403


def test_follow_up_yes_opens_inquiry_between_organisations(people, slots):
    a, b, *_ = people
    offer = OfferFactory(organisation=b.organisation)
    meeting = _scheduled(people, slots)
    svc.meeting_mark_attendance(
        meeting=meeting, actor=a.user, held=True, now=slots[0].starts_at + dt.timedelta(minutes=1)
    )
    answered = svc.meeting_follow_up(meeting=meeting, actor=a.user, further_contact=True)
    inquiry = Inquiry.objects.get()
    assert answered.inquiry == inquiry
    assert (inquiry.offer, inquiry.initiator_organisation, inquiry.listing_organisation) == (
        offer,
        a.organisation,
        b.organisation,
    )
    assert inquiry.messages.count() == 1
    svc.meeting_follow_up(meeting=meeting, actor=b.user, further_contact=True)
    assert Inquiry.objects.count() == 1
    assert Meeting.objects.values_list("requester_follow_up", "recipient_follow_up").get() == (
        "yes",
        "yes",
    )


def test_follow_up_no_opens_nothing(people, slots):
    a, b, *_ = people
    OfferFactory(organisation=b.organisation)
    meeting = _scheduled(people, slots)
    svc.meeting_mark_attendance(
        meeting=meeting, actor=b.user, held=True, now=slots[0].starts_at + dt.timedelta(minutes=1)
    )
    svc.meeting_follow_up(meeting=meeting, actor=a.user, further_contact=False)
    assert (Inquiry.objects.count(), Meeting.objects.get().requester_follow_up) == (0, "no")


def test_follow_up_before_meeting_held_refused(people, slots):
    meeting = _scheduled(people, slots)
    with pytest.raises(ApplicationError) as error:
        svc.meeting_follow_up(meeting=meeting, actor=people[0].user, further_contact=True)
    assert error.value.code == "not_held"


# --- reminders and publishing ---------------------------------------------------------------


def test_reminders_sent_once(people, slots):
    meeting = _scheduled(people, slots)
    mail.outbox.clear()
    before = slots[0].starts_at - dt.timedelta(minutes=14)
    assert svc.meetings_send_reminders(now=before - dt.timedelta(minutes=5)) == []
    assert svc.meetings_send_reminders(now=before) == [meeting.pk]
    assert svc.meetings_send_reminders(now=before + dt.timedelta(minutes=1)) == []
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [people[0].user.email, people[1].user.email]
    )
    assert Meeting.objects.get(pk=meeting.pk).reminder_sent_at == before


def test_changes_after_publishing_email_both(edition, organiser, people, slots):
    meeting = _scheduled(people, slots)
    assert len(mail.outbox) == 0
    svc.programme_publish(edition=edition, organiser=organiser)
    mail.outbox.clear()
    svc.meeting_cancel(meeting=meeting, actor=people[1].user)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [people[0].user.email, people[1].user.email]
    )
    assert mail.outbox[0].subject.endswith("đã thay đổi")


# --- quick schedule -------------------------------------------------------------------------


def test_quick_schedule_places_and_explains(edition, organiser, people, slots):
    a, b, c, d = people
    svc.tables_set(edition=edition, organiser=organiser, count=0)
    first = svc.meeting_accept(
        meeting=svc.meeting_request(requester=a, recipient=b, slot=slots[0]), actor=b.user
    )
    second = svc.meeting_accept(
        meeting=svc.meeting_request(requester=c, recipient=d, slot=slots[0]), actor=d.user
    )
    anywhere = svc.meeting_accept(
        meeting=svc.meeting_request(requester=a, recipient=c), actor=c.user
    )
    assert [m.status for m in (first, second, anywhere)] == ["accepted_unscheduled"] * 3
    svc.tables_set(edition=edition, organiser=organiser, count=1)
    report = svc.quick_schedule_run(edition=edition, organiser=organiser, time_limit=2)
    assert (report.placed, report.upper_bound) == (2, 2)
    statuses = dict(Meeting.objects.values_list("pk", "status"))
    assert statuses == {
        first.pk: "scheduled",
        second.pk: "accepted_unscheduled",
        anywhere.pk: "scheduled",
    }
    assert Meeting.objects.get(pk=anywhere.pk).slot == slots[1]
    slot_label = str(slots[0])
    assert [(u["meeting"].pk, u["code"], u["message"]) for u in report.unplaced] == [
        (
            second.pk,
            "wanted_slot_taken",
            f"Khung giờ {slot_label} được yêu cầu đã bị chiếm: mọi bàn đều đã kín vào giờ đó.",
        )
    ]


def test_quick_schedule_reason_translated(edition, organiser, people, slots):
    from events.services.meeting_schedule import reason_message

    with translation.override("vi"):
        message = reason_message("no_common_free_slot", {"requester": "An", "recipient": "Bình"})
    assert message == "An và Bình không có khung giờ trống chung."


def test_quick_schedule_needs_organiser(edition, people):
    with pytest.raises(ApplicationError) as error:
        svc.quick_schedule_run(edition=edition, organiser=people[0].user)
    assert error.value.status == 403


def test_opt_in_unknown_sector_refused(edition, programme):
    with pytest.raises(ApplicationError) as error:
        opted_in_participant(edition, sectors=["astrology"])
    assert error.value.code == "unknown_sector"


def test_request_visitors_only_message_in_vietnamese(edition, organiser, programme, slots):
    svc.programme_save(edition=edition, organiser=organiser, who_may_request="visitors")
    exhibitor = opted_in_participant(edition, ticket_type=TicketType.EXHIBITOR_STAFF)
    visitor = opted_in_participant(edition)
    with translation.override("vi"), pytest.raises(ApplicationError) as error:
        svc.meeting_request(requester=exhibitor, recipient=visitor, slot=slots[0])
    assert str(error.value.message) == "Tại hội chợ này chỉ khách tham quan được đề nghị gặp."


def test_publish_emails_each_participant_their_schedule(edition, organiser, people, slots):
    a, b, c, d = people
    first = _scheduled(people, slots)
    svc.meeting_request(requester=c, recipient=d, slot=slots[1])  # pending: not in the mail
    mail.outbox.clear()
    svc.programme_publish(edition=edition, organiser=organiser)
    svc.programme_publish(edition=edition, organiser=organiser)  # already published: no mail
    assert sorted(m.to[0] for m in mail.outbox) == sorted([a.user.email, b.user.email])
    body = next(m.body for m in mail.outbox if m.to == [a.user.email])
    assert f"- {slots[0]} · Bàn 1 · {b}" in body
    assert first.location.number == 1
    assert next(m.subject for m in mail.outbox if m.to == [a.user.email]) == (
        f"{edition.name}: lịch gặp gỡ B2B của bạn"
    )
