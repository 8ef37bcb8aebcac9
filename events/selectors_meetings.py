"""Reads for B2B meetings. Each returns rows with their relations loaded, so pages and APIs make
a constant number of queries whatever the number of meetings or people listed."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from marketplace.models import Offer, Request
from marketplace.taxonomy import ListingStatus

from .models import (
    COUNTED_MEETING_STATUSES,
    LOCATED_MEETING_STATUSES,
    Edition,
    Meeting,
    MeetingLocation,
    MeetingParticipant,
    MeetingProgramme,
    MeetingSlot,
    MeetingStatus,
    ParticipantUnavailability,
    SlotOccupancy,
)

AGENDA_STATUSES = (MeetingStatus.ACCEPTED_UNSCHEDULED, *LOCATED_MEETING_STATUSES)


def programme_get(edition: Edition) -> MeetingProgramme | None:
    return MeetingProgramme.objects.filter(edition=edition).first()


def _staffed_tables(edition, user: User) -> QuerySet[MeetingLocation]:
    """The same test as the table staff page's own (locations_staffed_by)."""
    return MeetingLocation.objects.filter(edition=edition, staff=user)


def participant_for_user(edition: Edition, user: User) -> MeetingParticipant | None:
    """The user's participant row, with `staffs_a_table` (whether they are on the staff of one
    of the edition's tables) answered by an EXISTS in the same query, for the navigation."""
    if not user.is_authenticated:
        return None
    return (
        MeetingParticipant.objects.filter(edition=edition, user=user)
        .annotate(staffs_a_table=Exists(_staffed_tables(OuterRef("edition_id"), user)))
        .select_related("organisation", "ticket")
        .first()
    )


def user_staffs_a_table(
    edition: Edition, user: User, *, participant: MeetingParticipant | None = None
) -> bool:
    """Whether the user is on the staff of any of the edition's locations: read off their
    participant row when they have one (participant_for_user), else one EXISTS query."""
    if participant is not None:
        return participant.staffs_a_table
    if not user.is_authenticated:
        return False
    return _staffed_tables(edition, user).exists()


def _published_listings(model):
    return Prefetch(
        "offers" if model is Offer else "requests",
        queryset=model.objects.filter(status=ListingStatus.PUBLISHED).only(
            "pk", "title", "organisation_id"
        ),
    )


def meetings_with_relations() -> QuerySet[Meeting]:
    people = []
    for side in ("requester", "recipient"):
        people += [
            Prefetch(
                f"{side}__offers",
                queryset=Offer.objects.filter(status=ListingStatus.PUBLISHED).only(
                    "pk", "title", "organisation_id"
                ),
            ),
            Prefetch(
                f"{side}__requests",
                queryset=Request.objects.filter(status=ListingStatus.PUBLISHED).only(
                    "pk", "title", "organisation_id"
                ),
            ),
        ]
    return Meeting.objects.select_related(
        "edition",
        "slot",
        "proposed_slot",
        "location__booth",
        "requester__organisation",
        "recipient__organisation",
    ).prefetch_related(*people)


def meetings_for_participant(
    participant: MeetingParticipant, *, statuses=None, direction: str = ""
) -> QuerySet[Meeting]:
    qs = meetings_with_relations()
    if direction == "incoming":
        qs = qs.filter(recipient=participant)
    elif direction == "outgoing":
        qs = qs.filter(requester=participant)
    else:
        qs = qs.filter(Q(requester=participant) | Q(recipient=participant))
    if statuses is not None:
        qs = qs.filter(status__in=statuses)
    return qs.order_by("slot__starts_at", "pk")


def agenda_for(participant: MeetingParticipant) -> list[Meeting]:
    return list(meetings_for_participant(participant, statuses=AGENDA_STATUSES))


def requests_for(participant: MeetingParticipant) -> dict[str, list[Meeting]]:
    """Incoming and outgoing requests still waiting, then the recent answered ones."""
    rows = list(meetings_for_participant(participant).order_by("-created_at", "-pk"))
    return {
        "incoming": [m for m in rows if m.recipient_id == participant.pk and m.status == "pending"],
        "outgoing": [m for m in rows if m.requester_id == participant.pk and m.status == "pending"],
        "answered": [m for m in rows if m.status != MeetingStatus.PENDING],
    }


