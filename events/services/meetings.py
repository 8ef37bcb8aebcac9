"""B2B meetings: opting in, availability, requests and answers, the schedule and what follows it.

Locking: every write that changes who meets when locks the participants concerned first (in
primary-key order, so two writers never wait on each other in a cycle), then, when it hands out
a table or booth, the edition's programme row, which serialises location choice per edition.
The database constraints (one SlotOccupancy per participant and slot, one active meeting per
location and slot, meetings_count <= max_meetings) stay the last word: an IntegrityError that
slips past the checks becomes the same 409 the checks give.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.errors import ApplicationError
from accounts.models import Membership, Organisation, User
from marketplace.models import Offer, Request
from marketplace.taxonomy import ListingStatus, Sector

from .. import realtime
from ..models import (
    ACTIVE_BOOKING_STATUSES,
    COUNTED_MEETING_STATUSES,
    LOCATED_MEETING_STATUSES,
    MEETING_EXPIRY_MAX_MINUTES,
    MEETING_EXPIRY_MIN_MINUTES,
    MEETING_MESSAGE_MAX_LENGTH,
    BoothBooking,
    Edition,
    FollowUp,
    Meeting,
    MeetingAcceptance,
    MeetingBlock,
    MeetingLocation,
    MeetingLocationKind,
    MeetingParticipant,
    MeetingProgramme,
    MeetingRequesters,
    MeetingSlot,
    MeetingStatus,
    ParticipantType,
    ParticipantUnavailability,
    SlotOccupancy,
    Ticket,
    TicketType,
)
from ..permissions_meetings import can_manage_meetings, can_mark_attendance
from ..scheduling import Location, location_for_meeting

REMINDER_LEAD = dt.timedelta(minutes=15)


# --- errors ---------------------------------------------------------------------------------


def _not_allowed(message=None) -> ApplicationError:
    return ApplicationError(
        "not_allowed", message or _("You are not allowed to do this."), status=403
    )


def _slot_taken() -> ApplicationError:
    return ApplicationError(
        "slot_taken",
        _("This slot is no longer free for one of you. Choose another slot."),
        status=409,
    )


def _limit_reached(participant: MeetingParticipant) -> ApplicationError:
    return ApplicationError(
        "limit_reached",
        _("%(name)s has reached the limit of %(limit)d meetings.")
        % {"name": participant.display_name, "limit": participant.max_meetings},
        status=409,
    )


def _wrong_state() -> ApplicationError:
    return ApplicationError(
        "wrong_state", _("This request has already been answered or has expired."), status=409
    )


# --- helpers --------------------------------------------------------------------------------


def programme_for(edition: Edition) -> MeetingProgramme:
    programme = MeetingProgramme.objects.filter(edition=edition).first()
    if programme is None:
        raise ApplicationError(
            "no_programme", _("This fair has no B2B meeting programme."), status=404
        )
    return programme


def _lock_participants(*participants: MeetingParticipant) -> dict[int, MeetingParticipant]:
    ids = sorted({p.pk for p in participants})
    locked = MeetingParticipant.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    return {p.pk: p for p in locked}


def _lock_meeting(meeting: Meeting) -> tuple[Meeting, MeetingParticipant, MeetingParticipant]:
    """Lock both participants (pk order), then the meeting, and return fresh rows."""
    people = _lock_participants(meeting.requester, meeting.recipient)
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    return locked, people[locked.requester_id], people[locked.recipient_id]


def _lock_programme(edition_id: int) -> MeetingProgramme:
    return MeetingProgramme.objects.select_for_update().get(edition_id=edition_id)


def _occupy(meeting: Meeting, slot: MeetingSlot) -> None:
    try:
        with transaction.atomic():
            SlotOccupancy.objects.bulk_create(
                [
                    SlotOccupancy(participant_id=pid, slot=slot, meeting=meeting)
                    for pid in meeting.participant_ids
                ]
            )
    except IntegrityError as error:
        raise _slot_taken() from error


def _free(meeting: Meeting) -> list[int]:
    slot_ids = list(
        SlotOccupancy.objects.filter(meeting=meeting).values_list("slot_id", flat=True).distinct()
    )
    SlotOccupancy.objects.filter(meeting=meeting).delete()
    return slot_ids


def _count(people: Iterable[MeetingParticipant], delta: int) -> None:
    for person in people:
        if delta > 0 and person.meetings_count + delta > person.max_meetings:
            raise _limit_reached(person)
    try:
        with transaction.atomic():
            MeetingParticipant.objects.filter(pk__in=[p.pk for p in people]).update(
                meetings_count=F("meetings_count") + delta
            )
    except IntegrityError as error:
        raise _limit_reached(next(iter(people))) from error
    for person in people:
        person.meetings_count += delta


def _schedule_locations(meeting: Meeting, slot: MeetingSlot) -> list[Location]:
    """The edition's locations as the scheduler sees them, for this meeting's pair: tables, and
    booths of either participant's organisation."""
    org_ids = {
        meeting.requester_id: meeting.requester.organisation_id,
        meeting.recipient_id: meeting.recipient.organisation_id,
    }
    result = []
    for loc in MeetingLocation.objects.filter(edition_id=meeting.edition_id, is_active=True):
        if loc.kind == MeetingLocationKind.TABLE:
            result.append(Location.table(id=loc.pk, number=loc.number))
            continue
        hosts = [pid for pid, org in org_ids.items() if org and org == loc.organisation_id]
        if hosts:
            result.append(Location.booth(id=loc.pk, number=loc.number, exhibitor=hosts))
    return result


