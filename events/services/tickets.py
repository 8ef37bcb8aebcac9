"""Visitor registration, tickets, their QR code and the printable badge."""

import io
import math
import secrets
from dataclasses import dataclass

import qrcode
from django import forms
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.errors import ApplicationError
from accounts.forms import normalise_phone
from accounts.models import Organisation, User

from ..models import (
    ApplicationStatus,
    Edition,
    RegistrationGroup,
    SeminarRegistration,
    Ticket,
    TicketType,
)

# No 0/O, 1/I/L: a code read aloud or typed from a crumpled badge cannot be mistaken.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 26  # 26 × log2(31) ≈ 128.8 bits
GROUP_LIMIT = 50

assert CODE_LENGTH * math.log2(len(CODE_ALPHABET)) >= 128


def ticket_code_generate() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def ticket_code_clean(raw: str) -> str:
    """What a scanner or a person typed, in the form codes are stored in."""
    return "".join(raw.split()).replace("-", "").upper()


@dataclass(frozen=True)
class Attendee:
    name: str
    phone: str = ""
    email: str = ""
    organisation_name: str = ""
    province: str = ""
    interests: str = ""
    share_contact: bool = False


def _phone(value: str) -> str:
    try:
        return normalise_phone(value)
    except forms.ValidationError as exc:
        raise ApplicationError("invalid_phone", exc.messages[0]) from exc


def ticket_email_queue(ticket: Ticket) -> None:
    """Email the ticket once the transaction commits, when it has an address."""
    from ..tasks import ticket_email_send

    if ticket.email:
        transaction.on_commit(lambda: ticket_email_send.delay(ticket.pk))


def _ticket_create(
    *,
    edition: Edition,
    attendee: Attendee,
    type: str,
    group: RegistrationGroup | None = None,
    exhibitor: Organisation | None = None,
    user: User | None = None,
) -> tuple[Ticket, bool]:
    phone = _phone(attendee.phone)
    if phone:
        existing = Ticket.objects.filter(edition=edition, phone=phone, revoked_at=None).first()
        if existing is not None:
            return existing, False
    fields = {**attendee.__dict__, "phone": phone, "name": attendee.name.strip()}
    try:
        with transaction.atomic():
            ticket = Ticket.objects.create(
                edition=edition,
                type=type,
                code=ticket_code_generate(),
                group=group,
                exhibitor=exhibitor,
                user=user,
                **fields,
            )
    except IntegrityError:
        # Two submissions of one phone at once: the other one won, and its ticket is the answer.
        existing = Ticket.objects.filter(edition=edition, phone=phone, revoked_at=None).first()
        if existing is None:
            raise
        return existing, False
    ticket_email_queue(ticket)
    return ticket, True


def _ensure_registration_open(edition: Edition) -> None:
    if not edition.registration_is_open:
        raise ApplicationError("not_open", _("Registration for this fair is not open."), status=409)


@transaction.atomic
def ticket_register(*, edition: Edition, attendee: Attendee) -> tuple[Ticket, bool]:
    """A visitor registers (no account needed). The same phone for the same edition gets its
    existing ticket back; returns (ticket, created)."""
    _ensure_registration_open(edition)
    if not attendee.name.strip():
        raise ApplicationError("name_required", _("Enter the visitor's name."))
    return _ticket_create(edition=edition, attendee=attendee, type=TicketType.VISITOR)


@transaction.atomic
def group_register(
    *,
    edition: Edition,
    contact_name: str,
    contact_phone: str,
    contact_email: str,
    organisation_name: str,
    members: list[Attendee],
) -> tuple[RegistrationGroup, list[Ticket]]:
    """A co-operative or commune officer registers up to 50 people in one go."""
    _ensure_registration_open(edition)
    if not members:
        raise ApplicationError("empty_group", _("Add at least one person to the group."))
    if len(members) > GROUP_LIMIT:
        raise ApplicationError(
            "group_too_large",
            _("A group registration takes at most %(limit)d people.") % {"limit": GROUP_LIMIT},
        )
    group = RegistrationGroup.objects.create(
        edition=edition,
        contact_name=contact_name,
        contact_phone=_phone(contact_phone),
        contact_email=contact_email,
        organisation_name=organisation_name,
    )
    tickets = []
    for member in members:
        if not member.organisation_name:
            member = Attendee(**{**member.__dict__, "organisation_name": organisation_name})
        ticket, _created = _ticket_create(
            edition=edition, attendee=member, type=TicketType.VISITOR, group=group
        )
        tickets.append(ticket)
    return group, tickets


