"""The Techmart fair: editions, the floor plan, exhibitors and their booths, payments, tickets,
check-in and seminars. Business rules live in events/services/; these models hold the data and
the invariants the database can enforce on its own (one active booking per booth, one ticket per
phone and edition, one answer per scanner nonce)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Organisation
from accounts.provinces import PROVINCE_CHOICES


class EditionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    REGISTRATION_OPEN = "registration_open", _("Registration open")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")


class PaymentProvider(models.TextChoices):
    MANUAL = "manual", _("Bank transfer or pay at the desk")
    STRIPE = "stripe", _("Card payment (Stripe)")


class Edition(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    opens_at = models.TimeField(_("opens daily at"))
    closes_at = models.TimeField(_("closes daily at"))
    venue = models.CharField(_("venue"), max_length=200)
    address = models.CharField(_("address"), max_length=300)
    province = models.CharField(_("province"), max_length=32, choices=PROVINCE_CHOICES)
    description = models.TextField(_("description"), blank=True)
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="organised_editions",
        blank=True,
        verbose_name=_("organisers"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=EditionStatus.choices, default=EditionStatus.DRAFT
    )
    payment_provider = models.CharField(
        _("payment provider"),
        max_length=10,
        choices=PaymentProvider.choices,
        default=PaymentProvider.MANUAL,
    )
    self_service_booking = models.BooleanField(
        _("self-service booking open"),
        default=False,
        help_text=_("Approved exhibitors may pick a free booth on the floor plan themselves."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("fair edition")
        verbose_name_plural = _("fair editions")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="edition_dates_ordered"
            ),
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="edition_hours_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_public(self) -> bool:
        return self.status != EditionStatus.DRAFT

    @property
    def registration_is_open(self) -> bool:
        return self.status in {EditionStatus.REGISTRATION_OPEN, EditionStatus.RUNNING}


class Zone(models.Model):
    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="zones", verbose_name=_("edition")
    )
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("zone")
        verbose_name_plural = _("zones")
        ordering = ["position", "name"]
        constraints = [models.UniqueConstraint(fields=["edition", "name"], name="zone_name_unique")]

    def __str__(self) -> str:
        return self.name


class BoothType(models.TextChoices):
    STANDARD = "standard", _("Standard 3×3")
    CORNER = "corner", _("Corner")
    PREMIUM = "premium", _("Premium")
    OUTDOOR = "outdoor", _("Outdoor")


class BoothStatus(models.TextChoices):
    """Derived from the booth's active booking, never stored on the booth."""

    FREE = "free", _("Free")
    HELD = "held", _("Held")
    BOOKED = "booked", _("Booked")
    PAID = "paid", _("Paid")


class Booth(models.Model):
    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="booths", verbose_name=_("edition")
    )
    zone = models.ForeignKey(
        Zone,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="booths",
        verbose_name=_("zone"),
    )
    code = models.CharField(_("code"), max_length=10)
    type = models.CharField(
        _("type"), max_length=10, choices=BoothType.choices, default=BoothType.STANDARD
    )
    area_m2 = models.DecimalField(_("area (m²)"), max_digits=6, decimal_places=1)
    price = models.PositiveBigIntegerField(_("price (đồng)"))
    has_electricity = models.BooleanField(_("electricity"), default=True)
    has_table = models.BooleanField(_("table"), default=True)
    chairs = models.PositiveSmallIntegerField(_("chairs"), default=2)
    # Position on the floor plan, in plan units (1 unit = 10 cm), drawn as an SVG rectangle.
    x = models.PositiveIntegerField(_("x"), default=0)
    y = models.PositiveIntegerField(_("y"), default=0)
    width = models.PositiveIntegerField(_("width"), default=30)
    height = models.PositiveIntegerField(_("height"), default=30)

    class Meta:
        verbose_name = _("booth")
        verbose_name_plural = _("booths")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="booth_code_unique"),
            models.CheckConstraint(condition=Q(width__gt=0, height__gt=0), name="booth_has_size"),
        ]

    def __str__(self) -> str:
        return self.code


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    WAITLISTED = "waitlisted", _("Waiting list")
    REJECTED = "rejected", _("Rejected")