def _free_location(meeting: Meeting, slot: MeetingSlot) -> MeetingLocation | None:
    occupied = set(
        Meeting.objects.filter(slot=slot, status__in=LOCATED_MEETING_STATUSES)
        .exclude(location=None)
        .values_list("location_id", flat=True)
    )
    chosen = location_for_meeting(
        participants=meeting.participant_ids,
        locations=_schedule_locations(meeting, slot),
        occupied=occupied,
        slot_id=slot.pk,
    )
    return None if chosen is None else MeetingLocation.objects.get(pk=chosen.id)


def _busy_slot_ids(participant_ids: Iterable[int]) -> set[int]:
    ids = list(participant_ids)
    busy = set(
        SlotOccupancy.objects.filter(participant_id__in=ids).values_list("slot_id", flat=True)
    )
    busy |= set(
        ParticipantUnavailability.objects.filter(participant_id__in=ids).values_list(
            "slot_id", flat=True
        )
    )
    return busy


def common_free_slots(
    a: MeetingParticipant, b: MeetingParticipant, *, now: dt.datetime | None = None
) -> list[MeetingSlot]:
    now = now or timezone.now()
    busy = _busy_slot_ids([a.pk, b.pk])
    return [
        slot
        for slot in MeetingSlot.objects.filter(edition_id=a.edition_id, starts_at__gt=now)
        if slot.pk not in busy
    ]


def _notify_pair(meeting: Meeting, event: str, **extra) -> None:
    payload = {
        "meeting_id": meeting.pk,
        "status": meeting.status,
        "slot_id": meeting.slot_id,
        "location_id": meeting.location_id,
    } | extra
    for pid in meeting.participant_ids:
        realtime.notify_participant(
            edition_id=meeting.edition_id, participant_id=pid, event=event, payload=payload
        )
    realtime.notify_dashboard(edition_id=meeting.edition_id)


def _notify_slots(meeting: Meeting, slot_ids: Iterable[int]) -> None:
    slot_ids = [s for s in slot_ids if s]
    if slot_ids:
        realtime.notify_slots_changed(
            edition_id=meeting.edition_id,
            participant_ids=list(meeting.participant_ids),
            slot_ids=slot_ids,
        )


def _email_change_if_published(meeting: Meeting) -> None:
    """After the schedule is published, both parties hear of every change by email."""
    from ..tasks import meeting_change_email

    if MeetingProgramme.objects.filter(edition_id=meeting.edition_id, is_published=True).exists():
        _enqueue(meeting_change_email, meeting.pk)


def _enqueue(task, *args) -> None:
    from marketplace.services.common import enqueue

    enqueue(task, *args)


# --- organiser setup ------------------------------------------------------------------------


@transaction.atomic
def programme_save(*, edition: Edition, organiser: User, **fields) -> MeetingProgramme:
    """Create or change the edition's programme. A new limit is copied onto every participant;
    it cannot go below what someone already has accepted."""
    if not can_manage_meetings(organiser, edition):
        raise _not_allowed()
    programme, _created = MeetingProgramme.objects.select_for_update().get_or_create(
        edition=edition
    )
    expiry = fields.get("request_expiry_minutes", programme.request_expiry_minutes)
    if not MEETING_EXPIRY_MIN_MINUTES <= expiry <= MEETING_EXPIRY_MAX_MINUTES:
        raise ApplicationError(
            "bad_expiry", _("Requests must expire after between 15 minutes and 10 days.")
        )
    limit = fields.get("max_meetings_per_participant", programme.max_meetings_per_participant)
    if limit < 1:
        raise ApplicationError("bad_limit", _("Allow at least one meeting per participant."))
    busiest = (
        MeetingParticipant.objects.select_for_update()
        .filter(edition=edition, meetings_count__gt=limit)
        .order_by("-meetings_count")
        .first()
    )
    if busiest is not None:
        raise ApplicationError(
            "limit_below_accepted",
            _("%(name)s already has %(count)d accepted meetings; the limit cannot be lower.")
            % {"name": busiest.display_name, "count": busiest.meetings_count},
            status=409,
        )
    for name in (
        "max_meetings_per_participant",
        "request_expiry_minutes",
        "acceptance_mode",
        "who_may_request",
        "is_open",
    ):
        if name in fields:
            setattr(programme, name, fields[name])
    programme.save()
    MeetingParticipant.objects.filter(edition=edition).update(max_meetings=limit)
    return programme


def _block_slots(block: MeetingBlock) -> list[tuple[dt.datetime, dt.datetime]]:
    tz = timezone.get_default_timezone()
    start = timezone.make_aware(dt.datetime.combine(block.day, block.starts_at), tz)
    end = timezone.make_aware(dt.datetime.combine(block.day, block.ends_at), tz)
    length = dt.timedelta(minutes=block.slot_minutes)
    gap = dt.timedelta(minutes=block.break_minutes)
    slots = []
    while start + length <= end:
        slots.append((start, start + length))
        start += length + gap
    return slots


