import pytest

from accounts.models import Membership
from marketplace.taxonomy import Sector
from matching.models import Feedback, SavedSearch, Verdict
from matching.services import alert_frequency
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.matching.factories import RequestFactory, indexed_offer, indexed_request

pytestmark = pytest.mark.django_db

NEED = {
    "title": "ao ca ro phi hay bi noi dau chet vao sang som",
    "description": "can thiet bi bao thieu oxy, may quat nuoc cho ao nuoi",
    "sector": Sector.AQUACULTURE,
}


def oxygen_offer(n=0, **extra):
    return indexed_offer(
        title=f"Cảm biến oxy hòa tan tự bật máy sục khí cho ao cá, mẫu {n}",
        description="Cảnh báo thiếu oxy qua điện thoại, tự động bật quạt nước.",
        sector=Sector.ICT,
        **extra,
    )


@pytest.fixture
def farmer():
    org = OrganisationFactory(type="farmer")
    user = UserFactory()
    Membership.objects.create(user=user, organisation=org, role="owner")
    return user


def test_partial_shows_suggestions_with_reasons_and_contact_link(client):
    need = indexed_request(**NEED)
    offer = oxygen_offer()
    response = client.get(f"/goi-y/partial/request/{need.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert offer.title in html
    assert "Giải pháp phù hợp" in html
    assert f'href="/san/cong-nghe/{offer.pk}/quan-tam/"' in html
    assert "Liên hệ" in html
    assert "Khớp:" in html
    assert 'data-testid="feedback-useful"' not in html  # a visitor cannot judge


def test_partial_for_an_offer_lists_matching_needs(client):
    indexed_request(**NEED)
    offer = oxygen_offer()
    html = client.get(f"/goi-y/partial/offer/{offer.pk}/").content.decode()
    assert "Nhu cầu phù hợp" in html
    assert NEED["title"] in html
    assert 'href="/san/nhu-cau/' in html


def test_partial_for_an_offer_lists_similar_offers(client):
    offer = oxygen_offer(0)
    other = oxygen_offer(1)
    indexed_offer(title="Máy cắt plasma CNC", description="cắt sắt", sector=Sector.MECHANICAL)
    html = client.get(f"/goi-y/partial/offer/{offer.pk}/").content.decode()
    similar = html.split('data-testid="similar-offers"')[1]
    assert similar.index(other.title) < similar.index("Máy cắt plasma CNC")
    assert "Công nghệ tương tự" in html


def test_partial_without_matches_says_so(client):
    need = indexed_request(title="xyz", description="qwerty")
    html = client.get(f"/goi-y/partial/request/{need.pk}/").content.decode()
    assert 'data-testid="no-suggestions"' in html


def test_partial_for_someone_elses_draft_is_404(client):
    draft = RequestFactory(draft=True, **NEED)
    assert client.get(f"/goi-y/partial/request/{draft.pk}/").status_code == 404
    assert client.get("/goi-y/partial/deal/1/").status_code == 404


def test_owner_sees_feedback_buttons_and_dismissal_hides_the_offer(client, farmer):
    org = farmer.memberships.get().organisation
    need = indexed_request(organisation=org, **NEED)
    offer = oxygen_offer()
    client.force_login(farmer)
    html = client.get(f"/goi-y/partial/request/{need.pk}/").content.decode()
    assert 'data-testid="feedback-not-relevant"' in html
    response = client.post(
        "/goi-y/phan-hoi/",
        {"offer": offer.pk, "request": need.pk, "verdict": "not_relevant", "next": "/goi-y/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/goi-y/"
    assert Feedback.objects.get().verdict == Verdict.NOT_RELEVANT
    html = client.get(f"/goi-y/partial/request/{need.pk}/").content.decode()
    assert offer.title not in html


def test_feedback_with_htmx_returns_the_new_state(client, farmer):
    org = farmer.memberships.get().organisation
    need = indexed_request(organisation=org, **NEED)
    offer = oxygen_offer()
    client.force_login(farmer)
    response = client.post(
        "/goi-y/phan-hoi/",
        {"offer": offer.pk, "request": need.pk, "verdict": "useful"},
        HTTP_HX_REQUEST="true",
    )
    assert response.content.decode().strip().endswith("Bạn thấy gợi ý này hữu ích</span>")


def test_feedback_refused_for_outsiders_and_anonymous(client):
    need = indexed_request(**NEED)
    offer = oxygen_offer()
    data = {"offer": offer.pk, "request": need.pk, "verdict": "useful"}
    assert client.post("/goi-y/phan-hoi/", data).status_code == 302  # to the login page
    client.force_login(UserFactory())
    assert client.post("/goi-y/phan-hoi/", data).status_code == 403
    assert Feedback.objects.count() == 0


def test_for_me_page_groups_suggestions_by_my_listings(client, farmer):
    org = farmer.memberships.get().organisation
    need = indexed_request(organisation=org, **NEED)
    offer = oxygen_offer()
    client.force_login(farmer)
    html = client.get("/goi-y/").content.decode()
    assert "Gợi ý cho tôi" in html
    assert need.title in html
    assert offer.title in html


def test_for_me_page_requires_login(client):
    assert client.get("/goi-y/").status_code == 302


def test_alert_preference_and_saved_searches(client, farmer):
    client.force_login(farmer)
    client.post("/goi-y/canh-bao/", {"frequency": "daily"})
    assert alert_frequency(farmer) == "daily"
    client.post("/goi-y/tim-kiem-da-luu/", {"query": "máy sục khí", "sector": "", "province": ""})
    search = SavedSearch.objects.get()
    assert (search.user, search.query) == (farmer, "máy sục khí")
    assert "máy sục khí" in client.get("/goi-y/").content.decode()
    client.post(f"/goi-y/tim-kiem-da-luu/{search.pk}/xoa/")
    assert SavedSearch.objects.count() == 0
    assert client.post(f"/goi-y/tim-kiem-da-luu/{search.pk}/xoa/").status_code == 404


@pytest.mark.parametrize("count", [1, 5])
def test_partial_query_count_is_constant(client, django_assert_num_queries, count):
    need = indexed_request(**NEED)
    for n in range(count):
        oxygen_offer(n)
    client.get(f"/goi-y/partial/request/{need.pk}/")
    # session-less visitor: the listing, lexicon stamp, features stamp, the suggested offers
    # with their organisations, their text for the explanations
    with django_assert_num_queries(5):
        response = client.get(f"/goi-y/partial/request/{need.pk}/")
    assert response.content.decode().count('data-testid="suggestion"') == count


@pytest.mark.parametrize("count", [1, 5])
def test_for_me_query_count_is_constant(client, farmer, django_assert_num_queries, count):
    org = farmer.memberships.get().organisation
    for n in range(count):
        indexed_request(organisation=org, **{**NEED, "title": f"{NEED['title']} {n}"})
        oxygen_offer(n)
    client.force_login(farmer)
    client.get("/goi-y/")
    # session, user, memberships, my requests, my offers, lexicon stamp, features stamp,
    # feedback, suggested offers, alert preference, saved searches, notifications, and the
    # messages framework's session save, the offers' text for the explanations, the bell's
    # unread count
    with django_assert_num_queries(15):
        response = client.get("/goi-y/")
    assert response.content.decode().count('data-testid="suggestion-group"') == count
