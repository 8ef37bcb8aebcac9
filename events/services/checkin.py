"""Gate, seminar and VIP check-in, and lead scanning at the booths.

Every scan is written to the append-only Checkin log, failed ones included, in the same
transaction that decides it. The ticket row is locked while deciding, so two gates scanning
one ticket at the same moment are serialised and exactly one gets "ok"."""

from dataclasses import dataclass
from functools import cache

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.errors import ApplicationError
from accounts.models import Organisation, User
from config import sql

from ..models import (
    BookingStatus,
    BoothBooking,
    Checkin,
    CheckinList,
    CheckinListKind,
    CheckinType,
    Edition,
    EditionStatus,
    LeadScan,
    SeminarRegistrationStatus,
    Ticket,
    TicketType,
)
from ..permissions import can_scan_leads, can_scan_list
from ..realtime import notify_dashboard
from .tickets import ticket_code_clean

REASONS = {
    "invalid": (404, _("This code is not a ticket.")),
    "already_checked_in": (409, _("This ticket has already been checked in.")),
    "revoked": (409, _("This ticket has been revoked.")),
    "unpaid": (409, _("The exhibitor's booth has not been paid.")),
    "wrong_event": (409, _("This ticket is for another fair.")),
    "not_open": (409, _("This check-in list is not open now.")),
    "not_allowed": (403, _("This ticket or scanner is not allowed on this list.")),
}


@dataclass(frozen=True)
class ScanResult:
    http_status: int
    body: dict

    @property
    def ok(self) -> bool:
        return self.body.get("status") == "ok"


def ticket_summary(ticket: Ticket) -> dict:
    organisation = ticket.organisation_name
    if ticket.exhibitor_id:
        # The scan's own query reads the exhibitor's name alongside the ticket.
        organisation = getattr(ticket, "exhibitor_name", None) or ticket.exhibitor.name
    return {
        "name": ticket.name,
        "type": ticket.type,
        "type_display": str(ticket.get_type_display()),
        "organisation": organisation,
    }


def _error(reason: str, ticket: Ticket | None = None, **extra) -> tuple[ScanResult, bool]:
    http_status, detail = REASONS[reason]
    body = {"status": "error", "reason": reason, "detail": str(detail), **extra}
    if ticket is not None and reason not in ("invalid", "wrong_event"):
        body["ticket"] = ticket_summary(ticket)
    return ScanResult(http_status, body), False


def _iso(moment) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


def _edition_status(checkin_list: CheckinList) -> str:
    status = getattr(checkin_list, "scanner_edition_status", None)
    return status if status is not None else checkin_list.edition.status


def _decide(
    *, checkin_list: CheckinList, ticket: Ticket | None, type: str, allowed: bool, now
) -> tuple[ScanResult, bool]:
    if not allowed:
        return _error("not_allowed")
    if ticket is None:
        return _error("invalid")
    if ticket.edition_id != checkin_list.edition_id:
        return _error("wrong_event")
    if ticket.is_revoked:
        return _error("revoked", ticket)
    if not checkin_list.is_open or _edition_status(checkin_list) != EditionStatus.RUNNING:
        return _error("not_open", ticket)
    if checkin_list.allowed_types and ticket.type not in checkin_list.allowed_types:
        return _error("not_allowed", ticket)
    if checkin_list.kind == CheckinListKind.SEMINAR:
        registered = ticket.seminar_registrations.filter(
            seminar_id=checkin_list.seminar_id, status=SeminarRegistrationStatus.REGISTERED
        ).exists()
        if not registered:
            return _error("not_allowed", ticket)
    if ticket.type == TicketType.EXHIBITOR_STAFF:
        paid = BoothBooking.objects.filter(
            application__edition_id=checkin_list.edition_id,
            application__organisation_id=ticket.exhibitor_id,
            status=BookingStatus.PAID,
        ).exists()
        if not paid:
            return _error("unpaid", ticket)
    # Read after the ticket's row lock is held, in a statement of its own: under READ COMMITTED
    # each statement sees what committed before it started, so a scan that waited for the lock
    # sees the entry the other gate just logged.
    history = _history(ticket_id=ticket.pk, list_id=checkin_list.pk)
    entries = [moment for kind, moment in history if kind == CheckinType.ENTRY]
    first_entry = entries[0] if entries else None
    if type == CheckinType.ENTRY:
        if history and history[-1][0] == CheckinType.ENTRY:
            return _error("already_checked_in", ticket, first_entry=_iso(first_entry))
        first_entry = first_entry or now
    body = {"status": "ok", "ticket": ticket_summary(ticket), "first_entry": _iso(first_entry)}
    return ScanResult(201, body), True