@transaction.atomic
def block_add(
    *,
    edition: Edition,
    organiser: User,
    day: dt.date,
    starts_at: dt.time,
    ends_at: dt.time,
    slot_minutes: int = 20,
    break_minutes: int = 0,
) -> MeetingBlock:
    """Add a block of meeting slots on one fair day and generate its slots."""
    if not can_manage_meetings(organiser, edition):
        raise _not_allowed()
    programme = programme_for(edition)
    if not edition.start_date <= day <= edition.end_date:
        raise ApplicationError("day_outside_fair", _("Pick one of the fair's days."))
    if not 10 <= slot_minutes <= 60:
        raise ApplicationError("bad_slot_length", _("Slots last between 10 and 60 minutes."))
    if not 0 <= break_minutes <= 60:
        raise ApplicationError("bad_break", _("A break lasts at most 60 minutes."))
    if ends_at <= starts_at:
        raise ApplicationError("bad_block_times", _("The block must end after it starts."))
    for other in programme.blocks.filter(day=day):
        if other.starts_at < ends_at and starts_at < other.ends_at:
            raise ApplicationError(
                "block_overlap", _("This block overlaps another block that day."), status=409
            )
    block = MeetingBlock.objects.create(
        programme=programme,
        day=day,
        starts_at=starts_at,
        ends_at=ends_at,
        slot_minutes=slot_minutes,
        break_minutes=break_minutes,
    )
    times = _block_slots(block)
    if not times:
        raise ApplicationError("block_too_short", _("The block is shorter than one slot."))
    MeetingSlot.objects.bulk_create(
        [MeetingSlot(edition=edition, block=block, starts_at=s, ends_at=e) for s, e in times]
    )
    return block


@transaction.atomic
def block_delete(*, block: MeetingBlock, organiser: User) -> None:
    edition = block.programme.edition
    if not can_manage_meetings(organiser, edition):
        raise _not_allowed()
    if Meeting.objects.filter(slot__block=block).exists():
        raise ApplicationError(
            "block_in_use", _("Meetings use this block's slots; cancel them first."), status=409
        )
    block.delete()


@transaction.atomic
def tables_set(*, edition: Edition, organiser: User, count: int) -> int:
    """Numbered tables 1..count in the meeting area. Tables above count are taken out of use
    (kept, since past meetings refer to them)."""
    if not can_manage_meetings(organiser, edition):
        raise _not_allowed()
    if not 0 <= count <= 500:
        raise ApplicationError("bad_table_count", _("Give between 0 and 500 tables."))
    _lock_programme(edition.pk)
    existing = {
        t.number: t
        for t in MeetingLocation.objects.filter(edition=edition, kind=MeetingLocationKind.TABLE)
    }
    MeetingLocation.objects.bulk_create(
        [
            MeetingLocation(edition=edition, kind=MeetingLocationKind.TABLE, number=n)
            for n in range(1, count + 1)
            if n not in existing
        ]
    )
    MeetingLocation.objects.filter(
        edition=edition, kind=MeetingLocationKind.TABLE, number__lte=count
    ).update(is_active=True)
    MeetingLocation.objects.filter(
        edition=edition, kind=MeetingLocationKind.TABLE, number__gt=count
    ).update(is_active=False)
    return count


@transaction.atomic
def location_staff_add(*, location: MeetingLocation, organiser: User, email: str) -> User:
    """Put the account with this email on a table's staff: they get the table page and may mark
    its meetings held or no-show. The person signs up first, as for check-in staff."""
    if not can_manage_meetings(organiser, location.edition):
        raise _not_allowed()
    email = (email or "").strip()
    user = User.objects.filter(email__iexact=email, is_active=True).first() if email else None
    if user is None:
        raise ApplicationError(
            "unknown_user",
            _("No account uses the email %(email)s. Ask the person to sign up first.")
            % {"email": email},
            status=404,
        )
    if location.staff.filter(pk=user.pk).exists():
        raise ApplicationError(
            "already_staff",
            _("%(user)s already staffs %(location)s.") % {"user": user, "location": location},
            status=409,
        )
    location.staff.add(user)
    return user


@transaction.atomic
def location_staff_remove(*, location: MeetingLocation, organiser: User, user: User) -> None:
    if not can_manage_meetings(organiser, location.edition):
        raise _not_allowed()
    location.staff.remove(user)


@transaction.atomic
def booths_as_locations(*, edition: Edition, organiser: User) -> int:
    """Every booked booth becomes a meeting location for its exhibitor's meetings."""
    if not can_manage_meetings(organiser, edition):
        raise _not_allowed()
    _lock_programme(edition.pk)
    bookings = BoothBooking.objects.filter(
        booth__edition=edition, status__in=ACTIVE_BOOKING_STATUSES
    ).select_related("booth", "application")
    have = set(
        MeetingLocation.objects.filter(edition=edition, kind=MeetingLocationKind.BOOTH).values_list(
            "booth_id", flat=True
        )
    )
    number = MeetingLocation.objects.filter(edition=edition, kind=MeetingLocationKind.BOOTH).count()
    created = 0
    for booking in bookings.order_by("booth__code"):
        if booking.booth_id in have:
            continue
        number += 1
        MeetingLocation.objects.create(
            edition=edition,
            kind=MeetingLocationKind.BOOTH,
            number=number,
            booth=booking.booth,
            organisation_id=booking.application.organisation_id,
        )
        created += 1
    return created


