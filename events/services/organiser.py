"""Writes behind the organisers' ticket and check-in list pages: press, speaker and VIP tickets
one at a time or from a CSV file, and check-in lists with their staff.

Revoking, re-issuing and the ticket email stay in services.tickets; this module adds what a
page needs around them: a phone already holding a ticket is an error the organiser sees
(visitor registration hands the existing ticket back, which suits a visitor registering twice
but would silently turn a press badge into someone's visitor ticket), a foreign guest's number in
E.164 form is accepted besides Vietnamese mobiles, and a CSV file is checked as a whole before
anything is created."""

import csv
import io
import re
from dataclasses import dataclass, field

from django import forms
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from accounts.errors import ApplicationError
from accounts.forms import normalise_phone
from accounts.models import User
from marketplace.text import fold

from ..models import Checkin, CheckinList, CheckinListKind, Edition, Ticket, TicketType
from .booths import ensure_organiser
from .tickets import Attendee, ticket_code_generate, ticket_email_queue

ISSUABLE_TYPES = (TicketType.PRESS, TicketType.SPEAKER, TicketType.VIP)
CREATABLE_LIST_KINDS = (CheckinListKind.GATE, CheckinListKind.VIP)
CSV_MAX_ROWS = 1000

# E.164: "+", a country code that never starts with 0, and 8 to 15 digits in all.
INTERNATIONAL_PHONE = re.compile(r"^\+[1-9]\d{7,14}$")
PHONE_INVALID = gettext_lazy(
    "Enter a Vietnamese mobile number, such as 0912 345 678, or an international number with + "
    "and the country code, such as +44 20 7946 0958."
)

# Column headings an organiser's spreadsheet may use, folded (no diacritics, lower case).
CSV_COLUMNS = {
    "name": ("name", "full name", "ho ten", "ho va ten", "ten"),
    "phone": ("phone", "mobile", "so dien thoai", "dien thoai", "sdt", "so dt"),
    "email": ("email", "e mail", "thu dien tu"),
    "organisation": (
        "organisation",
        "organization",
        "to chuc",
        "don vi",
        "co quan",
        "co quan don vi",
    ),
    "type": ("type", "ticket type", "loai", "loai ve"),
}
REQUIRED_COLUMNS = ("name", "phone")
CSV_COLUMN_LABELS = {
    "name": pgettext_lazy("CSV column", "name"),
    "phone": pgettext_lazy("CSV column", "phone"),
}


# --- Tickets ------------------------------------------------------------------------------------


def _ensure_issuable(type: str) -> None:
    if type not in ISSUABLE_TYPES:
        raise ApplicationError(
            "invalid_type", _("Organisers issue press, speaker and VIP tickets only.")
        )


def issued_phone_normalise(raw: str) -> str:
    """A Vietnamese mobile number in its national form (accounts.forms.normalise_phone), or any
    other country's number in E.164 form, so a foreign speaker can have a ticket too: +4420...
    without the spaces, dots, dashes, brackets or the "(0)" that people write in it. The same
    person written two ways gets one form, which is what the one-ticket-per-phone rule compares.
    Raises forms.ValidationError; an empty value gives ""."""
    try:
        return normalise_phone(raw)
    except forms.ValidationError:
        pass
    compact = re.sub(r"[\s.\-()]", "", (raw or "").replace("(0)", ""))
    # +84 is Vietnam: its numbers keep the Vietnamese mobile rule.
    if compact.startswith("+84") or not INTERNATIONAL_PHONE.match(compact):
        raise forms.ValidationError(PHONE_INVALID, code="invalid_phone")
    return compact


def _clean_phone(raw: str) -> str:
    try:
        phone = issued_phone_normalise(raw)
    except forms.ValidationError as exc:
        raise ApplicationError("invalid_phone", exc.messages[0]) from exc
    if not phone:
        raise ApplicationError("phone_required", _("Enter a mobile phone number."))
    return phone


def _phone_taken(holder: Ticket) -> ApplicationError:
    return ApplicationError(
        "phone_taken",
        _("%(phone)s already holds a ticket for this fair: %(name)s, %(type)s.")
        % {"phone": holder.phone, "name": holder.name, "type": holder.get_type_display()},
        status=409,
    )


def _holders(*, edition: Edition, phones: list[str]) -> dict[str, Ticket]:
    tickets = Ticket.objects.filter(edition=edition, phone__in=phones, revoked_at=None)
    return {ticket.phone: ticket for ticket in tickets}