class ExhibitorApplication(models.Model):
    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="applications", verbose_name=_("edition")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="exhibitor_applications",
        verbose_name=_("organisation"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    booth_type = models.CharField(
        _("wanted booth type"), max_length=10, choices=BoothType.choices, blank=True
    )
    wanted_booths = models.ManyToManyField(
        Booth, blank=True, related_name="wanted_by", verbose_name=_("wanted booths")
    )
    technologies = models.TextField(_("technologies and products shown"))
    offers = models.ManyToManyField(
        "marketplace.Offer",
        blank=True,
        related_name="+",
        verbose_name=_("marketplace offers shown"),
    )
    needs = models.TextField(_("needs"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    class Meta:
        verbose_name = _("exhibitor application")
        verbose_name_plural = _("exhibitor applications")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "organisation"], name="application_one_per_edition"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} @ {self.edition}"


class BookingStatus(models.TextChoices):
    HELD = "held", _("Held")
    BOOKED = "booked", _("Booked")
    PAID = "paid", _("Paid")
    EXPIRED = "expired", _("Expired")
    CANCELLED = "cancelled", _("Cancelled")


ACTIVE_BOOKING_STATUSES = (BookingStatus.HELD, BookingStatus.BOOKED, BookingStatus.PAID)


class BoothBooking(models.Model):
    """A booth held (for 15 minutes while paying), booked (assigned, awaiting payment) or paid.
    At most one active booking per booth: the partial unique constraint makes a double booking
    impossible even if two requests pass the application checks at the same moment."""

    booth = models.ForeignKey(
        Booth, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("booth")
    )
    application = models.ForeignKey(
        ExhibitorApplication,
        on_delete=models.PROTECT,
        related_name="bookings",
        verbose_name=_("application"),
    )
    status = models.CharField(_("status"), max_length=10, choices=BookingStatus.choices)
    price = models.PositiveBigIntegerField(_("price (đồng)"))
    held_until = models.DateTimeField(_("held until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("booth booking")
        verbose_name_plural = _("booth bookings")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["booth"],
                condition=Q(status__in=["held", "booked", "paid"]),
                name="booth_one_active_booking",
            ),
            models.CheckConstraint(
                condition=~Q(status="held") | Q(held_until__isnull=False),
                name="booking_hold_has_expiry",
            ),
        ]
        indexes = [models.Index(fields=["status", "held_until"], name="booking_hold_expiry_idx")]

    def __str__(self) -> str:
        return f"{self.booth} · {self.application.organisation}"

    @property
    def organisation(self) -> Organisation:
        return self.application.organisation

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_BOOKING_STATUSES


class PaymentState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUCCEEDED = "succeeded", _("Paid")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")
    REFUNDED = "refunded", _("Refunded")


class Payment(models.Model):
    booking = models.ForeignKey(
        BoothBooking, on_delete=models.PROTECT, related_name="payments", verbose_name=_("booking")
    )
    provider = models.CharField(_("provider"), max_length=10, choices=PaymentProvider.choices)
    amount = models.PositiveBigIntegerField(_("amount (đồng)"))
    state = models.CharField(
        _("state"), max_length=10, choices=PaymentState.choices, default=PaymentState.PENDING
    )
    stripe_payment_intent = models.CharField(
        _("Stripe PaymentIntent"), max_length=64, blank=True, default=""
    )
    stripe_refund = models.CharField(_("Stripe refund"), max_length=64, blank=True, default="")
    receipt_number = models.CharField(_("receipt number"), max_length=20, blank=True, default="")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    refunded_at = models.DateTimeField(_("refunded"), null=True, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["stripe_payment_intent"],
                condition=~Q(stripe_payment_intent=""),
                name="payment_intent_unique",
            ),
            models.UniqueConstraint(
                fields=["receipt_number"],
                condition=~Q(receipt_number=""),
                name="payment_receipt_unique",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
        ]

    def __str__(self) -> str:
        return self.receipt_number or f"#{self.pk}"


class WebhookEvent(models.Model):
    """Every provider event we accepted, by its id: a replayed event is recognised and ignored."""

    provider = models.CharField(_("provider"), max_length=10, choices=PaymentProvider.choices)
    event_id = models.CharField(_("event id"), max_length=100, unique=True)
    type = models.CharField(_("type"), max_length=100)
    payload = models.JSONField(_("payload"))
    received_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook event")
        verbose_name_plural = _("webhook events")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"


class TicketType(models.TextChoices):
    VISITOR = "visitor", _("Visitor")
    EXHIBITOR_STAFF = "exhibitor_staff", _("Exhibitor staff")
    PRESS = "press", _("Press")
    SPEAKER = "speaker", _("Speaker")
    VIP = "vip", pgettext_lazy("ticket type", "VIP")


class RegistrationGroup(models.Model):
    """A co-operative or commune officer registering up to 50 people at once."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="groups", verbose_name=_("edition")
    )
    contact_name = models.CharField(_("contact person"), max_length=150)
    contact_phone = models.CharField(_("contact phone"), max_length=20)
    contact_email = models.EmailField(_("contact email"), blank=True)
    organisation_name = models.CharField(_("organisation"), max_length=200)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)

    class Meta:
        verbose_name = _("group registration")
        verbose_name_plural = _("group registrations")

    def __str__(self) -> str:
        return self.organisation_name


class Ticket(models.Model):
    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="tickets", verbose_name=_("edition")
    )
    type = models.CharField(
        _("type"), max_length=16, choices=TicketType.choices, default=TicketType.VISITOR
    )
    # The only thing the QR code carries: 26 characters from a 32-letter alphabet, 130 bits.
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=150)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    province = models.CharField(_("province"), max_length=32, choices=PROVINCE_CHOICES, blank=True)
    interests = models.CharField(_("interests"), max_length=300, blank=True)
    share_contact = models.BooleanField(
        _("share my contact details with the exhibitors whose booths I visit"), default=False
    )
    exhibitor = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="staff_tickets",
        verbose_name=_("exhibitor"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("user"),
    )
    group = models.ForeignKey(
        RegistrationGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("group"),
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    replaced_by = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaces",
        verbose_name=_("replaced by"),
    )
    created_at = models.DateTimeField(_("issued"), auto_now_add=True)

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "phone"],
                condition=~Q(phone="") & Q(revoked_at__isnull=True),
                name="ticket_one_per_phone",
            ),
            models.CheckConstraint(
                condition=~Q(type="exhibitor_staff") | Q(exhibitor__isnull=False),
                name="ticket_staff_has_exhibitor",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_type_display()})"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class CheckinListKind(models.TextChoices):
    GATE = "gate", _("Main gate")
    SEMINAR = "seminar", _("Seminar")
    VIP = "vip", _("VIP area")


class CheckinList(models.Model):
    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="checkin_lists", verbose_name=_("edition")
    )
    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=60)
    kind = models.CharField(_("kind"), max_length=10, choices=CheckinListKind.choices)
    allowed_types = models.JSONField(
        _("allowed ticket types"),
        default=list,
        blank=True,
        help_text=_("Empty means every ticket type."),
    )
    seminar = models.OneToOneField(
        "Seminar",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="checkin_list",
        verbose_name=_("seminar"),
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="checkin_lists",
        verbose_name=_("staff"),
    )
    is_open = models.BooleanField(_("open for scanning"), default=True)

    class Meta:
        verbose_name = _("check-in list")
        verbose_name_plural = _("check-in lists")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "slug"], name="checkin_list_slug_unique"),
            models.CheckConstraint(
                condition=~Q(kind="seminar") | Q(seminar__isnull=False),
                name="checkin_list_seminar_set",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CheckinType(models.TextChoices):
    ENTRY = "entry", _("Entry")
    EXIT = "exit", _("Exit")


class Checkin(models.Model):
    """The append-only scan log: every scan, failed ones included. Nothing updates or deletes
    these rows (the admin shows them read-only)."""

    checkin_list = models.ForeignKey(
        CheckinList, on_delete=models.PROTECT, related_name="checkins", verbose_name=_("list")
    )
    # Every scan inserts a row into each of this table's indexes, on the gate's hot path:
    # checkin_ticket_list_idx (below) serves ticket lookups, so the ticket's own index would only
    # add work.
    ticket = models.ForeignKey(
        Ticket,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="checkins",
        verbose_name=_("ticket"),
        db_index=False,
    )
    raw_code = models.CharField(_("scanned code"), max_length=200)
    type = models.CharField(_("type"), max_length=5, choices=CheckinType.choices)
    result = models.CharField(_("result"), max_length=24)
    successful = models.BooleanField(_("successful"))
    gate = models.CharField(_("gate"), max_length=60, blank=True)
    device = models.CharField(_("device"), max_length=120, blank=True)
    # Unique through a constraint rather than unique=True, which on PostgreSQL also builds a
    # second (LIKE-pattern) index that no query uses. NULL, not "", for scans without a nonce,
    # so that they don't collide in it.
    nonce = models.CharField(_("nonce"), max_length=64, null=True, blank=True)  # noqa: DJ001
    response = models.JSONField(_("answer given"))
    scanned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("scanned by"),
    )
    # Set by the service, so the answer's first_entry and the logged time are the same instant.
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["ticket", "checkin_list", "successful"], name="checkin_ticket_list_idx"
            )
        ]
        constraints = [models.UniqueConstraint(fields=["nonce"], name="checkin_nonce_unique")]

    def __str__(self) -> str:
        return f"{self.raw_code} {self.result}"


class LeadScan(models.Model):
    """A visitor's badge scanned at an exhibitor's booth. Contact details are shown to the
    exhibitor only when the visitor opted in (Ticket.share_contact)."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="lead_scans", verbose_name=_("edition")
    )
    exhibitor = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="leads", verbose_name=_("exhibitor")
    )
    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="lead_scans", verbose_name=_("visitor")
    )
    scanned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("scanned by"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    visits = models.PositiveIntegerField(_("visits"), default=1)
    first_seen_at = models.DateTimeField(_("first visit"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("last visit"), auto_now=True)

    class Meta:
        verbose_name = _("booth visit")
        verbose_name_plural = _("booth visits")
        ordering = ["-last_seen_at"]
        constraints = [
            models.UniqueConstraint(fields=["exhibitor", "ticket"], name="lead_one_per_visitor")
        ]

    def __str__(self) -> str:
        return f"{self.ticket} @ {self.exhibitor}"


class Seminar(models.Model):
    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="seminars", verbose_name=_("edition")
    )
    title = models.CharField(_("title"), max_length=200)
    room = models.CharField(_("room"), max_length=100)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    speakers = models.CharField(_("speakers"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("seminar")
        verbose_name_plural = _("seminars")
        ordering = ["starts_at", "room"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="seminar_times_ordered"
            ),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="seminar_has_capacity"),
        ]

    def __str__(self) -> str:
        return self.title


class SeminarRegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITLISTED = "waitlisted", _("Waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class SeminarRegistration(models.Model):
    seminar = models.ForeignKey(
        Seminar, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("seminar")
    )
    ticket = models.ForeignKey(
        Ticket,
        on_delete=models.CASCADE,
        related_name="seminar_registrations",
        verbose_name=_("ticket"),
    )
    status = models.CharField(_("status"), max_length=10, choices=SeminarRegistrationStatus.choices)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)

    class Meta:
        verbose_name = _("seminar registration")
        verbose_name_plural = _("seminar registrations")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["seminar", "ticket"], name="seminar_registration_once")
        ]

    def __str__(self) -> str:
        return f"{self.ticket} · {self.seminar}"


