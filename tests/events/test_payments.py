import hashlib
import hmac
import json
import time

import httpx
import pytest
from django.utils import timezone

from accounts.errors import ApplicationError
from events.models import (
    BookingStatus,
    BoothBooking,
    BoothStatus,
    Payment,
    PaymentProvider,
    PaymentState,
    WebhookEvent,
)
from events.selectors import booth_plan
from events.services.booths import booking_cancel, booking_hold, bookings_expire
from events.services.payments import (
    payment_mark_paid,
    payment_start_stripe,
    payment_sync_stripe,
    stripe_client,
)
from tests.accounts.factories import UserFactory, member_of

from .conftest import WEBHOOK_SECRET, card_payment_method, wait_for
from .factories import ApplicationFactory, BookingFactory, BoothFactory, EditionFactory


def sign(payload: bytes, secret: str = WEBHOOK_SECRET) -> str:
    timestamp = int(time.time())
    signature = hmac.new(
        secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256
    ).hexdigest()
    return f"t={timestamp},v1={signature}"


def test_payment_mark_paid_makes_the_booth_paid_with_a_receipt(edition, organiser):
    booking = BookingFactory(booth=BoothFactory(edition=edition))

    payment = payment_mark_paid(booking=booking, organiser=organiser)

    booking.refresh_from_db()
    assert booking.status == BookingStatus.PAID
    assert (payment.provider, payment.amount, payment.state) == ("manual", 12_000_000, "succeeded")
    assert payment.receipt_number == f"TM{payment.paid_at:%Y}-{payment.pk:06d}"
    assert [item.status for item in booth_plan(edition=edition)] == [BoothStatus.PAID]
    with pytest.raises(ApplicationError) as error:
        payment_mark_paid(booking=booking, organiser=organiser)
    assert error.value.code == "not_payable"


def test_payment_mark_paid_needs_an_organiser(edition):
    booking = BookingFactory(booth=BoothFactory(edition=edition))

    with pytest.raises(ApplicationError) as error:
        payment_mark_paid(booking=booking, organiser=UserFactory())

    assert error.value.status == 403
    assert Payment.objects.count() == 0


def test_booking_cancel_refunds_a_desk_payment(edition, organiser):
    booking = BookingFactory(booth=BoothFactory(edition=edition))
    payment = payment_mark_paid(booking=booking, organiser=organiser)

    booking_cancel(booking=booking, organiser=organiser)

    payment.refresh_from_db()
    assert payment.state == PaymentState.REFUNDED
    assert BoothBooking.objects.get(pk=booking.pk).status == BookingStatus.CANCELLED


def test_receipt_page_shows_the_amount_in_dong(client, edition, organiser):
    booking = BookingFactory(booth=BoothFactory(edition=edition))
    payment = payment_mark_paid(booking=booking, organiser=organiser)

    anonymous = client.get(f"/techmart/bien-lai/{payment.pk}/")
    client.force_login(member_of(booking.application.organisation))
    response = client.get(f"/techmart/bien-lai/{payment.pk}/")

    assert anonymous.status_code == 403
    assert response.status_code == 200
    assert "12.000.000 đ" in response.content.decode()
    assert payment.receipt_number in response.content.decode()


def test_payment_start_stripe_refused_without_stripe_edition(edition):
    booking = BookingFactory(booth=BoothFactory(edition=edition))
    user = member_of(booking.application.organisation)

    with pytest.raises(ApplicationError) as error:
        payment_start_stripe(booking=booking, user=user)

    assert error.value.code == "provider_unavailable"


def test_stripe_webhook_bad_signature_is_400(client, settings, db):
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    payload = json.dumps({"id": "evt_forged", "type": "payment_intent.succeeded"}).encode()

    response = client.post(
        "/payments/stripe/webhook/",
        payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(payload, secret="whsec_wrong"),
    )

    assert response.status_code == 400
    assert response.json()["reason"] == "bad_signature"
    assert WebhookEvent.objects.count() == 0


def test_stripe_webhook_unhandled_type_is_200(client, settings, db):
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    payload = json.dumps(
        {
            "id": "evt_customer",
            "object": "event",
            "type": "customer.created",
            "data": {"object": {"id": "cus_1", "object": "customer"}},
        }
    ).encode()

    response = client.post(
        "/payments/stripe/webhook/",
        payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(payload),
    )

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "outcome": "ignored"}
    assert list(WebhookEvent.objects.values_list("event_id", flat=True)) == ["evt_customer"]


