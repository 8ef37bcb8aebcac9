"""Figures of the organiser's live dashboard (pushed over /ws/events/<slug>/dashboard/).

One call makes a constant number of queries whatever the number of tickets, scans, meetings or
booths, and returns plain JSON-serialisable data so the consumer can send it as it is."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import TruncHour
from django.utils import timezone

from .models import (
    ACTIVE_BOOKING_STATUSES,
    BoothBooking,
    Checkin,
    CheckinListKind,
    CheckinType,
    Edition,
    LeadScan,
    Meeting,
    MeetingStatus,
    Ticket,
)

BUSIEST_BOOTHS = 10

ACCEPTED_STATUSES = (
    MeetingStatus.ACCEPTED_UNSCHEDULED,
    MeetingStatus.SCHEDULED,
    MeetingStatus.HELD,
    MeetingStatus.NO_SHOW,
)


def inside_now(*, edition: Edition) -> int:
    """Tickets whose last successful scan at a main gate was an entry."""
    gate_scans = Checkin.objects.filter(
        checkin_list__edition=edition,
        checkin_list__kind=CheckinListKind.GATE,
        successful=True,
        ticket=OuterRef("pk"),
    ).order_by("-created_at", "-pk")
    return (
        Ticket.objects.filter(edition=edition)
        .annotate(last_scan=Subquery(gate_scans.values("type")[:1]))
        .filter(last_scan=CheckinType.ENTRY)
        .count()
    )


def checkins_per_hour(*, edition: Edition) -> list[dict]:
    """Successful entries at the main gates, per local hour: [{"hour": "dd/mm HH:00", "count"}]."""
    local = ZoneInfo(settings.TIME_ZONE)
    rows = (
        Checkin.objects.filter(
            checkin_list__edition=edition,
            checkin_list__kind=CheckinListKind.GATE,
            successful=True,
            type=CheckinType.ENTRY,
        )
        .annotate(hour=TruncHour("created_at", tzinfo=local))
        .values("hour")
        .annotate(n=Count("pk"))
        .order_by("hour")
        .values_list("hour", "n")
    )
    return [
        {"hour": hour.astimezone(local).strftime("%d/%m %H:00"), "count": n} for hour, n in rows
    ]


def meeting_figures(*, edition: Edition) -> dict:
    """Requested counts every request ever made; accepted those accepted (scheduled or not,
    held or not); held and no-show those marked so."""
    return Meeting.objects.filter(edition=edition).aggregate(
        requested=Count("pk"),
        pending=Count("pk", filter=Q(status=MeetingStatus.PENDING)),
        accepted=Count("pk", filter=Q(status__in=ACCEPTED_STATUSES)),
        scheduled=Count("pk", filter=Q(status=MeetingStatus.SCHEDULED)),
        held=Count("pk", filter=Q(status=MeetingStatus.HELD)),
        no_show=Count("pk", filter=Q(status=MeetingStatus.NO_SHOW)),
    )


def busiest_booths(*, edition: Edition, limit: int = BUSIEST_BOOTHS) -> list[dict]:
    """Exhibitors by distinct visitors scanned at their booth (then total visits)."""
    booth_code = (
        BoothBooking.objects.filter(
            application__edition=edition,
            application__organisation=OuterRef("exhibitor"),
            status__in=ACTIVE_BOOKING_STATUSES,
        )
        .order_by("booth__code")
        .values("booth__code")[:1]
    )
    rows = (
        LeadScan.objects.filter(edition=edition)
        .values("exhibitor")
        .annotate(visitors=Count("pk"), visits=Sum("visits"), booth=Subquery(booth_code))
        .order_by("-visitors", "-visits", "exhibitor__name")
        .values_list("exhibitor__name", "booth", "visitors", "visits")[:limit]
    )
    return [
        {"exhibitor": name, "booth": booth or "", "visitors": visitors, "visits": visits}
        for name, booth, visitors, visits in rows
    ]


def live_dashboard(*, edition: Edition) -> dict:
    """Everything the live dashboard shows, in five queries."""
    return {
        "inside_now": inside_now(edition=edition),
        "checkins_per_hour": checkins_per_hour(edition=edition),
        "meetings": meeting_figures(edition=edition),
        "busiest_booths": busiest_booths(edition=edition),
        "updated_at": timezone.now().isoformat(),
    }
