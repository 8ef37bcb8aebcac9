import pytest
from django.utils import timezone

from events.models import ApplicationStatus, BookingStatus, Checkin, EditionStatus, LeadScan
from tests.accounts.factories import OrganisationFactory, UserFactory, member_of

from .factories import (
    ApplicationFactory,
    BookingFactory,
    BoothFactory,
    CheckinListFactory,
    EditionFactory,
    SeminarFactory,
    TicketFactory,
)


def test_index_shows_public_editions_only(client, edition):
    EditionFactory(name="Bản nháp bí mật", status=EditionStatus.DRAFT)

    response = client.get("/techmart/")

    assert response.status_code == 200
    assert edition.name in response.content.decode()
    assert "Bản nháp bí mật" not in response.content.decode()


def test_edition_page_draws_the_floor_plan_by_status(client, edition):
    free = BoothFactory(edition=edition, code="A01")
    held = BoothFactory(edition=edition, code="A02")
    booked = BoothFactory(edition=edition, code="A03")
    paid = BoothFactory(edition=edition, code="A04")
    BookingFactory(
        booth=held,
        status=BookingStatus.HELD,
        held_until=timezone.now() + timezone.timedelta(minutes=5),
    )
    BookingFactory(booth=booked, status=BookingStatus.BOOKED)
    exhibitor = BookingFactory(booth=paid, status=BookingStatus.PAID).application.organisation

    response = client.get(f"/techmart/{edition.slug}/")

    html = response.content.decode()
    assert response.status_code == 200
    for booth, status in ((free, "free"), (held, "held"), (booked, "booked"), (paid, "paid")):
        assert f'class="booth booth-{status}" data-testid="booth-{booth.code}"' in html
    assert (
        f"<title>A04 · Tiêu chuẩn 3×3 · 9,0 m² · Đã thanh toán · {exhibitor.name}</title>" in html
    )
    assert f'href="#exhibitor-{exhibitor.slug}" class="booth booth-paid"' in html
    assert f'<li id="exhibitor-{exhibitor.slug}" class="mb-2">' in html


def test_edition_page_links_exhibitors_to_their_offers(client, edition):
    from tests.marketplace.factories import OfferFactory

    booking = BookingFactory(booth=BoothFactory(edition=edition, code="A05"), status="paid")
    offer = OfferFactory(
        organisation=booking.application.organisation, title="Máy sấy lúa dùng trấu"
    )
    booking.application.offers.add(offer)

    html = client.get(f"/techmart/{edition.slug}/").content.decode()

    assert f"· {booking.application.organisation.name} · Máy sấy lúa dùng trấu</title>" in html
    assert f'href="/san/{offer_path(offer)}"' in html


@pytest.mark.parametrize("count", [1, 5])
def test_edition_page_constant_queries(client, django_assert_num_queries, edition, count):
    from tests.marketplace.factories import OfferFactory

    for _ in range(count):
        booking = BookingFactory(booth=BoothFactory(edition=edition), status=BookingStatus.PAID)
        booking.application.offers.add(OfferFactory(organisation=booking.application.organisation))
        SeminarFactory(edition=edition)

    with django_assert_num_queries(5):
        response = client.get(f"/techmart/{edition.slug}/")

    assert response.status_code == 200


def offer_path(offer) -> str:
    from django.urls import reverse

    return reverse("marketplace:offer_detail", args=[offer.pk]).removeprefix("/san/")


def test_register_page_creates_a_ticket_and_redirects(client, edition):
    response = client.post(
        f"/techmart/{edition.slug}/dang-ky/",
        {"name": "Nguyễn Văn Nông", "phone": "0912 000 111", "province": "dong-nai"},
    )
    duplicate = client.post(
        f"/techmart/{edition.slug}/dang-ky/",
        {"name": "Nguyễn Văn Nông", "phone": "0912000111"},
        follow=True,
    )

    ticket = edition.tickets.get()
    assert response.status_code == 302
    assert response["Location"] == f"/techmart/ve/{ticket.code}/"
    assert "Số điện thoại này đã đăng ký: đây là vé của số này." in duplicate.content.decode()


