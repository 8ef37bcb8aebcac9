"""Saving a search from the exchange's browse pages, and the alert it raises when a matching
offer is published through the real moderation flow."""

import threading
from urllib.parse import quote

import pytest
from django.core import mail
from django.db import connection
from django.test import Client

from marketplace.services import listing_publish
from marketplace.taxonomy import Sector
from matching import services, services_notifications, tasks
from matching.models import Notification, SavedSearch, SentAlert
from tests.accounts.factories import UserFactory
from tests.matching.factories import (
    OfferFactory,
    SavedSearchFactory,
    index_background,
)

pytestmark = pytest.mark.django_db

SAVE_URL = "/goi-y/luu-tim-kiem/"
HTMX = {"HTTP_HX_REQUEST": "true"}
DRYER = {
    "title": "Máy sấy lúa tháp tuần hoàn đốt trấu 12 tấn/mẻ",
    "description": "Máy sấy lúa, bắp hạt; lò đốt trấu tự động, không ám khói.",
    "sector": Sector.POST_HARVEST,
    "province": "can-tho",
}


@pytest.fixture
def user():
    return UserFactory(email="nongdan@example.vn")


@pytest.fixture
def background():
    """Unrelated offers, so word rarity is as it would be on the exchange."""
    index_background(requests=False)


def test_offer_browse_page_has_the_save_slot_for_a_search_with_words(client):
    html = client.get("/san/cong-nghe/", {"q": "máy sấy", "sector": "post_harvest"}).content
    html = html.decode()
    slot = f"{SAVE_URL}?kind=offer&amp;q=m%C3%A1y+s%E1%BA%A5y&amp;sector=post_harvest"
    assert f'hx-get="{slot}"' in html
    assert f'href="{slot}"' in html  # without JavaScript, a link to the same control
    assert "Lưu tìm kiếm này" in html


def test_request_browse_page_has_the_save_slot_and_the_htmx_results_too(client):
    html = client.get("/san/nhu-cau/", {"q": "máy sấy"}, **HTMX).content.decode()
    assert f'hx-get="{SAVE_URL}?kind=request&amp;q=m%C3%A1y+s%E1%BA%A5y"' in html


def test_browse_page_without_words_has_no_save_slot(client):
    html = client.get("/san/cong-nghe/", {"sector": "post_harvest"}).content.decode()
    assert 'data-testid="save-search-slot"' not in html


def test_visitor_is_offered_a_sign_in_link_that_returns_to_the_same_search(client):
    response = client.get(
        SAVE_URL,
        {"kind": "offer", "q": "máy sấy", "province": "can-tho", "sort": "newest", "page": "2"},
        **HTMX,
    )
    html = response.content.decode()
    back = "/san/cong-nghe/?q=m%C3%A1y+s%E1%BA%A5y&province=can-tho&sort=newest"
    assert response.status_code == 200
    assert f'href="/accounts/login/?next={quote(back, safe="")}"' in html
    assert 'data-testid="save-search-button"' not in html
    # Signing in with that link lands back on the search.
    UserFactory(email="khach@example.vn", password="mat-khau-dai-123")
    login = client.post(
        "/accounts/login/",
        {"login": "khach@example.vn", "password": "mat-khau-dai-123", "next": back},
    )
    assert (login.status_code, login.url) == (302, back)


def test_visitor_posting_is_sent_to_sign_in_and_nothing_is_saved(client):
    response = client.post(SAVE_URL, {"kind": "offer", "q": "máy sấy"})
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")
    assert SavedSearch.objects.count() == 0


