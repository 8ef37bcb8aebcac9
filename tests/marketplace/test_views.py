import datetime
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pyzbar.pyzbar import decode

from marketplace.models import Inquiry, Offer, OfferImage
from marketplace.taxonomy import ListingStatus

from .factories import (
    DealFactory,
    ExpertFactory,
    InquiryFactory,
    IntermediaryFactory,
    MessageFactory,
    OfferFactory,
    RequestFactory,
)

pytestmark = pytest.mark.django_db


def _png(size=(40, 30)) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


OFFER_FORM = {
    "language": "vi",
    "title": "Máy sấy lúa",
    "summary": "",
    "description": "Sấy 12 tấn mỗi mẻ.",
    "sector": "post_harvest",
    "keywords": "máy sấy, lúa",
    "province": "can-tho",
    "trl": "8",
    "ip_status": "",
    "ip_certificate_number": "",
    "transfer_types": ["equipment"],
    "price_vnd": "680000000",
    "video_url": "",
}


def test_index_links_for_start_offer(client):
    response = client.get(reverse("marketplace:index"), {"start": "offer"})

    assert response.status_code == 200
    assert response.context["start"] == "offer"


def test_offer_list_search_without_diacritics(client):
    OfferFactory(title="Máy sấy lúa tuần hoàn")
    OfferFactory(title="Máy bơm nước")

    response = client.get(reverse("marketplace:offer_list"), {"q": "may say lua"})

    assert [listing.title for listing in response.context["page"]] == ["Máy sấy lúa tuần hoàn"]


def test_offer_list_htmx_returns_only_results(client):
    OfferFactory(title="Máy sấy lúa")

    response = client.get(
        reverse("marketplace:offer_list"), {"q": "say"}, headers={"HX-Request": "true"}
    )

    assert response.templates[0].name == "marketplace/partials/listing_results.html"
    assert b"<html" not in response.content


@pytest.mark.parametrize("count", [1, 5])
@pytest.mark.parametrize("kind", ["offer", "request"])
def test_listing_list_page_query_count_is_constant(client, django_assert_num_queries, count, kind):
    factory = OfferFactory if kind == "offer" else RequestFactory
    for _ in range(count):
        factory()
    expected = 3 if kind == "offer" else 2  # count, page, images of the page's offers
    with django_assert_num_queries(expected):
        response = client.get(
            reverse(f"marketplace:{kind}_list"), {"q": "cong nghe", "province": "dong-nai"}
        )
    assert len(response.context["page"]) == count


@pytest.mark.parametrize("count", [1, 5])
def test_index_page_query_count_is_constant(client, django_assert_num_queries, count):
    for _ in range(count):
        OfferFactory()
        RequestFactory()
    with django_assert_num_queries(3):
        client.get(reverse("marketplace:index"))


@pytest.mark.parametrize("count", [1, 5])
def test_expert_and_intermediary_pages_query_count_is_constant(
    client, django_assert_num_queries, count
):
    for _ in range(count):
        ExpertFactory()
        IntermediaryFactory()
    with django_assert_num_queries(2):
        response = client.get(reverse("marketplace:expert_list"))
    assert len(response.context["page"]) == count
    with django_assert_num_queries(1):
        response = client.get(reverse("marketplace:intermediary_list"))
    assert len(response.context["intermediaries"]) == count


@pytest.mark.parametrize("count", [1, 5])
def test_my_listings_query_count_is_constant(
    client, seller, seller_org, django_assert_num_queries, count
):
    for _ in range(count):
        OfferFactory(organisation=seller_org)
        RequestFactory(organisation=seller_org)
    client.force_login(seller)
    # session, user, groups (navigation), memberships, offers, images, requests, the bell
    with django_assert_num_queries(8):
        response = client.get(reverse("marketplace:my_listings"))
    assert len(response.context["offers"]) == count


@pytest.mark.parametrize("count", [1, 5])
def test_review_queue_query_count_is_constant(client, moderator, django_assert_num_queries, count):
    for _ in range(count):
        OfferFactory(pending=True)
        RequestFactory(pending=True)
    client.force_login(moderator)
    # session, user, groups, offers, images, requests, the bell
    with django_assert_num_queries(7):
        response = client.get(reverse("marketplace:review_queue"))
    assert len(response.context["offers"]) == count


@pytest.mark.parametrize("count", [1, 5])
def test_inquiry_list_page_query_count_is_constant(
    client, buyer, buyer_org, django_assert_num_queries, count
):
    for _ in range(count):
        InquiryFactory(initiator_organisation=buyer_org)
    client.force_login(buyer)
    # session, user, groups (navigation), memberships, inquiries, the bell
    with django_assert_num_queries(6):
        response = client.get(reverse("marketplace:inquiry_list"))
    assert len(response.context["inquiries"]) == count