def test_register_page_rejects_a_bad_phone(client, edition):
    response = client.post(f"/techmart/{edition.slug}/dang-ky/", {"name": "A", "phone": "123"})

    assert response.status_code == 200
    assert edition.tickets.count() == 0
    assert 'data-testid="form-errors"' in response.content.decode()


def test_register_group_page(client, edition):
    response = client.post(
        f"/techmart/{edition.slug}/dang-ky-nhom/",
        {
            "contact_name": "Đỗ Văn Hợp Tác",
            "contact_phone": "0900000008",
            "organisation_name": "HTX Tân Phú",
            "members": "Nguyễn Văn A, 0911000001\nTrần Thị B, 0911000002\n\n",
        },
    )

    assert response.status_code == 200
    assert list(edition.tickets.order_by("name").values_list("name", "organisation_name")) == [
        ("Nguyễn Văn A", "HTX Tân Phú"),
        ("Trần Thị B", "HTX Tân Phú"),
    ]


def test_exhibitor_page_applies(client, edition):
    organisation = OrganisationFactory()
    user = member_of(organisation)
    client.force_login(user)

    response = client.post(
        f"/techmart/{edition.slug}/trien-lam/",
        {"organisation": organisation.pk, "technologies": "Máy sấy lúa", "booth_type": "corner"},
    )

    assert response.status_code == 302
    application = edition.applications.get()
    assert (application.organisation, application.status, application.booth_type) == (
        organisation,
        ApplicationStatus.SUBMITTED,
        "corner",
    )


def test_exhibitor_holds_a_booth_from_the_page(client, edition):
    edition.self_service_booking = True
    edition.save()
    application = ApplicationFactory(edition=edition)
    booth = BoothFactory(edition=edition, code="B09")
    client.force_login(member_of(application.organisation))

    page = client.get(f"/techmart/{edition.slug}/trien-lam/")
    response = client.post(
        f"/techmart/{edition.slug}/trien-lam/gian/B09/giu/", {"application": application.pk}
    )

    booking = booth.bookings.get()
    assert 'data-testid="hold-B09"' in page.content.decode()
    assert response["Location"] == f"/techmart/{edition.slug}/dat-gian/{booking.pk}/thanh-toan/"
    assert booking.status == BookingStatus.HELD
    pay = client.get(response["Location"])
    assert 'data-testid="manual-payment"' in pay.content.decode()


def test_organiser_pages_are_for_this_editions_organisers(client, edition, organiser):
    urls = [
        f"/techmart/{edition.slug}/ban-to-chuc/",
        f"/techmart/{edition.slug}/ban-to-chuc/so-lieu/",
    ]
    client.force_login(UserFactory(roles=["organiser"]))
    refused = [client.get(url).status_code for url in urls]
    client.force_login(organiser)
    allowed = [client.get(url).status_code for url in urls]

    assert (refused, allowed) == ([403, 403], [200, 200])


@pytest.mark.parametrize("count", [1, 5])
def test_organiser_page_constant_queries(
    client, django_assert_num_queries, edition, organiser, count
):
    for _ in range(count):
        BookingFactory(booth=BoothFactory(edition=edition))
        ApplicationFactory(edition=edition, status=ApplicationStatus.SUBMITTED)
    client.force_login(organiser)
    client.get(f"/techmart/{edition.slug}/ban-to-chuc/")

    with django_assert_num_queries(15):
        response = client.get(f"/techmart/{edition.slug}/ban-to-chuc/")

    assert response.status_code == 200


def test_organiser_decides_from_the_page(
    client, edition, organiser, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(edition=edition, status=ApplicationStatus.SUBMITTED)
    booth = BoothFactory(edition=edition)
    client.force_login(organiser)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/techmart/{edition.slug}/ban-to-chuc/ho-so/{application.pk}/",
            {f"a{application.pk}-decision": "approve", f"a{application.pk}-booth": booth.pk},
        )

    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert booth.bookings.get().status == BookingStatus.BOOKED


def test_organiser_imports_booths_from_the_page(client, edition, organiser):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .test_booths import CSV

    client.force_login(organiser)
    response = client.post(
        f"/techmart/{edition.slug}/ban-to-chuc/gian/nhap/",
        {"file": SimpleUploadedFile("gian.csv", CSV.encode(), content_type="text/csv")},
        follow=True,
    )

    assert "Đã tạo 3 gian, cập nhật 0 gian." in response.content.decode()