@transaction.atomic
def programme_publish(*, edition: Edition, organiser: User) -> MeetingProgramme:
    if not can_manage_meetings(organiser, edition):
        raise _not_allowed()
    programme = _lock_programme(programme_for(edition).edition_id)
    if not programme.is_published:
        from ..tasks import agenda_published_email

        programme.is_published = True
        programme.published_at = timezone.now()
        programme.save(update_fields=["is_published", "published_at"])
        people = set()
        for pair in Meeting.objects.filter(
            edition=edition, status__in=LOCATED_MEETING_STATUSES
        ).values_list("requester_id", "recipient_id"):
            people.update(pair)
        for pid in sorted(people):
            realtime.notify_participant(
                edition_id=edition.pk,
                participant_id=pid,
                event="meeting.updated",
                payload={"published": True},
            )
            _enqueue(agenda_published_email, pid)
        realtime.notify_dashboard(edition_id=edition.pk)
    return programme


# --- participants ---------------------------------------------------------------------------


def _ticket_for(edition: Edition, user: User) -> Ticket:
    ticket = (
        Ticket.objects.filter(edition=edition, user=user, revoked_at__isnull=True)
        .order_by("created_at")
        .first()
    )
    if ticket is None:
        raise ApplicationError(
            "no_ticket",
            _("You need a ticket to this fair to take part in B2B meetings."),
            status=403,
        )
    return ticket


def _organisation_for(ticket: Ticket, user: User) -> Organisation | None:
    if ticket.exhibitor_id:
        return ticket.exhibitor
    membership = Membership.objects.filter(user=user).select_related("organisation").first()
    return membership.organisation if membership else None


def _participant_type(ticket: Ticket, organisation: Organisation | None, edition) -> str:
    if ticket.type == TicketType.EXHIBITOR_STAFF:
        return ParticipantType.EXHIBITOR
    if (
        organisation is not None
        and BoothBooking.objects.filter(
            booth__edition=edition,
            application__organisation=organisation,
            status__in=ACTIVE_BOOKING_STATUSES,
        ).exists()
    ):
        return ParticipantType.EXHIBITOR
    return ParticipantType.VISITOR


@transaction.atomic
def participant_opt_in(
    *,
    edition: Edition,
    user: User,
    offers_text: str = "",
    seeks_text: str = "",
    offer_ids: Iterable[int] = (),
    request_ids: Iterable[int] = (),
    sectors: Iterable[str] = (),
    languages: Iterable[str] = (),
) -> MeetingParticipant:
    """Opt into matchmaking (or update the profile). Only the user's own organisation's
    published listings can be linked."""
    programme = programme_for(edition)
    ticket = _ticket_for(edition, user)
    organisation = _organisation_for(ticket, user)
    for text in (offers_text, seeks_text):
        if len(text or "") > 1000:
            raise ApplicationError("text_too_long", _("Keep each text under 1,000 characters."))
    sectors = sorted(set(sectors))
    if any(code not in Sector.values for code in sectors):
        raise ApplicationError("unknown_sector", _("Choose sectors from the list."))
    participant = (
        MeetingParticipant.objects.select_for_update().filter(edition=edition, user=user).first()
    )
    if participant is None:
        participant = MeetingParticipant(
            edition=edition,
            ticket=ticket,
            user=user,
            max_meetings=programme.max_meetings_per_participant,
        )
    participant.organisation = organisation
    participant.type = _participant_type(ticket, organisation, edition)
    participant.display_name = user.full_name or ticket.name or user.email
    participant.organisation_name = organisation.name if organisation else ticket.organisation_name
    participant.province = (organisation.province if organisation else "") or ticket.province
    participant.offers_text = (offers_text or "").strip()
    participant.seeks_text = (seeks_text or "").strip()
    participant.sectors = sectors
    participant.languages = sorted(set(languages))
    participant.is_active = True
    try:
        with transaction.atomic():
            participant.save()
    except IntegrityError as error:
        raise ApplicationError(
            "already_participating", _("This ticket already takes part."), status=409
        ) from error
    own = Q(organisation=organisation, status=ListingStatus.PUBLISHED)
    if organisation is None:
        participant.offers.clear()
        participant.requests.clear()
    else:
        participant.offers.set(Offer.objects.filter(own, pk__in=list(offer_ids)))
        participant.requests.set(Request.objects.filter(own, pk__in=list(request_ids)))
    realtime.notify_dashboard(edition_id=edition.pk)
    return participant


@dataclass
class OptOutReport:
    participant: MeetingParticipant
    declined: list[Meeting] = field(default_factory=list)
    cancelled: list[Meeting] = field(default_factory=list)


