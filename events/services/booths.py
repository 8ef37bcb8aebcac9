"""The floor plan, exhibitor applications and booth bookings."""

import csv
import io
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.errors import ApplicationError
from accounts.models import Organisation, User
from marketplace.models import Offer
from marketplace.taxonomy import ListingStatus

from ..models import (
    ACTIVE_BOOKING_STATUSES,
    ApplicationStatus,
    BookingStatus,
    Booth,
    BoothBooking,
    BoothType,
    Edition,
    ExhibitorApplication,
    Zone,
)
from ..permissions import can_apply_to_exhibit, can_manage_edition

HOLD_DURATION = timedelta(minutes=15)
CSV_COLUMNS = [
    "code",
    "zone",
    "type",
    "area_m2",
    "price",
    "electricity",
    "table",
    "chairs",
    "x",
    "y",
    "width",
    "height",
]


def ensure_organiser(*, user: User, edition: Edition) -> None:
    if not can_manage_edition(user, edition):
        raise ApplicationError(
            "not_allowed", _("Only the organisers of this fair may do that."), status=403
        )


# --- Floor plan -------------------------------------------------------------------------------


def booth_upsert(*, edition: Edition, code: str, zone_name: str = "", **fields) -> Booth:
    zone = None
    if zone_name:
        zone, _created = Zone.objects.get_or_create(edition=edition, name=zone_name.strip())
    booth, _created = Booth.objects.update_or_create(
        edition=edition, code=code.strip().upper(), defaults={"zone": zone, **fields}
    )
    return booth


@dataclass
class ImportResult:
    created: int
    updated: int


def _csv_bool(value: str) -> bool:
    return value.strip().lower() in {"1", "yes", "y", "true", "x", "có", "co"}


def booths_import_csv(*, edition: Edition, text: str, organiser: User) -> ImportResult:
    """Columns: code, zone, type, area_m2, price, electricity, table, chairs, x, y, width, height.
    All rows are checked first; one bad row imports nothing and names the line."""
    ensure_organiser(user=organiser, edition=edition)
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ApplicationError(
            "invalid_csv",
            _("The CSV file lacks the columns: %(columns)s.") % {"columns": ", ".join(missing)},
        )
    rows = []
    for line, row in enumerate(reader, start=2):
        try:
            booth_type = row["type"].strip().lower()
            if booth_type not in BoothType.values:
                raise ValueError(booth_type)
            code = row["code"].strip().upper()
            if not code or len(code) > 10:
                raise ValueError(code)
            rows.append(
                {
                    "code": code,
                    "zone_name": row["zone"].strip(),
                    "type": booth_type,
                    "area_m2": Decimal(row["area_m2"].strip().replace(",", ".")),
                    "price": int(row["price"].strip().replace(".", "").replace(" ", "")),
                    "has_electricity": _csv_bool(row["electricity"]),
                    "has_table": _csv_bool(row["table"]),
                    "chairs": int(row["chairs"]),
                    "x": int(row["x"]),
                    "y": int(row["y"]),
                    "width": int(row["width"]),
                    "height": int(row["height"]),
                }
            )
        except (ValueError, InvalidOperation, AttributeError, TypeError) as exc:
            raise ApplicationError(
                "invalid_csv", _("Line %(line)d of the CSV file is not valid.") % {"line": line}
            ) from exc
        if rows[-1]["price"] < 0 or rows[-1]["width"] <= 0 or rows[-1]["height"] <= 0:
            raise ApplicationError(
                "invalid_csv", _("Line %(line)d of the CSV file is not valid.") % {"line": line}
            )
    existing = set(Booth.objects.filter(edition=edition).values_list("code", flat=True))
    with transaction.atomic():
        for row in rows:
            booth_upsert(edition=edition, **row)
    created = sum(1 for row in rows if row["code"] not in existing)
    return ImportResult(created=created, updated=len(rows) - created)


# --- Applications -----------------------------------------------------------------------------


def application_submit(
    *,
    edition: Edition,
    organisation: Organisation,
    user: User,
    technologies: str,
    needs: str = "",
    booth_type: str = "",
    wanted_booths: list[Booth] | None = None,
    offers: list[Offer] | None = None,
) -> ExhibitorApplication:
    if not can_apply_to_exhibit(user, organisation):
        raise ApplicationError(
            "not_allowed", _("You may only apply on behalf of your own organisation."), status=403
        )
    if not edition.is_public or edition.status == "finished":
        raise ApplicationError("not_open", _("This fair does not take applications."), status=409)
    if any(booth.edition_id != edition.pk for booth in wanted_booths or []):
        raise ApplicationError("invalid", _("Pick booths of this fair."))
    if any(
        offer.organisation_id != organisation.pk or offer.status != ListingStatus.PUBLISHED
        for offer in offers or []
    ):
        raise ApplicationError(
            "invalid", _("Link only your organisation's published technology offers.")
        )
    try:
        with transaction.atomic():
            application = ExhibitorApplication.objects.create(
                edition=edition,
                organisation=organisation,
                submitted_by=user,
                technologies=technologies,
                needs=needs,
                booth_type=booth_type,
            )
    except IntegrityError as exc:
        raise ApplicationError(
            "already_applied",
            _("%(organisation)s has already applied to this fair.")
            % {"organisation": organisation.name},
            status=409,
        ) from exc
    application.wanted_booths.set(wanted_booths or [])
    application.offers.set(offers or [])
    return application


def _decide(
    *, application: ExhibitorApplication, organiser: User, status: str, reason: str = ""
) -> ExhibitorApplication:
    from ..tasks import application_decision_send

    ensure_organiser(user=organiser, edition=application.edition)
    application.status = status
    application.decision_reason = reason
    application.decided_by = organiser
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "decision_reason", "decided_by", "decided_at"])
    transaction.on_commit(lambda: application_decision_send.delay(application.pk))
    return application