# --- B2B meetings ---------------------------------------------------------------------------
# The schedule's invariants live in the database: a participant is in at most one meeting or
# pending hold per slot (SlotOccupancy rows, unique per participant and slot), a location hosts
# at most one active meeting per slot (partial unique constraint on Meeting), and a participant's
# accepted meetings never exceed the limit (a counter checked against the limit copied onto the
# participant row, changed only under select_for_update by events.services.meetings).


class MeetingAcceptance(models.TextChoices):
    NEEDS_ACCEPTANCE = "needs_acceptance", _("Requests need the recipient's acceptance")
    AUTOMATIC = "automatic", _("Automatic")


class MeetingRequesters(models.TextChoices):
    VISITORS = "visitors", pgettext_lazy("who may request meetings", "Visitors")
    EXHIBITORS = "exhibitors", pgettext_lazy("who may request meetings", "Exhibitors")
    BOTH = "both", _("Visitors and exhibitors")


MEETING_EXPIRY_MIN_MINUTES = 15
MEETING_EXPIRY_MAX_MINUTES = 10 * 24 * 60
MEETING_MESSAGE_MAX_LENGTH = 1000


class MeetingProgramme(models.Model):
    edition = models.OneToOneField(
        Edition,
        on_delete=models.CASCADE,
        related_name="meeting_programme",
        verbose_name=_("edition"),
    )
    max_meetings_per_participant = models.PositiveSmallIntegerField(
        _("maximum meetings per participant"), default=12
    )
    request_expiry_minutes = models.PositiveIntegerField(
        _("requests expire after (minutes)"),
        default=24 * 60,
        help_text=_("Between 15 minutes and 10 days."),
    )
    acceptance_mode = models.CharField(
        _("acceptance"),
        max_length=20,
        choices=MeetingAcceptance.choices,
        default=MeetingAcceptance.NEEDS_ACCEPTANCE,
    )
    who_may_request = models.CharField(
        _("who may request meetings"),
        max_length=12,
        choices=MeetingRequesters.choices,
        default=MeetingRequesters.BOTH,
    )
    is_open = models.BooleanField(_("open for requests"), default=True)
    is_published = models.BooleanField(_("schedule published"), default=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        verbose_name = _("meeting programme")
        verbose_name_plural = _("meeting programmes")
        constraints = [
            models.CheckConstraint(
                condition=Q(max_meetings_per_participant__gte=1),
                name="meeting_programme_limit_positive",
            ),
            models.CheckConstraint(
                condition=Q(request_expiry_minutes__gte=MEETING_EXPIRY_MIN_MINUTES)
                & Q(request_expiry_minutes__lte=MEETING_EXPIRY_MAX_MINUTES),
                name="meeting_programme_expiry_range",
            ),
            models.CheckConstraint(
                condition=Q(is_published=False) | Q(published_at__isnull=False),
                name="meeting_programme_published_at",
            ),
        ]

    def __str__(self) -> str:
        return str(self.edition)


class MeetingBlock(models.Model):
    """A stretch of a fair day cut into slots, e.g. 09:00–11:30 in 20-minute slots."""

    programme = models.ForeignKey(
        MeetingProgramme,
        on_delete=models.CASCADE,
        related_name="blocks",
        verbose_name=_("programme"),
    )
    day = models.DateField(_("day"))
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("until"))
    slot_minutes = models.PositiveSmallIntegerField(_("slot length (minutes)"), default=20)
    break_minutes = models.PositiveSmallIntegerField(_("break between slots (minutes)"), default=0)

    class Meta:
        verbose_name = _("meeting block")
        verbose_name_plural = _("meeting blocks")
        ordering = ["day", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_block_times_ordered"
            ),
            models.CheckConstraint(
                condition=Q(slot_minutes__gte=10) & Q(slot_minutes__lte=60),
                name="meeting_block_slot_length",
            ),
            models.CheckConstraint(
                condition=Q(break_minutes__lte=60), name="meeting_block_break_length"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


class MeetingSlot(models.Model):
    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="meeting_slots", verbose_name=_("edition")
    )
    block = models.ForeignKey(
        MeetingBlock, on_delete=models.CASCADE, related_name="slots", verbose_name=_("block")
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    class Meta:
        verbose_name = _("meeting slot")
        verbose_name_plural = _("meeting slots")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["block", "starts_at"], name="meeting_slot_unique"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_slot_times_ordered"
            ),
        ]

    def __str__(self) -> str:
        start = timezone.localtime(self.starts_at)
        return f"{start:%d/%m %H:%M}–{timezone.localtime(self.ends_at):%H:%M}"


