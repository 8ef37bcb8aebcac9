"""Reads of the fair. Each returns data with its related rows already fetched, so pages and APIs
make a constant number of queries whatever the number of booths, tickets or scans."""

from dataclasses import dataclass
from functools import cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import TruncHour
from django.http import Http404

from accounts.models import Organisation
from config import sql

from .models import (
    ACTIVE_BOOKING_STATUSES,
    Booth,
    BoothBooking,
    BoothStatus,
    Checkin,
    CheckinList,
    CheckinListKind,
    CheckinType,
    Edition,
    EditionStatus,
    ExhibitorApplication,
    LeadScan,
    Seminar,
    SeminarRegistration,
    SeminarRegistrationStatus,
    Ticket,
    TicketType,
)


def edition_list_public() -> QuerySet[Edition]:
    return Edition.objects.exclude(status=EditionStatus.DRAFT).order_by("-start_date")


def edition_get(*, slug: str, public: bool = True) -> Edition:
    editions = edition_list_public() if public else Edition.objects.all()
    edition = editions.filter(slug=slug).first()
    if edition is None:
        raise Http404
    return edition


def edition_current() -> Edition | None:
    order = [
        EditionStatus.RUNNING,
        EditionStatus.REGISTRATION_OPEN,
        EditionStatus.PUBLISHED,
        EditionStatus.FINISHED,
    ]
    editions = list(edition_list_public())
    editions.sort(key=lambda e: order.index(e.status))
    return editions[0] if editions else None


# --- Floor plan -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanBooth:
    booth: Booth
    status: str
    booking: BoothBooking | None

    @property
    def status_label(self) -> str:
        return str(BoothStatus(self.status).label)

    @property
    def exhibitor(self) -> Organisation | None:
        return self.booking.application.organisation if self.booking else None

    @property
    def offers(self) -> list:
        return list(self.booking.application.offers.all()) if self.booking else []


def _active_bookings() -> Prefetch:
    return Prefetch(
        "bookings",
        queryset=BoothBooking.objects.filter(status__in=ACTIVE_BOOKING_STATUSES)
        .select_related("application__organisation")
        .prefetch_related("application__offers"),
        to_attr="active_bookings",
    )


def booth_plan(*, edition: Edition) -> list[PlanBooth]:
    """Every booth with its derived status: the one active booking decides it."""
    booths = (
        Booth.objects.filter(edition=edition)
        .select_related("zone")
        .prefetch_related(_active_bookings())
    ).order_by("code")
    plan = []
    for booth in booths:
        booking = booth.active_bookings[0] if booth.active_bookings else None
        status = booking.status if booking else BoothStatus.FREE
        plan.append(PlanBooth(booth=booth, status=status, booking=booking))
    return plan


def booth_status(*, booth: Booth) -> str:
    booking = booth.bookings.filter(status__in=ACTIVE_BOOKING_STATUSES).first()
    return booking.status if booking else BoothStatus.FREE


def plan_extent(plan: list[PlanBooth]) -> tuple[int, int]:
    width = max((p.booth.x + p.booth.width for p in plan), default=100) + 10
    height = max((p.booth.y + p.booth.height for p in plan), default=100) + 10
    return width, height


# --- Exhibitors -------------------------------------------------------------------------------


def application_list(*, edition: Edition) -> QuerySet[ExhibitorApplication]:
    return (
        ExhibitorApplication.objects.filter(edition=edition)
        .select_related("organisation", "submitted_by")
        .prefetch_related(
            "wanted_booths",
            Prefetch(
                "bookings",
                queryset=BoothBooking.objects.select_related("booth").prefetch_related("payments"),
            ),
        )
        .order_by("status", "created_at")
    )


def application_for(*, edition: Edition, organisations) -> QuerySet[ExhibitorApplication]:
    return application_list(edition=edition).filter(organisation__in=organisations)


def booking_list(*, edition: Edition) -> QuerySet[BoothBooking]:
    return (
        BoothBooking.objects.filter(application__edition=edition)
        .select_related("booth", "application__organisation")
        .prefetch_related("payments")
        .order_by("booth__code", "-created_at")
    )