@pytest.mark.parametrize("count", [1, 5])
def test_inquiry_thread_query_count_is_constant(
    client, buyer, buyer_org, django_assert_num_queries, count
):
    inquiry = InquiryFactory(initiator_organisation=buyer_org)
    for _ in range(count):
        MessageFactory(inquiry=inquiry, author=buyer)
    client.force_login(buyer)
    # session, user, inquiry, memberships, deal, messages, groups (navigation), the bell
    with django_assert_num_queries(8):
        response = client.get(inquiry.get_absolute_url())
    assert len(response.context["thread_messages"]) == count


def test_listing_detail_has_open_graph_share_links_and_suggestions_slot(client):
    offer = OfferFactory(title="Máy sấy lúa", summary="Sấy nhanh")

    response = client.get(offer.get_absolute_url())
    html = response.content.decode()

    assert '<meta property="og:title" content="Máy sấy lúa">' in html
    assert f'<meta property="og:url" content="http://testserver/san/cong-nghe/{offer.pk}/">' in html
    assert (
        f'<div id="suggestions" hx-get="/goi-y/partial/offer/{offer.pk}/" hx-trigger="load"' in html
    )
    assert "https://www.facebook.com/sharer/sharer.php?u=http%3A%2F%2Ftestserver" in html
    assert "Quan tâm / Liên hệ" in html


def test_listing_detail_escapes_html(client):
    offer = OfferFactory(title="<script>alert('x')</script>", description="<img src=x onerror=1>")

    html = client.get(offer.get_absolute_url()).content.decode()

    assert "<script>alert(" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "<img src=x" not in html


def test_unpublished_listing_is_hidden_from_others(client, outsider, seller, seller_org):
    offer = OfferFactory(draft=True, organisation=seller_org)

    assert client.get(offer.get_absolute_url()).status_code == 404
    client.force_login(outsider)
    assert client.get(offer.get_absolute_url()).status_code == 404
    assert client.get(reverse("marketplace:offer_edit", args=[offer.pk])).status_code == 403
    client.force_login(seller)
    assert client.get(offer.get_absolute_url()).status_code == 200


def test_anonymous_request_hides_owner_name(client, buyer_org):
    request = RequestFactory(organisation=buyer_org, is_anonymous=True)

    html = client.get(request.get_absolute_url()).content.decode()

    assert buyer_org.name not in html


def test_printable_sheet_has_a_qr_code_pointing_to_the_page(client, settings):
    settings.SITE_URL = "https://techmart.example.vn"
    offer = OfferFactory()

    sheet = client.get(reverse("marketplace:offer_print", args=[offer.pk]))
    assert sheet.status_code == 200
    png = client.get(reverse("marketplace:offer_qr", args=[offer.pk]))

    assert png["Content-Type"] == "image/png"
    decoded = decode(Image.open(BytesIO(png.content)))
    assert [symbol.data.decode() for symbol in decoded] == [
        f"https://techmart.example.vn/san/cong-nghe/{offer.pk}/"
    ]


def test_offer_create_page_submits_for_review_with_image(client, seller, seller_org):
    client.force_login(seller)
    image = SimpleUploadedFile("anh.png", _png(), content_type="image/png")

    response = client.post(
        reverse("marketplace:offer_create"),
        {**OFFER_FORM, "organisation": seller_org.pk, "images": [image], "submit": "1"},
    )

    offer = Offer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == offer.get_absolute_url()
    assert offer.status == ListingStatus.PENDING_REVIEW
    assert offer.keywords == ["máy sấy", "lúa"]
    stored = OfferImage.objects.get()
    with Image.open(stored.thumbnail.path) as thumb:
        assert (thumb.format, thumb.size) == ("JPEG", (40, 30))