class MeetingLocationKind(models.TextChoices):
    TABLE = "table", _("Table")
    BOOTH = "booth", _("Booth")


class MeetingLocation(models.Model):
    """A numbered table in the meeting area, or an exhibitor's booth, which hosts only meetings
    that one of its organisation's people takes part in."""

    edition = models.ForeignKey(
        Edition,
        on_delete=models.CASCADE,
        related_name="meeting_locations",
        verbose_name=_("edition"),
    )
    kind = models.CharField(
        _("kind"),
        max_length=5,
        choices=MeetingLocationKind.choices,
        default=MeetingLocationKind.TABLE,
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=60, blank=True)
    booth = models.ForeignKey(
        Booth,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="meeting_locations",
        verbose_name=_("booth"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="meeting_locations",
        verbose_name=_("exhibitor"),
    )
    is_active = models.BooleanField(_("in use"), default=True)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="meeting_locations_staffed",
        verbose_name=_("table staff"),
        help_text=_("They see this table's meetings of the day and mark them held or no-show."),
    )

    class Meta:
        verbose_name = _("meeting location")
        verbose_name_plural = _("meeting locations")
        ordering = ["kind", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "kind", "number"], name="meeting_location_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(kind="table")
                | (Q(booth__isnull=False) & Q(organisation__isnull=False)),
                name="meeting_location_booth_has_exhibitor",
            ),
        ]

    def __str__(self) -> str:
        if self.name:
            return self.name
        if self.kind == MeetingLocationKind.BOOTH and self.booth_id:
            return _("Booth %(code)s") % {"code": self.booth.code}
        return _("Table %(number)s") % {"number": self.number}


