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
    ticket = models.ForeignKey(
        Ticket,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="checkins",
        verbose_name=_("ticket"),
    )
    raw_code = models.CharField(_("scanned code"), max_length=200)
    type = models.CharField(_("type"), max_length=5, choices=CheckinType.choices)
    result = models.CharField(_("result"), max_length=24)
    successful = models.BooleanField(_("successful"))
    gate = models.CharField(_("gate"), max_length=60, blank=True)
    device = models.CharField(_("device"), max_length=120, blank=True)
    nonce = models.CharField(_("nonce"), max_length=64, null=True, blank=True, unique=True)
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
