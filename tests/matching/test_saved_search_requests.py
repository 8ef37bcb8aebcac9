"""Saved searches on the requests page: a seller watching for demand hears about new matching
requests (not offers), through the real publish flow, once, immediately or in the digest, and
never about their own organisation's requests. Searches on the offers page hear about offers
only."""

import threading

import pytest
from django.conf import settings
from django.core import mail
from django.db import IntegrityError, connection, transaction

from accounts.models import Membership
from marketplace.services import listing_publish
from marketplace.taxonomy import Sector
from matching import services, services_notifications, tasks
from matching.models import (
    AlertFrequency,
    Notification,
    SavedSearch,
    SavedSearchKind,
    SentAlert,
)
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.matching.factories import (
    OfferFactory,
    RequestFactory,
    SavedSearchFactory,
    index_background,
    indexed_offer,
    indexed_request,
)

pytestmark = pytest.mark.django_db

SAVE_URL = "/goi-y/luu-tim-kiem/"
HTMX = {"HTTP_HX_REQUEST": "true"}
WORDS = "máy sấy lúa đốt trấu"
NEED = {
    "title": "Cần máy sấy lúa đốt trấu cho hợp tác xã",
    "description": "Lúa thu hoạch mùa mưa phơi không kịp, cần máy sấy lúa dùng lò đốt trấu.",
    "sector": Sector.POST_HARVEST,
    "province": "can-tho",
}
SECOND_NEED = {
    "title": "Tìm máy sấy lúa vỉ ngang đốt trấu 10 tấn",
    "description": "Hợp tác xã cần sấy lúa mùa mưa, lò đốt trấu, tránh lúa nảy mầm.",
    "sector": Sector.POST_HARVEST,
    "province": "can-tho",
}
DRYER = {
    "title": "Máy sấy lúa tháp tuần hoàn đốt trấu 12 tấn/mẻ",
    "description": "Máy sấy lúa, bắp hạt; lò đốt trấu tự động, không ám khói.",
    "sector": Sector.POST_HARVEST,
    "province": "can-tho",
}


@pytest.fixture(autouse=True)
def background(db):
    """Unrelated listings of both kinds, so word rarity is as it would be on the exchange."""
    index_background()


@pytest.fixture
def moderator(db):
    return UserFactory(roles=["moderator"])


@pytest.fixture
def seller(db):
    """A member of a company that sells dryers, watching the requests page."""
    user = UserFactory(email="ban-may@example.vn")
    Membership.objects.create(user=user, organisation=OrganisationFactory(), role="owner")
    return user


def publish_request(moderator, **fields):
    request = RequestFactory(pending=True, **fields)
    listing_publish(listing=request, moderator=moderator)
    return request


def publish_offer(moderator, **fields):
    offer = OfferFactory(pending=True, **fields)
    listing_publish(listing=offer, moderator=moderator)
    return offer


def alert_mails():
    """E-mails that are alerts (publishing also tells the listing's owners it was approved)."""
    return [m for m in mail.outbox if "Cho tìm kiếm đã lưu:" in m.body]


def counts():
    return SentAlert.objects.count(), len(alert_mails()), Notification.objects.count()


# -- saving from the requests page ---------------------------------------------------------------
def test_search_saved_on_the_requests_page_watches_requests_and_says_so(client, seller):
    client.force_login(seller)
    form = client.get(SAVE_URL, {"kind": "request", "q": WORDS}, **HTMX).content.decode()
    assert (
        "Nhu cầu công nghệ mới phù hợp sẽ được gửi cho bạn qua email và trong mục thông báo "
        "(ngay lập tức)."
    ) in form
    assert "Công nghệ mới phù hợp sẽ được gửi" not in form
    response = client.post(SAVE_URL, {"kind": "request", "q": WORDS}, **HTMX).content.decode()
    assert "Đã lưu tìm kiếm: bạn sẽ được báo khi có nhu cầu công nghệ mới phù hợp." in response
    search = SavedSearch.objects.get()
    assert (search.user, search.kind, search.query) == (seller, SavedSearchKind.REQUEST, WORDS)


def test_visitor_on_the_requests_page_is_told_about_requests(client):
    html = client.get(SAVE_URL, {"kind": "request", "q": WORDS}, **HTMX).content.decode()
    assert "và nhận tin khi có nhu cầu công nghệ mới phù hợp." in html
    empty = client.get(SAVE_URL, {"kind": "request", "q": ""}, **HTMX).content.decode()
    assert (
        "Hãy nhập vài từ để tìm, rồi lưu tìm kiếm để được báo khi có nhu cầu công nghệ mới phù hợp."
    ) in empty


