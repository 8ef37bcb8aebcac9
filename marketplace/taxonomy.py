"""The exchange's vocabularies. Codes are those of the exchange format (shared/data/README.md);
labels are English msgids with their Vietnamese in marketplace/locale/vi."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Sector(models.TextChoices):
    AGRICULTURE = "agriculture", _("Crop farming")
    LIVESTOCK = "livestock", _("Livestock")
    AQUACULTURE = "aquaculture", _("Aquaculture and fisheries")
    POST_HARVEST = "post_harvest", _("Post-harvest and storage")
    FOOD_PROCESSING = "food_processing", _("Food processing")
    FORESTRY = "forestry", _("Forestry")
    ENVIRONMENT = "environment", _("Environment and waste")
    ENERGY = "energy", _("Energy")
    MECHANICAL = "mechanical", _("Mechanical engineering and machinery")
    ICT = "ict", _("Information technology")
    BIOTECH = "biotech", _("Biotechnology")
    HEALTH = "health", _("Health and medicine")
    MATERIALS = "materials", _("Materials")
    CHEMICALS = "chemicals", _("Chemicals")
    OTHER = "other", _("Other")


class TransferType(models.TextChoices):
    LICENCE = "licence", _("Licence")
    SALE = "sale", _("Sale of the technology")
    JOINT_VENTURE = "joint_venture", _("Joint venture")
    EQUIPMENT = "equipment", _("Equipment supply")
    CONSULTING = "consulting", _("Consulting")
    TRAINING = "training", _("Training")


class IPStatus(models.TextChoices):
    PATENT = "patent", _("Patent")
    PATENT_PENDING = "patent_pending", _("Patent pending")
    UTILITY_SOLUTION = "utility_solution", _("Utility solution")
    PLANT_VARIETY = "plant_variety", _("Plant variety protection")
    KNOW_HOW = "know_how", _("Know-how")
    NONE = "none", _("No protection")


class ListingLanguage(models.TextChoices):
    VI = "vi", _("Vietnamese")
    EN = "en", _("English")


class ListingStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("listing status", "Draft")
    PENDING_REVIEW = "pending_review", pgettext_lazy("listing status", "Waiting for review")
    PUBLISHED = "published", pgettext_lazy("listing status", "Published")
    REJECTED = "rejected", pgettext_lazy("listing status", "Rejected")
    ARCHIVED = "archived", pgettext_lazy("listing status", "Archived")


class ListingKind(models.TextChoices):
    OFFER = "offer", _("Technology offer")
    REQUEST = "request", _("Technology request")


class InquiryState(models.TextChoices):
    OPEN = "open", pgettext_lazy("inquiry state", "Open")
    NEGOTIATING = "negotiating", pgettext_lazy("inquiry state", "Negotiating")
    DEAL = "deal", pgettext_lazy("inquiry state", "Deal")
    CLOSED = "closed", pgettext_lazy("inquiry state", "Closed without a deal")


class DealType(models.TextChoices):
    LICENCE = "licence", _("Licence")
    IP_SALE = "ip_sale", _("Sale of intellectual property")
    JOINT_VENTURE = "joint_venture", _("Joint venture")
    EQUIPMENT = "equipment", _("Equipment supply")
    CONSULTING = "consulting", _("Consulting")
    TRAINING = "training", _("Training")


# Seed document 004 measures intellectual-property transactions and technology transactions as
# shares of all science and technology transactions. IP changes hands by licence or sale;
# technology is transferred by those and by joint ventures and equipment carrying the know-how.
# Consulting and training are science and technology services: counted in the total only.
IP_DEAL_TYPES = frozenset({DealType.LICENCE, DealType.IP_SALE})
TECHNOLOGY_DEAL_TYPES = frozenset(
    {DealType.LICENCE, DealType.IP_SALE, DealType.JOINT_VENTURE, DealType.EQUIPMENT}
)

GROWTH_TARGET_PERCENT = 10
IP_SHARE_TARGET_PERCENT = 10
TECHNOLOGY_SHARE_TARGET = (10, 20)


class IntermediaryKind(models.TextChoices):
    BROKER = "broker", _("Technology broker")
    CONSULTANT = "consultant", _("Consultant")
    TRANSFER_CENTRE = "transfer_centre", _("Technology transfer centre")
    INCUBATOR = "incubator", _("Incubator")


LISTING_LIFETIME_DAYS = 365
MAX_KEYWORDS = 10
MAX_IMAGES = 8
IMAGE_MAX_BYTES = 5 * 1024 * 1024
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
THUMBNAIL_SIZE = (480, 360)
