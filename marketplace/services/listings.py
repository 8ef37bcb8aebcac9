"""The listing lifecycle: draft → pending review → published (365 days, renewable) → archived,
or rejected with a reason. Offers and requests share every rule here."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext_lazy as _

from accounts.errors import ApplicationError
from accounts.models import Organisation, User
from accounts.provinces import province_name

from .. import permissions, tasks
from ..models import Listing, Offer, Request
from ..signals import listing_changed, listing_published
from ..taxonomy import LISTING_LIFETIME_DAYS, MAX_KEYWORDS, ListingStatus
from ..text import fold
from .common import enqueue, full_clean, not_allowed

LISTING_FIELDS = (
    "language",
    "title",
    "summary",
    "description",
    "sector",
    "keywords",
    "province",
    "transfer_types",
    "contact_person",
)
KIND_FIELDS = {
    Offer: ("trl", "ip_status", "ip_certificate_number", "price_vnd", "video_url"),
    Request: ("budget_vnd", "wanted_by", "is_anonymous"),
}
EDITABLE_STATES = {
    ListingStatus.DRAFT,
    ListingStatus.PENDING_REVIEW,
    ListingStatus.PUBLISHED,
    ListingStatus.REJECTED,
}


def listing_fields(model: type[Listing]) -> tuple[str, ...]:
    return LISTING_FIELDS + KIND_FIELDS[model]


def normalise_keywords(keywords) -> list[str]:
    if isinstance(keywords, str):
        keywords = keywords.split(",")
    cleaned = list(dict.fromkeys(word.strip() for word in keywords or [] if str(word).strip()))
    if len(cleaned) > MAX_KEYWORDS:
        raise ApplicationError(
            "too_many_keywords",
            _("Give at most %(count)d keywords.") % {"count": MAX_KEYWORDS},
            extra={"fields": {"keywords": [str(_("Give at most 10 keywords."))]}},
        )
    return cleaned


def listing_refresh_search(listing: Listing, *, organisation: Organisation | None = None) -> None:
    """Fill the folded columns the search reads. The owner's name is searchable unless the
    request is anonymous."""
    organisation = organisation or listing.organisation
    hidden_owner = getattr(listing, "is_anonymous", False)
    parts = [
        listing.title,
        " ".join(listing.keywords or []),
        listing.summary,
        listing.description,
        "" if hidden_owner else organisation.name,
        province_name(listing.province),
    ]
    listing.search_title = fold(listing.title)[:255]
    listing.search_document = fold(" ".join(part for part in parts if part))


def _apply(listing: Listing, fields: dict) -> None:
    allowed = set(listing_fields(type(listing)))
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"Not listing fields: {sorted(unknown)}")
    if "keywords" in fields:
        fields["keywords"] = normalise_keywords(fields["keywords"])
    if "transfer_types" in fields:
        fields["transfer_types"] = list(dict.fromkeys(fields["transfer_types"] or []))
    for name, value in fields.items():
        if isinstance(value, str):
            value = value.strip()
        setattr(listing, name, value)


def _lock(listing: Listing) -> Listing:
    return (
        type(listing).objects.select_for_update().select_related("organisation").get(pk=listing.pk)
    )


def _save(listing: Listing) -> None:
    full_clean(listing, exclude=["organisation", "contact_person", "reviewed_by"])
    listing_refresh_search(listing)
    listing.save()
    if not listing.external_id:
        model = type(listing)
        external_id = f"{listing.ID_PREFIX}{listing.pk:06d}"
        if model.objects.filter(external_id=external_id).exists():
            # Taken by a listing imported from another exchange that uses our scheme.
            external_id = f"{external_id}-{get_random_string(6)}"
        listing.external_id = external_id
        model.objects.filter(pk=listing.pk).update(external_id=external_id)


def _changed(listing: Listing) -> None:
    listing_changed.send(sender=type(listing), listing=listing)


def mark_published(listing: Listing, *, now=None) -> None:
    """Published from now for LISTING_LIFETIME_DAYS (the caller saves and signals)."""
    now = now or timezone.now()
    listing.status = ListingStatus.PUBLISHED
    listing.published_at = now
    listing.expires_at = now + timedelta(days=LISTING_LIFETIME_DAYS)
    listing.rejection_reason = ""


@transaction.atomic
def listing_create(
    *,
    model: type[Listing],
    actor: User,
    organisation: Organisation,
    submit: bool = False,
    **fields,
) -> Listing:
    if not permissions.can_act_for(actor, organisation.pk):
        raise not_allowed(_("You can only post listings for organisations you belong to."))
    listing = model(organisation=organisation, contact_person=actor)
    _apply(listing, fields)
    _save(listing)
    if submit:
        listing = listing_submit(listing=listing, actor=actor)
    return listing


@transaction.atomic
def listing_update(*, listing: Listing, actor: User, **fields) -> Listing:
    """An edit of a published listing sends it back to the review queue."""
    listing = _lock(listing)
    if not permissions.can_edit_listing(actor, listing):
        raise not_allowed()
    if listing.status not in EDITABLE_STATES:
        raise ApplicationError(
            "not_editable", _("An archived listing cannot be edited. Renew it first."), status=409
        )
    _apply(listing, fields)
    if listing.status == ListingStatus.PUBLISHED:
        listing.status = ListingStatus.PENDING_REVIEW
        listing.submitted_at = timezone.now()
    _save(listing)
    _changed(listing)
    return listing


def listing_content_touched(*, listing: Listing) -> Listing:
    """Images or documents of a published listing changed: back to review, like any edit."""
    if listing.status == ListingStatus.PUBLISHED:
        listing.status = ListingStatus.PENDING_REVIEW
        listing.submitted_at = timezone.now()
        listing.save(update_fields=["status", "submitted_at", "updated_at"])
        _changed(listing)
    return listing


@transaction.atomic
def listing_submit(*, listing: Listing, actor: User) -> Listing:
    listing = _lock(listing)
    if not permissions.can_edit_listing(actor, listing):
        raise not_allowed()
    if listing.status not in {ListingStatus.DRAFT, ListingStatus.REJECTED}:
        raise ApplicationError(
            "invalid_state", _("Only a draft or a rejected listing can be submitted."), status=409
        )
    listing.status = ListingStatus.PENDING_REVIEW
    listing.submitted_at = timezone.now()
    listing.save(update_fields=["status", "submitted_at", "updated_at"])
    enqueue(tasks.listing_submitted_notify, listing.KIND, listing.pk)
    _changed(listing)
    return listing


def _require_moderator(moderator: User) -> None:
    if not permissions.can_moderate_listings(moderator):
        raise not_allowed(_("Only moderators review listings."))


@transaction.atomic
def listing_publish(*, listing: Listing, moderator: User) -> Listing:
    _require_moderator(moderator)
    listing = _lock(listing)
    if listing.status != ListingStatus.PENDING_REVIEW:
        raise ApplicationError(
            "invalid_state", _("Only a listing waiting for review can be approved."), status=409
        )
    mark_published(listing)
    listing.reviewed_by = moderator
    listing.save()
    enqueue(tasks.listing_decision_notify, listing.KIND, listing.pk, "published")
    listing_published.send(sender=type(listing), listing=listing)
    return listing


@transaction.atomic
def listing_reject(*, listing: Listing, moderator: User, reason: str) -> Listing:
    _require_moderator(moderator)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(
            "reason_required",
            _("Tell the owner why the listing is rejected."),
            extra={"fields": {"reason": [str(_("This field is required."))]}},
        )
    listing = _lock(listing)
    if listing.status not in {ListingStatus.PENDING_REVIEW, ListingStatus.PUBLISHED}:
        raise ApplicationError(
            "invalid_state", _("Only a listing waiting for review can be rejected."), status=409
        )
    listing.status = ListingStatus.REJECTED
    listing.rejection_reason = reason
    listing.reviewed_by = moderator
    listing.save()
    enqueue(tasks.listing_decision_notify, listing.KIND, listing.pk, "rejected")
    _changed(listing)
    return listing


@transaction.atomic
def listing_renew(*, listing: Listing, actor: User) -> Listing:
    """Another 365 days for a listing that was approved before (still published, or archived)."""
    listing = _lock(listing)
    if not permissions.can_edit_listing(actor, listing):
        raise not_allowed()
    renewable = listing.status == ListingStatus.PUBLISHED or (
        listing.status == ListingStatus.ARCHIVED and listing.published_at is not None
    )
    if not renewable:
        raise ApplicationError(
            "invalid_state", _("Only an approved listing can be renewed."), status=409
        )
    mark_published(listing)
    listing.save()
    listing_published.send(sender=type(listing), listing=listing)
    return listing


@transaction.atomic
def listing_archive(*, listing: Listing, actor: User) -> Listing:
    listing = _lock(listing)
    if not (permissions.can_edit_listing(actor, listing) or permissions.is_moderator(actor)):
        raise not_allowed()
    if listing.status == ListingStatus.ARCHIVED:
        return listing
    listing.status = ListingStatus.ARCHIVED
    listing.save(update_fields=["status", "updated_at"])
    _changed(listing)
    return listing


def listing_archive_expired(*, now=None) -> int:
    """Archive every published listing whose 365 days are over; the owners are told."""
    now = now or timezone.now()
    archived = 0
    for model in (Offer, Request):
        expired = model.objects.filter(status=ListingStatus.PUBLISHED, expires_at__lte=now)
        for pk in expired.values_list("pk", flat=True):
            with transaction.atomic():
                listing = model.objects.select_for_update().get(pk=pk)
                if listing.status != ListingStatus.PUBLISHED or listing.expires_at > now:
                    continue
                listing.status = ListingStatus.ARCHIVED
                listing.save(update_fields=["status", "updated_at"])
                enqueue(tasks.listing_decision_notify, listing.KIND, listing.pk, "expired")
                _changed(listing)
                archived += 1
    return archived


def offer_create(*, actor: User, organisation: Organisation, **fields) -> Offer:
    return listing_create(model=Offer, actor=actor, organisation=organisation, **fields)


def request_create(*, actor: User, organisation: Organisation, **fields) -> Request:
    return listing_create(model=Request, actor=actor, organisation=organisation, **fields)


# The lifecycle is the same for both kinds; these names read well at the call sites.
offer_update = request_update = listing_update
offer_submit = request_submit = listing_submit
offer_publish = request_publish = listing_publish
offer_reject = request_reject = listing_reject
offer_renew = request_renew = listing_renew
offer_archive = request_archive = listing_archive
