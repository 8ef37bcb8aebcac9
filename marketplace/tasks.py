"""Celery tasks: thin, they take ids, read fresh rows and send mail in each reader's language."""

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import User


def _recipients(organisation_ids, *, extra: list | None = None) -> list[User]:
    users = list(
        User.objects.filter(
            memberships__organisation_id__in=list(organisation_ids), is_active=True
        ).distinct()
    )
    for user in extra or []:
        if user is not None and user.is_active and user not in users:
            users.append(user)
    return [user for user in users if user.email]


def _send(user: User, subject_func, template: str, context: dict, *, reply_to=None) -> None:
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        subject = f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject_func()}"
        body = render_to_string(
            template, {**context, "recipient": user, "site_url": settings.SITE_URL}
        )
    EmailMessage(subject, body, to=[user.email], reply_to=reply_to).send()


@shared_task
def listing_decision_notify(kind: str, listing_id: int, decision: str) -> int:
    """Tell the owners a moderator published or rejected their listing, or that it expired."""
    from .models import Offer, Request

    model = Offer if kind == "offer" else Request
    listing = (
        model.objects.select_related("organisation", "contact_person").filter(pk=listing_id).first()
    )
    if listing is None:
        return 0
    subjects = {
        "published": lambda: _("Your listing is published: %(title)s") % {"title": listing.title},
        "rejected": lambda: (
            _("Your listing was not approved: %(title)s") % {"title": listing.title}
        ),
        "expired": lambda: _("Your listing has expired: %(title)s") % {"title": listing.title},
    }
    users = _recipients([listing.organisation_id], extra=[listing.contact_person])
    for user in users:
        _send(
            user,
            subjects[decision],
            "marketplace/email/listing_decision.txt",
            {"listing": listing, "decision": decision},
        )
    return len(users)


@shared_task
def listing_submitted_notify(kind: str, listing_id: int) -> int:
    """Tell the moderators a listing is waiting in the review queue."""
    from django.contrib.auth.models import Group

    from accounts.models import Role

    from .models import Offer, Request

    model = Offer if kind == "offer" else Request
    listing = model.objects.select_related("organisation").filter(pk=listing_id).first()
    group = Group.objects.filter(name=Role.MODERATOR).first()
    if listing is None or group is None:
        return 0
    users = [user for user in group.user_set.filter(is_active=True) if user.email]
    for user in users:
        _send(
            user,
            lambda: _("Waiting for review: %(title)s") % {"title": listing.title},
            "marketplace/email/listing_submitted.txt",
            {"listing": listing},
        )
    return len(users)


@shared_task
def inquiry_message_notify(message_id: int) -> int:
    """Each new message of a thread is mailed to the other organisation's members."""
    from .models import Message

    message = (
        Message.objects.select_related(
            "inquiry__offer", "inquiry__request", "author", "author_organisation"
        )
        .filter(pk=message_id)
        .first()
    )
    if message is None:
        return 0
    inquiry = message.inquiry
    other = (
        inquiry.initiator_organisation_id
        if message.author_organisation_id == inquiry.listing_organisation_id
        else inquiry.listing_organisation_id
    )
    listing = inquiry.listing
    # Until an anonymous request's owner answers, the other side sees no name.
    hidden = (
        getattr(listing, "is_anonymous", False)
        and message.author_organisation_id == inquiry.listing_organisation_id
        and not inquiry.owner_revealed
    )
    users = _recipients([other])
    for user in users:
        _send(
            user,
            lambda: _("New message about %(title)s") % {"title": listing.title},
            "marketplace/email/inquiry_message.txt",
            {"message": message, "inquiry": inquiry, "listing": listing, "hidden": hidden},
        )
    return len(users)


@shared_task
def deal_notify(deal_id: int, event: str) -> int:
    from .models import Deal

    deal = (
        Deal.objects.select_related("inquiry__offer", "inquiry__request").filter(pk=deal_id).first()
    )
    if deal is None:
        return 0
    inquiry = deal.inquiry
    if event == "recorded":
        other = (
            inquiry.initiator_organisation_id
            if deal.recorded_by_organisation_id == inquiry.listing_organisation_id
            else inquiry.listing_organisation_id
        )
    else:
        other = deal.recorded_by_organisation_id
    users = _recipients([other])
    listing = inquiry.listing
    for user in users:
        _send(
            user,
            (lambda: _("Please confirm the deal about %(title)s") % {"title": listing.title})
            if event == "recorded"
            else (lambda: _("The deal about %(title)s is confirmed") % {"title": listing.title}),
            "marketplace/email/deal.txt",
            {"deal": deal, "inquiry": inquiry, "listing": listing, "event": event},
        )
    return len(users)


@shared_task
def expert_contact_forward(contact_id: int) -> bool:
    """Forward a message to the expert; replies go straight to the sender."""
    from .models import ExpertContact

    contact = ExpertContact.objects.select_related("expert").filter(pk=contact_id).first()
    if contact is None or not contact.expert.is_active:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + _(
            "A message from %(name)s through Techmart"
        ) % {"name": contact.sender_name}
        body = render_to_string(
            "marketplace/email/expert_contact.txt",
            {"contact": contact, "site_url": settings.SITE_URL},
        )
    EmailMessage(subject, body, to=[contact.expert.email], reply_to=[contact.sender_email]).send()
    return True


@shared_task
def listings_archive_expired() -> int:
    from .services import listing_archive_expired

    return listing_archive_expired()