@transaction.atomic
def application_approve(
    *, application: ExhibitorApplication, organiser: User, booth: Booth | None = None
) -> ExhibitorApplication:
    application = ExhibitorApplication.objects.select_for_update().get(pk=application.pk)
    _decide(application=application, organiser=organiser, status=ApplicationStatus.APPROVED)
    if booth is not None:
        booking_assign(application=application, booth=booth, organiser=organiser)
    return application


@transaction.atomic
def application_waitlist(
    *, application: ExhibitorApplication, organiser: User, reason: str = ""
) -> ExhibitorApplication:
    return _decide(
        application=application,
        organiser=organiser,
        status=ApplicationStatus.WAITLISTED,
        reason=reason,
    )


@transaction.atomic
def application_reject(
    *, application: ExhibitorApplication, organiser: User, reason: str
) -> ExhibitorApplication:
    if not reason.strip():
        raise ApplicationError("reason_required", _("Give the reason for the rejection."))
    if application.bookings.filter(status__in=ACTIVE_BOOKING_STATUSES).exists():
        raise ApplicationError(
            "has_booking", _("Cancel the exhibitor's booth before rejecting."), status=409
        )
    return _decide(
        application=application,
        organiser=organiser,
        status=ApplicationStatus.REJECTED,
        reason=reason.strip(),
    )


# --- Bookings ---------------------------------------------------------------------------------


def _booking_create(
    *, application: ExhibitorApplication, booth: Booth, status: str, user: User
) -> BoothBooking:
    """Lock the booth row, then insert; the partial unique index is the last line of defence
    when another transaction slipped in between."""
    if booth.edition_id != application.edition_id:
        raise ApplicationError("wrong_event", _("This booth belongs to another fair."))
    booth = Booth.objects.select_for_update().get(pk=booth.pk)
    taken = BoothBooking.objects.filter(booth=booth, status__in=ACTIVE_BOOKING_STATUSES)
    if taken.exists():
        raise ApplicationError(
            "booth_taken", _("Booth %(code)s is no longer free.") % {"code": booth.code}, status=409
        )
    held_until = timezone.now() + HOLD_DURATION if status == BookingStatus.HELD else None
    try:
        with transaction.atomic():
            return BoothBooking.objects.create(
                booth=booth,
                application=application,
                status=status,
                price=booth.price,
                held_until=held_until,
                created_by=user,
            )
    except IntegrityError as exc:
        raise ApplicationError(
            "booth_taken", _("Booth %(code)s is no longer free.") % {"code": booth.code}, status=409
        ) from exc


@transaction.atomic
def booking_assign(
    *, application: ExhibitorApplication, booth: Booth, organiser: User
) -> BoothBooking:
    ensure_organiser(user=organiser, edition=application.edition)
    if application.status != ApplicationStatus.APPROVED:
        raise ApplicationError(
            "not_approved", _("Approve the application before assigning a booth."), status=409
        )
    return _booking_create(
        application=application, booth=booth, status=BookingStatus.BOOKED, user=organiser
    )


@transaction.atomic
def booking_hold(*, application: ExhibitorApplication, booth: Booth, user: User) -> BoothBooking:
    """Self-service: an approved exhibitor picks a free booth; it is theirs for 15 minutes
    while they pay, then goes back on sale unless paid."""
    if not can_apply_to_exhibit(user, application.organisation):
        raise ApplicationError("not_allowed", _("You do not act for this exhibitor."), status=403)
    edition = application.edition
    if not edition.self_service_booking:
        raise ApplicationError(
            "not_open", _("Self-service booking is not open for this fair."), status=409
        )
    if application.status != ApplicationStatus.APPROVED:
        raise ApplicationError(
            "not_approved", _("Your application has not been approved yet."), status=409
        )
    ExhibitorApplication.objects.select_for_update().get(pk=application.pk)
    if application.bookings.filter(status=BookingStatus.HELD).exists():
        raise ApplicationError(
            "already_holding",
            _("You already hold a booth. Pay for it or let the hold expire first."),
            status=409,
        )
    return _booking_create(
        application=application, booth=booth, status=BookingStatus.HELD, user=user
    )


def bookings_expire(*, now=None) -> int:
    """Holds past their 15 minutes go back on sale. Run by Celery beat every minute."""
    now = now or timezone.now()
    expired = 0
    stale = BoothBooking.objects.filter(status=BookingStatus.HELD, held_until__lt=now)
    for pk in stale.values_list("pk", flat=True):
        with transaction.atomic():
            booking = BoothBooking.objects.select_for_update().get(pk=pk)
            if booking.status == BookingStatus.HELD and booking.held_until < now:
                booking.status = BookingStatus.EXPIRED
                booking.save(update_fields=["status", "updated_at"])
                expired += 1
    return expired


@transaction.atomic
def booking_cancel(*, booking: BoothBooking, organiser: User) -> BoothBooking:
    """An organiser cancels a booth; what was paid is refunded through the provider."""
    from .payments import payment_refund

    ensure_organiser(user=organiser, edition=booking.application.edition)
    booking = BoothBooking.objects.select_for_update().get(pk=booking.pk)
    if not booking.is_active:
        raise ApplicationError("not_active", _("This booking is not active."), status=409)
    for payment in booking.payments.filter(state="succeeded"):
        payment_refund(payment=payment, actor=organiser)
    booking.status = BookingStatus.CANCELLED
    booking.save(update_fields=["status", "updated_at"])
    return booking