def booking_get(*, pk: int) -> BoothBooking:
    booking = (
        BoothBooking.objects.select_related(
            "booth", "application__organisation", "application__edition"
        )
        .filter(pk=pk)
        .first()
    )
    if booking is None:
        raise Http404
    return booking


def exhibitor_list(*, edition: Edition) -> QuerySet[Organisation]:
    return (
        Organisation.objects.filter(
            exhibitor_applications__edition=edition,
            exhibitor_applications__bookings__status__in=ACTIVE_BOOKING_STATUSES,
        )
        .distinct()
        .order_by("name")
    )


def lead_list(*, edition: Edition, exhibitor: Organisation) -> QuerySet[LeadScan]:
    return (
        LeadScan.objects.filter(edition=edition, exhibitor=exhibitor)
        .select_related("ticket", "scanned_by")
        .order_by("-last_seen_at")
    )


def staff_tickets(*, edition: Edition, exhibitor: Organisation) -> QuerySet[Ticket]:
    return Ticket.objects.filter(
        edition=edition, exhibitor=exhibitor, type=TicketType.EXHIBITOR_STAFF, revoked_at=None
    ).order_by("name")


# --- Tickets and seminars ---------------------------------------------------------------------


def ticket_get(*, code: str) -> Ticket:
    ticket = (
        Ticket.objects.select_related("edition", "exhibitor", "replaced_by").filter(code=code)
    ).first()
    if ticket is None:
        raise Http404
    return ticket


def ticket_visits(*, ticket: Ticket) -> QuerySet[LeadScan]:
    return (
        LeadScan.objects.filter(ticket=ticket).select_related("exhibitor").order_by("first_seen_at")
    )


def seminar_list(*, edition: Edition) -> QuerySet[Seminar]:
    registered = Q(registrations__status=SeminarRegistrationStatus.REGISTERED)
    waiting = Q(registrations__status=SeminarRegistrationStatus.WAITLISTED)
    return (
        Seminar.objects.filter(edition=edition)
        .annotate(
            registered_count=Count("registrations", filter=registered),
            waiting_count=Count("registrations", filter=waiting),
        )
        .order_by("starts_at", "room")
    )


def agenda(*, ticket: Ticket) -> QuerySet[SeminarRegistration]:
    return (
        SeminarRegistration.objects.filter(ticket=ticket)
        .exclude(status=SeminarRegistrationStatus.CANCELLED)
        .select_related("seminar")
        .order_by("seminar__starts_at")
    )


# --- Check-in ---------------------------------------------------------------------------------


def checkin_lists_for(*, edition: Edition, user) -> list[CheckinList]:
    from .permissions import can_manage_edition

    lists = CheckinList.objects.filter(edition=edition).select_related("seminar")
    if can_manage_edition(user, edition):
        return list(lists)
    return list(lists.filter(staff=user))


def checkin_list_get(*, edition: Edition, slug: str) -> CheckinList:
    checkin_list = (
        CheckinList.objects.select_related("edition", "seminar").filter(edition=edition, slug=slug)
    ).first()
    if checkin_list is None:
        raise Http404
    return checkin_list


@cache
def _scanner_list_sql() -> str:
    """The gate's hot path in one statement, written out once per process: the list, its
    edition's status, whether the scanner is on the list's staff or organises the edition, and
    which platform roles the scanner holds (the ORM took more CPU to build this query than the
    database took to answer it)."""
    from accounts.models import Role, User

    list_table = CheckinList._meta.db_table
    staff = CheckinList.staff.through._meta.db_table
    organisers = Edition.organisers.through._meta.db_table
    user_groups = User.groups.through._meta.db_table
    columns = sql.columns(CheckinList, "l")
    groups = User.groups.field.related_model._meta.db_table
    roles = ", ".join(
        f'EXISTS (SELECT 1 FROM "{user_groups}" ug INNER JOIN "{groups}" g '
        f'ON g."id" = ug."group_id" WHERE ug."user_id" = %(user)s '
        f'AND g."name" = \'{role}\') AS "scanner_role_{role}"'
        for role in Role.values
        if role != Role.MEMBER
    )
    return f"""
        SELECT {columns}, e."status" AS "scanner_edition_status",
          EXISTS (SELECT 1 FROM "{staff}" s WHERE s."checkinlist_id" = l."id"
                  AND s."user_id" = %(user)s) AS "scanner_on_staff",
          EXISTS (SELECT 1 FROM "{organisers}" o WHERE o."edition_id" = l."edition_id"
                  AND o."user_id" = %(user)s) AS "scanner_organises",
          {roles}
        FROM "{list_table}" l INNER JOIN "{Edition._meta.db_table}" e ON e."id" = l."edition_id"
        WHERE e."slug" = %(edition)s AND l."slug" = %(slug)s AND e."status" <> %(draft)s
    """


