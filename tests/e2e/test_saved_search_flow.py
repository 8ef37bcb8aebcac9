"""A farmer searches the offers on a phone, signs in from the "save this search" control, saves
the search; a matching offer is approved; the bell counts it, the notifications page lists it
and following it opens the offer. Headless Chromium at 360 px."""

import re

import pytest
from django.core import mail

from marketplace.services import listing_publish
from marketplace.taxonomy import Sector
from matching.models import Notification, SavedSearch
from tests.accounts.factories import UserFactory
from tests.matching.factories import OfferFactory, indexed_offer

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "Lua-mua-nay-2026"
DRYER = {
    "title": "Máy sấy lúa tháp tuần hoàn đốt trấu 12 tấn/mẻ",
    "description": "Máy sấy lúa, bắp hạt; lò đốt trấu tự động, không ám khói.",
    "sector": Sector.POST_HARVEST,
    "province": "can-tho",
}
BACKGROUND = [
    ("Phần mềm kế toán cho hợp tác xã", Sector.ICT),
    ("Giống cỏ lai chịu hạn cho bò sữa", Sector.LIVESTOCK),
    ("Máy cắt plasma CNC cho xưởng cơ khí", Sector.MECHANICAL),
    ("Chế phẩm vi sinh xử lý đáy ao nuôi tôm", Sector.AQUACULTURE),
]


@pytest.fixture
def exchange(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    for title, sector in BACKGROUND:
        indexed_offer(title=title, description=title, sector=sector)
    farmer = UserFactory(email="haiphong@example.vn", password=PASSWORD)
    return farmer, UserFactory(roles=["moderator"])


def _fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def test_search_saved_on_the_offers_page_rings_the_bell(phone_page, exchange, artifacts_dir):
    farmer, moderator = exchange
    page = phone_page
    mail.outbox.clear()

    page.goto("/san/cong-nghe/")
    assert page.locator("[data-testid=notification-bell]").count() == 0
    page.fill("[data-testid=search-input]", "may say lua dot trau")
    page.click("[data-testid=search-button]")
    page.locator("[data-testid=save-search-login]").click()
    page.wait_for_url(re.compile(r".*/accounts/login/\?next="))
    page.fill("input[name=login]", farmer.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form:has(input[name=password]) [type=submit]").click()
    page.wait_for_url(re.compile(r".*/san/cong-nghe/\?q=may\+say\+lua\+dot\+trau&"))
    assert page.locator("[data-testid=search-input]").input_value() == "may say lua dot trau"
    assert page.locator("[data-testid=notification-bell]").count() == 1
    assert page.locator("[data-testid=notification-count]").count() == 0

    page.click("[data-testid=save-search-button]")
    status = page.locator("[data-testid=save-search-status]")
    assert status.inner_text() == "Đã lưu tìm kiếm: bạn sẽ được báo khi có công nghệ mới phù hợp."
    assert (
        page.locator("[data-testid=save-search-saved]")
        .inner_text()
        .startswith("✓ Tìm kiếm “may say lua dot trau” đã được lưu.")
    )
    search = SavedSearch.objects.get()
    assert (search.user, search.query, search.sector, search.province) == (
        farmer,
        "may say lua dot trau",
        "",
        "",
    )
    assert _fits_the_phone(page)
    page.screenshot(path=str(artifacts_dir / "saved-search-browse.png"), full_page=True)

    offer = OfferFactory(pending=True, **DRYER)
    listing_publish(listing=offer, moderator=moderator)
    assert [m.to for m in mail.outbox if DRYER["title"] in m.subject] == [["haiphong@example.vn"]]

    page.reload()
    assert page.locator("[data-testid=notification-count]").inner_text() == "1"
    assert page.locator("[data-testid=notification-bell]").get_attribute("aria-label") == (
        "Thông báo: 1 chưa đọc"
    )
    page.click("[data-testid=notification-bell]")
    page.wait_for_url(re.compile(r".*/goi-y/thong-bao/$"))
    item = page.locator("[data-testid=notification]")
    assert item.count() == 1
    assert item.get_attribute("data-unread") == "true"
    link = item.locator("[data-testid=notification-link]")
    assert link.inner_text() == f"Công nghệ mới phù hợp với nhu cầu của bạn: {offer.title}"
    assert _fits_the_phone(page)
    page.screenshot(path=str(artifacts_dir / "notifications-page.png"), full_page=True)

    link.click()
    page.wait_for_url(re.compile(rf".*/san/cong-nghe/{offer.pk}/$"))
    assert page.locator("h1").first.inner_text() == offer.title
    assert page.locator("[data-testid=notification-count]").count() == 0
    assert Notification.objects.get().read_at is not None


def test_without_javascript_the_search_is_saved_and_notifications_marked_read(
    browser, live_server, exchange
):
    farmer, _moderator = exchange
    Notification.objects.create(user=farmer, title="Tin cũ", url="/san/cong-nghe/")
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        locale="vi-VN",
        base_url=live_server.url,
        java_script_enabled=False,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/accounts/login/")
    page.fill("input[name=login]", farmer.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form:has(input[name=password]) [type=submit]").click()
    page.wait_for_url(re.compile(r".*/$"))

    page.goto("/san/nhu-cau/?q=may+say+lua&province=can-tho")
    page.locator("[data-testid=save-search-slot] a").click()
    page.wait_for_url(re.compile(r".*/goi-y/luu-tim-kiem/\?kind=request&q=may"))
    page.click("[data-testid=save-search-button]")
    page.wait_for_url(re.compile(r".*/san/nhu-cau/\?q=may\+say\+lua&province=can-tho$"))
    assert page.locator("[role=status]").first.inner_text() == (
        "Đã lưu tìm kiếm: bạn sẽ được báo khi có nhu cầu công nghệ mới phù hợp."
    )
    assert SavedSearch.objects.get().province == "can-tho"

    assert page.locator("[data-testid=notification-count]").inner_text() == "1"
    page.click("[data-testid=notification-bell]")
    page.click("[data-testid=mark-all-read]")
    page.wait_for_url(re.compile(r".*/goi-y/thong-bao/$"))
    assert page.locator("[data-testid=notification-count]").count() == 0
    assert page.locator("[data-testid=notification][data-unread]").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()
