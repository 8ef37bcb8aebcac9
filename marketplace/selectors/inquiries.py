from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import User

from .. import permissions
from ..models import Deal, Inquiry, Message


def inquiry_list_for_user(*, user: User) -> QuerySet[Inquiry]:
    ids = permissions.organisation_ids(user)
    return (
        Inquiry.objects.filter(
            Q(listing_organisation_id__in=ids) | Q(initiator_organisation_id__in=ids)
        )
        .select_related(
            "offer", "request", "listing_organisation", "initiator_organisation", "deal"
        )
        .order_by("-last_message_at", "-pk")
    )


def inquiry_get(*, pk: int, user: User) -> Inquiry:
    """A thread for its two parties and moderators; to anyone else it does not exist."""
    inquiry = (
        Inquiry.objects.select_related(
            "offer__organisation",
            "request__organisation",
            "listing_organisation",
            "initiator_organisation",
        )
        .filter(pk=pk)
        .first()
    )
    if inquiry is None or not permissions.can_read_inquiry(user, inquiry):
        raise Http404
    return inquiry


def inquiry_deal(*, inquiry: Inquiry) -> Deal | None:
    return Deal.objects.filter(inquiry=inquiry).select_related("recorded_by_organisation").first()


def message_list(*, inquiry: Inquiry) -> QuerySet[Message]:
    return inquiry.messages.select_related("author", "author_organisation").order_by(
        "created_at", "pk"
    )


def listing_owner_shown(*, inquiry: Inquiry, user: User) -> bool:
    """An anonymous request's owner is named to the other side only after answering."""
    listing = inquiry.listing
    if not getattr(listing, "is_anonymous", False) or inquiry.owner_revealed:
        return True
    return permissions.inquiry_side(user, inquiry) == inquiry.listing_organisation_id or (
        permissions.is_moderator(user)
    )
