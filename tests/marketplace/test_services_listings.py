from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.errors import ApplicationError
from marketplace import services
from marketplace.models import Offer, Request
from marketplace.signals import listing_changed, listing_published
from marketplace.taxonomy import ListingStatus

from .factories import OfferFactory

pytestmark = pytest.mark.django_db

OFFER = {
    "title": "Máy sấy lúa tháp tuần hoàn",
    "description": "Sấy 12 tấn lúa mỗi mẻ bằng lò đốt trấu.",
    "sector": "post_harvest",
    "keywords": ["máy sấy", " lúa ", "máy sấy"],
    "province": "can-tho",
    "transfer_types": ["equipment", "training"],
    "trl": 9,
    "price_vnd": 680_000_000,
}


@pytest.fixture
def signals_received():
    received = []

    def published(sender, listing, **kwargs):
        received.append(("published", sender, listing.pk))

    def changed(sender, listing, **kwargs):
        received.append(("changed", sender, listing.pk))

    listing_published.connect(published, weak=False)
    listing_changed.connect(changed, weak=False)
    yield received
    listing_published.disconnect(published)
    listing_changed.disconnect(changed)


def test_offer_create_stores_folded_search_columns_and_external_id(seller, seller_org):
    offer = services.offer_create(actor=seller, organisation=seller_org, **OFFER)

    offer.refresh_from_db()
    assert offer.status == ListingStatus.DRAFT
    assert offer.external_id == f"TM-O-{offer.pk:06d}"
    assert offer.keywords == ["máy sấy", "lúa"]
    assert offer.transfer_types == ["equipment", "training"]
    assert offer.contact_person == seller
    assert offer.search_title == "may say lua thap tuan hoan"
    assert offer.search_document == (
        "may say lua thap tuan hoan may say lua say 12 tan lua moi me bang lo dot trau "
        "cong ty co khi phu dien can tho"
    )


def test_offer_create_refuses_an_organisation_the_actor_does_not_belong_to(outsider, seller_org):
    with pytest.raises(ApplicationError) as error:
        services.offer_create(actor=outsider, organisation=seller_org, **OFFER)

    assert error.value.code == "not_allowed"
    assert error.value.status == 403
    assert Offer.objects.count() == 0


def test_offer_create_reports_field_errors(seller, seller_org):
    with pytest.raises(ApplicationError) as error:
        services.offer_create(
            actor=seller, organisation=seller_org, **{**OFFER, "trl": 12, "sector": "space"}
        )

    assert error.value.code == "invalid"
    assert sorted(error.value.extra["fields"]) == ["sector", "trl"]


def test_offer_create_refuses_more_than_ten_keywords(seller, seller_org):
    with pytest.raises(ApplicationError) as error:
        services.offer_create(
            actor=seller,
            organisation=seller_org,
            **{**OFFER, "keywords": [str(i) for i in range(11)]},
        )

    assert error.value.code == "too_many_keywords"


def test_listing_lifecycle_submit_publish_sends_signal_and_mail(
    seller, seller_org, moderator, signals_received, mailoutbox
):
    offer = services.offer_create(actor=seller, organisation=seller_org, submit=True, **OFFER)
    assert offer.status == ListingStatus.PENDING_REVIEW
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["kiemduyet@example.vn"], "[Techmart] Chờ duyệt: Máy sấy lúa tháp tuần hoàn")
    ]
    mailoutbox.clear()

    offer = services.offer_publish(listing=offer, moderator=moderator)

    assert offer.status == ListingStatus.PUBLISHED
    assert offer.expires_at - offer.published_at == timedelta(days=365)
    assert offer.reviewed_by == moderator
    assert signals_received == [("changed", Offer, offer.pk), ("published", Offer, offer.pk)]
    assert [m.to for m in mailoutbox] == [["nguoiban@example.vn"]]
    assert mailoutbox[0].subject == (
        "[Techmart] Tin đăng của bạn đã được duyệt: Máy sấy lúa tháp tuần hoàn"
    )


