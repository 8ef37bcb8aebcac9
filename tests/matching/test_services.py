import threading

import pytest
from django.core import mail
from django.db import connection

from accounts.errors import ApplicationError
from accounts.models import Membership
from marketplace.services import listing_archive, listing_publish
from marketplace.taxonomy import ListingStatus, Sector
from matching import runtime, services, tasks
from matching.models import (
    AlertFrequency,
    Feedback,
    ListingFeatures,
    Notification,
    SentAlert,
    Verdict,
)
from matching.selectors import suggestions_for_listing
from tests.accounts.factories import UserFactory
from tests.matching.factories import (
    BACKGROUND,
    OfferFactory,
    RequestFactory,
    SavedSearchFactory,
    index_background,
    indexed_offer,
    indexed_request,
)

DRYER = {
    "title": "Máy sấy lúa tháp tuần hoàn đốt trấu 12 tấn/mẻ",
    "description": "Máy sấy lúa, bắp hạt; lò đốt trấu tự động, không ám khói.",
    "sector": Sector.POST_HARVEST,
}
DRYER_NEED = {
    "title": "can may say lua cho htx mua mua",
    "description": "lua cat ve phoi khong kip bi nay mam, can may say lua dot trau",
    "sector": Sector.POST_HARVEST,
    "budget_vnd": 800_000_000,
}


@pytest.fixture(autouse=True)
def background(db):
    """A handful of unrelated listings, so word rarity is as it would be on the exchange."""
    index_background()


@pytest.fixture
def moderator(db):
    return UserFactory(roles=["moderator"])


def titles(suggestions):
    return [s.listing.title for s in suggestions]


def best(suggestions):
    """The first suggestion's title (weaker ones follow from the background listings)."""
    return suggestions[0].listing.title if suggestions else None


@pytest.mark.django_db
def test_publishing_a_listing_indexes_it_through_the_signal(moderator):
    need = indexed_request(**DRYER_NEED)
    offer = OfferFactory(pending=True, **DRYER)
    assert ListingFeatures.objects.filter(offer=offer).exists() is False
    listing_publish(listing=offer, moderator=moderator)
    row = ListingFeatures.objects.get(offer=offer)
    assert row.is_published is True
    assert row.features["meta"]["title"] == DRYER["title"]
    assert best(suggestions_for_listing(need)) == DRYER["title"]


@pytest.mark.django_db
def test_archiving_a_listing_takes_it_out_of_suggestions(moderator):
    need = indexed_request(**DRYER_NEED)
    offer = indexed_offer(**DRYER)
    owner = UserFactory()
    Membership.objects.create(user=owner, organisation=offer.organisation, role="owner")
    assert best(suggestions_for_listing(need)) == DRYER["title"]
    listing_archive(listing=offer, actor=owner)
    assert ListingFeatures.objects.get(offer=offer).is_published is False
    assert DRYER["title"] not in titles(suggestions_for_listing(need))


@pytest.mark.django_db
def test_another_process_sees_indexed_listings_after_reset():
    need = indexed_request(**DRYER_NEED)
    indexed_offer(**DRYER)
    runtime.reset()  # a fresh process: it rebuilds from the stored features
    assert best(suggestions_for_listing(need)) == DRYER["title"]


@pytest.mark.django_db
def test_reindex_all_recomputes_features_and_drops_unpublished():
    need = indexed_request(**DRYER_NEED)
    offer = OfferFactory(**DRYER)  # published without the signal
    draft = indexed_offer(title="Máy sấy lúa mini", draft=True)
    assert services.listings_reindex_all() == 2 + 2 * len(BACKGROUND)
    assert ListingFeatures.objects.filter(offer=draft).exists() is False
    assert ListingFeatures.objects.filter(offer=offer, is_published=True).count() == 1
    assert best(suggestions_for_listing(need)) == DRYER["title"]


# -- feedback ---------------------------------------------------------------------------------
@pytest.mark.django_db
def test_not_relevant_feedback_hides_the_pair_for_that_organisation_only():
    need = indexed_request(**DRYER_NEED)
    offer = indexed_offer(**DRYER)
    farmer, other = UserFactory(), UserFactory()
    Membership.objects.create(user=farmer, organisation=need.organisation, role="owner")
    services.feedback_record(user=farmer, offer=offer, request=need, verdict=Verdict.NOT_RELEVANT)
    assert DRYER["title"] not in titles(suggestions_for_listing(need, user=farmer))
    assert best(suggestions_for_listing(need, user=other)) == DRYER["title"]
    assert Feedback.objects.get().organisation == need.organisation


@pytest.mark.django_db
def test_feedback_is_replaced_not_duplicated_and_shown():
    need = indexed_request(**DRYER_NEED)
    offer = indexed_offer(**DRYER)
    user = UserFactory()
    Membership.objects.create(user=user, organisation=need.organisation, role="member")
    services.feedback_record(user=user, offer=offer, request=need, verdict=Verdict.NOT_RELEVANT)
    services.feedback_record(user=user, offer=offer, request=need, verdict=Verdict.USEFUL)
    assert Feedback.objects.count() == 1
    suggestion = suggestions_for_listing(need, user=user)[0]
    assert (suggestion.listing, suggestion.verdict) == (offer, Verdict.USEFUL)


@pytest.mark.django_db
def test_feedback_from_an_outsider_is_refused():
    need = indexed_request(**DRYER_NEED)
    offer = indexed_offer(**DRYER)
    with pytest.raises(ApplicationError) as error:
        services.feedback_record(
            user=UserFactory(), offer=offer, request=need, verdict=Verdict.USEFUL
        )
    assert (error.value.code, error.value.status) == ("not_allowed", 403)