def _open_meetings_of(participant: MeetingParticipant, now: dt.datetime) -> list[Meeting]:
    """Requests still waiting, accepted meetings without a slot yet, and scheduled meetings that
    have not started: what leaving matchmaking takes back. Meetings under way or over stay."""
    return list(
        Meeting.objects.filter(Q(requester=participant) | Q(recipient=participant))
        .filter(
            Q(status__in=[MeetingStatus.PENDING, MeetingStatus.ACCEPTED_UNSCHEDULED])
            | Q(status=MeetingStatus.SCHEDULED, slot__starts_at__gt=now)
        )
        .select_related("requester", "recipient", "slot")
        .order_by("pk")
    )


@transaction.atomic
def participant_opt_out(
    *, edition: Edition, user: User, now: dt.datetime | None = None
) -> OptOutReport:
    """Leave matchmaking: the profile stays (opting in again brings it back) but nobody can ask
    for a meeting any more. Requests waiting for the participant's answer are declined, their own
    and the other waiting ones are withdrawn, and meetings that have not started are cancelled
    through meeting_decline / meeting_cancel, so slots and tables are freed and partners are told
    (live, and by email once the schedule is published) exactly as when they cancel one by one.
    """
    now = now or timezone.now()
    participant = None
    if user is not None and user.is_authenticated:
        participant = MeetingParticipant.objects.filter(edition=edition, user=user).first()
    if participant is None:
        raise ApplicationError(
            "not_participating", _("You do not take part in B2B meetings."), status=404
        )
    # Lock the participant and every partner in primary-key order, as the per-meeting services
    # do, so this cannot deadlock with a partner's own answer or cancellation. Once the
    # participant is locked no meeting of theirs can appear or change, so the list read under
    # the lock is complete.
    partner_ids = {pid for m in _open_meetings_of(participant, now) for pid in m.participant_ids}
    locked = _lock_participants(participant, *[MeetingParticipant(pk=pk) for pk in partner_ids])
    participant = locked[participant.pk]
    participant.is_active = False
    participant.save(update_fields=["is_active"])
    report = OptOutReport(participant=participant)
    for meeting in _open_meetings_of(participant, now):
        answers = (
            meeting.status == MeetingStatus.PENDING
            and _answerer(meeting) == participant.pk
            and (meeting.expires_at is None or meeting.expires_at > now)
        )
        if answers:
            report.declined.append(meeting_decline(meeting=meeting, actor=user, now=now))
        else:
            report.cancelled.append(meeting_cancel(meeting=meeting, actor=user, now=now))
    realtime.notify_dashboard(edition_id=edition.pk)
    return report


@transaction.atomic
def participant_set_unavailable(
    *, participant: MeetingParticipant, slot_ids: Iterable[int]
) -> list[int]:
    """Replace the participant's unavailable slots. A slot with a meeting or a pending request
    cannot be blocked (cancel that first)."""
    participant = _lock_participants(participant)[participant.pk]
    wanted = set(
        MeetingSlot.objects.filter(
            edition_id=participant.edition_id, pk__in=list(slot_ids)
        ).values_list("pk", flat=True)
    )
    taken = set(
        SlotOccupancy.objects.filter(participant=participant, slot_id__in=wanted).values_list(
            "slot_id", flat=True
        )
    )
    if taken:
        raise ApplicationError(
            "slot_has_meeting",
            _("You have a meeting or a pending request in one of these slots; cancel it first."),
            status=409,
        )
    current = set(participant.unavailabilities.values_list("slot_id", flat=True))
    participant.unavailabilities.filter(slot_id__in=current - wanted).delete()
    ParticipantUnavailability.objects.bulk_create(
        [ParticipantUnavailability(participant=participant, slot_id=s) for s in wanted - current]
    )
    changed = sorted(current ^ wanted)
    if changed:
        realtime.notify_slots_changed(
            edition_id=participant.edition_id, participant_ids=[participant.pk], slot_ids=changed
        )
    return sorted(wanted)


# --- requests -------------------------------------------------------------------------------


def _may_request(programme: MeetingProgramme, participant: MeetingParticipant) -> bool:
    return programme.who_may_request == MeetingRequesters.BOTH or (
        (programme.who_may_request == MeetingRequesters.VISITORS)
        == (participant.type == ParticipantType.VISITOR)
    )


def _check_slot(slot: MeetingSlot, people: Iterable[MeetingParticipant], now) -> None:
    if slot.starts_at <= now:
        raise ApplicationError("slot_past", _("This slot has already begun or passed."))
    ids = [p.pk for p in people]
    if ParticipantUnavailability.objects.filter(participant_id__in=ids, slot=slot).exists():
        raise ApplicationError(
            "slot_unavailable", _("One of you is not available in this slot."), status=409
        )
    if SlotOccupancy.objects.filter(participant_id__in=ids, slot=slot).exists():
        raise _slot_taken()