def open_meetings_for(
    participant: MeetingParticipant, *, now: dt.datetime | None = None
) -> list[Meeting]:
    """What opting out would call off: waiting requests, accepted meetings without a slot, and
    scheduled meetings that have not started (as events.services.meetings.participant_opt_out)."""
    now = now or timezone.now()
    return list(
        meetings_for_participant(participant).filter(
            Q(status__in=[MeetingStatus.PENDING, MeetingStatus.ACCEPTED_UNSCHEDULED])
            | Q(status=MeetingStatus.SCHEDULED, slot__starts_at__gt=now)
        )
    )


def partner_of(meeting: Meeting, participant: MeetingParticipant) -> MeetingParticipant:
    return meeting.recipient if meeting.requester_id == participant.pk else meeting.requester


def free_slots_for(
    *people: MeetingParticipant, now: dt.datetime | None = None
) -> list[MeetingSlot]:
    """Future slots in which none of these people has a meeting, a pending hold or a block."""
    now = now or timezone.now()
    ids = [p.pk for p in people]
    busy = set(
        SlotOccupancy.objects.filter(participant_id__in=ids).values_list("slot_id", flat=True)
    ) | set(
        ParticipantUnavailability.objects.filter(participant_id__in=ids).values_list(
            "slot_id", flat=True
        )
    )
    return [
        s
        for s in MeetingSlot.objects.filter(edition_id=people[0].edition_id, starts_at__gt=now)
        if s.pk not in busy
    ]


def slots_of(edition: Edition) -> list[MeetingSlot]:
    return list(MeetingSlot.objects.filter(edition=edition).order_by("starts_at"))


def unavailable_slot_ids(participant: MeetingParticipant) -> set[int]:
    return set(participant.unavailabilities.values_list("slot_id", flat=True))


def participants_of(edition: Edition) -> QuerySet[MeetingParticipant]:
    return (
        MeetingParticipant.objects.filter(edition=edition, is_active=True)
        .select_related("organisation")
        .prefetch_related(_published_listings(Offer), _published_listings(Request))
        .order_by("display_name", "pk")
    )


@dataclass
class PartnerSuggestion:
    participant: MeetingParticipant
    score: float
    reasons: list[str] = field(default_factory=list)


def suggested_partners(
    participant: MeetingParticipant,
    *,
    user: User,
    language: str,
    sector: str = "",
    province: str = "",
    participant_type: str = "",
    limit: int = 20,
) -> list[PartnerSuggestion]:
    """People you should meet: the matching engine ranks listings against the participant's
    offers and requests (their linked ones, else their organisation's published ones); each
    suggested listing's organisation points to its participants here. People sharing a sector
    follow, with that as the reason."""
    from matching.selectors import suggestions_for

    others = [
        p
        for p in participants_of(participant.edition).exclude(pk=participant.pk)
        if (not sector or sector in (p.sectors or []))
        and (not province or p.province == province)
        and (not participant_type or p.type == participant_type)
    ]
    by_org: dict[int, list[MeetingParticipant]] = {}
    for other in others:
        if other.organisation_id and other.organisation_id != participant.organisation_id:
            by_org.setdefault(other.organisation_id, []).append(other)
    sources = list(participant.offers.filter(status=ListingStatus.PUBLISHED)) + list(
        participant.requests.filter(status=ListingStatus.PUBLISHED)
    )
    if not sources and participant.organisation_id:
        sources = list(
            Offer.objects.filter(
                organisation_id=participant.organisation_id, status=ListingStatus.PUBLISHED
            )[:5]
        ) + list(
            Request.objects.filter(
                organisation_id=participant.organisation_id, status=ListingStatus.PUBLISHED
            )[:5]
        )
    ranked: dict[int, PartnerSuggestion] = {}
    if sources and by_org:
        for suggestions in suggestions_for(sources, user=user, limit=30).values():
            for suggestion in suggestions:
                for other in by_org.get(suggestion.listing.organisation_id, []):
                    entry = ranked.setdefault(other.pk, PartnerSuggestion(other, 0.0))
                    entry.score = max(entry.score, suggestion.score)
                    lead = f"{suggestion.source.title} ↔ {suggestion.listing.title}"
                    reasons = suggestion.reasons_text(language)[:2]
                    text = f"{lead}: {'; '.join(reasons)}" if reasons else lead
                    if text not in entry.reasons and len(entry.reasons) < 3:
                        entry.reasons.append(text)
    mine = set(participant.sectors or [])
    for other in others:
        shared = mine & set(other.sectors or [])
        if other.pk not in ranked and shared:
            from marketplace.taxonomy import Sector

            labels = ", ".join(str(Sector(s).label) for s in sorted(shared) if s in Sector.values)
            ranked[other.pk] = PartnerSuggestion(other, 0.0, [labels] if labels else [])
    return sorted(ranked.values(), key=lambda s: (-s.score, s.participant.display_name))[:limit]