def _issue(*, edition: Edition, attendee: Attendee, type: str) -> Ticket:
    """Insert the ticket of an attendee whose phone is already cleaned (_clean_phone). Not
    through visitor registration (tickets._ticket_create): that one accepts Vietnamese numbers
    only and hands back the ticket a phone already holds."""
    try:
        with transaction.atomic():
            ticket = Ticket.objects.create(
                edition=edition,
                type=type,
                code=ticket_code_generate(),
                name=attendee.name,
                phone=attendee.phone,
                email=attendee.email,
                organisation_name=attendee.organisation_name,
            )
    except IntegrityError:
        # Another request gave this phone a ticket between our check and the insert: the
        # one-ticket-per-phone index refused ours.
        holder = _holders(edition=edition, phones=[attendee.phone]).get(attendee.phone)
        if holder is None:
            raise
        raise _phone_taken(holder) from None
    ticket_email_queue(ticket)
    return ticket


@transaction.atomic
def issued_ticket_create(
    *, edition: Edition, attendee: Attendee, type: str, organiser: User
) -> Ticket:
    """One press, speaker or VIP ticket; emailed when it has an email address. A phone that
    already holds a live ticket of this fair is refused, naming that ticket."""
    ensure_organiser(user=organiser, edition=edition)
    _ensure_issuable(type)
    name = attendee.name.strip()
    if not name:
        raise ApplicationError("name_required", _("Enter the person's name."))
    phone = _clean_phone(attendee.phone)
    holder = _holders(edition=edition, phones=[phone]).get(phone)
    if holder is not None:
        raise _phone_taken(holder)
    attendee = Attendee(
        name=name,
        phone=phone,
        email=attendee.email.strip(),
        organisation_name=attendee.organisation_name.strip(),
    )
    return _issue(edition=edition, attendee=attendee, type=type)


@dataclass(frozen=True)
class RowError:
    line: int
    message: str


@dataclass
class CsvIssueResult:
    tickets: list[Ticket] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


@dataclass(frozen=True)
class _Row:
    line: int
    attendee: Attendee
    type: str


def _type_names() -> dict[str, str]:
    """Folded code or label (Vietnamese and English) -> ticket type."""
    names = {}
    for ticket_type in ISSUABLE_TYPES:
        names[fold(ticket_type.value)] = ticket_type.value
        for language in ("vi", "en"):
            with translation.override(language):
                names[fold(str(ticket_type.label))] = ticket_type.value
    return names


def _column_map(fieldnames: list[str]) -> dict[str, str]:
    """Our column -> the file's heading for it."""
    found = {}
    for heading in fieldnames:
        folded = fold(heading or "")
        for column, aliases in CSV_COLUMNS.items():
            if folded in aliases and column not in found:
                found[column] = heading
    return found


def _read_rows(*, text: str, default_type: str) -> tuple[list[_Row], list[RowError]]:
    text = text.lstrip("\ufeff")
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    columns = _column_map(reader.fieldnames or [])
    missing = [column for column in REQUIRED_COLUMNS if column not in columns]
    if missing:
        return [], [
            RowError(
                1,
                _("The file has no column for: %(columns)s.")
                % {"columns": ", ".join(str(CSV_COLUMN_LABELS[column]) for column in missing)},
            )
        ]
    if "type" not in columns and not default_type:
        return [], [
            RowError(1, _("The file has no type column: choose a ticket type for all its rows."))
        ]
    type_names = _type_names()
    rows: list[_Row] = []
    errors: list[RowError] = []
    for line, record in enumerate(reader, start=2):
        values = {
            column: (record.get(heading) or "").strip() for column, heading in columns.items()
        }
        if not any(values.values()):
            continue
        if len(rows) + len(errors) >= CSV_MAX_ROWS:
            return [], [
                RowError(
                    line,
                    _("A file takes at most %(limit)d people.") % {"limit": CSV_MAX_ROWS},
                )
            ]
        problems = []
        if not values["name"]:
            problems.append(_("the name is missing"))
        elif len(values["name"]) > Ticket._meta.get_field("name").max_length:
            problems.append(_("the name is too long"))
        try:
            phone = _clean_phone(values["phone"])
        except ApplicationError as exc:
            problems.append(str(exc.message))
            phone = ""
        email = values.get("email", "")
        if email:
            try:
                forms.EmailField().clean(email)
            except forms.ValidationError:
                problems.append(_("“%(email)s” is not an email address") % {"email": email})
        organisation = values.get("organisation", "")
        if len(organisation) > Ticket._meta.get_field("organisation_name").max_length:
            problems.append(_("the organisation is too long"))
        raw_type = values.get("type", "")
        ticket_type = type_names.get(fold(raw_type)) if raw_type else default_type
        if not ticket_type:
            problems.append(
                _("“%(type)s” is not a ticket type (press, speaker or VIP)") % {"type": raw_type}
            )
        if problems:
            errors.append(RowError(line, "; ".join(str(problem) for problem in problems)))
            continue
        attendee = Attendee(
            name=values["name"], phone=phone, email=email, organisation_name=organisation
        )
        rows.append(_Row(line=line, attendee=attendee, type=ticket_type))
    return rows, errors


