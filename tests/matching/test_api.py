import pytest
from rest_framework.test import APIClient

from accounts.models import Membership
from marketplace.taxonomy import Sector
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.matching.factories import RequestFactory, indexed_offer, indexed_request

pytestmark = pytest.mark.django_db

NEED = {
    "title": "Trại heo bốc mùi hôi, hàng xóm phản ánh",
    "description": "Nước thải chuồng heo tràn ra mương, cần xử lý mùi hôi.",
    "sector": Sector.LIVESTOCK,
    "budget_vnd": 300_000_000,
    "province": "dong-nai",
}


@pytest.fixture
def farmer_org():
    return OrganisationFactory(name="Trại heo Tư Lợi", type="farmer")


@pytest.fixture
def farmer(farmer_org):
    user = UserFactory()
    Membership.objects.create(user=user, organisation=farmer_org, role="owner")
    return user


@pytest.fixture
def api(farmer):
    client = APIClient()
    client.force_authenticate(farmer)
    return client


def biogas_offer(n=0, **extra):
    return indexed_offer(
        title=f"Hầm biogas phủ bạt HDPE cho trại lợn, mẫu {n}",
        description="Xử lý nước thải chuồng lợn, giảm mùi hôi, thu khí đốt.",
        sector=Sector.ENVIRONMENT,
        price_vnd=150_000_000,
        trl=9,
        province="dong-nai",
        **extra,
    )


def test_request_matches_api_returns_offers_with_score_and_reasons(api, farmer_org):
    need = indexed_request(organisation=farmer_org, **NEED)
    offer = biogas_offer()
    response = api.get(f"/api/v1/requests/{need.pk}/matches/?limit=10")
    assert response.status_code == 200
    [item] = response.json()
    assert set(item) == {"offer", "score", "reasons"}
    assert item["offer"]["id"] == offer.pk
    assert item["offer"]["external_id"] == offer.external_id
    assert item["offer"]["province"] == "Đồng Nai"
    assert 0 < item["score"] <= 1
    assert item["reasons"][-3:] == [
        "Cùng tỉnh Đồng Nai",
        "Giá 150 triệu ≤ ngân sách 300 triệu",
        "TRL 9 – sẵn sàng thương mại",
    ]
    assert "heo ≈ lợn" in item["reasons"]


def test_matches_api_speaks_english_when_asked(api, farmer_org):
    need = indexed_request(organisation=farmer_org, **NEED)
    biogas_offer()
    response = api.get(f"/api/v1/requests/{need.pk}/matches/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()[0]["reasons"][-1] == "TRL 9 – ready for market"


def test_offer_matches_api_returns_requests(farmer_org):
    seller_org = OrganisationFactory()
    seller = UserFactory()
    Membership.objects.create(user=seller, organisation=seller_org, role="owner")
    offer = biogas_offer(organisation=seller_org)
    need = indexed_request(organisation=farmer_org, **NEED)
    client = APIClient()
    client.force_authenticate(seller)
    response = client.get(f"/api/v1/offers/{offer.pk}/matches/")
    assert response.status_code == 200
    assert [item["request"]["id"] for item in response.json()] == [need.pk]


def test_matches_api_limit(api, farmer_org):
    need = indexed_request(organisation=farmer_org, **NEED)
    for n in range(4):
        biogas_offer(n)
    assert len(api.get(f"/api/v1/requests/{need.pk}/matches/?limit=2").json()) == 2
    assert len(api.get(f"/api/v1/requests/{need.pk}/matches/?limit=x").json()) == 4


def test_matches_api_unpublished_listing_is_404(api, farmer_org):
    draft = RequestFactory(organisation=farmer_org, draft=True, **NEED)
    response = api.get(f"/api/v1/requests/{draft.pk}/matches/")
    assert response.status_code == 404


def test_matches_api_foreign_listing_is_404(api):
    foreign = indexed_request(**NEED)
    assert api.get(f"/api/v1/requests/{foreign.pk}/matches/").status_code == 404
    assert api.get("/api/v1/requests/999999/matches/").status_code == 404
    offer = biogas_offer()
    assert api.get(f"/api/v1/offers/{offer.pk}/matches/").status_code == 404


def test_matches_api_needs_authentication(farmer_org):
    need = indexed_request(organisation=farmer_org, **NEED)
    response = APIClient().get(f"/api/v1/requests/{need.pk}/matches/")
    assert response.status_code in (401, 403)
    assert response.status_code == APIClient().get("/api/v1/requests/1/matches/").status_code


@pytest.mark.parametrize("count", [1, 5])
def test_matches_api_query_count_is_constant(api, farmer_org, django_assert_num_queries, count):
    need = indexed_request(organisation=farmer_org, **NEED)
    for n in range(count):
        biogas_offer(n)
    api.get(f"/api/v1/requests/{need.pk}/matches/")  # the process builds its index once
    # memberships, the listing, lexicon stamp, features stamp, feedback, the suggested offers,
    # their text for the explanations
    with django_assert_num_queries(6):
        response = api.get(f"/api/v1/requests/{need.pk}/matches/")
    assert len(response.json()) == count