@transaction.atomic
def meeting_request(
    *,
    requester: MeetingParticipant,
    recipient: MeetingParticipant,
    slot: MeetingSlot | None = None,
    message: str = "",
    now: dt.datetime | None = None,
) -> Meeting:
    """Ask for a meeting at a free slot, or (slot=None) at any slot both have free. A request
    holds its slot for both people until it is answered or expires. In "automatic" mode it is
    accepted at once."""
    now = now or timezone.now()
    message = (message or "").strip()
    if len(message) > MEETING_MESSAGE_MAX_LENGTH:
        raise ApplicationError(
            "message_too_long",
            _("The message may have at most %(max)d characters.")
            % {"max": MEETING_MESSAGE_MAX_LENGTH},
        )
    if requester.pk == recipient.pk:
        raise ApplicationError("oneself", _("You cannot request a meeting with yourself."))
    if requester.edition_id != recipient.edition_id:
        raise ApplicationError("other_edition", _("This person is not at this fair."), status=404)
    programme = programme_for(requester.edition)
    if not programme.is_open:
        raise ApplicationError(
            "programme_closed", _("Meeting requests are closed for this fair."), status=409
        )
    if not _may_request(programme, requester):
        raise _not_allowed(
            _("Only %(who)s may request meetings at this fair.")
            % {"who": programme.get_who_may_request_display().lower()}
        )
    people = _lock_participants(requester, recipient)
    requester, recipient = people[requester.pk], people[recipient.pk]
    if not recipient.is_active or not requester.is_active:
        raise ApplicationError(
            "not_participating", _("This person no longer takes part in meetings."), status=409
        )
    for person in (requester, recipient):
        if person.meetings_count >= person.max_meetings:
            raise _limit_reached(person)
    if slot is not None:
        if slot.edition_id != requester.edition_id:
            raise ApplicationError("unknown_slot", _("This slot is not part of this fair."))
        _check_slot(slot, (requester, recipient), now)
    else:
        duplicate = Meeting.objects.filter(
            Q(requester=requester, recipient=recipient)
            | Q(requester=recipient, recipient=requester),
            status=MeetingStatus.PENDING,
            any_slot=True,
        ).exists()
        if duplicate:
            raise ApplicationError(
                "already_requested", _("A request between you is already waiting."), status=409
            )
        if not common_free_slots(requester, recipient, now=now):
            raise ApplicationError(
                "no_common_free_slot", _("You have no free slot in common."), status=409
            )
    meeting = Meeting.objects.create(
        edition_id=requester.edition_id,
        requester=requester,
        recipient=recipient,
        slot=slot,
        any_slot=slot is None,
        message=message,
        status=MeetingStatus.PENDING,
        expires_at=now + dt.timedelta(minutes=programme.request_expiry_minutes),
    )
    if slot is not None:
        _occupy(meeting, slot)
        _notify_slots(meeting, [slot.pk])
    realtime.notify_participant(
        edition_id=meeting.edition_id,
        participant_id=recipient.pk,
        event="request.new",
        payload={"meeting_id": meeting.pk, "status": meeting.status, "slot_id": meeting.slot_id},
    )
    realtime.notify_dashboard(edition_id=meeting.edition_id)
    if programme.acceptance_mode == MeetingAcceptance.AUTOMATIC:
        return _accept(meeting, requester, recipient, now=now)
    return meeting


def _accept(
    meeting: Meeting, requester: MeetingParticipant, recipient: MeetingParticipant, *, now
) -> Meeting:
    """Accept a locked pending meeting: count it, then give it a slot and a table at once when
    one is free. Participants must already be locked."""
    for person in (requester, recipient):
        if person.meetings_count >= person.max_meetings:
            raise _limit_reached(person)
    meeting.requester, meeting.recipient = requester, recipient
    _lock_programme(meeting.edition_id)
    new_slot_ids = []
    if meeting.slot_id is not None:
        if meeting.slot.starts_at <= now:
            raise ApplicationError("slot_past", _("This slot has already begun or passed."))
        slot, location = meeting.slot, _free_location(meeting, meeting.slot)
    else:
        candidates = common_free_slots(requester, recipient, now=now)
        if not candidates:
            raise ApplicationError(
                "no_common_free_slot", _("You have no free slot in common any more."), status=409
            )
        slot, location = None, None
        for candidate in candidates:
            location = _free_location(meeting, candidate)
            if location is not None:
                slot = candidate
                break
        if slot is not None:
            meeting.slot = slot
            _occupy(meeting, slot)
            new_slot_ids.append(slot.pk)
    _count((requester, recipient), +1)
    meeting.location = location
    meeting.status = (
        MeetingStatus.SCHEDULED if location is not None else MeetingStatus.ACCEPTED_UNSCHEDULED
    )
    meeting.answered_at = now
    meeting.expires_at = None
    try:
        with transaction.atomic():
            meeting.save()
    except IntegrityError as error:
        raise _slot_taken() from error
    _notify_pair(meeting, "request.answered")
    if meeting.status == MeetingStatus.SCHEDULED:
        _notify_pair(meeting, "meeting.scheduled")
        _email_change_if_published(meeting)
    _notify_slots(meeting, new_slot_ids)
    return meeting


def _answerer(meeting: Meeting) -> int:
    """Who answers a pending request: the recipient, or the requester once the recipient has
    proposed another slot."""
    return meeting.requester_id if meeting.proposed_slot_id else meeting.recipient_id