# The gate's hot path talks to the database in hand-written statements built once per process
# from the models' metadata (config.sql): the ORM spent more CPU composing these queries than
# PostgreSQL spent answering them (bench/checkin.py). Values still go through the fields' own
# conversions, so SQLite and PostgreSQL both work.
@cache
def _sql(name: str) -> str:
    ticket = Ticket._meta
    organisation = Organisation._meta
    checkin = Checkin._meta
    if name == "ticket":
        lock = " FOR UPDATE OF t" if connection.features.has_select_for_update_of else ""
        return (
            f'SELECT {sql.columns(Ticket, "t")}, o."{organisation.get_field("name").column}" '
            f'FROM "{ticket.db_table}" t LEFT OUTER JOIN "{organisation.db_table}" o '
            f'ON o."{organisation.pk.column}" = t."{ticket.get_field("exhibitor").column}" '
            f'WHERE t."{ticket.get_field("code").column}" = %s{lock}'
        )
    column = {name: checkin.get_field(name).column for name in ("ticket", "checkin_list")}
    return (
        f'SELECT "type", "created_at" FROM "{checkin.db_table}" '
        f'WHERE "{column["ticket"]}" = %s AND "{column["checkin_list"]}" = %s '
        f'AND "successful" ORDER BY "created_at", "id"'
    )


def _ticket_locked(code: str) -> Ticket | None:
    """The ticket with this code, row-locked until the transaction ends (PostgreSQL), with its
    exhibitor's name."""
    row = sql.fetch(_sql("ticket"), [code])
    if row is None:
        return None
    ticket, end = sql.instance(Ticket, row)
    ticket.exhibitor_name = row[end]
    return ticket


def _history(*, ticket_id: int, list_id: int) -> list[tuple[str, object]]:
    """The ticket's successful scans on the list, oldest first: a handful at most."""
    rows = sql.fetch(_sql("history"), [ticket_id, list_id], many=True)
    return [(kind, sql.value(Checkin, "created_at", moment)) for kind, moment in rows]


def checkin_redeem(
    *,
    checkin_list: CheckinList,
    code: str,
    type: str,
    scanner: User,
    nonce: str = "",
    gate: str = "",
    device: str = "",
) -> ScanResult:
    """Decide one scan and log it. A retried request with the same nonce gets the original
    answer back and records nothing new: the nonce's unique index refuses the second log row,
    and the first row's answer is returned instead."""
    if type not in CheckinType.values:
        raise ApplicationError("invalid_type", _("The scan type must be entry or exit."))
    nonce = nonce or None
    allowed = can_scan_list(scanner, checkin_list)
    try:
        with transaction.atomic():
            ticket = _ticket_locked(ticket_code_clean(code))
            now = timezone.now()
            result, successful = _decide(
                checkin_list=checkin_list, ticket=ticket, type=type, allowed=allowed, now=now
            )
            sql.insert(
                Checkin(
                    checkin_list=checkin_list,
                    ticket=ticket,
                    raw_code=code[:200],
                    type=type,
                    result=result.body.get("reason", "ok"),
                    successful=successful,
                    gate=gate[:60],
                    device=device[:120],
                    nonce=nonce,
                    response={"http_status": result.http_status, "body": result.body},
                    scanned_by=scanner,
                    created_at=now,
                )
            )
            if successful:
                notify_dashboard(edition_id=checkin_list.edition_id)
    except IntegrityError:
        previous = (
            Checkin.objects.filter(nonce=nonce).values_list("response", flat=True).first()
            if nonce
            else None
        )
        if previous is not None:
            return ScanResult(**previous)
        # An organiser may delete a list that has no scans yet (organiser.checkin_list_delete).
        # If that commits while this scan decides, the log row's foreign key fails at commit:
        # the scanner is told the list is gone, as for any unknown list. Checking here rather
        # than locking the list on every scan keeps the gate's hot path one statement shorter.
        if not CheckinList.objects.filter(pk=checkin_list.pk).exists():
            raise ApplicationError(
                "unknown_list", _("There is no such check-in list."), status=404
            ) from None
        raise
    return result


# --- Leads ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LeadResult:
    lead: LeadScan
    ticket: Ticket
    contact_shared: bool


@transaction.atomic
def lead_scan(
    *, edition: Edition, exhibitor: Organisation, code: str, scanner: User, note: str = ""
) -> LeadResult:
    """Exhibitor staff scan a visitor's badge at their booth. The visit is always counted; the
    exhibitor sees contact details only if the visitor opted in when registering."""
    if not can_scan_leads(scanner, exhibitor, edition):
        raise ApplicationError(
            "not_allowed", _("Only staff of an exhibitor at this fair may scan leads."), status=403
        )
    ticket = Ticket.objects.filter(code=ticket_code_clean(code)).select_related("edition").first()
    if ticket is None:
        raise ApplicationError("invalid", REASONS["invalid"][1], status=404)
    if ticket.edition_id != edition.pk:
        raise ApplicationError("wrong_event", REASONS["wrong_event"][1], status=409)
    if ticket.is_revoked:
        raise ApplicationError("revoked", REASONS["revoked"][1], status=409)
    lead, created = LeadScan.objects.select_for_update().get_or_create(
        exhibitor=exhibitor,
        ticket=ticket,
        defaults={"edition": edition, "scanned_by": scanner, "note": note},
    )
    if not created:
        LeadScan.objects.filter(pk=lead.pk).update(
            visits=F("visits") + 1, last_seen_at=timezone.now(), note=note or lead.note
        )
        lead.refresh_from_db()
    notify_dashboard(edition_id=edition.pk)
    return LeadResult(lead=lead, ticket=ticket, contact_shared=ticket.share_contact)