def test_the_same_words_on_both_pages_are_two_searches(client, seller):
    client.force_login(seller)
    data = {"q": WORDS, "sector": "post_harvest"}
    offers = client.post(SAVE_URL, {**data, "kind": "offer"}, follow=True)
    assert [str(m) for m in offers.context["messages"]] == [
        "Đã lưu tìm kiếm: bạn sẽ được báo khi có công nghệ mới phù hợp."
    ]
    # Saved on the offers page, the search is not "already saved" on the requests page.
    control = client.get(SAVE_URL, {**data, "kind": "request"}, **HTMX).content.decode()
    assert 'data-testid="save-search-button"' in control
    requests = client.post(SAVE_URL, {**data, "kind": "request", "q": WORDS.upper()}, follow=True)
    assert [str(m) for m in requests.context["messages"]] == [
        "Đã lưu tìm kiếm: bạn sẽ được báo khi có nhu cầu công nghệ mới phù hợp."
    ]
    again = client.post(SAVE_URL, {**data, "kind": "request"}, follow=True)
    assert [str(m) for m in again.context["messages"]] == ["Bạn đã lưu tìm kiếm này rồi."]
    assert sorted(SavedSearch.objects.values_list("kind", flat=True)) == ["offer", "request"]


def test_the_database_keeps_a_kind_apart_but_refuses_an_exact_duplicate(seller):
    SavedSearchFactory(user=seller, query=WORDS, kind=SavedSearchKind.OFFER)
    SavedSearchFactory(user=seller, query=WORDS, kind=SavedSearchKind.REQUEST)
    with pytest.raises(IntegrityError), transaction.atomic():
        SavedSearchFactory(user=seller, query=WORDS, kind=SavedSearchKind.REQUEST)
    assert SavedSearch.objects.count() == 2


def test_service_refuses_an_unknown_kind(seller):
    from accounts.errors import ApplicationError

    with pytest.raises(ApplicationError) as error:
        services_notifications.saved_search_save(user=seller, query=WORDS, kind="deal")
    assert error.value.code == "invalid_kind"


def test_for_me_page_shows_what_each_search_watches_and_saves_either_kind(client, seller):
    client.force_login(seller)
    client.post(SAVE_URL, {"kind": "request", "q": WORDS}, follow=True)
    saved = client.post(
        "/goi-y/tim-kiem-da-luu/",
        {"kind": "offer", "query": "máy gặt", "sector": "", "province": ""},
        follow=True,
    )
    assert [str(m) for m in saved.context["messages"]] == [
        "Đã lưu tìm kiếm: bạn sẽ được báo khi có công nghệ mới phù hợp."
    ]
    html = client.get("/goi-y/").content.decode()
    kind_badge = '<span class="badge text-bg-light border" data-testid="saved-search-kind">'
    assert f'{kind_badge}Công nghệ chào bán</span> <span class="text-break">máy gặt</span>' in (
        html
    )
    assert f'{kind_badge}Nhu cầu công nghệ</span> <span class="text-break">{WORDS}</span>' in (html)
    assert '<label class="form-label small" for="id_kind">Theo dõi</label>' in html
    assert '<option value="request">Nhu cầu công nghệ</option>' in html


