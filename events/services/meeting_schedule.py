"""Quick schedule: the edition's rows as an events.scheduling Problem, the solver's placements
written back, and its reasons in the user's language.

The scheduling package speaks English templates keyed by ReasonCode (and cause fragments keyed by
cause); the same texts are wrapped in gettext_lazy here under the same keys, so a report reads in
Vietnamese or English."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from .. import realtime
from ..models import (
    LOCATED_MEETING_STATUSES,
    Meeting,
    MeetingLocation,
    MeetingLocationKind,
    MeetingParticipant,
    MeetingProgramme,
    MeetingSlot,
    MeetingStatus,
    ParticipantUnavailability,
    SlotOccupancy,
)
from ..scheduling import (
    Location,
    MeetingRequest,
    Participant,
    Problem,
    ReasonCode,
    ScheduledMeeting,
    Slot,
    quick_schedule,
)

REASON_MESSAGES = {
    ReasonCode.WANTED_SLOT_UNAVAILABLE: _(
        "The requested slot %(slot)s is not available: %(detail)s."
    ),
    ReasonCode.NO_COMMON_FREE_SLOT: _(
        "%(requester)s and %(recipient)s have no free slot in common."
    ),
    ReasonCode.LIMIT_REACHED_BY_SCHEDULED: _(
        "%(participant)s already has %(count)d scheduled meetings, the limit of %(limit)d."
    ),
    ReasonCode.NO_LOCATION: _(
        "No table is left (taken by scheduled meetings or closed) in any of the %(count)d "
        "slots both have free."
    ),
    ReasonCode.LIMIT_REACHED: _("%(participant)s reached the limit of %(limit)d meetings."),
    ReasonCode.WANTED_SLOT_TAKEN: _("The requested slot %(slot)s is taken: %(detail)s."),
    ReasonCode.PARTICIPANTS_BUSY: _(
        "In each of the %(count)d slots where they could meet, %(requester)s or "
        "%(recipient)s already has another meeting."
    ),
    ReasonCode.LOCATIONS_FULL: _(
        "All tables are taken in each of the %(count)d slots where they could meet."
    ),
    ReasonCode.SLOTS_TAKEN: _(
        "None of the %(count)d slots where they could meet is left: %(busy)d clash with "
        "another meeting of one of them, %(full)d have all tables taken."
    ),
}

CAUSE_MESSAGES = {
    "unknown_slot": _("it is not one of the meeting slots"),
    "unavailable": _("%(participant)s marked it unavailable"),
    "held": _("%(participant)s has a pending request then"),
    "scheduled": _("%(participant)s already has a meeting then"),
    "no_location": _("no table is free then"),
    "busy": _("%(participant)s has another meeting then"),
    "locations_full": _("all tables are taken then"),
}


def reason_message(code: str, params: dict[str, Any]) -> str:
    """The unplaced reason in the active language."""
    params = dict(params)
    if "cause" in params:
        params["detail"] = str(CAUSE_MESSAGES[params["cause"]]) % params
    return str(REASON_MESSAGES[ReasonCode(code)]) % params


def _problem(edition_id: int, now: dt.datetime) -> tuple[Problem, dict[int, Meeting]]:
    slots = list(MeetingSlot.objects.filter(edition_id=edition_id, starts_at__gt=now))
    slot_ids = {s.pk for s in slots}
    participants = list(
        MeetingParticipant.objects.select_for_update().filter(edition_id=edition_id).order_by("pk")
    )
    org_members: dict[int, list[int]] = defaultdict(list)
    for p in participants:
        if p.organisation_id:
            org_members[p.organisation_id].append(p.pk)
    locations = []
    for loc in MeetingLocation.objects.filter(edition_id=edition_id, is_active=True).order_by(
        "kind", "number", "pk"
    ):
        if loc.kind == MeetingLocationKind.TABLE:
            locations.append(Location.table(id=loc.pk, number=loc.number, label=str(loc)))
        elif org_members.get(loc.organisation_id):
            locations.append(
                Location.booth(
                    id=loc.pk,
                    number=loc.number,
                    exhibitor=org_members[loc.organisation_id],
                    label=f"{loc.booth.code}" if loc.booth_id else str(loc.number),
                )
            )
    unavailable: dict[int, set[int]] = defaultdict(set)
    for pid, sid in ParticipantUnavailability.objects.filter(
        participant__edition_id=edition_id, slot_id__in=slot_ids
    ).values_list("participant_id", "slot_id"):
        unavailable[pid].add(sid)
    held: dict[int, set[int]] = defaultdict(set)
    for pid, sid in SlotOccupancy.objects.filter(
        meeting__status=MeetingStatus.PENDING,
        slot_id__in=slot_ids,
        participant__edition_id=edition_id,
    ).values_list("participant_id", "slot_id"):
        held[pid].add(sid)
    located = Meeting.objects.filter(edition_id=edition_id, status__in=LOCATED_MEETING_STATUSES)
    past_counts: dict[int, int] = defaultdict(int)
    scheduled = []
    for m in located.order_by("pk"):
        if m.slot_id in slot_ids:
            scheduled.append(
                ScheduledMeeting(
                    id=m.pk,
                    requester=m.requester_id,
                    recipient=m.recipient_id,
                    slot=m.slot_id,
                    location=m.location_id,
                )
            )
        else:
            past_counts[m.requester_id] += 1
            past_counts[m.recipient_id] += 1
    waiting = {
        m.pk: m
        for m in Meeting.objects.filter(
            edition_id=edition_id, status=MeetingStatus.ACCEPTED_UNSCHEDULED
        )
        .select_related("requester", "recipient")
        .order_by("pk")
    }
    # An accepted meeting already counts in meetings_count; the solver counts scheduled meetings
    # plus those it places, which stays within the limit minus meetings in past slots.
    problem = Problem(
        slots=[
            Slot(id=s.pk, start=s.starts_at, end=s.ends_at, block=s.block_id, label=str(s))
            for s in slots
        ],
        locations=locations,
        participants=[
            Participant(
                id=p.pk,
                max_meetings=max(0, p.max_meetings - past_counts[p.pk]),
                unavailable_slots=unavailable[p.pk],
                held_slots=held[p.pk],
                label=p.display_name,
            )
            for p in participants
        ],
        requests=[
            MeetingRequest(
                id=m.pk,
                requester=m.requester_id,
                recipient=m.recipient_id,
                wanted_slot=m.slot_id,
                # Meetings tied to a slot they already hold go first: nothing else can use it.
                priority=1 if m.slot_id else 0,
            )
            for m in waiting.values()
            if m.slot_id is None or m.slot_id in slot_ids
        ],
        scheduled=scheduled,
    )
    return problem, waiting


def quick_schedule_apply(*, edition, time_limit: float, now: dt.datetime):
    from .meetings import QuickScheduleReport, _email_change_if_published, _notify_pair

    # Lock order as in the other services: participants (in _problem) before the programme.
    problem, waiting = _problem(edition.pk, now)
    MeetingProgramme.objects.select_for_update().get(edition=edition)
    result = quick_schedule(problem, time_limit=time_limit)
    slots = {s.pk: s for s in MeetingSlot.objects.filter(edition=edition)}
    changed_slots: dict[int, set[int]] = defaultdict(set)
    clashes = []
    for placement in result.placements:
        meeting = waiting[placement.request_id]
        if meeting.slot_id is None:
            # An accepted meeting left out keeps holding its wanted slot, which the solver does
            # not see as busy; such a placement is given up rather than double-booking.
            try:
                with transaction.atomic():
                    SlotOccupancy.objects.bulk_create(
                        [
                            SlotOccupancy(
                                participant_id=pid, slot_id=placement.slot_id, meeting=meeting
                            )
                            for pid in meeting.participant_ids
                        ]
                    )
            except IntegrityError:
                clashes.append(meeting)
                continue
            changed_slots[placement.slot_id].update(meeting.participant_ids)
        meeting.slot = slots[placement.slot_id]
        meeting.location_id = placement.location_id
        meeting.status = MeetingStatus.SCHEDULED
        meeting.save(update_fields=["slot", "location", "status"])
        _notify_pair(meeting, "meeting.scheduled")
        _email_change_if_published(meeting)
    for slot_id, people in changed_slots.items():
        realtime.notify_slots_changed(
            edition_id=edition.pk, participant_ids=sorted(people), slot_ids=[slot_id]
        )
    unplaced = [
        {
            "meeting": waiting[item.request_id],
            "code": str(item.code),
            "message": reason_message(item.code, item.params),
        }
        for item in result.unplaced
    ]
    for meeting in clashes:
        unplaced.append(
            {
                "meeting": meeting,
                "code": str(ReasonCode.PARTICIPANTS_BUSY),
                "message": str(
                    _("One of them holds that slot for another accepted meeting; try again.")
                ),
            }
        )
    # Accepted meetings whose wanted slot has passed were not given to the solver.
    open_slots = {s.id for s in problem.slots}
    for meeting in waiting.values():
        if meeting.slot_id is not None and meeting.slot_id not in open_slots:
            unplaced.append(
                {
                    "meeting": meeting,
                    "code": str(ReasonCode.WANTED_SLOT_UNAVAILABLE),
                    "message": str(_("The requested slot has passed.")),
                }
            )
    realtime.notify_dashboard(edition_id=edition.pk)
    return QuickScheduleReport(
        placed=result.placed - len(clashes),
        upper_bound=result.upper_bound,
        unplaced=unplaced,
        status=str(result.status),
        seconds=result.seconds,
    )
