"""Store records of the exchange format: all or nothing, owners found by name and type,
re-imports update the listing with the same external_id."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.crypto import get_random_string
from django.utils.text import slugify

from accounts.models import Organisation

from ..exchange import Record
from ..signals import listing_changed, listing_published
from ..taxonomy import ListingStatus
from .listings import listing_refresh_search, mark_published


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    organisations_created: int = 0


def _owners_by_name() -> dict:
    """Every organisation by (case-folded name, type). Case-insensitive comparison happens here
    because SQLite's LIKE folds ASCII letters only ("CÔNG TY" ≠ "Công ty")."""
    owners: dict = {}
    for organisation in Organisation.objects.order_by("-pk"):
        owners[(organisation.name.strip().casefold(), organisation.type)] = organisation
    return owners


def _owner(name: str, type: str, cache: dict, summary: ImportSummary) -> Organisation:
    key = (name.strip().casefold(), type)
    organisation = cache.get(key)
    if organisation is None:
        base = slugify(name.replace("đ", "d").replace("Đ", "D"))[:200] or "to-chuc"
        slug = base
        while Organisation.objects.filter(slug=slug).exists():
            slug = f"{base}-{get_random_string(4).lower()}"
        organisation = Organisation.objects.create(name=name, type=type, slug=slug)
        summary.organisations_created += 1
    cache[key] = organisation
    return organisation


@transaction.atomic
def listings_import(*, records: list[Record], publish: bool = False) -> ImportSummary:
    """Without --publish new listings wait for review, like listings posted on the platform,
    and a changed published listing goes back to review."""
    summary = ImportSummary()
    owners = _owners_by_name()
    for record in records:
        model = record.model
        organisation = _owner(record.owner_name, record.owner_type, owners, summary)
        listing = model.objects.select_for_update().filter(external_id=record.external_id).first()
        created = listing is None
        if created:
            listing = model(external_id=record.external_id)
            before = None
        else:
            before = {name: getattr(listing, name) for name in record.fields}
            before["organisation_id"] = listing.organisation_id
        listing.organisation = organisation
        for name, value in record.fields.items():
            setattr(listing, name, value)
        changed = created or before != {
            **{name: getattr(listing, name) for name in record.fields},
            "organisation_id": organisation.pk,
        }
        was_published = listing.status == ListingStatus.PUBLISHED
        if created:
            if publish:
                mark_published(listing)
            else:
                listing.status = ListingStatus.PENDING_REVIEW
        elif not changed and (was_published or not publish):
            summary.unchanged += 1
            continue
        elif publish and not was_published:
            mark_published(listing)
        elif not publish and listing.status in {ListingStatus.PUBLISHED, ListingStatus.REJECTED}:
            listing.status = ListingStatus.PENDING_REVIEW
        listing_refresh_search(listing, organisation=organisation)
        listing.save()
        if created:
            summary.created += 1
        else:
            summary.updated += 1
        if listing.status == ListingStatus.PUBLISHED and (changed or not was_published):
            listing_published.send(sender=model, listing=listing)
        elif not created:
            listing_changed.send(sender=model, listing=listing)
    return summary