class ParticipantType(models.TextChoices):
    VISITOR = "visitor", _("Visitor")
    EXHIBITOR = "exhibitor", _("Exhibitor")


class MeetingParticipant(models.Model):
    """A ticket holder who opted into matchmaking for one edition."""

    edition = models.ForeignKey(
        Edition,
        on_delete=models.CASCADE,
        related_name="meeting_participants",
        verbose_name=_("edition"),
    )
    ticket = models.ForeignKey(
        Ticket,
        on_delete=models.CASCADE,
        related_name="meeting_participants",
        verbose_name=_("ticket"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting_participations",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting_participants",
        verbose_name=_("organisation"),
    )
    type = models.CharField(
        _("participant type"),
        max_length=10,
        choices=ParticipantType.choices,
        default=ParticipantType.VISITOR,
    )
    display_name = models.CharField(_("name"), max_length=150)
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    province = models.CharField(_("province"), max_length=32, choices=PROVINCE_CHOICES, blank=True)
    offers_text = models.TextField(_("what I offer"), max_length=1000, blank=True)
    seeks_text = models.TextField(_("what I am looking for"), max_length=1000, blank=True)
    offers = models.ManyToManyField(
        "marketplace.Offer", blank=True, related_name="+", verbose_name=_("my marketplace offers")
    )
    requests = models.ManyToManyField(
        "marketplace.Request",
        blank=True,
        related_name="+",
        verbose_name=_("my marketplace requests"),
    )
    sectors = models.JSONField(_("sectors"), default=list, blank=True)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    is_active = models.BooleanField(_("taking part"), default=True)
    max_meetings = models.PositiveSmallIntegerField(_("meeting limit"), default=12)
    meetings_count = models.PositiveSmallIntegerField(_("accepted meetings"), default=0)
    created_at = models.DateTimeField(_("opted in"), auto_now_add=True)

    class Meta:
        verbose_name = _("meeting participant")
        verbose_name_plural = _("meeting participants")
        ordering = ["display_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "ticket"], name="meeting_participant_one_per_ticket"
            ),
            models.UniqueConstraint(
                fields=["edition", "user"],
                condition=Q(user__isnull=False),
                name="meeting_participant_one_per_user",
            ),
            models.CheckConstraint(
                condition=Q(meetings_count__lte=models.F("max_meetings")),
                name="meeting_participant_within_limit",
            ),
        ]

    def __str__(self) -> str:
        if self.organisation_name:
            return f"{self.display_name} ({self.organisation_name})"
        return self.display_name


