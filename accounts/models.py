from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .provinces import PROVINCE_CHOICES
from .validators import logo_validators


class Role(models.TextChoices):
    """Platform roles. Each maps to a Django group of the same name (see roles.py), so the admin's
    permission system and our own checks agree. Everyone is a member; the others are granted."""

    MEMBER = "member", _("Member")
    MODERATOR = "moderator", _("Platform moderator")
    ORGANISER = "organiser", _("Fair organiser")
    EXHIBITOR_STAFF = "exhibitor_staff", _("Exhibitor staff")


class Language(models.TextChoices):
    VI = "vi", "Tiếng Việt"
    EN = "en", "English"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person. Signs in by email; the profile lives on the user row itself."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.VI
    )
    province = models.CharField(_("province"), max_length=32, choices=PROVINCE_CHOICES, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return (self.full_name.split() or [self.email])[-1]


class OrganisationType(models.TextChoices):
    """The owner types of the exchange format (shared/data/README.md)."""

    ENTERPRISE = "enterprise", _("Enterprise")
    SME = "sme", _("Small or medium enterprise")
    INSTITUTE = "institute", _("Research institute")
    UNIVERSITY = "university", _("University")
    COOPERATIVE = "cooperative", _("Co-operative")
    FARMER = "farmer", _("Farmer household")
    INDIVIDUAL = "individual", _("Individual")
    AGENCY = "agency", _("Government agency")


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    type = models.CharField(_("type"), max_length=20, choices=OrganisationType.choices)
    tax_code = models.CharField(
        _("tax code or registration number"), max_length=32, blank=True, db_index=True
    )
    province = models.CharField(_("province"), max_length=32, choices=PROVINCE_CHOICES, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    logo = models.ImageField(
        _("logo"), upload_to="logos/%Y/", blank=True, validators=logo_validators
    )
    is_verified = models.BooleanField(
        _("verified by the Department"), default=False, help_text=_("Checked by a moderator.")
    )
    members = models.ManyToManyField(
        User, through="Membership", related_name="organisations", verbose_name=_("members")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["tax_code"],
                condition=~models.Q(tax_code=""),
                name="organisation_tax_code_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name


class MembershipRole(models.TextChoices):
    OWNER = "owner", pgettext_lazy("membership", "Owner")
    MEMBER = "member", pgettext_lazy("membership", "Member")


class Membership(models.Model):
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(
        _("role"), max_length=10, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    created_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.role})"
