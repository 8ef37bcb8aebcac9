"""The organiser's ticket and check-in list pages in headless Chromium on a phone: the organiser
issues a press ticket, opens a VIP area for press, speakers and VIPs and puts a volunteer on its
staff by email; the volunteer types the press ticket's code on the VIP scanner and sees green."""

import os

import pytest

from events.models import CheckinList, Ticket, TicketType
from tests.accounts.factories import UserFactory
from tests.e2e.helpers import signed_in
from tests.events.factories import EditionFactory

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_organiser_issues_press_ticket_and_vip_staff_scans_it(browser, live_server):
    organiser = UserFactory(roles=["organiser"])
    edition = EditionFactory(organisers=[organiser])
    volunteer = UserFactory(
        roles=["exhibitor_staff"], email="tinh.nguyen@example.vn", full_name="Võ Thị Tình"
    )

    # The organiser reaches the ticket page from the organiser page and issues a press ticket.
    context, page = signed_in(browser, live_server, organiser)
    page.goto(f"/techmart/{edition.slug}/ban-to-chuc/")
    page.get_by_test_id("link-organiser-tickets").click()
    page.wait_for_url(f"**/techmart/{edition.slug}/ban-to-chuc/ve/")
    form = page.get_by_test_id("issue-form")
    form.get_by_label("Loại vé").select_option(label="Báo chí")
    form.get_by_label("Họ và tên").fill("Phạm Thị Báo")
    form.get_by_label("Số điện thoại di động").fill("0912 345 678")
    form.get_by_label("Tổ chức").fill("Báo Đồng Nai")
    form.get_by_role("button", name="Cấp vé").click()
    page.get_by_text("Đã cấp vé Báo chí cho Phạm Thị Báo.").wait_for()
    ticket = Ticket.objects.get(edition=edition)
    assert (ticket.type, ticket.phone) == (TicketType.PRESS, "0912345678")
    row = page.get_by_test_id(f"ticket-{ticket.pk}")
    assert row.get_by_role("cell").nth(1).inner_text() == "Báo chí"
    row.get_by_role("link", name="Phạm Thị Báo").click()
    page.wait_for_url(f"**/techmart/ve/{ticket.code}/")
    code = page.get_by_test_id("ticket-code").inner_text()
    assert code == ticket.code

    # A VIP area for press, speakers and VIPs, with the volunteer on its staff.
    page.goto(f"/techmart/{edition.slug}/ban-to-chuc/")
    page.get_by_test_id("link-organiser-checkin-lists").click()
    page.wait_for_url(f"**/techmart/{edition.slug}/ban-to-chuc/soat-ve/")
    new_list = page.get_by_test_id("list-form")
    new_list.get_by_label("Tên danh sách").fill("Khu VIP")
    new_list.get_by_label("Loại danh sách").select_option(label="Khu VIP")
    for label in ("Báo chí", "Diễn giả", "Khách mời VIP"):
        new_list.get_by_label(label, exact=True).check()
    new_list.get_by_role("button", name="Tạo danh sách").click()
    page.get_by_text("Đã tạo danh sách soát vé “Khu VIP”.").wait_for()
    vip = CheckinList.objects.get(edition=edition)
    assert (vip.slug, vip.allowed_types) == ("khu-vip", ["press", "speaker", "vip"])
    staff_form = page.get_by_test_id("staff-add-khu-vip")
    staff_form.get_by_label("Email tài khoản của nhân viên").fill("ai.do@example.vn")
    staff_form.get_by_role("button", name="Thêm vào nhân viên").click()
    page.get_by_text("Không có tài khoản nào dùng email ai.do@example.vn.").wait_for()
    staff_form = page.get_by_test_id("staff-add-khu-vip")
    staff_form.get_by_label("Email tài khoản của nhân viên").fill("Tinh.Nguyen@example.vn")
    staff_form.get_by_role("button", name="Thêm vào nhân viên").click()
    page.get_by_text("Võ Thị Tình đã có thể quét vé ở “Khu VIP”.").wait_for()
    staff = page.get_by_test_id("staff-khu-vip").get_by_role("listitem")
    assert staff.first.inner_text().startswith("Võ Thị Tình · tinh.nguyen@example.vn")
    assert page.get_by_test_id("list-khu-vip").get_by_test_id("list-counts").inner_text() == (
        "Đang ở trong: 0 · Lượt vào: 0"
    )
    context.close()

    # The volunteer opens the VIP scanner, types the press ticket's code and sees green.
    context, scanner = signed_in(browser, live_server, volunteer)
    scanner.goto(f"/techmart/{edition.slug}/soat-ve/")
    scanner.get_by_role("link", name="Khu VIP").click()
    scanner.wait_for_url(f"**/techmart/{edition.slug}/soat-ve/khu-vip/")
    scanner.get_by_test_id("scan-code").fill(code.lower())
    scanner.get_by_test_id("scan-submit").click()
    scanner.wait_for_selector("[data-testid=scan-result][data-status=ok]")
    assert scanner.get_by_test_id("scan-headline").inner_text() == "Hợp lệ – mời vào"
    assert scanner.get_by_test_id("scan-name").inner_text() == (
        "Phạm Thị Báo · Báo chí · Báo Đồng Nai"
    )
    assert scanner.get_by_test_id("scan-result").get_attribute("class") == ("scan-result scan-ok")
    assert vip.checkins.get().scanned_by == volunteer
    context.close()

    # Back on the organiser's page, the VIP area counts one person inside.
    context, page = signed_in(browser, live_server, organiser)
    page.goto(f"/techmart/{edition.slug}/ban-to-chuc/soat-ve/")
    assert page.get_by_test_id("list-khu-vip").get_by_test_id("list-counts").inner_text() == (
        "Đang ở trong: 1 · Lượt vào: 1"
    )
    context.close()