def _check_pending(meeting: Meeting, actor: User, now) -> None:
    if meeting.status != MeetingStatus.PENDING:
        raise _wrong_state()
    if meeting.expires_at is not None and meeting.expires_at <= now:
        raise ApplicationError("expired", _("This request has expired."), status=409)
    answerer = (
        meeting.requester if _answerer(meeting) == meeting.requester_id else meeting.recipient
    )
    if answerer.user_id != actor.pk:
        raise _not_allowed(_("Only the person asked can answer this request."))


@transaction.atomic
def meeting_accept(*, meeting: Meeting, actor: User, now: dt.datetime | None = None) -> Meeting:
    now = now or timezone.now()
    meeting, requester, recipient = _lock_meeting(meeting)
    _check_pending(meeting, actor, now)
    return _accept(meeting, requester, recipient, now=now)


@transaction.atomic
def meeting_decline(
    *, meeting: Meeting, actor: User, reason: str = "", now: dt.datetime | None = None
) -> Meeting:
    now = now or timezone.now()
    reason = (reason or "").strip()
    if len(reason) > 500:
        raise ApplicationError("reason_too_long", _("Keep the reason under 500 characters."))
    meeting, _requester, _recipient = _lock_meeting(meeting)
    _check_pending(meeting, actor, now)
    freed = _free(meeting)
    meeting.status = MeetingStatus.DECLINED
    meeting.decline_reason = reason
    meeting.answered_at = now
    meeting.save(update_fields=["status", "decline_reason", "answered_at"])
    _notify_pair(meeting, "request.answered", reason=reason)
    _notify_slots(meeting, freed)
    return meeting


@transaction.atomic
def meeting_propose(
    *, meeting: Meeting, actor: User, slot: MeetingSlot, now: dt.datetime | None = None
) -> Meeting:
    """The recipient proposes another slot: the request moves there (holding it for both) and
    waits for the requester's answer."""
    now = now or timezone.now()
    meeting, requester, recipient = _lock_meeting(meeting)
    _check_pending(meeting, actor, now)
    if actor.pk != recipient.user_id:
        raise _not_allowed(_("Only the person asked can propose another slot."))
    if slot.edition_id != meeting.edition_id:
        raise ApplicationError("unknown_slot", _("This slot is not part of this fair."))
    if slot.pk == meeting.slot_id:
        raise ApplicationError("same_slot", _("Propose a different slot."))
    freed = _free(meeting)
    _check_slot(slot, (requester, recipient), now)
    meeting.slot = slot
    meeting.any_slot = False
    meeting.proposed_slot = slot
    # The requester gets the full answering time for the new proposal.
    expiry = programme_for(meeting.edition).request_expiry_minutes
    meeting.expires_at = now + dt.timedelta(minutes=expiry)
    meeting.save(update_fields=["slot", "any_slot", "proposed_slot", "expires_at"])
    _occupy(meeting, slot)
    _notify_pair(meeting, "request.answered", proposed_slot_id=slot.pk)
    _notify_slots(meeting, [*freed, slot.pk])
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, actor: User, now: dt.datetime | None = None) -> Meeting:
    """Either side cancels a request or a meeting; the slot and the table become free."""
    now = now or timezone.now()
    meeting, requester, recipient = _lock_meeting(meeting)
    side = {requester.user_id: requester, recipient.user_id: recipient}.get(actor.pk)
    if side is None:
        raise _not_allowed(_("Only the two participants can cancel this meeting."))
    cancellable = (
        MeetingStatus.PENDING,
        MeetingStatus.ACCEPTED_UNSCHEDULED,
        MeetingStatus.SCHEDULED,
    )
    if meeting.status not in cancellable:
        raise ApplicationError(
            "not_cancellable", _("This meeting can no longer be cancelled."), status=409
        )
    if meeting.slot_id and meeting.status != MeetingStatus.PENDING and meeting.slot.ends_at <= now:
        raise ApplicationError(
            "not_cancellable", _("This meeting can no longer be cancelled."), status=409
        )
    was_counted = meeting.status in COUNTED_MEETING_STATUSES
    was_scheduled = meeting.status == MeetingStatus.SCHEDULED
    freed = _free(meeting)
    if was_counted:
        _count((requester, recipient), -1)
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancelled_by = side
    meeting.save(update_fields=["status", "cancelled_by"])
    _notify_pair(meeting, "meeting.cancelled", cancelled_by=side.pk)
    _notify_slots(meeting, freed)
    if was_scheduled:
        _email_change_if_published(meeting)
    return meeting


def meetings_expire(*, now: dt.datetime | None = None) -> int:
    """Expire pending requests past their time; their slots become free again."""
    now = now or timezone.now()
    expired = 0
    for pk in Meeting.objects.filter(status=MeetingStatus.PENDING, expires_at__lte=now).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            meeting = Meeting.objects.select_related("requester", "recipient").get(pk=pk)
            meeting, _requester, _recipient = _lock_meeting(meeting)
            if meeting.status != MeetingStatus.PENDING or meeting.expires_at > now:
                continue
            freed = _free(meeting)
            meeting.status = MeetingStatus.EXPIRED
            meeting.save(update_fields=["status"])
            _notify_pair(meeting, "request.answered")
            _notify_slots(meeting, freed)
            expired += 1
    return expired


# --- after the meeting ----------------------------------------------------------------------