def test_figures_page_counts(client, edition, organiser):
    gate = CheckinListFactory(edition=edition)
    inside, left = TicketFactory(edition=edition), TicketFactory(edition=edition)
    for ticket, kinds in ((inside, ["entry"]), (left, ["entry", "exit"])):
        for kind in kinds:
            Checkin.objects.create(
                checkin_list=gate,
                ticket=ticket,
                raw_code=ticket.code,
                type=kind,
                result="ok",
                successful=True,
                response={},
                scanned_by=organiser,
            )
    exhibitor = ApplicationFactory(edition=edition).organisation
    LeadScan.objects.create(edition=edition, exhibitor=exhibitor, ticket=inside, visits=3)
    client.force_login(organiser)

    response = client.get(f"/techmart/{edition.slug}/ban-to-chuc/so-lieu/")

    figures = response.context["figures"]
    assert (figures.registrations_total, figures.inside_now) == (2, 1)
    assert figures.hourly == {"Cổng chính": [2]}
    assert figures.booth_visits == [(exhibitor.name, 1, 3)]


def test_scanner_page_for_list_staff_only(client, edition):
    staff = UserFactory(roles=["exhibitor_staff"])
    gate = CheckinListFactory(edition=edition, staff=[staff])
    url = f"/techmart/{edition.slug}/soat-ve/{gate.slug}/"
    client.force_login(UserFactory(roles=["exhibitor_staff"]))
    refused = client.get(url)
    client.force_login(staff)

    response = client.get(url)

    assert refused.status_code == 403
    assert response.status_code == 200
    assert "vendored/html5-qrcode/html5-qrcode.min.js" in response.content.decode()
    assert response.context["config"] == {
        "mode": "checkin",
        "url": f"/api/v1/events/{edition.slug}/checkins/",
        "list": gate.slug,
    }


@pytest.mark.parametrize("count", [1, 5])
def test_leads_page_and_csv(client, django_assert_num_queries, edition, count):
    application = ApplicationFactory(edition=edition)
    BookingFactory(booth=BoothFactory(edition=edition), application=application)
    staff = member_of(application.organisation)
    for n in range(count):
        ticket = TicketFactory(edition=edition, share_contact=n == 0, email=f"k{n}@example.vn")
        LeadScan.objects.create(edition=edition, exhibitor=application.organisation, ticket=ticket)
    client.force_login(staff)
    base = f"/techmart/{edition.slug}/trien-lam/{application.organisation.slug}"

    with django_assert_num_queries(9):
        page = client.get(f"{base}/khach/")
    export = client.get(f"{base}/khach.csv")

    assert page.status_code == 200
    rows = export.content.decode().lstrip("\ufeff").splitlines()
    assert len(rows) == count + 1
    assert sum("@example.vn" in row for row in rows) == 1


def test_organiser_adds_a_seminar_with_its_checkin_list(client, edition, organiser):
    client.force_login(organiser)

    response = client.post(
        f"/techmart/{edition.slug}/ban-to-chuc/hoi-thao/",
        {
            "title": "Tọa đàm giống lúa chịu mặn",
            "room": "Hội trường B",
            "starts_at": "2026-12-01 09:00",
            "ends_at": "2026-12-01 11:00",
            "capacity": 60,
        },
    )

    seminar = edition.seminars.get()
    assert response.status_code == 302
    assert (seminar.title, seminar.capacity, seminar.checkin_list.kind) == (
        "Tọa đàm giống lúa chịu mặn",
        60,
        "seminar",
    )


def test_organiser_advances_the_edition_one_step(client, organiser):
    edition = EditionFactory(organisers=[organiser], status=EditionStatus.PUBLISHED)
    client.force_login(organiser)
    url = f"/techmart/{edition.slug}/ban-to-chuc/trang-thai/"

    client.post(url, {"expected": "published"})
    stale = client.post(url, {"expected": "published"}, follow=True)

    edition.refresh_from_db()
    assert edition.status == EditionStatus.REGISTRATION_OPEN
    assert "Trạng thái của kỳ chợ đã thay đổi trong lúc đó." in stale.content.decode()