# -- alerts about requests -----------------------------------------------------------------------
def test_request_search_alerts_once_on_a_matching_new_request(client, seller, moderator):
    client.force_login(seller)
    client.post(SAVE_URL, {"kind": "request", "q": WORDS, "sector": "post_harvest"})
    search = SavedSearch.objects.get()

    # A matching offer is not what this search watches; an unrelated request is not a match.
    publish_offer(moderator, **DRYER)
    publish_request(moderator, title="Cần máy cắt cỏ cầm tay", sector=Sector.MECHANICAL)
    assert counts() == (0, 0, 0)

    need = publish_request(moderator, **NEED)

    alert = SentAlert.objects.get()
    assert (alert.user, alert.subject_request, alert.offer, alert.saved_search, alert.request) == (
        seller,
        need,
        None,
        search,
        None,
    )
    assert alert.subject == need
    assert alert.sent_at is not None
    assert alert.score >= services.alert_threshold()
    [email] = mail.outbox
    assert email.to == ["ban-may@example.vn"]
    assert email.subject == (
        f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}"
        f"Nhu cầu mới phù hợp với tìm kiếm đã lưu của bạn: {need.title}"
    )
    assert "Sàn công nghệ có nhu cầu mới phù hợp với tìm kiếm đã lưu của bạn:" in email.body
    assert f"- {need.title}\n" in email.body
    assert f"Cho tìm kiếm đã lưu: {WORDS}" in email.body
    url = f"{settings.SITE_URL}/san/nhu-cau/{need.pk}/"
    assert need.get_absolute_url() == f"/san/nhu-cau/{need.pk}/"
    assert f"  {url}\n" in email.body
    notification = Notification.objects.get()
    assert (notification.user, notification.url, notification.title) == (
        seller,
        need.get_absolute_url(),
        f"Nhu cầu mới phù hợp với tìm kiếm đã lưu của bạn: {need.title}",
    )
    # Following the bell's link opens the request.
    opened = client.get(f"/goi-y/thong-bao/{notification.pk}/")
    assert (opened.status_code, opened.url) == (302, need.get_absolute_url())

    # Indexed and alerted again (re-approved after an edit, a second worker, a re-index).
    tasks.listing_index_task("request", need.pk, True)
    services.alerts_for_request(request=need)
    services.listings_reindex_all()
    services.alerts_for_request(request=need)
    assert counts() == (1, 1, 1)


def test_offer_search_does_not_alert_on_requests_but_does_on_offers(seller, moderator):
    search = SavedSearchFactory(user=seller, query=WORDS, kind=SavedSearchKind.OFFER)
    publish_request(moderator, **NEED)
    assert counts() == (0, 0, 0)
    offer = publish_offer(moderator, **DRYER)
    alert = SentAlert.objects.get()
    assert (alert.offer, alert.subject_request, alert.saved_search) == (offer, None, search)
    assert mail.outbox[0].subject.endswith(
        f"Công nghệ mới phù hợp với nhu cầu của bạn: {offer.title}"
    )


def test_request_search_respects_sector_and_province(seller, moderator):
    SavedSearchFactory(user=seller, query=WORDS, kind="request", sector=Sector.ICT)
    SavedSearchFactory(user=seller, query=WORDS, kind="request", province="hue")
    publish_request(moderator, **NEED)
    assert counts() == (0, 0, 0)
    right = SavedSearchFactory(
        user=seller, query=WORDS, kind="request", sector=Sector.POST_HARVEST, province="can-tho"
    )
    need = publish_request(moderator, **SECOND_NEED)
    assert list(SentAlert.objects.values_list("saved_search", "subject_request")) == [
        (right.pk, need.pk)
    ]


def test_own_organisation_request_raises_no_alert(seller, moderator):
    SavedSearchFactory(user=seller, query=WORDS, kind="request")
    own = seller.memberships.get().organisation
    publish_request(moderator, organisation=own, **NEED)
    assert counts() == (0, 0, 0)
    # The same need from someone else does.
    other = publish_request(moderator, **NEED)
    assert list(SentAlert.objects.values_list("user", "subject_request")) == [(seller.pk, other.pk)]


def test_own_organisation_offer_raises_no_alert(seller, moderator):
    SavedSearchFactory(user=seller, query=WORDS, kind=SavedSearchKind.OFFER)
    own = seller.memberships.get().organisation
    publish_offer(moderator, organisation=own, **DRYER)
    assert counts() == (0, 0, 0)
    other = publish_offer(moderator, **DRYER)
    assert list(SentAlert.objects.values_list("user", "offer")) == [(seller.pk, other.pk)]


def test_alerts_off_sends_nothing_about_requests(seller, moderator):
    SavedSearchFactory(user=seller, query=WORDS, kind="request")
    services.alert_preference_set(user=seller, frequency=AlertFrequency.OFF)
    publish_request(moderator, **NEED)
    assert counts() == (0, 0, 0)


def test_unpublished_request_raises_no_alert(seller):
    SavedSearchFactory(user=seller, query=WORDS, kind="request")
    draft = RequestFactory(draft=True, **NEED)
    assert services.alerts_for_request(request=draft) == []