@pytest.mark.django_db(transaction=True)
def test_stripe_card_payment_through_localstripe_webhook(stripe_webhook, organiser):
    edition = EditionFactory(organisers=[organiser], payment_provider=PaymentProvider.STRIPE)
    booking = BookingFactory(booth=BoothFactory(edition=edition, price=15_000_000))
    user = member_of(booking.application.organisation)

    payment, client_secret = payment_start_stripe(booking=booking, user=user)

    client = stripe_client()
    intent = client.v1.payment_intents.retrieve(payment.stripe_payment_intent)
    assert (intent.amount, intent.currency, intent.status) == (
        15_000_000,
        "vnd",
        "requires_payment_method",
    )
    assert client_secret == intent.client_secret
    assert payment_start_stripe(booking=booking, user=user)[0].pk == payment.pk

    client.v1.payment_intents.update(
        intent.id, params={"payment_method": card_payment_method(client)}
    )
    assert client.v1.payment_intents.confirm(intent.id).status == "succeeded"

    wait_for(lambda: Payment.objects.get(pk=payment.pk).state == PaymentState.SUCCEEDED)
    booking.refresh_from_db()
    payment.refresh_from_db()
    assert booking.status == BookingStatus.PAID
    assert payment.receipt_number == f"TM{payment.paid_at:%Y}-{payment.pk:06d}"
    assert [item.status for item in booth_plan(edition=edition)] == [BoothStatus.PAID]
    ours = WebhookEvent.objects.filter(payload__data__object__id=intent.id)
    event = ours.get(type="payment_intent.succeeded")

    # Replayed: the same event id again changes nothing.
    replay = json.dumps(event.payload).encode()
    answer = httpx.post(stripe_webhook, content=replay, headers={"Stripe-Signature": sign(replay)})
    assert (answer.status_code, answer.json()["outcome"]) == (200, "replayed")
    # Out of order: a failure event for the paid intent does not undo the payment.
    late = json.dumps(
        {**event.payload, "id": "evt_late_failure", "type": "payment_intent.payment_failed"}
    ).encode()
    answer = httpx.post(stripe_webhook, content=late, headers={"Stripe-Signature": sign(late)})
    assert (answer.status_code, answer.json()["outcome"]) == (200, "succeeded")
    # Forged: refused.
    answer = httpx.post(
        stripe_webhook, content=late, headers={"Stripe-Signature": sign(late, "whsec_forged")}
    )
    assert answer.status_code == 400
    payment_after = Payment.objects.get(pk=payment.pk)
    assert (payment_after.state, payment_after.paid_at) == (PaymentState.SUCCEEDED, payment.paid_at)
    assert Payment.objects.count() == 1
    assert ours.filter(type__startswith="payment_intent").count() == 2

    # An organiser cancels the booth: the card payment goes back through Stripe.
    booking_cancel(booking=booking, organiser=organiser)
    payment.refresh_from_db()
    assert payment.state == PaymentState.REFUNDED
    refund = client.v1.refunds.retrieve(payment.stripe_refund)
    assert (refund.amount, refund.payment_intent, refund.status) == (
        15_000_000,
        intent.id,
        "succeeded",
    )


@pytest.mark.django_db(transaction=True)
def test_stripe_webhook_refetches_instead_of_trusting_the_payload(stripe_settings, live_server):
    """A correctly signed event that claims success for an unpaid intent changes nothing:
    the intent is fetched from Stripe, which says it is not paid."""
    edition = EditionFactory(payment_provider=PaymentProvider.STRIPE)
    booking = BookingFactory(booth=BoothFactory(edition=edition))
    payment, _secret = payment_start_stripe(
        booking=booking, user=member_of(booking.application.organisation)
    )
    payload = json.dumps(
        {
            "id": "evt_claims_success",
            "object": "event",
            "type": "payment_intent.succeeded",
            "data": {
                "object": {
                    "id": payment.stripe_payment_intent,
                    "object": "payment_intent",
                    "status": "succeeded",
                    "amount": payment.amount,
                }
            },
        }
    ).encode()

    answer = httpx.post(
        f"{live_server.url}/payments/stripe/webhook/",
        content=payload,
        headers={"Stripe-Signature": sign(payload)},
    )

    assert (answer.status_code, answer.json()["outcome"]) == (200, "pending")
    assert Payment.objects.get(pk=payment.pk).state == PaymentState.PENDING
    assert BoothBooking.objects.get(pk=booking.pk).status == BookingStatus.BOOKED


def _paid_by_card_after_the_hold_expired(edition):
    """Hold a booth, start a card payment, let the hold expire, then the card payment succeeds."""
    edition.self_service_booking = True
    edition.payment_provider = PaymentProvider.STRIPE
    edition.save()
    booth = BoothFactory(edition=edition)
    application = ApplicationFactory(edition=edition)
    user = member_of(application.organisation)
    booking = booking_hold(application=application, booth=booth, user=user)
    payment, _secret = payment_start_stripe(booking=booking, user=user)
    BoothBooking.objects.filter(pk=booking.pk).update(
        held_until=timezone.now() - timezone.timedelta(seconds=1)
    )
    assert bookings_expire() == 1
    client = stripe_client()
    client.v1.payment_intents.update(
        payment.stripe_payment_intent, params={"payment_method": card_payment_method(client)}
    )
    client.v1.payment_intents.confirm(payment.stripe_payment_intent)
    return booth, booking, payment


def test_card_payment_after_expiry_gets_the_free_booth_back(stripe_settings, edition):
    booth, booking, payment = _paid_by_card_after_the_hold_expired(edition)

    payment = payment_sync_stripe(payment=payment)

    booking.refresh_from_db()
    assert (payment.state, booking.status) == (PaymentState.SUCCEEDED, BookingStatus.PAID)
    assert [item.status for item in booth_plan(edition=edition)] == [BoothStatus.PAID]


def test_card_payment_after_expiry_is_refunded_when_the_booth_was_taken(stripe_settings, edition):
    booth, booking, payment = _paid_by_card_after_the_hold_expired(edition)
    BookingFactory(booth=booth)

    payment = payment_sync_stripe(payment=payment)

    booking.refresh_from_db()
    assert (payment.state, booking.status) == (PaymentState.REFUNDED, BookingStatus.EXPIRED)
    refund = stripe_client().v1.refunds.retrieve(payment.stripe_refund)
    assert refund.amount == payment.amount


def test_hold_expiry_is_scheduled_every_minute(settings):
    from config.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["events-expire-booth-holds"]
    app.loader.import_default_modules()  # what a worker or beat does at start

    assert entry == {"task": "events.tasks.bookings_expire_task", "schedule": 60.0}
    assert "events.tasks.bookings_expire_task" in app.tasks
