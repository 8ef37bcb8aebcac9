"""Booth payments: marked paid at the desk, or through Stripe PaymentIntents.

The webhook trusts nothing in its payload but the event id and the PaymentIntent id: it
re-fetches the intent from Stripe (as pretix does) and moves the payment forward only, so a
replayed or out-of-order event changes nothing."""

import json
import logging

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.errors import ApplicationError
from accounts.models import User

from ..models import (
    BookingStatus,
    BoothBooking,
    Payment,
    PaymentProvider,
    PaymentState,
    WebhookEvent,
)
from .booths import ensure_organiser

logger = logging.getLogger(__name__)
HANDLED_EVENTS = {
    "payment_intent.succeeded",
    "payment_intent.payment_failed",
    "payment_intent.canceled",
}


def stripe_client() -> stripe.StripeClient:
    if not settings.STRIPE_SECRET_KEY:
        raise ApplicationError(
            "provider_unavailable", _("Card payments are not configured."), status=409
        )
    options = {}
    if settings.STRIPE_API_BASE:
        options["base_addresses"] = {"api": settings.STRIPE_API_BASE.rstrip("/")}
    return stripe.StripeClient(settings.STRIPE_SECRET_KEY, max_network_retries=1, **options)


def stripe_available() -> bool:
    return bool(settings.STRIPE_SECRET_KEY)


def _receipt_number(payment: Payment) -> str:
    return f"TM{payment.paid_at:%Y}-{payment.pk:06d}"


def _mark_succeeded(*, payment: Payment) -> None:
    """payment and its booking are locked by the caller."""
    booking = payment.booking
    payment.state = PaymentState.SUCCEEDED
    payment.paid_at = timezone.now()
    payment.receipt_number = _receipt_number(payment)
    payment.save(update_fields=["state", "paid_at", "receipt_number"])
    if booking.status in (BookingStatus.HELD, BookingStatus.BOOKED):
        booking.status = BookingStatus.PAID
        booking.held_until = None
        booking.save(update_fields=["status", "held_until", "updated_at"])
        return
    if booking.status == BookingStatus.PAID:
        return
    # The hold ran out while the exhibitor was paying: give the booth back to them if it is
    # still free, otherwise the money goes back.
    booking.status = BookingStatus.PAID
    booking.held_until = None
    try:
        with transaction.atomic():
            booking.save(update_fields=["status", "held_until", "updated_at"])
    except IntegrityError:
        booking.refresh_from_db()
        payment_refund(payment=payment, actor=None)
        payment.refresh_from_db()


@transaction.atomic
def payment_mark_paid(*, booking: BoothBooking, organiser: User) -> Payment:
    """Bank transfer or cash at the desk: an organiser records the money as received."""
    ensure_organiser(user=organiser, edition=booking.application.edition)
    booking = BoothBooking.objects.select_for_update().get(pk=booking.pk)
    if booking.status not in (BookingStatus.HELD, BookingStatus.BOOKED):
        raise ApplicationError(
            "not_payable", _("This booking cannot be paid in its current state."), status=409
        )
    payment = Payment.objects.create(
        booking=booking,
        provider=PaymentProvider.MANUAL,
        amount=booking.price,
        recorded_by=organiser,
    )
    payment.booking = booking
    _mark_succeeded(payment=payment)
    return payment


@transaction.atomic
def payment_start_stripe(*, booking: BoothBooking, user: User) -> tuple[Payment, str]:
    """Create (or reuse) the PaymentIntent for a booking; returns the payment and the intent's
    client secret for Stripe.js. VND has no minor unit, so amount is the whole number of đồng."""
    from accounts.permissions import can_act_for_organisation

    if not can_act_for_organisation(user, booking.application.organisation):
        raise ApplicationError("not_allowed", _("You do not act for this exhibitor."), status=403)
    booking = BoothBooking.objects.select_for_update().get(pk=booking.pk)
    if booking.application.edition.payment_provider != PaymentProvider.STRIPE:
        raise ApplicationError(
            "provider_unavailable", _("This fair does not take card payments."), status=409
        )
    if booking.status not in (BookingStatus.HELD, BookingStatus.BOOKED):
        raise ApplicationError(
            "not_payable", _("This booking cannot be paid in its current state."), status=409
        )
    client = stripe_client()
    payment = booking.payments.filter(
        provider=PaymentProvider.STRIPE, state=PaymentState.PENDING, amount=booking.price
    ).first()
    if payment is not None:
        intent = client.v1.payment_intents.retrieve(payment.stripe_payment_intent)
        if intent.status == "succeeded":
            # Paid, but the webhook has not arrived (yet): the intent as Stripe reports it is
            # the truth either way.
            payment = payment_sync_stripe(payment=payment)
        return payment, intent.client_secret
    payment = Payment.objects.create(
        booking=booking, provider=PaymentProvider.STRIPE, amount=booking.price
    )
    intent = client.v1.payment_intents.create(
        params={
            "amount": booking.price,
            "currency": "vnd",
            "metadata": {"payment": str(payment.pk), "booth": booking.booth.code},
        },
        options={"idempotency_key": f"techmart-payment-{payment.pk}-{booking.pk}-{booking.price}"},
    )
    payment.stripe_payment_intent = intent.id
    payment.save(update_fields=["stripe_payment_intent"])
    return payment, intent.client_secret


