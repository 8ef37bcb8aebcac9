import pytest

from marketplace import permissions

from .factories import InquiryFactory, OfferFactory

pytestmark = pytest.mark.django_db


def test_listing_permissions(seller, seller_org, outsider, moderator, django_user_model):
    draft = OfferFactory(draft=True, organisation=seller_org)
    published = OfferFactory(organisation=seller_org)
    anonymous = django_user_model()  # not saved: stands for no one signed in

    assert [
        permissions.can_edit_listing(user, draft) for user in (seller, outsider, moderator)
    ] == [True, False, False]
    assert [
        permissions.can_view_listing(user, draft) for user in (seller, outsider, moderator)
    ] == [True, False, True]
    assert permissions.can_view_listing(anonymous, published) is True


def test_inquiry_permissions(seller, seller_org, buyer, buyer_org, outsider, moderator):
    inquiry = InquiryFactory(
        offer=OfferFactory(organisation=seller_org), initiator_organisation=buyer_org
    )

    assert [
        permissions.can_read_inquiry(user, inquiry) for user in (seller, buyer, moderator, outsider)
    ] == [True, True, True, False]
    assert [
        permissions.can_post_in_inquiry(user, inquiry)
        for user in (seller, buyer, moderator, outsider)
    ] == [True, True, False, False]
    assert permissions.inquiry_side(seller, inquiry) == seller_org.pk
    assert permissions.inquiry_side(buyer, inquiry) == buyer_org.pk
