import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from marketplace.models import Inquiry, Offer
from marketplace.taxonomy import ListingStatus

from .factories import InquiryFactory, MessageFactory, OfferFactory, RequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def _as(api, user):
    api.force_authenticate(user)
    return api


def test_offer_list_is_public_and_filters(api):
    OfferFactory(title="Máy sấy lúa", sector="post_harvest", province="can-tho", trl=8)
    OfferFactory(title="Máy sấy cà phê", sector="post_harvest", province="dak-lak", trl=4)
    OfferFactory(title="Phần mềm", sector="ict")
    OfferFactory(title="Máy sấy nháp", draft=True, sector="post_harvest")

    response = api.get("/api/v1/offers/", {"q": "may say", "trl_min": 5})
    assert response.status_code == 200
    assert [item["title"] for item in response.json()["results"]] == ["Máy sấy lúa"]

    response = api.get("/api/v1/offers/", {"province": "dak-lak"})
    assert [item["title"] for item in response.json()["results"]] == ["Máy sấy cà phê"]


def test_offer_list_updated_since_returns_changes_oldest_first(api):
    old = OfferFactory(title="Cũ")
    new = OfferFactory(title="Mới")
    Offer.objects.filter(pk=old.pk).update(updated_at=timezone.now() - datetime.timedelta(days=3))
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()

    response = api.get("/api/v1/offers/", {"updated_since": since})

    assert [item["id"] for item in response.json()["results"]] == [new.pk]


def test_offer_list_rejects_bad_filter(api):
    response = api.get("/api/v1/offers/", {"trl_min": "ten"})

    assert response.status_code == 400
    assert response.json()["reason"] == "invalid"
    assert list(response.json()["fields"]) == ["trl_min"]


def test_offer_create_by_member_makes_a_draft_or_submits(api, seller, seller_org):
    payload = {
        "organisation": seller_org.slug,
        "title": "Máy sấy lúa",
        "description": "Sấy 12 tấn.",
        "sector": "post_harvest",
        "province": "Cần Thơ",
        "transfer_types": ["equipment"],
        "price_vnd": 680000000,
        "submit": True,
    }

    response = _as(api, seller).post("/api/v1/offers/", payload, format="json")

    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["province"], body["price_vnd"]) == (
        "pending_review",
        "can-tho",
        680000000,
    )
    assert body["owner"] == {"slug": seller_org.slug, "name": seller_org.name, "type": "sme"}


@pytest.mark.parametrize("price", [-1, 1.5, "abc", "12.5", True])
def test_offer_create_refuses_price_that_is_not_a_whole_number(api, seller, seller_org, price):
    payload = {
        "organisation": seller_org.slug,
        "title": "X",
        "description": "Y",
        "sector": "energy",
        "price_vnd": price,
    }

    response = _as(api, seller).post("/api/v1/offers/", payload, format="json")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["price_vnd"]
    assert Offer.objects.count() == 0


def test_request_create_refuses_negative_budget(api, buyer, buyer_org):
    payload = {
        "organisation": buyer_org.slug,
        "title": "Cần máy",
        "description": "Mô tả",
        "sector": "energy",
        "budget_vnd": -100,
    }

    response = _as(api, buyer).post("/api/v1/requests/", payload, format="json")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["budget_vnd"]


def test_offer_create_for_another_organisation_is_forbidden(api, outsider, seller_org):
    payload = {"organisation": seller_org.slug, "title": "X", "description": "Y", "sector": "ict"}

    response = _as(api, outsider).post("/api/v1/offers/", payload, format="json")

    assert response.status_code == 403
    assert response.json()["reason"] == "not_allowed"


def test_offer_update_by_other_org_is_forbidden_and_owner_edit_goes_to_review(
    api, seller, outsider
):
    offer = OfferFactory(organisation=seller.organisations.get(), title="Cũ")

    response = _as(api, outsider).patch(f"/api/v1/offers/{offer.pk}/", {"title": "Hack"})
    assert response.status_code == 403

    response = _as(api, seller).patch(f"/api/v1/offers/{offer.pk}/", {"title": "Mới"})
    assert response.status_code == 200
    assert (response.json()["title"], response.json()["status"]) == ("Mới", "pending_review")


def test_unpublished_offer_of_another_organisation_is_not_found(api, outsider):
    offer = OfferFactory(draft=True)

    assert api.get(f"/api/v1/offers/{offer.pk}/").status_code == 404
    assert _as(api, outsider).get(f"/api/v1/offers/{offer.pk}/").status_code == 404