@transaction.atomic
def exhibitor_staff_add(
    *, edition: Edition, exhibitor: Organisation, attendee: Attendee, actor: User
) -> Ticket:
    """An approved exhibitor adds a member of its staff, who gets an exhibitor badge."""
    from accounts.permissions import can_act_for_organisation

    if not can_act_for_organisation(actor, exhibitor):
        raise ApplicationError("not_allowed", _("You do not act for this exhibitor."), status=403)
    approved = exhibitor.exhibitor_applications.filter(
        edition=edition, status=ApplicationStatus.APPROVED
    ).exists()
    if not approved:
        raise ApplicationError(
            "not_approved", _("Only approved exhibitors can add staff."), status=409
        )
    ticket, created = _ticket_create(
        edition=edition, attendee=attendee, type=TicketType.EXHIBITOR_STAFF, exhibitor=exhibitor
    )
    if not created and ticket.exhibitor_id != exhibitor.pk:
        raise ApplicationError(
            "phone_taken",
            _("This phone number already has a ticket for this fair."),
            status=409,
        )
    return ticket


@transaction.atomic
def ticket_revoke(*, ticket: Ticket, organiser: User, reissue: bool = True) -> Ticket | None:
    """Revoke a ticket (lost badge, leaked code). With reissue the holder gets a new code; the
    old one then answers "revoked" at the gate."""
    from .booths import ensure_organiser

    ensure_organiser(user=organiser, edition=ticket.edition)
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.is_revoked:
        raise ApplicationError("revoked", _("This ticket is already revoked."), status=409)
    ticket.revoked_at = timezone.now()
    ticket.save(update_fields=["revoked_at"])
    if not reissue:
        return None
    copy_fields = [
        "edition_id",
        "type",
        "name",
        "phone",
        "email",
        "organisation_name",
        "province",
        "interests",
        "share_contact",
        "exhibitor_id",
        "user_id",
        "group_id",
    ]
    new = Ticket.objects.create(
        code=ticket_code_generate(), **{field: getattr(ticket, field) for field in copy_fields}
    )
    ticket.replaced_by = new
    ticket.save(update_fields=["replaced_by"])
    SeminarRegistration.objects.filter(ticket=ticket).update(ticket=new)
    ticket_email_queue(new)
    return new


# --- Rendering --------------------------------------------------------------------------------


def ticket_qr_png(*, ticket: Ticket, box_size: int = 10) -> bytes:
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box_size)
    qr.add_data(ticket.code)
    qr.make(fit=True)
    buffer = io.BytesIO()
    qr.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return buffer.getvalue()


def _badge_font() -> str:
    """A TrueType font with Vietnamese glyphs when the system has one (fonts-dejavu-core)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for path in (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    ):
        try:
            if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont("DejaVuSans", path))
            return "DejaVuSans"
        except Exception:  # noqa: BLE001 - missing or unreadable font file: try the next one
            continue
    return "Helvetica"


def ticket_badge_pdf(*, ticket: Ticket) -> bytes:
    """An A6 badge: fair name, the person's name, organisation, ticket type and the QR code."""
    from reportlab.lib.pagesizes import A6
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    font = _badge_font()
    buffer = io.BytesIO()
    width, height = A6
    pdf = canvas.Canvas(buffer, pagesize=A6)
    pdf.setTitle(f"{ticket.edition.name} – {ticket.name}")
    pdf.setFont(font, 10)
    pdf.drawCentredString(width / 2, height - 12 * mm, ticket.edition.name[:60])
    pdf.setFont(font, 16)
    pdf.drawCentredString(width / 2, height - 24 * mm, ticket.name[:40])
    pdf.setFont(font, 11)
    organisation = ticket.exhibitor.name if ticket.exhibitor_id else ticket.organisation_name
    pdf.drawCentredString(width / 2, height - 31 * mm, organisation[:55])
    pdf.drawCentredString(width / 2, height - 38 * mm, str(ticket.get_type_display()).upper())
    qr_size = 70 * mm
    pdf.drawImage(
        ImageReader(io.BytesIO(ticket_qr_png(ticket=ticket))),
        (width - qr_size) / 2,
        12 * mm,
        qr_size,
        qr_size,
    )
    pdf.setFont(font, 7)
    pdf.drawCentredString(width / 2, 8 * mm, ticket.code)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