def payment_confirm_stripe(*, payment: Payment, payment_method: str, user: User) -> str:
    """Confirm the intent on the server with the card Stripe.js tokenised in the browser (the
    card number never reaches us). Returns the intent's status; the booth becomes paid when the
    webhook reports success, not here."""
    from accounts.permissions import can_act_for_organisation

    booking = payment.booking
    if not can_act_for_organisation(user, booking.application.organisation):
        raise ApplicationError("not_allowed", _("You do not act for this exhibitor."), status=403)
    if payment.provider != PaymentProvider.STRIPE or payment.state != PaymentState.PENDING:
        raise ApplicationError(
            "not_payable", _("This booking cannot be paid in its current state."), status=409
        )
    client = stripe_client()
    try:
        client.v1.payment_intents.update(
            payment.stripe_payment_intent, params={"payment_method": payment_method}
        )
        intent = client.v1.payment_intents.confirm(payment.stripe_payment_intent)
    except stripe.StripeError as exc:
        raise ApplicationError(
            "card_declined",
            _("The card payment did not go through: %(reason)s")
            % {"reason": exc.user_message or exc.code or ""},
            status=402,
        ) from exc
    return intent.status


@transaction.atomic
def payment_sync_stripe(*, payment: Payment) -> Payment:
    """Bring a Stripe payment up to the intent's state as Stripe reports it now."""
    # Booking first, then payment: the same order as booking_cancel, so the two cannot deadlock.
    booking = BoothBooking.objects.select_for_update().get(pk=payment.booking_id)
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    payment.booking = booking
    if payment.state != PaymentState.PENDING:
        return payment
    intent = stripe_client().v1.payment_intents.retrieve(payment.stripe_payment_intent)
    if intent.amount != payment.amount or intent.currency.lower() != "vnd":
        logger.error("PaymentIntent %s does not match payment %s", intent.id, payment.pk)
        return payment
    if intent.status == "succeeded":
        _mark_succeeded(payment=payment)
    elif intent.status == "canceled":
        payment.state = PaymentState.CANCELLED
        payment.save(update_fields=["state"])
    return payment


def stripe_webhook_handle(*, payload: bytes, signature: str) -> str:
    """Returns what was done, for the log. Raises ApplicationError("bad_signature") when the
    Stripe-Signature header does not verify."""
    try:
        event = stripe.Webhook.construct_event(payload, signature, settings.STRIPE_WEBHOOK_SECRET)
    except (ValueError, stripe.SignatureVerificationError) as exc:
        raise ApplicationError("bad_signature", _("The signature does not verify.")) from exc
    try:
        with transaction.atomic():
            WebhookEvent.objects.create(
                provider=PaymentProvider.STRIPE,
                event_id=event.id,
                type=event.type,
                payload=json.loads(payload),
            )
    except IntegrityError:
        return "replayed"
    if event.type not in HANDLED_EVENTS:
        return "ignored"
    intent_id = event.data.object.get("id", "")
    payment = Payment.objects.filter(stripe_payment_intent=intent_id).first()
    if payment is None:
        return "unknown_intent"
    payment = payment_sync_stripe(payment=payment)
    return payment.state


def payment_refund(*, payment: Payment, actor: User | None) -> Payment:
    """Give back a succeeded payment through its provider. For the desk provider the refund is
    recorded here and paid out in cash or by transfer."""
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.state != PaymentState.SUCCEEDED:
            return payment
        if payment.provider == PaymentProvider.STRIPE:
            refund = stripe_client().v1.refunds.create(
                params={"payment_intent": payment.stripe_payment_intent},
                options={"idempotency_key": f"techmart-refund-{payment.pk}"},
            )
            payment.stripe_refund = refund.id
        payment.state = PaymentState.REFUNDED
        payment.refunded_at = timezone.now()
        payment.save(update_fields=["state", "refunded_at", "stripe_refund"])
    return payment