def test_moderator_publishes_through_the_api(api, moderator, seller, mailoutbox):
    offer = OfferFactory(pending=True, organisation=seller.organisations.get())

    assert _as(api, seller).post(f"/api/v1/offers/{offer.pk}/publish/").status_code == 403
    response = _as(api, moderator).post(f"/api/v1/offers/{offer.pk}/publish/")

    assert response.status_code == 200
    assert response.json()["status"] == ListingStatus.PUBLISHED
    assert len(mailoutbox) == 1


def test_moderator_reject_needs_reason(api, moderator):
    offer = OfferFactory(pending=True)

    response = _as(api, moderator).post(f"/api/v1/offers/{offer.pk}/reject/", {"reason": ""})
    assert response.status_code == 400
    assert response.json()["reason"] == "reason_required"


def test_html_is_returned_as_data_not_markup(api, seller, seller_org):
    payload = {
        "organisation": seller_org.slug,
        "title": "<script>alert(1)</script>",
        "description": "<b>x</b>",
        "sector": "ict",
    }
    response = _as(api, seller).post("/api/v1/offers/", payload, format="json")

    assert response.json()["title"] == "<script>alert(1)</script>"
    assert response["Content-Type"] == "application/json"


def test_anonymous_request_hides_owner_in_the_api(api, buyer_org):
    RequestFactory(organisation=buyer_org, is_anonymous=True)

    response = api.get("/api/v1/requests/")

    assert response.json()["results"][0]["owner"] is None


def test_inquiry_flow_through_the_api(api, seller, buyer, buyer_org, outsider, mailoutbox):
    offer = OfferFactory(organisation=seller.organisations.get())

    response = _as(api, buyer).post(
        "/api/v1/inquiries/",
        {"kind": "offer", "listing_id": offer.pk, "organisation": buyer_org.slug, "body": "Giá?"},
        format="json",
    )
    assert response.status_code == 201
    inquiry_id = response.json()["id"]

    response = _as(api, seller).post(
        f"/api/v1/inquiries/{inquiry_id}/messages/", {"body": "680 triệu"}, format="json"
    )
    assert response.status_code == 201
    response = _as(api, buyer).get(f"/api/v1/inquiries/{inquiry_id}/messages/")
    assert [m["body"] for m in response.json()["results"]] == ["Giá?", "680 triệu"]

    assert _as(api, outsider).get(f"/api/v1/inquiries/{inquiry_id}/").status_code == 404
    assert _as(api, outsider).get(f"/api/v1/inquiries/{inquiry_id}/messages/").status_code == 404
    assert (
        _as(api, outsider)
        .post(f"/api/v1/inquiries/{inquiry_id}/messages/", {"body": "x"})
        .status_code
        == 404
    )
    api.force_authenticate(None)
    assert api.get("/api/v1/inquiries/").status_code == 403

    response = _as(api, seller).post(
        f"/api/v1/inquiries/{inquiry_id}/deal/",
        {"deal_type": "equipment", "value_vnd": "1.5", "signed_on": "2026-01-05"},
        format="json",
    )
    assert response.status_code == 400
    response = _as(api, seller).post(
        f"/api/v1/inquiries/{inquiry_id}/deal/",
        {"deal_type": "equipment", "value_vnd": 650000000, "signed_on": "2026-01-05"},
        format="json",
    )
    assert response.status_code == 201
    response = _as(api, buyer).post(f"/api/v1/inquiries/{inquiry_id}/deal/confirm/")
    assert response.json()["is_confirmed"] is True
    assert Inquiry.objects.get().state == "deal"


def test_expert_api_never_shows_the_email(api):
    from .factories import ExpertFactory

    expert = ExpertFactory(email="bimat@example.vn")

    response = api.get(f"/api/v1/experts/{expert.pk}/")

    assert response.status_code == 200
    assert "bimat@example.vn" not in response.content.decode()
    assert response.json()["sectors"] == ["agriculture"]


@pytest.mark.parametrize("count", [1, 5])
def test_offer_list_api_query_count_is_constant(api, django_assert_num_queries, count):
    for _ in range(count):
        OfferFactory()
    # count + page of offers + their images
    with django_assert_num_queries(3):
        response = api.get("/api/v1/offers/", {"q": "cong nghe", "sector": "agriculture"})
    assert len(response.json()["results"]) == count