def test_offer_create_page_refuses_wrong_upload_with_message_in_vietnamese(
    client, seller, seller_org
):
    client.force_login(seller)
    fake = SimpleUploadedFile("anh.png", b"not an image", content_type="image/png")
    fake_pdf = SimpleUploadedFile("tai-lieu.pdf", b"hello", content_type="application/pdf")

    response = client.post(
        reverse("marketplace:offer_create"),
        {**OFFER_FORM, "organisation": seller_org.pk, "images": [fake], "attachments": [fake_pdf]},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["attachments"] == ["Hãy tải lên tệp PDF."]
    assert len(response.context["form"].errors["images"]) == 1
    assert Offer.objects.count() == 0


def test_offer_create_page_refuses_oversized_image(client, seller, seller_org, settings):
    client.force_login(seller)
    big = SimpleUploadedFile("big.png", _png() + b"\0" * (5 * 1024 * 1024), "image/png")

    response = client.post(
        reverse("marketplace:offer_create"),
        {**OFFER_FORM, "organisation": seller_org.pk, "images": [big]},
    )

    assert response.status_code == 200
    assert "images" in response.context["form"].errors
    assert Offer.objects.count() == 0


def test_offer_form_field_errors_in_the_users_language(client, seller, seller_org):
    client.force_login(seller)

    response = client.post(
        reverse("marketplace:offer_create"),
        {**OFFER_FORM, "organisation": seller_org.pk, "title": "", "trl": "12", "price_vnd": "-3"},
    )

    errors = response.context["form"].errors
    assert errors["title"] == ["Trường này là bắt buộc."]
    assert errors["price_vnd"] == ["Giá trị này phải lớn hơn hoặc bằng 0."]

    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("marketplace:offer_create"),
        {**OFFER_FORM, "organisation": seller_org.pk, "title": ""},
    )
    assert response.context["form"].errors["title"] == ["This field is required."]


def test_edit_of_published_offer_sends_it_back_to_review(client, seller, seller_org):
    offer = OfferFactory(organisation=seller_org)
    client.force_login(seller)

    client.post(reverse("marketplace:offer_edit", args=[offer.pk]), {**OFFER_FORM, "title": "Mới"})

    offer.refresh_from_db()
    assert (offer.title, offer.status) == ("Mới", ListingStatus.PENDING_REVIEW)


def test_review_queue_approve_and_reject(client, moderator, seller, mailoutbox):
    first = OfferFactory(pending=True, organisation=seller.organisations.get())
    second = OfferFactory(pending=True, organisation=seller.organisations.get())
    client.force_login(moderator)

    client.post(
        reverse("marketplace:review_decide", args=["offer", first.pk]), {"decision": "approve"}
    )
    client.post(
        reverse("marketplace:review_decide", args=["offer", second.pk]),
        {"decision": "reject", "reason": "Ảnh không rõ"},
    )

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (ListingStatus.PUBLISHED, ListingStatus.REJECTED)
    assert second.rejection_reason == "Ảnh không rõ"
    assert len(mailoutbox) == 2


def test_review_queue_is_for_moderators(client, seller):
    client.force_login(seller)

    assert client.get(reverse("marketplace:review_queue")).status_code == 403
    assert client.get(reverse("marketplace:dashboard")).status_code == 403


def test_inquiry_thread_readable_by_parties_and_moderators_only(
    client, seller, seller_org, buyer, buyer_org, outsider, moderator
):
    offer = OfferFactory(organisation=seller_org)
    inquiry = InquiryFactory(offer=offer, initiator_organisation=buyer_org)
    MessageFactory(inquiry=inquiry, body="Bí mật giá")

    for user, expected in ((seller, 200), (buyer, 200), (moderator, 200), (outsider, 404)):
        client.force_login(user)
        response = client.get(inquiry.get_absolute_url())
        assert response.status_code == expected
    client.logout()
    assert client.get(inquiry.get_absolute_url()).status_code == 302

    client.force_login(moderator)
    response = client.post(inquiry.get_absolute_url(), {"body": "xen"})
    assert response.status_code == 403


def test_express_interest_opens_thread_and_reply(client, seller, seller_org, buyer, mailoutbox):
    offer = OfferFactory(organisation=seller_org, title="Máy sấy lúa")
    client.force_login(buyer)

    response = client.post(
        reverse("marketplace:offer_inquire", args=[offer.pk]),
        {"organisation": buyer.organisations.get().pk, "body": "<b>Giá?</b>"},
    )

    inquiry = Inquiry.objects.get()
    assert response["Location"] == inquiry.get_absolute_url()
    client.force_login(seller)
    client.post(inquiry.get_absolute_url(), {"body": "680 triệu"})
    html = client.get(inquiry.get_absolute_url()).content.decode()
    assert "&lt;b&gt;Giá?&lt;/b&gt;" in html
    assert [m.to for m in mailoutbox] == [[seller.email], [buyer.email]]


