"""The fair in headless Chromium: an exhibitor holds a booth on the map and pays it by card
(Stripe.js stand-in and API served by localstripe, which then sends the signed webhook), a
farmer registers to visit, and the gate checks them in by typing the code on the scanner page."""

import os
import time

import pytest

from events.models import BookingStatus, PaymentProvider, PaymentState
from tests.accounts.factories import OrganisationFactory, UserFactory, member_of
from tests.e2e.helpers import signed_in
from tests.events.conftest import (  # noqa: F401 - fixtures used by name
    localstripe_url,
    stripe_settings,
    stripe_webhook,
)
from tests.events.factories import (
    ApplicationFactory,
    BoothFactory,
    CheckinListFactory,
    EditionFactory,
)

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("stripe_webhook")
def test_fair_book_pay_register_and_check_in(browser, live_server):
    organiser = UserFactory(roles=["organiser"])
    edition = EditionFactory(
        organisers=[organiser],
        payment_provider=PaymentProvider.STRIPE,
        self_service_booking=True,
    )
    booth = BoothFactory(edition=edition, code="A01", price=12_000_000)
    exhibitor = OrganisationFactory(name="Công ty TNHH Cơ khí Đồng Nai")
    ApplicationFactory(edition=edition, organisation=exhibitor)
    owner = member_of(exhibitor)
    gate = CheckinListFactory(edition=edition, slug="cong-chinh")

    # The exhibitor picks booth A01 on the map and pays it by card.
    context, page = signed_in(browser, live_server, owner)
    page.goto(f"/techmart/{edition.slug}/trien-lam/")
    page.get_by_test_id("hold-A01").click()
    page.wait_for_url(f"**/techmart/{edition.slug}/dat-gian/*/thanh-toan/")
    assert page.get_by_test_id("amount").inner_text() == "12.000.000 đ"
    card = page.get_by_test_id("card-element")
    card.locator("input[placeholder=number]").fill("4242424242424242")
    card.locator("input[placeholder=exp_month]").fill("12")
    card.locator("input[placeholder=exp_year]").fill("30")
    card.locator("input[placeholder=cvc]").fill("123")
    card.locator("input[placeholder=postal_code]").fill("76000")
    page.get_by_role("button", name="Thanh toán bằng thẻ").click()
    page.get_by_test_id("payment-message").filter(has_text="Đã nhận thanh toán").wait_for()
    deadline = time.monotonic() + 20
    while booth.bookings.get().status != BookingStatus.PAID:
        assert time.monotonic() < deadline, "the webhook did not mark the booth paid"
        time.sleep(0.3)
    page.wait_for_url(f"**/techmart/{edition.slug}/dat-gian/*/thanh-toan/")
    page.reload()
    assert page.get_by_test_id("booking-status").inner_text() == "Đã thanh toán"
    payment = booth.bookings.get().payments.get()
    assert (payment.state, payment.amount) == (PaymentState.SUCCEEDED, 12_000_000)
    assert page.get_by_test_id("receipt-link").inner_text() == f"Biên lai {payment.receipt_number}"
    context.close()

    # A farmer registers to visit, without an account or email.
    visitor = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="vi-VN", base_url=live_server.url
    )
    farmer = visitor.new_page()
    farmer.goto(f"/techmart/{edition.slug}/dang-ky/")
    farmer.get_by_label("Họ và tên").fill("Nguyễn Văn Ba")
    farmer.get_by_label("Số điện thoại di động").fill("0912 345 678")
    farmer.get_by_role("button", name="Nhận vé").click()
    farmer.wait_for_url("**/techmart/ve/*/")
    code = farmer.get_by_test_id("ticket-code").inner_text()
    assert code == edition.tickets.get().code
    visitor.close()

    # The gate types the code on the scanner page: green, then red for a second entry.
    context, gate_page = signed_in(browser, live_server, organiser)
    gate_page.goto(f"/techmart/{edition.slug}/soat-ve/{gate.slug}/")
    result = gate_page.get_by_test_id("scan-result")
    gate_page.get_by_test_id("scan-code").fill(code.lower())
    gate_page.keyboard.press("Enter")
    gate_page.wait_for_selector("[data-testid=scan-result][data-status=ok]")
    assert gate_page.get_by_test_id("scan-headline").inner_text() == "Hợp lệ – mời vào"
    assert gate_page.get_by_test_id("scan-name").inner_text() == "Nguyễn Văn Ba · Khách tham quan"
    assert gate_page.get_by_test_id("scan-code").input_value() == ""
    gate_page.get_by_test_id("scan-code").fill(code)
    gate_page.get_by_test_id("scan-submit").click()
    gate_page.wait_for_selector("[data-testid=scan-result][data-status=error]")
    assert gate_page.get_by_test_id("scan-headline").inner_text() == "Từ chối"
    assert gate_page.get_by_test_id("scan-detail").inner_text().startswith("Vé này đã được soát.")
    assert result.get_attribute("class") == "scan-result scan-error"
    context.close()
