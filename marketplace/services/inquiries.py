"""Expressions of interest and the private threads they open between two organisations."""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.errors import ApplicationError
from accounts.models import Organisation, User

from .. import permissions, tasks
from ..models import Deal, Inquiry, Listing, Message, Offer
from ..taxonomy import DealType, InquiryState, ListingStatus
from .common import enqueue, full_clean

MANUAL_TRANSITIONS = {
    InquiryState.OPEN: {InquiryState.NEGOTIATING, InquiryState.CLOSED},
    InquiryState.NEGOTIATING: {InquiryState.CLOSED},
    InquiryState.CLOSED: {InquiryState.OPEN},
    InquiryState.DEAL: set(),
}


def _not_party() -> ApplicationError:
    return ApplicationError(
        "not_party", _("Only the two organisations of this thread may do this."), status=403
    )


def _body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ApplicationError(
            "message_required",
            _("Write a message."),
            extra={"fields": {"body": [str(_("This field is required."))]}},
        )
    return body


@transaction.atomic
def inquiry_open(
    *, listing: Listing, actor: User, organisation: Organisation, body: str
) -> Inquiry:
    """Express interest in a published listing. A second expression from the same organisation
    continues its existing thread."""
    body = _body(body)
    if listing.status != ListingStatus.PUBLISHED:
        raise ApplicationError(
            "not_published", _("This listing is not open for inquiries."), status=409
        )
    if not permissions.can_act_for(actor, organisation.pk):
        raise ApplicationError(
            "not_allowed", _("You can only write for organisations you belong to."), status=403
        )
    if organisation.pk == listing.organisation_id:
        raise ApplicationError(
            "own_listing", _("This listing belongs to your organisation."), status=409
        )
    listing_field = "offer" if isinstance(listing, Offer) else "request"
    lookup = {listing_field: listing, "initiator_organisation": organisation}
    inquiry = Inquiry.objects.select_for_update().filter(**lookup).first()
    if inquiry is None:
        try:
            with transaction.atomic():
                inquiry = Inquiry.objects.create(
                    **lookup,
                    listing_organisation_id=listing.organisation_id,
                    initiator=actor,
                    sector=listing.sector,
                    province=listing.province,
                )
        except IntegrityError:
            inquiry = Inquiry.objects.select_for_update().get(**lookup)
    if inquiry.state == InquiryState.CLOSED:
        inquiry.state = InquiryState.OPEN
        inquiry.save(update_fields=["state"])
    message_post(inquiry=inquiry, actor=actor, body=body)
    return inquiry


@transaction.atomic
def message_post(*, inquiry: Inquiry, actor: User, body: str) -> Message:
    side = permissions.inquiry_side(actor, inquiry)
    if side is None:
        raise _not_party()
    body = _body(body)
    inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
    if inquiry.state == InquiryState.CLOSED:
        raise ApplicationError(
            "inquiry_closed", _("This thread is closed. Reopen it to write."), status=409
        )
    message = Message(inquiry=inquiry, author=actor, author_organisation_id=side, body=body)
    full_clean(message, exclude=["author", "author_organisation", "inquiry"])
    message.save()
    update = ["last_message_at"]
    inquiry.last_message_at = message.created_at
    if side == inquiry.listing_organisation_id:
        # The owner answered: an anonymous request's owner is named from now on, and a reply
        # from the listing side turns an expression of interest into a negotiation.
        if not inquiry.owner_revealed:
            inquiry.owner_revealed = True
            update.append("owner_revealed")
        if inquiry.state == InquiryState.OPEN:
            inquiry.state = InquiryState.NEGOTIATING
            update.append("state")
    inquiry.save(update_fields=update)
    enqueue(tasks.inquiry_message_notify, message.pk)
    return message


@transaction.atomic
def inquiry_set_state(*, inquiry: Inquiry, actor: User, state: str) -> Inquiry:
    if permissions.inquiry_side(actor, inquiry) is None:
        raise _not_party()
    inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
    if state not in MANUAL_TRANSITIONS.get(inquiry.state, set()):
        raise ApplicationError(
            "invalid_transition",
            _("The thread cannot move to this state. A deal is recorded and confirmed instead."),
            status=409,
        )
    inquiry.state = state
    inquiry.save(update_fields=["state"])
    return inquiry


def _deal_value(value_vnd) -> int:
    if isinstance(value_vnd, bool) or not isinstance(value_vnd, int) or value_vnd < 0:
        raise ApplicationError(
            "invalid_amount",
            _("Enter the value as a whole number of đồng, 0 or more."),
            extra={"fields": {"value_vnd": [str(_("Enter a whole number of đồng."))]}},
        )
    return value_vnd


@transaction.atomic
def deal_record(
    *, inquiry: Inquiry, actor: User, type: str, value_vnd: int, signed_on: date
) -> Deal:
    """One party records the deal; it counts once the other party confirms it. Recording again
    before confirmation replaces the figures and asks the other side anew."""
    side = permissions.inquiry_side(actor, inquiry)
    if side is None:
        raise _not_party()
    inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
    if inquiry.state == InquiryState.CLOSED:
        raise ApplicationError("inquiry_closed", _("This thread is closed."), status=409)
    if type not in DealType.values:
        raise ApplicationError("invalid_deal_type", _("Choose a deal type."))
    if signed_on > timezone.localdate():
        raise ApplicationError(
            "signed_in_future",
            _("The signing date cannot be in the future."),
            extra={"fields": {"signed_on": [str(_("The date cannot be in the future."))]}},
        )
    deal = Deal.objects.select_for_update().filter(inquiry=inquiry).first()
    if deal is not None and deal.is_confirmed:
        raise ApplicationError(
            "deal_confirmed", _("The deal of this thread is already confirmed."), status=409
        )
    deal = deal or Deal(inquiry=inquiry)
    deal.type = type
    deal.value_vnd = _deal_value(value_vnd)
    deal.signed_on = signed_on
    deal.recorded_by = actor
    deal.recorded_by_organisation_id = side
    deal.sector = inquiry.sector
    deal.province = inquiry.province
    deal.save()
    enqueue(tasks.deal_notify, deal.pk, "recorded")
    return deal


@transaction.atomic
def deal_confirm(*, deal: Deal, actor: User) -> Deal:
    deal = Deal.objects.select_for_update().select_related("inquiry").get(pk=deal.pk)
    side = permissions.inquiry_side(actor, deal.inquiry)
    if side is None:
        raise _not_party()
    if side == deal.recorded_by_organisation_id:
        raise ApplicationError(
            "confirm_by_other_party",
            _("The other organisation confirms the deal you recorded."),
            status=403,
        )
    if deal.is_confirmed:
        return deal
    deal.confirmed_by = actor
    deal.confirmed_at = timezone.now()
    deal.save(update_fields=["confirmed_by", "confirmed_at"])
    Inquiry.objects.filter(pk=deal.inquiry_id).update(state=InquiryState.DEAL)
    deal.inquiry.state = InquiryState.DEAL
    enqueue(tasks.deal_notify, deal.pk, "confirmed")
    return deal
