import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from events.models import BookingStatus, EditionStatus

from .factories import BookingFactory, BoothFactory, EditionFactory


@pytest.mark.parametrize("count", [1, 5])
def test_edition_list_api(django_assert_num_queries, db, count):
    editions = [EditionFactory() for _ in range(count)]
    EditionFactory(status=EditionStatus.DRAFT)

    with django_assert_num_queries(2):
        response = APIClient().get("/api/v1/events/")

    assert response.status_code == 200
    assert response.json()["count"] == count
    by_slug = {item["slug"]: item for item in response.json()["results"]}
    assert sorted(by_slug) == sorted(e.slug for e in editions)
    assert by_slug[editions[0].slug] == {
        "slug": editions[0].slug,
        "name": editions[0].name,
        "start_date": editions[0].start_date.isoformat(),
        "end_date": editions[0].end_date.isoformat(),
        "status": "running",
    }


@pytest.mark.parametrize("count", [1, 5])
def test_booth_plan_api(django_assert_num_queries, edition, count):
    for _ in range(count):
        BookingFactory(booth=BoothFactory(edition=edition), status=BookingStatus.PAID)

    with django_assert_num_queries(4):
        response = APIClient().get(f"/api/v1/events/{edition.slug}/booths/")

    booths = response.json()["booths"]
    assert [b["status"] for b in booths] == ["paid"] * count
    assert booths[0]["price"] == 12_000_000


def test_registration_api_returns_ticket_links(edition):
    client = APIClient(enforce_csrf_checks=True)

    response = client.post(
        f"/api/v1/events/{edition.slug}/registrations/",
        {"name": "Nguyễn Văn Ba", "phone": "0912345678", "province": "vinh-long"},
        format="json",
    )
    again = client.post(
        f"/api/v1/events/{edition.slug}/registrations/",
        {"name": "Nguyễn Văn Ba", "phone": "+84912345678"},
        format="json",
    )

    assert response.status_code == 201
    ticket = edition.tickets.get()
    base = "http://testserver/techmart/ve/"
    assert response.json()["ticket"] == {
        "code": ticket.code,
        "url": f"{base}{ticket.code}/",
        "qr_png": f"{base}{ticket.code}/qr.png",
        "badge_pdf": f"{base}{ticket.code}/the.pdf",
    }
    assert (again.status_code, again.json()["ticket"]["code"]) == (200, ticket.code)
    assert APIClient().get(response.json()["ticket"]["qr_png"]).status_code == 200


def test_registration_api_bad_phone(edition):
    response = APIClient().post(
        f"/api/v1/events/{edition.slug}/registrations/",
        {"name": "A", "phone": "0123"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["reason"] == "invalid_phone"


def test_registration_api_is_throttled(edition, settings):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "anon_register": "3/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    from rest_framework.throttling import ScopedRateThrottle

    ScopedRateThrottle.THROTTLE_RATES = rates
    cache.clear()
    try:
        statuses = [
            APIClient()
            .post(
                f"/api/v1/events/{edition.slug}/registrations/",
                {"name": f"Khách {n}", "phone": f"091200000{n}"},
                format="json",
            )
            .status_code
            for n in range(4)
        ]
    finally:
        from rest_framework.settings import api_settings

        ScopedRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES

    assert statuses == [201, 201, 201, 429]