def test_deal_record_and_confirm_pages(client, seller, seller_org, buyer, buyer_org):
    inquiry = InquiryFactory(
        offer=OfferFactory(organisation=seller_org), initiator_organisation=buyer_org
    )
    client.force_login(seller)
    client.post(
        reverse("marketplace:deal_record", args=[inquiry.pk]),
        {"type": "licence", "value_vnd": "120000000", "signed_on": "2026-02-01"},
    )
    client.force_login(buyer)
    client.post(reverse("marketplace:deal_confirm", args=[inquiry.pk]))

    inquiry.refresh_from_db()
    assert inquiry.state == "deal"
    assert inquiry.deal.value_vnd == 120000000
    assert inquiry.deal.confirmed_by == buyer


def test_dashboard_and_csv_show_confirmed_deals(client, moderator):
    DealFactory(value_vnd=100, type="licence", signed_on=datetime.date(2025, 3, 1))
    DealFactory(value_vnd=200, type="consulting", signed_on=datetime.date(2026, 3, 1))
    DealFactory(value_vnd=20, type="equipment", signed_on=datetime.date(2026, 4, 1))
    DealFactory(value_vnd=999, confirmed_at=None, signed_on=datetime.date(2026, 4, 1))
    client.force_login(moderator)

    response = client.get(reverse("marketplace:dashboard"), {"year": 2026})

    indicators = {item.year: item for item in response.context["data"].indicators}
    assert indicators[2026].value == 220
    assert indicators[2026].growth_percent == 120.0
    assert indicators[2026].ip_share_percent == 0.0
    assert indicators[2026].technology_share_percent == 9.1
    assert indicators[2025].ip_share_percent == 100.0
    csv_text = client.get(reverse("marketplace:dashboard_csv"), {"year": 2026}).content.decode()
    assert "03/2026,0,0,0,1,200" in csv_text
    assert "2026,2,220,120.0,0.0,9.1" in csv_text


def test_expert_contact_forwards_email_without_showing_it(client, mailoutbox):
    expert = ExpertFactory(email="bimat@example.vn")

    page = client.get(expert.get_absolute_url()).content.decode()
    response = client.post(
        expert.get_absolute_url(),
        {"sender_name": "Ba", "sender_email": "ba@example.vn", "body": "Xin tư vấn giống lúa"},
    )

    assert "bimat@example.vn" not in page
    assert response.status_code == 302
    assert [(m.to, m.reply_to) for m in mailoutbox] == [(["bimat@example.vn"], ["ba@example.vn"])]
    assert "Xin tư vấn giống lúa" in mailoutbox[0].body


def test_expert_contact_is_limited_per_sender(client, mailoutbox):
    expert = ExpertFactory()
    form = {"sender_name": "Ba", "sender_email": "ba@example.vn", "body": "Xin tư vấn"}

    for _ in range(5):
        assert client.post(expert.get_absolute_url(), form).status_code == 302
    response = client.post(expert.get_absolute_url(), form)

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Bạn đã gửi nhiều tin nhắn trong một giờ qua. Vui lòng thử lại sau."
    ]
    assert len(mailoutbox) == 5


def test_offer_form_renders_transfer_types_as_checkboxes(client, seller):
    client.force_login(seller)

    html = client.get(reverse("marketplace:offer_create")).content.decode()

    assert html.count('class="form-check-input" id="id_transfer_types_') == 6


def test_inquiry_thread_htmx_reply_returns_the_refreshed_thread(
    client, seller, seller_org, buyer_org
):
    inquiry = InquiryFactory(
        offer=OfferFactory(organisation=seller_org), initiator_organisation=buyer_org
    )
    MessageFactory(inquiry=inquiry, body="Còn hàng không?")
    client.force_login(seller)

    response = client.post(
        inquiry.get_absolute_url(), {"body": "Còn ạ"}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert response.templates[0].name == "marketplace/partials/thread_messages.html"
    assert [m.body for m in response.context["thread_messages"]] == ["Còn hàng không?", "Còn ạ"]
    assert (
        '<span id="inquiry-state" data-testid="inquiry-state" hx-swap-oob="true">'
        "Đang đàm phán</span>" in response.content.decode()
    )

    polled = client.get(
        inquiry.get_absolute_url(), {"messages": "1"}, headers={"HX-Request": "true"}
    )
    assert polled.content.decode().count('data-testid="message"') == 2


@pytest.mark.parametrize("count", [1, 5])
def test_offer_detail_query_count_is_constant(client, django_assert_num_queries, count):
    offer = OfferFactory()
    for position in range(count):
        OfferImage.objects.create(offer=offer, image=f"offers/{position}.png", position=position)
    # offer with owner and contact, images, attachments
    with django_assert_num_queries(3):
        response = client.get(offer.get_absolute_url())
    assert len(response.context["listing"].images.all()) == count
