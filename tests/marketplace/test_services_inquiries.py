import datetime

import pytest
from django.utils import timezone

from accounts.errors import ApplicationError
from marketplace import services
from marketplace.models import Inquiry, Message
from marketplace.taxonomy import InquiryState

from .factories import OfferFactory, RequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer(seller_org):
    return OfferFactory(organisation=seller_org, title="Máy sấy lúa", sector="post_harvest")


def test_inquiry_open_creates_thread_and_mails_the_listing_side(
    offer, buyer, buyer_org, seller, mailoutbox
):
    inquiry = services.inquiry_open(
        listing=offer, actor=buyer, organisation=buyer_org, body="Giá bao nhiêu?"
    )

    assert inquiry.offer == offer
    assert inquiry.listing_organisation == offer.organisation
    assert inquiry.state == InquiryState.OPEN
    assert inquiry.sector == "post_harvest"
    assert list(inquiry.messages.values_list("body", "author_organisation")) == [
        ("Giá bao nhiêu?", buyer_org.pk)
    ]
    assert [m.to for m in mailoutbox] == [[seller.email]]
    assert mailoutbox[0].subject == "[Techmart] Tin nhắn mới về Máy sấy lúa"
    assert "Giá bao nhiêu?" in mailoutbox[0].body


def test_inquiry_open_twice_continues_the_same_thread(offer, buyer, buyer_org):
    first = services.inquiry_open(listing=offer, actor=buyer, organisation=buyer_org, body="1")
    second = services.inquiry_open(listing=offer, actor=buyer, organisation=buyer_org, body="2")

    assert first.pk == second.pk
    assert Inquiry.objects.count() == 1
    assert Message.objects.count() == 2


def test_inquiry_open_refuses_own_listing_and_unpublished(offer, seller, seller_org, buyer):
    with pytest.raises(ApplicationError) as error:
        services.inquiry_open(listing=offer, actor=seller, organisation=seller_org, body="x")
    assert error.value.code == "own_listing"

    draft = OfferFactory(draft=True)
    with pytest.raises(ApplicationError) as error:
        services.inquiry_open(
            listing=draft, actor=buyer, organisation=buyer.organisations.get(), body="x"
        )
    assert error.value.code == "not_published"


def test_message_post_reply_moves_to_negotiating_and_mails_other_side(
    offer, buyer, buyer_org, seller, mailoutbox
):
    inquiry = services.inquiry_open(listing=offer, actor=buyer, organisation=buyer_org, body="?")
    mailoutbox.clear()

    services.message_post(inquiry=inquiry, actor=seller, body="Giá 680 triệu đồng.")

    inquiry.refresh_from_db()
    assert inquiry.state == InquiryState.NEGOTIATING
    assert [m.to for m in mailoutbox] == [[buyer.email]]


def test_message_post_by_outsider_is_refused(offer, buyer, buyer_org, outsider, moderator):
    inquiry = services.inquiry_open(listing=offer, actor=buyer, organisation=buyer_org, body="?")

    for intruder in (outsider, moderator):
        with pytest.raises(ApplicationError) as error:
            services.message_post(inquiry=inquiry, actor=intruder, body="xen vào")
        assert error.value.code == "not_party"
    assert inquiry.messages.count() == 1


def test_anonymous_request_owner_is_revealed_once_they_answer(
    buyer, buyer_org, seller, seller_org, mailoutbox
):
    request = RequestFactory(organisation=buyer_org, is_anonymous=True)
    inquiry = services.inquiry_open(
        listing=request, actor=seller, organisation=seller_org, body="Chúng tôi có máy."
    )
    assert inquiry.owner_revealed is False

    services.message_post(inquiry=inquiry, actor=buyer, body="Mời anh qua xem ruộng.")

    inquiry.refresh_from_db()
    assert inquiry.owner_revealed is True


def test_inquiry_set_state_close_and_reopen(offer, buyer, buyer_org, seller):
    inquiry = services.inquiry_open(listing=offer, actor=buyer, organisation=buyer_org, body="?")

    inquiry = services.inquiry_set_state(inquiry=inquiry, actor=seller, state="closed")
    assert inquiry.state == InquiryState.CLOSED
    with pytest.raises(ApplicationError) as error:
        services.message_post(inquiry=inquiry, actor=buyer, body="còn không?")
    assert error.value.code == "inquiry_closed"

    inquiry = services.inquiry_set_state(inquiry=inquiry, actor=buyer, state="open")
    assert inquiry.state == InquiryState.OPEN
    with pytest.raises(ApplicationError) as error:
        services.inquiry_set_state(inquiry=inquiry, actor=buyer, state="deal")
    assert error.value.code == "invalid_transition"


def test_deal_counts_once_the_other_party_confirms(offer, buyer, buyer_org, seller, mailoutbox):
    inquiry = services.inquiry_open(listing=offer, actor=buyer, organisation=buyer_org, body="?")
    mailoutbox.clear()

    deal = services.deal_record(
        inquiry=inquiry,
        actor=seller,
        type="equipment",
        value_vnd=650_000_000,
        signed_on=datetime.date(2026, 3, 1),
    )
    assert deal.is_confirmed is False
    assert [m.to for m in mailoutbox] == [[buyer.email]]

    with pytest.raises(ApplicationError) as error:
        services.deal_confirm(deal=deal, actor=seller)
    assert error.value.code == "confirm_by_other_party"

    deal = services.deal_confirm(deal=deal, actor=buyer)
    inquiry.refresh_from_db()
    assert deal.is_confirmed is True
    assert deal.confirmed_by == buyer
    assert inquiry.state == InquiryState.DEAL
    assert [m.to for m in mailoutbox] == [[buyer.email], [seller.email]]


@pytest.mark.parametrize("value", [-1, 1.5, "12", True])
def test_deal_record_refuses_a_value_that_is_not_a_whole_number(
    offer, buyer, buyer_org, seller, value
):
    inquiry = services.inquiry_open(listing=offer, actor=buyer, organisation=buyer_org, body="?")

    with pytest.raises(ApplicationError) as error:
        services.deal_record(
            inquiry=inquiry,
            actor=seller,
            type="licence",
            value_vnd=value,
            signed_on=timezone.localdate(),
        )
    assert error.value.code == "invalid_amount"


def test_deal_record_refuses_future_date(offer, buyer, buyer_org, seller):
    inquiry = services.inquiry_open(listing=offer, actor=buyer, organisation=buyer_org, body="?")

    with pytest.raises(ApplicationError) as error:
        services.deal_record(
            inquiry=inquiry,
            actor=seller,
            type="licence",
            value_vnd=1,
            signed_on=timezone.localdate() + datetime.timedelta(days=2),
        )
    assert error.value.code == "signed_in_future"