def issued_tickets_import_csv(
    *, edition: Edition, text: str, organiser: User, default_type: str = ""
) -> CsvIssueResult:
    """Press, speaker and VIP tickets from a CSV file (name, phone, email, organisation, type).
    All or nothing: every row is checked first, and any error creates no ticket at all; the
    result then lists each faulty line with what is wrong, in the organiser's language."""
    ensure_organiser(user=organiser, edition=edition)
    if default_type:
        _ensure_issuable(default_type)
    rows, errors = _read_rows(text=text, default_type=default_type)
    first_line: dict[str, int] = {}
    for row in rows:
        phone = row.attendee.phone
        if phone in first_line:
            errors.append(
                RowError(
                    row.line,
                    _("%(phone)s is already on line %(line)d of this file.")
                    % {"phone": phone, "line": first_line[phone]},
                )
            )
        else:
            first_line[phone] = row.line
    holders = _holders(edition=edition, phones=list(first_line))
    for row in rows:
        holder = holders.get(row.attendee.phone)
        if holder is not None and first_line[row.attendee.phone] == row.line:
            errors.append(RowError(row.line, str(_phone_taken(holder).message)))
    if not rows and not errors:
        errors.append(RowError(1, _("The file has no one in it.")))
    if errors:
        return CsvIssueResult(errors=sorted(errors, key=lambda error: error.line))
    issued: dict[int, Ticket] = {}
    line = 0
    try:
        with transaction.atomic():
            # In phone order, so two files sharing phones wait for each other instead of
            # deadlocking on the one-ticket-per-phone index.
            for row in sorted(rows, key=lambda row: row.attendee.phone):
                line = row.line
                issued[row.line] = _issue(edition=edition, attendee=row.attendee, type=row.type)
    except ApplicationError as exc:
        # A phone given a ticket meanwhile: the transaction took every row of the file back.
        return CsvIssueResult(errors=[RowError(line, str(exc.message))])
    return CsvIssueResult(tickets=[issued[row.line] for row in rows])


# --- Check-in lists -----------------------------------------------------------------------------


def _unique_list_slug(*, edition: Edition, name: str) -> str:
    base = slugify(fold(name))[:50].strip("-") or "danh-sach"
    slug, number = base, 1
    taken = set(
        CheckinList.objects.filter(edition=edition, slug__startswith=base).values_list(
            "slug", flat=True
        )
    )
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def _list_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise ApplicationError("name_required", _("Name the check-in list."))
    if len(name) > CheckinList._meta.get_field("name").max_length:
        raise ApplicationError("name_too_long", _("The name of the list is too long."))
    return name


def _allowed_types(allowed_types: list[str] | None) -> list[str]:
    """The ticket types in their declared order; none means every type may pass."""
    wanted = set(allowed_types or [])
    if wanted - set(TicketType.values):
        raise ApplicationError("invalid_type", _("Unknown ticket type."))
    return [value for value in TicketType.values if value in wanted]


@transaction.atomic
def checkin_list_create(
    *,
    edition: Edition,
    organiser: User,
    name: str,
    kind: str,
    allowed_types: list[str] | None = None,
) -> CheckinList:
    """A gate or VIP-area list. Seminar lists come with their seminar (seminar_create).
    No allowed types means every ticket type may pass."""
    ensure_organiser(user=organiser, edition=edition)
    name = _list_name(name)
    if kind not in CREATABLE_LIST_KINDS:
        raise ApplicationError(
            "invalid_kind", _("Create gate and VIP-area lists here; seminars bring their own.")
        )
    allowed = _allowed_types(allowed_types)
    # The edition row serialises two organisers creating lists of the same name.
    Edition.objects.select_for_update().filter(pk=edition.pk).first()
    return CheckinList.objects.create(
        edition=edition,
        name=name,
        slug=_unique_list_slug(edition=edition, name=name),
        kind=kind,
        allowed_types=allowed,
    )