def programme_overview(edition: Edition) -> dict:
    programme = programme_get(edition)
    counts = Counter(Meeting.objects.filter(edition=edition).values_list("status", flat=True))
    return {
        "programme": programme,
        "blocks": list(programme.blocks.prefetch_related("slots")) if programme else [],
        "tables": MeetingLocation.objects.filter(
            edition=edition, kind="table", is_active=True
        ).count(),
        "booths": list(
            MeetingLocation.objects.filter(edition=edition, kind="booth").select_related(
                "booth", "organisation"
            )
        ),
        "participants": MeetingParticipant.objects.filter(edition=edition).count(),
        "counts": {status: counts.get(status, 0) for status in MeetingStatus.values},
        "accepted": sum(counts.get(s, 0) for s in COUNTED_MEETING_STATUSES),
    }


def meetings_of_edition(edition: Edition) -> QuerySet[Meeting]:
    return meetings_with_relations().filter(edition=edition).order_by("slot__starts_at", "pk")


# --- table staff ----------------------------------------------------------------------------


def locations_with_staff(edition: Edition) -> list[MeetingLocation]:
    """The edition's locations in use, each with its staff, for the organiser's page."""
    return list(
        MeetingLocation.objects.filter(edition=edition, is_active=True)
        .select_related("booth")
        .prefetch_related("staff")
        .order_by("kind", "number")
    )


def locations_staffed_by(edition: Edition, user: User) -> list[MeetingLocation]:
    if not user.is_authenticated:
        return []
    return list(_staffed_tables(edition, user).select_related("booth").order_by("kind", "number"))


def edition_days(edition: Edition) -> list[dt.date]:
    """Every day of the fair, first to last."""
    count = (edition.end_date - edition.start_date).days + 1
    return [edition.start_date + dt.timedelta(days=n) for n in range(count)]


def table_staff_default_day(edition: Edition, *, today: dt.date | None = None) -> dt.date:
    """Today (the local date) while the fair runs; its first day before it, its last after it."""
    today = today or timezone.localdate()
    return min(max(today, edition.start_date), edition.end_date)


def _local_day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The UTC instants a local day (in the current time zone, as timezone.localdate) spans."""
    return (
        timezone.make_aware(dt.datetime.combine(day, dt.time.min)),
        timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min)),
    )


def table_meetings_for_staff(
    edition: Edition, user: User, *, day: dt.date | None = None
) -> QuerySet[Meeting]:
    """Meetings at the tables this user staffs (of one local day when given), in time order:
    the scheduled ones and those already marked held or no-show."""
    qs = Meeting.objects.filter(
        edition=edition, location__staff=user, status__in=LOCATED_MEETING_STATUSES
    )
    if day is not None:
        start, end = _local_day_bounds(day)
        qs = qs.filter(slot__starts_at__gte=start, slot__starts_at__lt=end)
    return qs.select_related(
        "slot",
        "location__booth",
        "requester__organisation",
        "recipient__organisation",
        "attendance_marked_by",
    ).order_by("slot__starts_at", "location__kind", "location__number", "pk")