class ParticipantUnavailability(models.Model):
    participant = models.ForeignKey(
        MeetingParticipant,
        on_delete=models.CASCADE,
        related_name="unavailabilities",
        verbose_name=_("participant"),
    )
    slot = models.ForeignKey(
        MeetingSlot, on_delete=models.CASCADE, related_name="+", verbose_name=_("slot")
    )

    class Meta:
        verbose_name = _("unavailable slot")
        verbose_name_plural = _("unavailable slots")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "slot"], name="participant_unavailability_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant} · {self.slot}"


class MeetingStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED_UNSCHEDULED = "accepted_unscheduled", _("Accepted, waiting for scheduling")
    SCHEDULED = "scheduled", _("Scheduled")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")
    HELD = "held", pgettext_lazy("meeting status", "Held")
    NO_SHOW = "no_show", _("No-show")


# Statuses that occupy both participants' slot (pending requests hold it too).
OCCUPYING_MEETING_STATUSES = (
    MeetingStatus.PENDING,
    MeetingStatus.ACCEPTED_UNSCHEDULED,
    MeetingStatus.SCHEDULED,
    MeetingStatus.HELD,
    MeetingStatus.NO_SHOW,
)
# Statuses that count towards the participants' meeting limit.
COUNTED_MEETING_STATUSES = (
    MeetingStatus.ACCEPTED_UNSCHEDULED,
    MeetingStatus.SCHEDULED,
    MeetingStatus.HELD,
    MeetingStatus.NO_SHOW,
)
# Statuses in which the meeting uses its location.
LOCATED_MEETING_STATUSES = (MeetingStatus.SCHEDULED, MeetingStatus.HELD, MeetingStatus.NO_SHOW)


