from django.conf import settings
from django.core.validators import (
    FileExtensionValidator,
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
)
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from accounts.provinces import PROVINCE_CHOICES, province_name
from accounts.validators import ImageFormatValidator, MaxFileSizeValidator

from .fields import CodeListField
from .taxonomy import (
    ATTACHMENT_MAX_BYTES,
    IMAGE_MAX_BYTES,
    DealType,
    InquiryState,
    IntermediaryKind,
    IPStatus,
    ListingKind,
    ListingLanguage,
    ListingStatus,
    Sector,
    TransferType,
)
from .validators import PdfMagicValidator


class Listing(models.Model):
    """What offers and requests share: the exchange-format fields, the owner, the lifecycle and
    the folded search columns (kept up to date by the services, never by save())."""

    KIND: str = ""
    ID_PREFIX: str = ""

    external_id = models.CharField(_("exchange identifier"), max_length=64, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    contact_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact person"),
    )
    language = models.CharField(
        _("language"), max_length=2, choices=ListingLanguage.choices, default=ListingLanguage.VI
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    description = models.TextField(_("description"), validators=[MaxLengthValidator(5000)])
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, db_index=True)
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    province = models.CharField(
        _("province"), max_length=32, choices=PROVINCE_CHOICES, blank=True, db_index=True
    )
    transfer_types = CodeListField(_("transfer types"), codes=TransferType.choices)

    status = models.CharField(
        _("status"), max_length=20, choices=ListingStatus.choices, default=ListingStatus.DRAFT
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    search_title = models.CharField(max_length=255, blank=True, editable=False)
    search_document = models.TextField(blank=True, editable=False)

    class Meta:
        abstract = True
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(f"marketplace:{self.KIND}_detail", kwargs={"pk": self.pk})

    @property
    def kind(self) -> str:
        return self.KIND

    @property
    def province_label(self) -> str:
        return province_name(self.province)

    @property
    def is_published(self) -> bool:
        return self.status == ListingStatus.PUBLISHED

    def get_transfer_types_display(self) -> list[str]:
        labels = dict(TransferType.choices)
        return [labels.get(code, code) for code in self.transfer_types]


def _listing_constraints(prefix: str) -> list:
    return [
        models.UniqueConstraint(
            fields=["external_id"],
            condition=~Q(external_id=""),
            name=f"{prefix}_external_id_unique",
        ),
        models.CheckConstraint(
            condition=~Q(status=ListingStatus.REJECTED) | ~Q(rejection_reason=""),
            name=f"{prefix}_rejection_has_reason",
        ),
        models.CheckConstraint(
            condition=~Q(status=ListingStatus.PUBLISHED)
            | (Q(published_at__isnull=False) & Q(expires_at__isnull=False)),
            name=f"{prefix}_published_has_dates",
        ),
    ]


def _listing_indexes(prefix: str) -> list:
    return [
        models.Index(fields=["status", "-published_at"], name=f"{prefix}_status_published"),
        models.Index(fields=["status", "expires_at"], name=f"{prefix}_status_expires"),
    ]


class Offer(Listing):
    KIND = ListingKind.OFFER
    ID_PREFIX = "TM-O-"

    trl = models.PositiveSmallIntegerField(
        _("technology readiness level"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(9)],
        help_text=_("1 = basic principles observed, 9 = proven in operation."),
    )
    ip_status = models.CharField(
        _("intellectual property"), max_length=20, choices=IPStatus.choices, blank=True
    )
    ip_certificate_number = models.CharField(_("certificate number"), max_length=64, blank=True)
    price_vnd = models.PositiveBigIntegerField(
        _("price (đồng)"), null=True, blank=True, help_text=_("Leave empty for negotiable.")
    )
    video_url = models.URLField(_("video link"), blank=True)

    class Meta(Listing.Meta):
        verbose_name = _("technology offer")
        verbose_name_plural = _("technology offers")
        constraints = [
            *_listing_constraints("offer"),
            models.CheckConstraint(
                condition=Q(trl__isnull=True) | Q(trl__gte=1, trl__lte=9), name="offer_trl_1_9"
            ),
        ]
        indexes = _listing_indexes("offer")

    @property
    def amount_vnd(self) -> int | None:
        return self.price_vnd


class Request(Listing):
    KIND = ListingKind.REQUEST
    ID_PREFIX = "TM-R-"

    budget_vnd = models.PositiveBigIntegerField(
        _("budget (đồng)"), null=True, blank=True, help_text=_("Leave empty for negotiable.")
    )
    wanted_by = models.DateField(_("wanted by"), null=True, blank=True)
    is_anonymous = models.BooleanField(
        _("anonymous"),
        default=False,
        help_text=_("Your organisation's name stays hidden until you answer an inquiry."),
    )

    class Meta(Listing.Meta):
        verbose_name = _("technology request")
        verbose_name_plural = _("technology requests")
        constraints = _listing_constraints("request")
        indexes = _listing_indexes("request")

    @property
    def amount_vnd(self) -> int | None:
        return self.budget_vnd


def offer_image_path(instance, filename: str) -> str:
    return f"offers/{instance.offer_id}/{filename}"


class OfferImage(models.Model):
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(
        _("image"),
        upload_to=offer_image_path,
        validators=[MaxFileSizeValidator(IMAGE_MAX_BYTES), ImageFormatValidator()],
    )
    thumbnail = models.ImageField(upload_to=offer_image_path, blank=True, editable=False)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.image.name

    @property
    def thumbnail_url(self) -> str:
        return (self.thumbnail or self.image).url


class OfferAttachment(models.Model):
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(
        _("PDF document"),
        upload_to=offer_image_path,
        validators=[
            FileExtensionValidator(["pdf"]),
            MaxFileSizeValidator(ATTACHMENT_MAX_BYTES),
            PdfMagicValidator(),
        ],
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title or self.file.name


class Inquiry(models.Model):
    """A private thread between the listing's organisation and an interested organisation."""

    offer = models.ForeignKey(
        Offer, on_delete=models.CASCADE, null=True, blank=True, related_name="inquiries"
    )
    request = models.ForeignKey(
        Request, on_delete=models.CASCADE, null=True, blank=True, related_name="inquiries"
    )
    listing_organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("listing owner")
    )
    initiator_organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("interested party")
    )
    initiator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=20, choices=InquiryState.choices, default=InquiryState.OPEN
    )
    # An anonymous request's owner is named to the other side once they have answered.
    owner_revealed = models.BooleanField(default=False)
    # Snapshots for the statistics: they describe the listing when the inquiry was opened.
    sector = models.CharField(max_length=20, choices=Sector.choices)
    province = models.CharField(max_length=32, choices=PROVINCE_CHOICES, blank=True)
    created_at = models.DateTimeField(_("opened"), auto_now_add=True)
    last_message_at = models.DateTimeField(_("last message"), null=True, blank=True)

    class Meta:
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        ordering = ["-last_message_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(offer__isnull=False) & Q(request__isnull=True))
                | (Q(offer__isnull=True) & Q(request__isnull=False)),
                name="inquiry_exactly_one_listing",
            ),
            models.CheckConstraint(
                condition=~Q(listing_organisation=models.F("initiator_organisation")),
                name="inquiry_between_two_organisations",
            ),
            models.UniqueConstraint(
                fields=["offer", "initiator_organisation"], name="inquiry_offer_once_per_org"
            ),
            models.UniqueConstraint(
                fields=["request", "initiator_organisation"], name="inquiry_request_once_per_org"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.listing} ↔ {self.initiator_organisation}"

    def get_absolute_url(self) -> str:
        return reverse("marketplace:inquiry_detail", kwargs={"pk": self.pk})

    @property
    def listing(self) -> Listing:
        return self.offer if self.offer_id else self.request

    @property
    def is_active(self) -> bool:
        return self.state in {InquiryState.OPEN, InquiryState.NEGOTIATING}