# -- alerts -------------------------------------------------------------------------------------
def _farmer_with_need(**extra):
    need = indexed_request(**{**DRYER_NEED, **extra})
    farmer = UserFactory(email="farmer@example.com")
    Membership.objects.create(user=farmer, organisation=need.organisation, role="owner")
    return farmer, need


@pytest.mark.django_db
def test_new_matching_offer_alerts_the_request_owner_once(moderator):
    farmer, need = _farmer_with_need()
    offer = OfferFactory(pending=True, **DRYER)
    listing_publish(listing=offer, moderator=moderator)
    alert = SentAlert.objects.get()
    assert (alert.user, alert.offer, alert.request) == (farmer, offer, need)
    assert alert.sent_at is not None
    assert Notification.objects.filter(user=farmer).count() == 1
    alert_mails = [m for m in mail.outbox if m.to == ["farmer@example.com"]]
    assert len(alert_mails) == 1
    assert DRYER["title"] in alert_mails[0].body
    # Published again (edited and re-approved), indexed again: no second alert.
    services.alerts_for_offer(offer=offer)
    tasks.listing_index_task("offer", offer.pk, True)
    assert SentAlert.objects.count() == 1
    assert Notification.objects.filter(user=farmer).count() == 1
    assert len([m for m in mail.outbox if m.to == ["farmer@example.com"]]) == 1


@pytest.mark.django_db
def test_unrelated_offer_raises_no_alert():
    _farmer_with_need()
    offer = indexed_offer(title="Phần mềm kế toán cho trường học", description="Kế toán.")
    assert services.alerts_for_offer(offer=offer) == []


@pytest.mark.django_db
def test_own_organisation_offer_raises_no_alert():
    farmer, need = _farmer_with_need()
    offer = indexed_offer(organisation=need.organisation, **DRYER)
    assert services.alerts_for_offer(offer=offer) == []


@pytest.mark.django_db
def test_daily_digest_sends_pending_alerts_once():
    farmer, need = _farmer_with_need()
    services.alert_preference_set(user=farmer, frequency=AlertFrequency.DAILY)
    first = indexed_offer(**DRYER)
    second = indexed_offer(
        title="Máy sấy lúa vỉ ngang đảo chiều gió, lò đốt trấu",
        description="Sấy lúa mùa mưa cho hợp tác xã, không lo lúa nảy mầm.",
        sector=Sector.POST_HARVEST,
    )
    services.alerts_for_offer(offer=first)
    services.alerts_for_offer(offer=second)
    assert SentAlert.objects.filter(sent_at=None).count() == 2
    assert mail.outbox == []
    assert tasks.alerts_send_digest_task() == 2
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.endswith("2 công nghệ mới phù hợp với nhu cầu của bạn")
    assert tasks.alerts_send_digest_task() == 0
    assert len(mail.outbox) == 1
    assert Notification.objects.filter(user=farmer).count() == 1


@pytest.mark.django_db
def test_alerts_off_sends_nothing():
    farmer, _need = _farmer_with_need()
    services.alert_preference_set(user=farmer, frequency=AlertFrequency.OFF)
    assert services.alerts_for_offer(offer=indexed_offer(**DRYER)) == []
    assert mail.outbox == []


@pytest.mark.django_db
def test_saved_search_alerts_on_a_matching_offer_once():
    search = SavedSearchFactory(query="máy sấy lúa đốt trấu")
    offer = indexed_offer(**DRYER)
    [alert] = services.alerts_for_offer(offer=offer)
    assert (alert.user, alert.saved_search, alert.request) == (search.user, search, None)
    assert services.alerts_for_offer(offer=offer) == []


@pytest.mark.django_db
def test_saved_search_respects_sector_filter():
    SavedSearchFactory(query="máy sấy lúa", sector=Sector.ICT)
    assert services.alerts_for_offer(offer=indexed_offer(**DRYER)) == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_alerting_at_once_send_one_alert():
    farmer, _need = _farmer_with_need()
    offer = indexed_offer(**DRYER)
    barrier = threading.Barrier(2)
    errors = []

    def worker():
        try:
            barrier.wait()
            services.alerts_for_offer(offer=offer)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert SentAlert.objects.filter(user=farmer).count() == 1
    assert Notification.objects.filter(user=farmer).count() == 1


@pytest.mark.django_db
def test_saved_search_needs_words():
    with pytest.raises(ApplicationError) as error:
        services.saved_search_create(user=UserFactory(), query="   ")
    assert error.value.code == "empty_query"


@pytest.mark.django_db
def test_lexicon_is_seeded_from_the_files():
    from matching.engine.lexicon import LEXICON_DIR, read_links, read_synonyms
    from matching.models import LexiconEntry

    expected = len(read_synonyms(LEXICON_DIR / "synonyms.tsv")) + len(
        read_links(LEXICON_DIR / "links.tsv")
    )
    assert LexiconEntry.objects.count() == expected
    assert services.lexicon_seed() == 0  # already seeded: nothing added
    assert services.lexicon_seed(replace=True) == expected


@pytest.mark.django_db
def test_unpublished_request_sees_no_suggestion_until_published():
    need = RequestFactory(draft=True, **DRYER_NEED)
    indexed_offer(**DRYER)
    # Its owners can still preview suggestions (features computed on the fly).
    assert best(suggestions_for_listing(need)) == DRYER["title"]
    assert ListingFeatures.objects.filter(request=need).exists() is False
    assert need.status == ListingStatus.DRAFT