def _list_gone() -> ApplicationError:
    return ApplicationError("unknown_list", _("This check-in list no longer exists."), status=404)


@transaction.atomic
def checkin_list_update(
    *, checkin_list: CheckinList, organiser: User, name: str, allowed_types: list[str]
) -> CheckinList:
    """Rename a list or change the ticket types it lets in. The slug stays as it was: the
    scanner page's address (bookmarked on the gate phones), the scanner pages already open and
    the check-in API all name a list by its slug, and a rename must not break them."""
    ensure_organiser(user=organiser, edition=checkin_list.edition)
    name = _list_name(name)
    allowed = _allowed_types(allowed_types)
    locked = CheckinList.objects.select_for_update().filter(pk=checkin_list.pk).first()
    if locked is None:
        raise _list_gone()
    locked.name = name
    locked.allowed_types = allowed
    locked.save(update_fields=["name", "allowed_types"])
    checkin_list.name, checkin_list.allowed_types = name, allowed
    return locked


@transaction.atomic
def checkin_list_delete(*, checkin_list: CheckinList, organiser: User) -> None:
    """Delete a gate or VIP-area list that has never been scanned. The Checkin log is
    append-only and refers to its list, so a list with any scan, failed ones included, stays:
    the organiser closes it instead. A seminar's list goes with its seminar.

    The list's row is locked before the log is read: a scan whose log row is written but not
    yet committed takes a key-share lock on the list as it commits (the foreign key check), so
    this waits for it and then sees the row, where without the lock the delete would miss the
    row and fail on the foreign key instead. A scan that loaded the list before this commits but
    logs after it still fails on that key, because checkin_redeem neither locks nor re-reads
    the list (tests/events/test_organiser_pages_concurrency.py shows both cases)."""
    ensure_organiser(user=organiser, edition=checkin_list.edition)
    if checkin_list.kind == CheckinListKind.SEMINAR:
        raise ApplicationError(
            "seminar_list",
            _(
                "“%(name)s” is a seminar's check-in list: it stays as long as its seminar does. "
                "Close it if no one should be scanned on it."
            )
            % {"name": checkin_list.name},
            status=409,
        )
    locked = CheckinList.objects.select_for_update().filter(pk=checkin_list.pk).first()
    if locked is None:
        raise _list_gone()
    scanned = ApplicationError(
        "list_scanned",
        _(
            "“%(name)s” has scans in its check-in log, which is kept for good, so the list "
            "cannot be deleted. Close the list instead: every scan on it is then refused."
        )
        % {"name": locked.name},
        status=409,
    )
    if Checkin.objects.filter(checkin_list=locked).exists():
        raise scanned
    locked.delete()


@transaction.atomic
def checkin_list_set_open(*, checkin_list: CheckinList, organiser: User, is_open: bool) -> None:
    """A closed list answers "not open" to every scan, so a VIP area can shut for the night."""
    ensure_organiser(user=organiser, edition=checkin_list.edition)
    CheckinList.objects.filter(pk=checkin_list.pk).update(is_open=is_open)
    checkin_list.is_open = is_open


@transaction.atomic
def checkin_list_staff_add(*, checkin_list: CheckinList, organiser: User, email: str) -> User:
    """Put the account with this email on the list's staff. The person signs up first: the
    list names accounts, which is what the scanner checks."""
    ensure_organiser(user=organiser, edition=checkin_list.edition)
    email = email.strip()
    user = User.objects.filter(email__iexact=email, is_active=True).first() if email else None
    if user is None:
        raise ApplicationError(
            "unknown_user",
            _("No account uses the email %(email)s. Ask the person to sign up first.")
            % {"email": email},
            status=404,
        )
    if checkin_list.staff.filter(pk=user.pk).exists():
        raise ApplicationError(
            "already_staff",
            _("%(user)s is already on the staff of this list.") % {"user": user},
            status=409,
        )
    checkin_list.staff.add(user)
    return user


@transaction.atomic
def checkin_list_staff_remove(*, checkin_list: CheckinList, organiser: User, user: User) -> None:
    ensure_organiser(user=organiser, edition=checkin_list.edition)
    checkin_list.staff.remove(user)