def checkin_list_for_scanner(*, edition_slug: str, slug: str, user) -> CheckinList:
    """The list a scan is for, with its edition's status, whether the scanner is on its staff or
    organises its edition, and the scanner's roles: one query on the gate's hot path.
    events.permissions.can_scan_list reads these; `checkin_list.edition` is loaded on first use
    (the API never needs it)."""
    from accounts.models import Role
    from accounts.permissions import user_roles_prime

    user_id = user.pk if getattr(user, "is_authenticated", False) else None
    params = {"user": user_id, "edition": edition_slug, "slug": slug, "draft": EditionStatus.DRAFT}
    row = sql.fetch(_scanner_list_sql(), params)
    if row is None:
        raise Http404
    checkin_list, end = sql.instance(CheckinList, row)
    edition_status, on_staff, organises, *role_flags = row[end:]
    checkin_list.scanner_edition_status = edition_status
    checkin_list.scanner_on_staff = bool(on_staff)
    checkin_list.scanner_organises = bool(organises)
    roles = [role for role in Role.values if role != Role.MEMBER]
    if user_id is not None:
        user_roles_prime(user, {role for role, held in zip(roles, role_flags, strict=True) if held})
    return checkin_list


@dataclass(frozen=True)
class Figures:
    registrations: dict
    registrations_total: int
    inside_now: int
    hourly: dict  # list name -> [(hour label, count)]
    hours: list
    booth_visits: list  # [(exhibitor name, visitors, visits)]
    scans_failed: int


def figures(*, edition: Edition) -> Figures:
    by_type = dict(
        Ticket.objects.filter(edition=edition, revoked_at=None)
        .values_list("type")
        .annotate(n=Count("pk"))
        .values_list("type", "n")
    )
    labels = dict(TicketType.choices)
    registrations = {str(labels[t]): by_type.get(t, 0) for t in TicketType.values}
    gate_scans = Checkin.objects.filter(
        checkin_list__edition=edition,
        checkin_list__kind=CheckinListKind.GATE,
        successful=True,
        ticket=OuterRef("pk"),
    ).order_by("-created_at", "-pk")
    inside_now = (
        Ticket.objects.filter(edition=edition)
        .annotate(last_scan=Subquery(gate_scans.values("type")[:1]))
        .filter(last_scan=CheckinType.ENTRY)
        .count()
    )
    local = ZoneInfo(settings.TIME_ZONE)
    rows = (
        Checkin.objects.filter(
            checkin_list__edition=edition, successful=True, type=CheckinType.ENTRY
        )
        .annotate(hour=TruncHour("created_at", tzinfo=local))
        .values_list("checkin_list__name", "hour")
        .annotate(n=Count("pk"))
        .order_by("hour")
    )
    hours = sorted({hour for _name, hour, _n in rows})
    hour_labels = [hour.astimezone(local).strftime("%d/%m %H:00") for hour in hours]
    hourly: dict[str, list[int]] = {}
    for name, hour, n in rows:
        hourly.setdefault(name, [0] * len(hours))[hours.index(hour)] = n
    visits = (
        LeadScan.objects.filter(edition=edition)
        .values_list("exhibitor__name")
        .annotate(visitors=Count("pk"), total=Sum("visits"))
        .order_by("-visitors", "exhibitor__name")
    )
    booth_visits = [
        (name, visitors, total)
        for name, visitors, total in visits.values_list("exhibitor__name", "visitors", "total")
    ]
    failed = Checkin.objects.filter(checkin_list__edition=edition, successful=False).count()
    return Figures(
        registrations=registrations,
        registrations_total=sum(by_type.values()),
        inside_now=inside_now,
        hourly=hourly,
        hours=hour_labels,
        booth_visits=booth_visits,
        scans_failed=failed,
    )