class Message(models.Model):
    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author_organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+"
    )
    body = models.TextField(_("message"), validators=[MaxLengthValidator(5000)])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:60]


class Deal(models.Model):
    """Recorded by one party of an inquiry; it counts once the other party confirms it."""

    inquiry = models.OneToOneField(Inquiry, on_delete=models.CASCADE, related_name="deal")
    type = models.CharField(_("deal type"), max_length=20, choices=DealType.choices)
    value_vnd = models.PositiveBigIntegerField(_("value (đồng)"))
    signed_on = models.DateField(_("date signed"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_by_organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    sector = models.CharField(max_length=20, choices=Sector.choices)
    province = models.CharField(max_length=32, choices=PROVINCE_CHOICES, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("deal")
        verbose_name_plural = _("deals")
        ordering = ["-signed_on", "-pk"]
        indexes = [models.Index(fields=["confirmed_at", "signed_on"], name="deal_confirmed")]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.value_vnd:,} ₫"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class Expert(models.Model):
    name = models.CharField(_("name"), max_length=150)
    title = models.CharField(_("title"), max_length=150, blank=True)
    fields = CodeListField(_("fields"), codes=Sector.choices)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    expertise = models.TextField(_("expertise"), validators=[MaxLengthValidator(3000)])
    province = models.CharField(_("province"), max_length=32, choices=PROVINCE_CHOICES, blank=True)
    # Never shown: the platform forwards messages to it.
    email = models.EmailField(_("email address"))
    is_active = models.BooleanField(_("listed"), default=True)
    search_document = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("marketplace:expert_detail", kwargs={"pk": self.pk})

    def get_fields_display(self) -> list[str]:
        labels = dict(Sector.choices)
        return [labels.get(code, code) for code in self.fields]


class ExpertContact(models.Model):
    """A message someone sent an expert through the platform (forwarded by email)."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="contacts")
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    sender_name = models.CharField(_("your name"), max_length=150)
    sender_email = models.EmailField(_("your email address"))
    body = models.TextField(_("message"), validators=[MaxLengthValidator(3000)])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("message to an expert")
        verbose_name_plural = _("messages to experts")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.sender_name} → {self.expert}"


class Intermediary(models.Model):
    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="intermediary_profile",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=IntermediaryKind.choices)
    services = models.TextField(_("services"), validators=[MaxLengthValidator(3000)])
    sectors = CodeListField(_("sectors"), codes=Sector.choices)
    is_active = models.BooleanField(_("listed"), default=True)

    class Meta:
        verbose_name = _("intermediary organisation")
        verbose_name_plural = _("intermediary organisations")
        ordering = ["organisation__name"]

    def __str__(self) -> str:
        return str(self.organisation)

    def get_sectors_display(self) -> list[str]:
        labels = dict(Sector.choices)
        return [labels.get(code, code) for code in self.sectors]