@transaction.atomic
def meeting_mark_attendance(
    *, meeting: Meeting, actor: User, held: bool, now: dt.datetime | None = None
) -> Meeting:
    """Either party or table staff records that the meeting took place, or that it did not."""
    now = now or timezone.now()
    if not can_mark_attendance(actor, meeting):
        raise _not_allowed()
    meeting, _requester, _recipient = _lock_meeting(meeting)
    if meeting.status not in LOCATED_MEETING_STATUSES:
        raise ApplicationError(
            "not_scheduled", _("Only a scheduled meeting can be marked."), status=409
        )
    if meeting.slot.starts_at > now:
        raise ApplicationError("not_started", _("The meeting has not started yet."), status=409)
    meeting.status = MeetingStatus.HELD if held else MeetingStatus.NO_SHOW
    meeting.attendance_marked_by = actor
    meeting.attendance_marked_at = now
    meeting.save(update_fields=["status", "attendance_marked_by", "attendance_marked_at"])
    _notify_pair(meeting, "meeting.updated")
    return meeting


def _partner_listing(partner: MeetingParticipant) -> Offer | Request | None:
    """The partner's listing the thread is about: one they linked to their profile, else any
    published listing of their organisation."""
    for linked in (partner.offers, partner.requests):
        listing = linked.filter(status=ListingStatus.PUBLISHED).order_by("pk").first()
        if listing is not None:
            return listing
    for model in (Offer, Request):
        listing = (
            model.objects.filter(
                organisation_id=partner.organisation_id, status=ListingStatus.PUBLISHED
            )
            .order_by("pk")
            .first()
        )
        if listing is not None:
            return listing
    return None


@transaction.atomic
def meeting_follow_up(*, meeting: Meeting, actor: User, further_contact: bool) -> Meeting:
    """Asked after a held meeting: did it lead to further contact? "Yes" opens a marketplace
    inquiry thread between the two organisations (once per meeting)."""
    from marketplace.services.inquiries import inquiry_open

    meeting, requester, recipient = _lock_meeting(meeting)
    if actor.pk == requester.user_id:
        side, partner, field_name = requester, recipient, "requester_follow_up"
    elif actor.pk == recipient.user_id:
        side, partner, field_name = recipient, requester, "recipient_follow_up"
    else:
        raise _not_allowed(_("Only the two participants can answer this."))
    if meeting.status != MeetingStatus.HELD:
        raise ApplicationError(
            "not_held", _("This question comes after a meeting that took place."), status=409
        )
    setattr(meeting, field_name, FollowUp.YES if further_contact else FollowUp.NO)
    meeting.save(update_fields=[field_name])
    if (
        further_contact
        and meeting.inquiry_id is None
        and side.organisation_id
        and partner.organisation_id
        and side.organisation_id != partner.organisation_id
    ):
        listing = _partner_listing(partner)
        if listing is not None:
            body = str(
                _("Following our B2B meeting at %(fair)s, we would like to continue the talk.")
                % {"fair": meeting.edition.name}
            )
            inquiry = inquiry_open(
                listing=listing, actor=actor, organisation=side.organisation, body=body
            )
            meeting.inquiry = inquiry
            meeting.save(update_fields=["inquiry"])
    _notify_pair(meeting, "meeting.updated")
    return meeting


# --- reminders ------------------------------------------------------------------------------


def meetings_send_reminders(*, now: dt.datetime | None = None) -> list[int]:
    """Remind both parties of meetings starting within 15 minutes, by email and in the page.
    Each meeting's reminder is claimed by a conditional UPDATE, so two runs (or two beat
    workers) never both send it."""
    from ..tasks import meeting_reminder_email

    now = now or timezone.now()
    due = Meeting.objects.filter(
        status=MeetingStatus.SCHEDULED,
        reminder_sent_at__isnull=True,
        slot__starts_at__gt=now,
        slot__starts_at__lte=now + REMINDER_LEAD,
    ).values_list("pk", flat=True)
    sent = []
    for pk in list(due):
        with transaction.atomic():
            claimed = Meeting.objects.filter(pk=pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            )
            if not claimed:
                continue
            meeting = Meeting.objects.get(pk=pk)
            _notify_pair(meeting, "reminder")
            _enqueue(meeting_reminder_email, pk)
            sent.append(pk)
    return sent


# --- quick schedule -------------------------------------------------------------------------


@dataclass
class QuickScheduleReport:
    placed: int
    upper_bound: int
    unplaced: list[dict] = field(default_factory=list)  # meeting, code, message (translated)
    status: str = ""
    seconds: float = 0.0


@transaction.atomic
def quick_schedule_run(
    *, edition: Edition, organiser: User, time_limit: float = 8.0, now=None
) -> QuickScheduleReport:
    """Place every accepted-but-unscheduled meeting (in automatic mode requests are accepted at
    once, so mutual requests are among them) with the solver, respecting availability, limits,
    pending holds and the meetings already scheduled."""
    from .meeting_schedule import quick_schedule_apply

    if not can_manage_meetings(organiser, edition):
        raise _not_allowed()
    return quick_schedule_apply(edition=edition, time_limit=time_limit, now=now or timezone.now())