def test_save_keeps_words_sector_and_province_and_says_so(client, user):
    client.force_login(user)
    next_url = "/san/cong-nghe/?q=m%C3%A1y+s%E1%BA%A5y&sector=post_harvest&transfer_type=licence"
    data = {
        "kind": "offer",
        "q": "  máy   sấy lúa ",
        "sector": "post_harvest",
        "province": "can-tho",
        "next": next_url,
    }
    response = client.post(SAVE_URL, data, follow=True)
    search = SavedSearch.objects.get()
    assert (search.user, search.query, search.sector, search.province) == (
        user,
        "máy sấy lúa",
        "post_harvest",
        "can-tho",
    )
    assert response.redirect_chain == [(next_url, 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "Đã lưu tìm kiếm: bạn sẽ được báo khi có công nghệ mới phù hợp."
    ]


def test_saving_the_same_search_twice_keeps_one_and_tells_the_user(client, user):
    client.force_login(user)
    data = {"kind": "offer", "q": "Máy sấy lúa", "sector": "post_harvest"}
    client.post(SAVE_URL, data, follow=True)
    again = client.post(SAVE_URL, {**data, "q": "  máy SẤY   lúa"}, follow=True)
    assert SavedSearch.objects.count() == 1
    assert [str(m) for m in again.context["messages"]] == ["Bạn đã lưu tìm kiếm này rồi."]
    # Another province is another search.
    client.post(SAVE_URL, {**data, "province": "can-tho"})
    assert SavedSearch.objects.count() == 2


def test_save_with_htmx_answers_with_the_control_in_its_saved_state(client, user):
    client.force_login(user)
    response = client.post(SAVE_URL, {"kind": "offer", "q": "máy sấy"}, **HTMX)
    html = response.content.decode()
    assert 'data-testid="save-search-status"' in html
    assert "Đã lưu tìm kiếm: bạn sẽ được báo khi có công nghệ mới phù hợp." in html
    assert "Tìm kiếm “máy sấy” đã được lưu." in html
    assert 'data-testid="save-search-button"' not in html
    assert "<html" not in html  # a partial
    again = client.post(SAVE_URL, {"kind": "offer", "q": "máy sấy"}, **HTMX).content.decode()
    assert "Bạn đã lưu tìm kiếm này rồi." in again
    assert SavedSearch.objects.count() == 1


def test_control_shows_an_already_saved_search_as_saved(client, user):
    SavedSearchFactory(user=user, query="máy sấy", sector="post_harvest")
    client.force_login(user)
    saved = client.get(SAVE_URL, {"q": "Máy sấy", "sector": "post_harvest"}, **HTMX)
    assert 'data-testid="save-search-saved"' in saved.content.decode()
    other_sector = client.get(SAVE_URL, {"q": "máy sấy"}, **HTMX).content.decode()
    assert 'data-testid="save-search-button"' in other_sector


def test_control_names_the_filters_a_saved_search_cannot_keep(client, user):
    client.force_login(user)
    html = client.get(
        SAVE_URL,
        {
            "kind": "offer",
            "q": "máy sấy",
            "transfer_type": "licence",
            "trl_min": "5",
            "sort": "new",
        },
        **HTMX,
    ).content.decode()
    assert (
        "Chỉ lưu từ khóa, lĩnh vực và tỉnh/thành; các bộ lọc sau không được lưu: "
        "Hình thức chuyển giao, TRL từ."
    ) in html
    plain = client.get(SAVE_URL, {"kind": "offer", "q": "máy sấy"}, **HTMX).content.decode()
    assert 'data-testid="save-search-unsaved"' not in plain


def test_without_javascript_the_control_is_a_page_with_a_form(client, user):
    client.force_login(user)
    response = client.get(SAVE_URL, {"kind": "request", "q": "máy sấy", "province": "can-tho"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html
    assert 'data-testid="save-search-button"' in html
    back = "/san/nhu-cau/?q=m%C3%A1y+s%E1%BA%A5y&amp;province=can-tho"
    assert f'<input type="hidden" name="next" value="{back}">' in html
    client.post(SAVE_URL, {"kind": "request", "q": "máy sấy", "province": "can-tho"})
    assert SavedSearch.objects.get().province == "can-tho"


def test_save_refuses_empty_words_and_foreign_next(client, user):
    client.force_login(user)
    empty = client.post(SAVE_URL, {"kind": "offer", "q": "   "}, follow=True)
    assert [str(m) for m in empty.context["messages"]] == ["Hãy nhập vài từ để tìm."]
    assert SavedSearch.objects.count() == 0
    response = client.post(
        SAVE_URL, {"kind": "offer", "q": "máy sấy", "next": "https://evil.example/"}
    )
    assert response.url == "/san/cong-nghe/?q=m%C3%A1y+s%E1%BA%A5y"
    assert client.get(SAVE_URL, {"kind": "deal", "q": "x"}).status_code == 404


def test_unknown_sector_or_province_is_dropped_like_the_browse_page_does(client, user):
    client.force_login(user)
    client.post(SAVE_URL, {"kind": "offer", "q": "máy sấy", "sector": "x", "province": "y"})
    search = SavedSearch.objects.get()
    assert (search.sector, search.province) == ("", "")


def test_service_refuses_unknown_sector_and_province(user):
    from accounts.errors import ApplicationError

    with pytest.raises(ApplicationError) as sector:
        services_notifications.saved_search_save(user=user, query="a", sector="nope")
    with pytest.raises(ApplicationError) as province:
        services_notifications.saved_search_save(user=user, query="a", province="nope")
    assert (sector.value.code, province.value.code) == ("invalid_sector", "invalid_province")


def test_for_me_page_lists_browse_searches_with_their_filters_and_deletes_them(client, user):
    client.force_login(user)
    client.post(
        SAVE_URL, {"kind": "offer", "q": "máy sấy", "sector": "post_harvest", "province": "hue"}
    )
    html = client.get("/goi-y/").content.decode()
    assert "máy sấy</span> · Sau thu hoạch và bảo quản · Huế" in html
    search = SavedSearch.objects.get()
    deleted = client.post(f"/goi-y/tim-kiem-da-luu/{search.pk}/xoa/", follow=True)
    assert SavedSearch.objects.count() == 0
    assert [str(m) for m in deleted.context["messages"]] == ["Đã xóa tìm kiếm đã lưu."]
    assert 'data-testid="saved-search"' not in deleted.content.decode()


def test_for_me_form_also_refuses_a_duplicate_with_a_message(client, user):
    client.force_login(user)
    client.post(
        "/goi-y/tim-kiem-da-luu/", {"query": "máy sấy", "sector": "", "province": ""}, follow=True
    )
    again = client.post(
        "/goi-y/tim-kiem-da-luu/", {"query": "MÁY SẤY", "sector": "", "province": ""}, follow=True
    )
    assert SavedSearch.objects.count() == 1
    assert [str(m) for m in again.context["messages"]] == ["Bạn đã lưu tìm kiếm này rồi."]


def test_search_saved_on_the_browse_page_alerts_once_when_a_matching_offer_is_published(
    client, user, background
):
    moderator = UserFactory(roles=["moderator"])
    client.force_login(user)
    client.post(
        SAVE_URL,
        {"kind": "offer", "q": "máy sấy lúa đốt trấu", "sector": "post_harvest"},
    )
    search = SavedSearch.objects.get()
    unrelated = OfferFactory(
        pending=True, title="Máy cắt cỏ cầm tay", description="Cắt cỏ.", sector=Sector.MECHANICAL
    )
    listing_publish(listing=unrelated, moderator=moderator)
    assert (SentAlert.objects.count(), mail.outbox) == (0, [])

    offer = OfferFactory(pending=True, **DRYER)
    listing_publish(listing=offer, moderator=moderator)

    alert = SentAlert.objects.get()
    assert (alert.user, alert.offer, alert.saved_search, alert.request) == (
        user,
        offer,
        search,
        None,
    )
    assert alert.sent_at is not None
    [email] = mail.outbox
    assert email.to == ["nongdan@example.vn"]
    assert email.subject.endswith(f"Công nghệ mới phù hợp với nhu cầu của bạn: {offer.title}")
    assert "Cho tìm kiếm đã lưu: máy sấy lúa đốt trấu" in email.body
    notification = Notification.objects.get()
    assert (notification.user, notification.url, notification.read_at) == (
        user,
        offer.get_absolute_url(),
        None,
    )
    # Indexed and alerted again (an edit re-approved, a second worker): nothing new goes out.
    tasks.listing_index_task("offer", offer.pk, True)
    services.alerts_for_offer(offer=offer)
    assert (SentAlert.objects.count(), len(mail.outbox), Notification.objects.count()) == (1, 1, 1)


def test_search_saved_with_another_province_is_not_alerted(client, user, background):
    client.force_login(user)
    client.post(SAVE_URL, {"kind": "offer", "q": "máy sấy lúa đốt trấu", "province": "hue"})
    offer = OfferFactory(pending=True, **DRYER)
    listing_publish(listing=offer, moderator=UserFactory(roles=["moderator"]))
    assert (SentAlert.objects.count(), mail.outbox, Notification.objects.count()) == (0, [], 0)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_saves_of_the_same_search_at_once_keep_one(user):
    variants = ("máy sấy", "Máy Sấy", "MÁY SẤY", " máy  sấy ")
    barrier = threading.Barrier(len(variants))
    errors = []

    def save(query):
        try:
            barrier.wait(timeout=10)
            services_notifications.saved_search_save(user=user, query=query)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(q,)) for q in variants]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert SavedSearch.objects.filter(user=user).count() == 1


def test_control_for_a_visitor_costs_no_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(SAVE_URL, {"kind": "offer", "q": "máy sấy"}, **HTMX)
    assert 'data-testid="save-search-login"' in response.content.decode()


@pytest.mark.parametrize("count", [1, 5])
def test_control_query_count_is_constant(client, user, django_assert_num_queries, count):
    for n in range(count):
        SavedSearchFactory(user=user, query=f"máy sấy {n}")
    client.force_login(user)
    # session, user, the user's saved searches, alert preference, groups (accounts' context
    # processor, on every render)
    with django_assert_num_queries(5):
        response = client.get(SAVE_URL, {"kind": "offer", "q": "máy sấy 0"}, **HTMX)
    assert 'data-testid="save-search-saved"' in response.content.decode()


def test_a_save_without_the_csrf_token_is_refused(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(SAVE_URL, {"kind": "offer", "q": "máy sấy"}).status_code == 403
    assert SavedSearch.objects.count() == 0