def test_daily_digest_includes_request_alerts_once(seller, moderator):
    services.alert_preference_set(user=seller, frequency=AlertFrequency.DAILY)
    SavedSearchFactory(user=seller, query=WORDS, kind="request")
    SavedSearchFactory(user=seller, query=WORDS, kind="offer")
    first = publish_request(moderator, **NEED)
    second = publish_request(moderator, **SECOND_NEED)
    offer = publish_offer(moderator, **DRYER)
    assert SentAlert.objects.filter(sent_at=None).count() == 3
    assert counts() == (3, 0, 0)

    assert tasks.alerts_send_digest_task() == 3
    [email] = mail.outbox
    assert email.subject.endswith("3 công nghệ và nhu cầu mới phù hợp với những gì bạn theo dõi")
    assert "Sàn công nghệ có công nghệ và nhu cầu mới phù hợp với những gì bạn theo dõi:" in (
        email.body
    )
    site = settings.SITE_URL
    for line in (
        f"- Nhu cầu: {first.title}\n",
        f"- Nhu cầu: {second.title}\n",
        f"- Công nghệ: {offer.title}\n",
        f"  {site}/san/nhu-cau/{first.pk}/\n",
        f"  {site}/san/nhu-cau/{second.pk}/\n",
        f"  {site}{offer.get_absolute_url()}\n",
    ):
        assert line in email.body
    notification = Notification.objects.get()
    assert notification.url == "/goi-y/"
    assert tasks.alerts_send_digest_task() == 0
    assert counts() == (3, 1, 1)


def test_digest_of_requests_only_names_requests(seller, moderator):
    services.alert_preference_set(user=seller, frequency=AlertFrequency.DAILY)
    SavedSearchFactory(user=seller, query=WORDS, kind="request")
    publish_request(moderator, **NEED)
    publish_request(moderator, **SECOND_NEED)
    assert tasks.alerts_send_digest_task() == 2
    assert mail.outbox[0].subject.endswith("2 nhu cầu mới phù hợp với tìm kiếm đã lưu của bạn")


def test_digest_in_english_for_an_english_speaker(moderator):
    seller = UserFactory(email="seller@example.com", preferred_language="en")
    SavedSearchFactory(user=seller, query=WORDS, kind="request")
    need = publish_request(moderator, **NEED)
    [email] = mail.outbox
    assert email.subject.endswith(f"New request matching your saved search: {need.title}")
    assert "New requests on the technology exchange match your saved searches:" in email.body


def test_database_refuses_an_alert_with_two_subjects_or_none_and_a_second_request_alert(seller):
    search = SavedSearchFactory(user=seller, query=WORDS, kind="request")
    need = indexed_request(**NEED)
    offer = indexed_offer(**DRYER)
    fields = {"user": seller, "saved_search": search, "score": 0.5, "frequency": "daily"}
    for subjects in ({"offer": offer, "subject_request": need}, {}):
        with pytest.raises(IntegrityError), transaction.atomic():
            SentAlert.objects.create(**fields, **subjects)
    SentAlert.objects.create(**fields, subject_request=need)
    with pytest.raises(IntegrityError), transaction.atomic():
        SentAlert.objects.create(**fields, subject_request=need)
    # A request is the cause of alerts about offers only.
    with pytest.raises(IntegrityError), transaction.atomic():
        SentAlert.objects.create(
            user=seller, subject_request=need, request=need, score=0.5, frequency="daily"
        )
    assert SentAlert.objects.count() == 1


# -- scoring each search against the one new listing ---------------------------------------------
def test_offer_search_alerts_however_many_better_offers_the_catalogue_holds(moderator):
    """The search is scored against the new offer alone: it used to be looked for among the
    search's top 50 results, so 50 better matches already listed silenced the alert."""
    search = SavedSearchFactory(query=WORDS)
    for n in range(55):
        indexed_offer(
            title=f"Máy sấy lúa đốt trấu mẫu {n}",
            description="Máy sấy lúa đốt trấu, máy sấy lúa, lò đốt trấu.",
            sector=Sector.POST_HARVEST,
        )
    offer = publish_offer(
        moderator,
        title="Lò sấy nông sản nhiều tầng",
        description="Sấy lúa, cà phê; dùng máy sấy lúa với lò đốt trấu.",
        sector=Sector.POST_HARVEST,
    )
    alert = SentAlert.objects.get(offer=offer)
    assert alert.saved_search == search
    assert alert.score >= services.alert_threshold()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_alerting_on_one_request_at_once_send_one_alert(seller):
    SavedSearchFactory(user=seller, query=WORDS, kind="request")
    need = indexed_request(**NEED)
    barrier = threading.Barrier(2)
    errors = []

    def worker():
        try:
            barrier.wait(timeout=10)
            services.alerts_for_request(request=need)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert (SentAlert.objects.filter(user=seller).count(), len(mail.outbox)) == (1, 1)
    assert Notification.objects.filter(user=seller).count() == 1
