"""A seller posts an offer, a moderator approves it, a farmer finds it typing without
diacritics and sends an inquiry, and the seller answers: all in headless Chromium."""

import os
import re

import pytest
from django.core import mail
from django.db import connections
from django.test import Client

from accounts.models import MembershipRole, Role
from marketplace.models import Inquiry, Offer
from marketplace.taxonomy import ListingStatus
from tests.accounts.factories import OrganisationFactory, UserFactory, member_of

# Playwright's sync API runs an event loop in this thread; the ORM calls of the test itself
# are synchronous and safe here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

playwright_sync = pytest.importorskip("playwright.sync_api")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def browser(chromium_path):
    with playwright_sync.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        # Closing the pages stops their htmx polling before the database goes away.
        for context in browser.contexts:
            context.close()
        browser.close()


def _page_for(browser, live_server, user):
    """A browser tab signed in as `user` (a session made by Django's test client)."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="vi-VN")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_exchange_flow_offer_review_search_inquiry_answer(browser, live_server, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    seller_org = OrganisationFactory(name="Công ty Cơ khí Phú Điền")
    seller = member_of(seller_org, MembershipRole.OWNER, email="nguoiban@example.vn")
    farmer_org = OrganisationFactory(name="Hộ nông dân Út Mười", type="farmer")
    farmer = member_of(farmer_org, MembershipRole.OWNER, email="nongdan@example.vn")
    moderator = UserFactory(roles=[Role.MODERATOR], email="kiemduyet@example.vn")

    # The seller posts an offer and sends it for review.
    page = _page_for(browser, live_server, seller)
    page.goto(f"{live_server.url}/san/cong-nghe/dang-tin/")
    page.fill("#id_title", "Máy sấy lúa mini 2 tấn/mẻ")
    page.fill("#id_description", "Máy sấy vỉ ngang nhỏ cho hộ nông dân, đốt trấu.")
    page.select_option("#id_sector", "post_harvest")
    page.select_option("#id_province", "vinh-long")
    page.fill("#id_price_vnd", "95000000")
    page.click("[data-testid=save-submit]")
    page.wait_for_url(re.compile(r"/san/cong-nghe/\d+/$"))
    assert page.inner_text("[data-testid=listing-status]").startswith("Trạng thái: Chờ duyệt")
    offer = Offer.objects.get()
    assert offer.status == ListingStatus.PENDING_REVIEW
    assert [m.to for m in mail.outbox] == [["kiemduyet@example.vn"]]

    # A moderator approves it from the review queue; the seller is emailed.
    page = _page_for(browser, live_server, moderator)
    page.goto(f"{live_server.url}/san/kiem-duyet/")
    page.click("[data-testid=approve]")
    page.wait_for_selector("text=Đã duyệt và đăng: Máy sấy lúa mini 2 tấn/mẻ")
    offer.refresh_from_db()
    assert offer.status == ListingStatus.PUBLISHED
    assert [m.to for m in mail.outbox] == [["kiemduyet@example.vn"], ["nguoiban@example.vn"]]

    # The farmer types without diacritics and finds it.
    page = _page_for(browser, live_server, farmer)
    page.goto(f"{live_server.url}/san/cong-nghe/")
    page.fill("[data-testid=search-input]", "may say lua")
    page.click("[data-testid=search-button]")
    page.wait_for_selector("[data-testid=listing-card] >> text=Máy sấy lúa mini 2 tấn/mẻ")
    assert page.inner_text("[data-testid=result-count]") == "Tìm thấy 1 tin đăng"
    page.click("[data-testid=listing-card] a")
    page.wait_for_url(f"{live_server.url}/san/cong-nghe/{offer.pk}/")

    # ... and sends an inquiry.
    assert page.inner_text("[data-testid=inquire]") == "Quan tâm / Liên hệ"
    page.click("[data-testid=inquire]")
    page.fill("#id_body", "Máy này sấy được 1,5 tấn lúa ướt không? Giao về Vĩnh Long được không?")
    page.click("[data-testid=send-inquiry]")
    page.wait_for_url(re.compile(r"/san/trao-doi/\d+/$"))
    inquiry = Inquiry.objects.get()
    assert inquiry.initiator_organisation == farmer_org

    # The seller answers in the thread; the farmer is emailed.
    page = _page_for(browser, live_server, seller)
    page.goto(f"{live_server.url}/san/trao-doi/")
    page.click("[data-testid=inquiry-item]")
    page.fill("#id_body", "Được anh ạ, giao tận nơi trong 10 ngày.")
    page.click("[data-testid=send-reply]")
    page.wait_for_selector("[data-testid=message] >> text=Được anh ạ, giao tận nơi trong 10 ngày.")
    assert page.inner_text("[data-testid=inquiry-state]") == "Đang đàm phán"
    assert [m.to for m in mail.outbox] == [
        ["kiemduyet@example.vn"],
        ["nguoiban@example.vn"],
        ["nguoiban@example.vn"],
        ["nongdan@example.vn"],
    ]
    # This thread's connection was opened under Playwright's event loop; close it here, or it
    # stays open and blocks dropping the test database.
    connections.close_all()
