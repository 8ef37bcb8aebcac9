"""A farmer's request typed without diacritics shows the right offer among its suggestions,
with reasons in plain words, and "Liên hệ" opens the exchange's inquiry: in headless Chromium."""

import re

import pytest
from django.test import Client

from accounts.models import MembershipRole
from marketplace.taxonomy import Sector
from tests.accounts.factories import OrganisationFactory, member_of
from tests.matching.factories import indexed_offer, indexed_request

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _signed_in_page(browser, live_server, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(
        viewport={"width": 360, "height": 780}, locale="vi-VN", base_url=live_server.url
    )
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def test_farmer_request_without_diacritics_gets_the_biogas_offer_with_reasons(
    browser, live_server, settings, artifacts_dir
):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    seller_org = OrganisationFactory(name="Công ty Môi trường Xanh Đồng Nai", type="sme")
    biogas = indexed_offer(
        organisation=seller_org,
        title="Hệ thống biogas phủ bạt HDPE kết hợp bể lọc sinh học cho trại lợn",
        summary="Xử lý nước thải chuồng lợn, hết mùi hôi, thu khí đốt nấu ăn.",
        description="Hầm biogas phủ bạt HDPE, máy tách phân và bể lọc sinh học cho trại "
        "lợn 100–1.000 con; nước sau xử lý đạt quy chuẩn, không còn mùi hôi.",
        sector=Sector.ENVIRONMENT,
        province="dong-nai",
        trl=9,
        price_vnd=180_000_000,
    )
    for title, sector in [
        ("Máy cắt plasma CNC cho xưởng cơ khí nhỏ", Sector.MECHANICAL),
        ("Phần mềm truy xuất nguồn gốc bằng tem QR cho HTX", Sector.ICT),
        ("Máy sấy lúa tháp tuần hoàn đốt trấu", Sector.POST_HARVEST),
    ]:
        indexed_offer(title=title, description=title, sector=sector)
    farmer_org = OrganisationFactory(name="Hộ chăn nuôi Út Mười", type="farmer")
    farmer = member_of(farmer_org, MembershipRole.OWNER, email="utmuoi@example.vn")
    need = indexed_request(
        organisation=farmer_org,
        title="nuoc thai chuong heo boc mui, hang xom phan nan",
        summary="trai heo 200 con, can xu ly nuoc thai va mui hoi",
        description="nuoc thai chuong heo chay ra muong, boc mui hoi, hang xom phan nan "
        "nhieu lan. can he thong xu ly re, de van hanh.",
        sector=Sector.LIVESTOCK,
        province="dong-nai",
        budget_vnd=250_000_000,
    )

    page = _signed_in_page(browser, live_server, farmer)
    page.goto(f"/san/nhu-cau/{need.pk}/")
    page.wait_for_selector("[data-testid=suggestion]")
    suggestions = page.locator("[data-testid=suggestion]")
    assert suggestions.first.locator("[data-testid=suggestion-title]").inner_text() == biogas.title
    reasons = suggestions.first.locator("[data-testid=suggestion-reasons] li").all_inner_texts()
    assert "heo ≈ lợn" in reasons
    assert reasons[-3:] == [
        "Cùng tỉnh Đồng Nai",
        "Giá 180 triệu ≤ ngân sách 250 triệu",
        "TRL 9 – sẵn sàng thương mại",
    ]
    assert reasons[0].startswith("Khớp: ")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(artifacts_dir / "matching-suggestions.png"), full_page=True)

    suggestions.first.locator("[data-testid=contact]").click()
    page.wait_for_url(re.compile(rf".*/san/cong-nghe/{biogas.pk}/quan-tam/$"))
    page.context.close()
