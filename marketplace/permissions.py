"""The exchange's permission rules, built on accounts.permissions (which decides roles and
memberships). Views, APIs and services ask these; none tests memberships itself."""

from accounts.models import Membership
from accounts.permissions import can_moderate_listings, can_view_statistics, is_moderator

from .taxonomy import ListingStatus

__all__ = [
    "acting_organisations",
    "can_edit_listing",
    "can_moderate_listings",
    "can_post_in_inquiry",
    "can_read_inquiry",
    "can_view_listing",
    "can_view_statistics",
    "inquiry_side",
    "is_moderator",
]


def organisation_ids(user) -> frozenset[int]:
    """The organisations the user acts for, read once per request and cached on the user."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_marketplace_org_ids", None)
    if cached is None:
        cached = frozenset(
            Membership.objects.filter(user=user).values_list("organisation_id", flat=True)
        )
        user._marketplace_org_ids = cached
    return cached


def acting_organisations(user) -> frozenset[int]:
    return organisation_ids(user)


def can_act_for(user, organisation_id: int) -> bool:
    return organisation_id in organisation_ids(user)


def can_edit_listing(user, listing) -> bool:
    """Only members of the owning organisation edit; moderators review but do not write."""
    return can_act_for(user, listing.organisation_id)


def can_view_listing(user, listing) -> bool:
    if listing.status == ListingStatus.PUBLISHED:
        return True
    return can_edit_listing(user, listing) or can_moderate_listings(user)


def inquiry_side(user, inquiry) -> int | None:
    """The organisation the user speaks for in this thread (the listing side first)."""
    ids = organisation_ids(user)
    if inquiry.listing_organisation_id in ids:
        return inquiry.listing_organisation_id
    if inquiry.initiator_organisation_id in ids:
        return inquiry.initiator_organisation_id
    return None


def can_post_in_inquiry(user, inquiry) -> bool:
    return inquiry_side(user, inquiry) is not None


def can_read_inquiry(user, inquiry) -> bool:
    return can_post_in_inquiry(user, inquiry) or is_moderator(user)
