from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from accounts.errors import ApplicationError
from marketplace import services
from marketplace.models import OfferAttachment, OfferImage
from marketplace.taxonomy import ListingStatus

from .factories import OfferFactory

pytestmark = pytest.mark.django_db


def _image(name="anh.jpg", size=(1200, 900), fmt="JPEG") -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", size, (10, 120, 40)).save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def test_offer_image_add_makes_a_thumbnail_and_sends_published_offer_to_review(seller):
    offer = OfferFactory(organisation=seller.organisations.get())

    image = services.offer_image_add(offer=offer, actor=seller, upload=_image(fmt="WEBP"))

    with Image.open(image.thumbnail.path) as thumb:
        assert (thumb.format, thumb.size) == ("JPEG", (480, 360))
    offer.refresh_from_db()
    assert offer.status == ListingStatus.PENDING_REVIEW


def test_offer_image_add_refuses_a_ninth_image(seller):
    offer = OfferFactory(draft=True, organisation=seller.organisations.get())
    for index in range(8):
        services.offer_image_add(offer=offer, actor=seller, upload=_image(f"{index}.jpg", (20, 20)))

    with pytest.raises(ApplicationError) as error:
        services.offer_image_add(offer=offer, actor=seller, upload=_image("9.jpg", (20, 20)))

    assert error.value.code == "too_many_images"
    assert OfferImage.objects.count() == 8


def test_offer_image_add_refuses_a_file_that_is_not_an_image(seller):
    offer = OfferFactory(draft=True, organisation=seller.organisations.get())
    fake = SimpleUploadedFile("anh.jpg", b"<html>not an image</html>", content_type="image/jpeg")

    with pytest.raises(ApplicationError) as error:
        services.offer_image_add(offer=offer, actor=seller, upload=fake)

    assert error.value.code == "invalid"
    assert list(error.value.extra["fields"]) == ["image"]


def test_offer_attachment_add_checks_pdf_magic_bytes(seller):
    offer = OfferFactory(draft=True, organisation=seller.organisations.get())
    renamed = SimpleUploadedFile("hop-dong.pdf", b"PK\x03\x04 zip", content_type="application/pdf")
    real = SimpleUploadedFile("hop-dong.pdf", b"%PDF-1.7\n...", content_type="application/pdf")

    with translation.override("vi"), pytest.raises(ApplicationError) as error:
        services.offer_attachment_add(offer=offer, actor=seller, upload=renamed)
    assert error.value.extra["fields"] == {"file": ["Hãy tải lên tệp PDF."]}

    attachment = services.offer_attachment_add(offer=offer, actor=seller, upload=real)
    assert attachment.title == "hop-dong.pdf"
    assert OfferAttachment.objects.count() == 1


def test_offer_attachment_add_refuses_more_than_10_mb(seller):
    offer = OfferFactory(draft=True, organisation=seller.organisations.get())
    big = SimpleUploadedFile("lon.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "application/pdf")

    with pytest.raises(ApplicationError) as error:
        services.offer_attachment_add(offer=offer, actor=seller, upload=big)

    assert list(error.value.extra["fields"]) == ["file"]


def test_offer_media_of_another_organisation_is_refused(outsider):
    offer = OfferFactory(draft=True)

    with pytest.raises(ApplicationError) as error:
        services.offer_image_add(offer=offer, actor=outsider, upload=_image())

    assert error.value.status == 403