def test_listing_publish_is_for_moderators_only(seller):
    offer = OfferFactory(pending=True, organisation=seller.organisations.get())

    with pytest.raises(ApplicationError) as error:
        services.offer_publish(listing=offer, moderator=seller)

    assert error.value.status == 403
    offer.refresh_from_db()
    assert offer.status == ListingStatus.PENDING_REVIEW


def test_listing_reject_needs_a_reason_and_mails_it(seller, moderator, mailoutbox):
    offer = OfferFactory(pending=True, organisation=seller.organisations.get())

    with pytest.raises(ApplicationError) as error:
        services.offer_reject(listing=offer, moderator=moderator, reason="  ")
    assert error.value.code == "reason_required"

    services.offer_reject(listing=offer, moderator=moderator, reason="Thiếu giá và hình ảnh.")

    offer.refresh_from_db()
    assert offer.status == ListingStatus.REJECTED
    assert offer.rejection_reason == "Thiếu giá và hình ảnh."
    assert len(mailoutbox) == 1
    assert "Thiếu giá và hình ảnh." in mailoutbox[0].body


def test_listing_update_of_published_listing_goes_back_to_review(seller, signals_received):
    offer = OfferFactory(organisation=seller.organisations.get())

    offer = services.offer_update(listing=offer, actor=seller, title="Máy sấy bắp")

    offer.refresh_from_db()
    assert offer.status == ListingStatus.PENDING_REVIEW
    assert offer.search_title == "may say bap"
    assert signals_received == [("changed", Offer, offer.pk)]


def test_listing_update_by_another_organisation_is_refused(outsider):
    offer = OfferFactory(title="Giữ nguyên")

    with pytest.raises(ApplicationError) as error:
        services.offer_update(listing=offer, actor=outsider, title="Đổi")

    assert error.value.status == 403
    offer.refresh_from_db()
    assert offer.title == "Giữ nguyên"


def test_listing_archive_expired_archives_and_tells_the_owner(seller, mailoutbox):
    organisation = seller.organisations.get()
    old = OfferFactory(organisation=organisation, published_at=timezone.now() - timedelta(days=400))
    fresh = OfferFactory(organisation=organisation)

    assert services.listing_archive_expired() == 1

    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.status, fresh.status) == (ListingStatus.ARCHIVED, ListingStatus.PUBLISHED)
    assert len(mailoutbox) == 1


def test_listing_renew_republishes_an_archived_listing_for_a_year(seller):
    offer = OfferFactory(
        organisation=seller.organisations.get(),
        status=ListingStatus.ARCHIVED,
        published_at=timezone.now() - timedelta(days=400),
    )

    offer = services.offer_renew(listing=offer, actor=seller)

    assert offer.status == ListingStatus.PUBLISHED
    assert offer.expires_at > timezone.now() + timedelta(days=364)


def test_listing_renew_refuses_a_listing_never_approved(seller):
    offer = OfferFactory(draft=True, organisation=seller.organisations.get())

    with pytest.raises(ApplicationError) as error:
        services.offer_renew(listing=offer, actor=seller)

    assert error.value.code == "invalid_state"


def test_request_create_anonymous_hides_owner_from_search(buyer, buyer_org):
    request = services.request_create(
        actor=buyer,
        organisation=buyer_org,
        title="Cần máy sấy",
        description="Cần sấy 5 tấn lúa mỗi ngày.",
        sector="post_harvest",
        budget_vnd=200_000_000,
        is_anonymous=True,
    )

    request.refresh_from_db()
    assert request.external_id == f"TM-R-{request.pk:06d}"
    assert "tan phu" not in request.search_document
    assert Request.objects.get().is_anonymous is True


def test_listing_create_external_id_avoids_an_imported_collision(seller, seller_org):
    imported = OfferFactory()
    imported.external_id = f"TM-O-{imported.pk + 1:06d}"
    imported.save()

    offer = services.offer_create(actor=seller, organisation=seller_org, **OFFER)

    assert offer.external_id.startswith(f"TM-O-{offer.pk:06d}-")
    assert len(offer.external_id) == len("TM-O-000000-") + 6