class FollowUp(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")


class Meeting(models.Model):
    """A meeting request and, once accepted, the meeting itself."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("edition")
    )
    requester = models.ForeignKey(
        MeetingParticipant,
        on_delete=models.CASCADE,
        related_name="meetings_requested",
        verbose_name=_("requested by"),
    )
    recipient = models.ForeignKey(
        MeetingParticipant,
        on_delete=models.CASCADE,
        related_name="meetings_received",
        verbose_name=_("requested from"),
    )
    # Null while a request for "any slot we both have free" waits for an answer or a place.
    slot = models.ForeignKey(
        MeetingSlot,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("slot"),
    )
    any_slot = models.BooleanField(_("any slot we both have free"), default=False)
    location = models.ForeignKey(
        MeetingLocation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("location"),
    )
    status = models.CharField(
        _("status"), max_length=24, choices=MeetingStatus.choices, default=MeetingStatus.PENDING
    )
    message = models.TextField(_("message"), max_length=MEETING_MESSAGE_MAX_LENGTH, blank=True)
    decline_reason = models.CharField(_("reason"), max_length=500, blank=True)
    proposed_slot = models.ForeignKey(
        MeetingSlot,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed slot"),
    )
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        MeetingParticipant,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cancelled by"),
    )
    attendance_marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("attendance marked by"),
    )
    attendance_marked_at = models.DateTimeField(_("attendance marked"), null=True, blank=True)
    requester_follow_up = models.CharField(
        _("further contact (requester)"), max_length=3, choices=FollowUp.choices, blank=True
    )
    recipient_follow_up = models.CharField(
        _("further contact (recipient)"), max_length=3, choices=FollowUp.choices, blank=True
    )
    inquiry = models.ForeignKey(
        "marketplace.Inquiry",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("marketplace thread"),
    )
    # Set once by a conditional UPDATE, so two reminder runs can never both send.
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["slot__starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(requester=models.F("recipient")), name="meeting_not_with_oneself"
            ),
            models.UniqueConstraint(
                fields=["location", "slot"],
                condition=Q(status__in=["scheduled", "held", "no_show"]),
                name="meeting_location_once_per_slot",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["scheduled", "held", "no_show"]) | Q(slot__isnull=False),
                name="meeting_scheduled_has_slot",
            ),
            models.CheckConstraint(
                condition=~Q(status="pending") | Q(expires_at__isnull=False),
                name="meeting_pending_expires",
            ),
            models.CheckConstraint(
                condition=Q(any_slot=True) | Q(slot__isnull=False),
                name="meeting_slot_or_any",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "expires_at"], name="meeting_expiry_idx"),
            models.Index(fields=["edition", "status"], name="meeting_edition_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.requester} → {self.recipient}"

    @property
    def participant_ids(self) -> tuple[int, int]:
        return (self.requester_id, self.recipient_id)


class SlotOccupancy(models.Model):
    """One row per participant and slot taken by a pending request or an accepted meeting. The
    unique constraint is what makes a double booking impossible, on SQLite and PostgreSQL alike;
    the services create these rows when a meeting takes a slot and delete them when it frees it."""

    participant = models.ForeignKey(
        MeetingParticipant,
        on_delete=models.CASCADE,
        related_name="occupancies",
        verbose_name=_("participant"),
    )
    slot = models.ForeignKey(
        MeetingSlot, on_delete=models.CASCADE, related_name="occupancies", verbose_name=_("slot")
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="occupancies", verbose_name=_("meeting")
    )

    class Meta:
        verbose_name = _("slot occupancy")
        verbose_name_plural = _("slot occupancies")
        constraints = [
            models.UniqueConstraint(fields=["participant", "slot"], name="slot_occupancy_unique")
        ]

    def __str__(self) -> str:
        return f"{self.participant} · {self.slot}"
