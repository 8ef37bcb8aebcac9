"""Reads of the organisers' ticket and check-in list pages, each in a constant number of
queries whatever the number of tickets, lists, staff or scans."""

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from .models import Checkin, CheckinList, CheckinType, Edition, Ticket, TicketType
from .services.organiser import ISSUABLE_TYPES

TICKET_STATES = ("active", "revoked")


def issued_ticket_list(*, edition: Edition, type: str = "", state: str = "") -> QuerySet[Ticket]:
    """Press, speaker and VIP tickets of the edition, newest first, with the ticket that
    replaced a re-issued one."""
    tickets = Ticket.objects.filter(edition=edition, type__in=ISSUABLE_TYPES)
    if type:
        tickets = tickets.filter(type=type)
    if state == "active":
        tickets = tickets.filter(revoked_at=None)
    elif state == "revoked":
        tickets = tickets.exclude(revoked_at=None)
    return tickets.select_related("replaced_by").order_by("-created_at", "-pk")


def issued_ticket_get(*, edition: Edition, pk: int) -> Ticket | None:
    return (
        Ticket.objects.select_related("edition")
        .filter(edition=edition, type__in=ISSUABLE_TYPES, pk=pk)
        .first()
    )


def checkin_list_overview(*, edition: Edition) -> list[CheckinList]:
    """Every list of the edition with its staff, `entries` (successful entry scans) and
    `inside` (people whose last successful scan on the list is an entry), and the labels of
    its allowed ticket types."""
    staff = get_user_model().objects.order_by("full_name", "email")
    lists = list(
        CheckinList.objects.filter(edition=edition)
        .select_related("seminar")
        .prefetch_related(Prefetch("staff", queryset=staff))
        .annotate(
            entries=Count(
                "checkins",
                filter=Q(checkins__successful=True, checkins__type=CheckinType.ENTRY),
            )
        )
    )
    later_scan = Checkin.objects.filter(
        ticket_id=OuterRef("ticket_id"),
        checkin_list_id=OuterRef("checkin_list_id"),
        successful=True,
    ).filter(
        Q(created_at__gt=OuterRef("created_at"))
        | Q(created_at=OuterRef("created_at"), pk__gt=OuterRef("pk"))
    )
    inside = dict(
        Checkin.objects.filter(
            checkin_list__edition=edition, successful=True, type=CheckinType.ENTRY
        )
        .filter(~Exists(later_scan))
        .values("checkin_list_id")
        .annotate(people=Count("ticket_id", distinct=True))
        .values_list("checkin_list_id", "people")
    )
    labels = dict(TicketType.choices)
    for checkin_list in lists:
        checkin_list.inside = inside.get(checkin_list.pk, 0)
        checkin_list.allowed_labels = [
            labels[value] for value in checkin_list.allowed_types if value in labels
        ]
    return lists


def checkin_list_get(*, edition: Edition, pk: int) -> CheckinList | None:
    return CheckinList.objects.select_related("edition").filter(edition=edition, pk=pk).first()
