import re

import pytest
from django.core import mail

from accounts.models import User

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "Ca-phe-Buon-Ma-Thuot-2026"


def test_newcomer_signs_up_verifies_logs_in_and_switches_language(phone_page, artifacts_dir):
    page = phone_page
    mail.outbox.clear()

    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "vi"
    page.goto("/accounts/signup/")
    page.fill("input[name=email]", "chutrai@example.vn")
    page.fill("input[name=full_name]", "Lê Thị Chủ Trại")
    page.fill("input[name=phone]", "0987 654 321")
    page.select_option("select[name=province]", "dak-lak")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.locator("form:has(input[name=password2]) [type=submit]").click()
    page.wait_for_url(re.compile(r".*/accounts/confirm-email/$"))

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)
    page.locator("form:has([type=submit]) [type=submit]").last.click()
    page.wait_for_url(re.compile(r".*/accounts/login/$"))

    page.fill("input[name=login]", "chutrai@example.vn")
    page.fill("input[name=password]", PASSWORD)
    page.locator("form:has(input[name=password]) [type=submit]").click()
    page.wait_for_url(re.compile(r".*/$"))
    assert page.locator("footer").inner_text().count("chutrai@example.vn") == 1
    user = User.objects.get(email="chutrai@example.vn")
    assert (user.full_name, user.phone, user.province) == (
        "Lê Thị Chủ Trại",
        "0987654321",
        "dak-lak",
    )

    nav = page.locator("nav .main-nav")
    assert nav.inner_text().split("\n")[:3] == ["Sàn công nghệ", "Techmart", "Tài khoản"]
    page.click("[data-testid=lang-en]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert nav.inner_text().split("\n")[:3] == ["Technology exchange", "Techmart", "Account"]

    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    page.screenshot(path=str(artifacts_dir / "signup-flow-home-en.png"), full_page=True)