@pytest.mark.parametrize("count", [1, 5])
def test_request_list_api_query_count_is_constant(api, django_assert_num_queries, count):
    for _ in range(count):
        RequestFactory()
    with django_assert_num_queries(2):
        response = api.get("/api/v1/requests/")
    assert len(response.json()["results"]) == count


@pytest.mark.parametrize("count", [1, 5])
def test_expert_list_api_query_count_is_constant(api, django_assert_num_queries, count):
    from .factories import ExpertFactory

    for _ in range(count):
        ExpertFactory()
    with django_assert_num_queries(2):
        response = api.get("/api/v1/experts/")
    assert len(response.json()["results"]) == count


@pytest.mark.parametrize("count", [1, 5])
def test_inquiry_list_api_query_count_is_constant(
    api, buyer, buyer_org, django_assert_num_queries, count
):
    for _ in range(count):
        MessageFactory(inquiry=InquiryFactory(initiator_organisation=buyer_org))
    _as(api, buyer)
    # memberships, count, page
    with django_assert_num_queries(3):
        response = api.get("/api/v1/inquiries/")
    assert len(response.json()["results"]) == count


def test_schema_documents_the_exchange_endpoints(api):
    response = api.get("/api/schema/", {"format": "json"})

    paths = response.json()["paths"]
    for path in (
        "/api/v1/offers/",
        "/api/v1/offers/{id}/",
        "/api/v1/requests/",
        "/api/v1/experts/",
        "/api/v1/inquiries/",
        "/api/v1/inquiries/{id}/messages/",
    ):
        assert path in paths
    params = [p["name"] for p in paths["/api/v1/offers/"]["get"]["parameters"]]
    for name in ("q", "sector", "province", "trl_min", "trl_max", "transfer_type", "updated_since"):
        assert name in params


def test_offer_image_upload_through_the_api(api, seller, seller_org):
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    offer = OfferFactory(draft=True, organisation=seller_org)
    buffer = BytesIO()
    Image.new("RGB", (64, 48), (0, 0, 0)).save(buffer, format="PNG")
    _as(api, seller)

    good = SimpleUploadedFile("a.png", buffer.getvalue(), content_type="image/png")
    response = api.post(f"/api/v1/offers/{offer.pk}/images/", {"image": good}, format="multipart")
    assert response.status_code == 201
    assert len(response.json()["images"]) == 1
    assert response.json()["attachments"] == []

    bad = SimpleUploadedFile("b.png", b"GIF89a nope", content_type="image/png")
    response = api.post(f"/api/v1/offers/{offer.pk}/images/", {"image": bad}, format="multipart")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["image"]

    pdf = SimpleUploadedFile("c.pdf", b"not a pdf", content_type="application/pdf")
    response = api.post(
        f"/api/v1/offers/{offer.pk}/attachments/", {"file": pdf}, format="multipart"
    )
    assert response.status_code == 400
    assert response.json()["fields"] == {"file": ["Hãy tải lên tệp PDF."]}


def test_offer_list_mine_shows_own_listings_in_any_state(api, seller, seller_org):
    OfferFactory(organisation=seller_org, draft=True, title="Nháp của tôi")
    OfferFactory(title="Của người khác")

    response = _as(api, seller).get("/api/v1/offers/", {"mine": "1"})

    assert [(o["title"], o["status"]) for o in response.json()["results"]] == [
        ("Nháp của tôi", "draft")
    ]


def test_incremental_sync_reports_archived_listings(api, seller, seller_org):
    from marketplace import services

    since = timezone.now().isoformat()
    offer = OfferFactory(organisation=seller_org, title="Sắp lưu trữ")
    services.offer_archive(listing=offer, actor=seller)

    synced = api.get("/api/v1/offers/", {"updated_since": since}).json()["results"]
    browsed = api.get("/api/v1/offers/").json()["results"]

    assert [(o["title"], o["status"]) for o in synced] == [("Sắp lưu trữ", "archived")]
    assert browsed == []


@pytest.mark.parametrize(
    ("language", "message"),
    [("vi", "Nhập số nguyên đồng."), ("en", "Enter a whole number of đồng.")],
)
def test_api_field_errors_in_the_clients_language(api, seller, seller_org, language, message):
    payload = {
        "organisation": seller_org.slug,
        "title": "X",
        "description": "Y",
        "sector": "energy",
        "price_vnd": "abc",
    }

    response = _as(api, seller).post(
        "/api/v1/offers/", payload, format="json", headers={"Accept-Language": language}
    )

    assert response.json()["fields"] == {"price_vnd": [message]}
