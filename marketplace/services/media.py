"""Pictures and documents of an offer. Thumbnails are made here with Pillow, at upload."""

from io import BytesIO
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

from accounts.errors import ApplicationError
from accounts.models import User

from .. import permissions
from ..models import Offer, OfferAttachment, OfferImage
from ..taxonomy import MAX_IMAGES, THUMBNAIL_SIZE
from .common import full_clean, not_allowed
from .listings import listing_content_touched


def _thumbnail(upload) -> ContentFile:
    upload.seek(0)
    with Image.open(upload) as image:
        image = ImageOps.exif_transpose(image)
        image = image.convert("RGB")
        image.thumbnail(THUMBNAIL_SIZE)
        buffer = BytesIO()
        image.save(buffer, format="JPEG", quality=82, optimize=True)
    upload.seek(0)
    return ContentFile(buffer.getvalue())


def offer_image_thumbnail(*, image: OfferImage, upload=None) -> None:
    """(Re)make the thumbnail of an image; the caller saves the row."""
    upload = upload or image.image.file
    stem = PurePath(image.image.name).stem[:80] or "image"
    image.thumbnail.save(f"{stem}-thumb.jpg", _thumbnail(upload), save=False)


def _locked_offer(offer: Offer, actor: User) -> Offer:
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if not permissions.can_edit_listing(actor, offer):
        raise not_allowed()
    return offer


@transaction.atomic
def offer_image_add(*, offer: Offer, actor: User, upload) -> OfferImage:
    offer = _locked_offer(offer, actor)
    count = offer.images.count()
    if count >= MAX_IMAGES:
        raise ApplicationError(
            "too_many_images",
            _("An offer can have at most %(count)d images.") % {"count": MAX_IMAGES},
            status=409,
        )
    image = OfferImage(offer=offer, image=upload, position=count)
    full_clean(image, exclude=["thumbnail"])
    offer_image_thumbnail(image=image, upload=upload)
    image.save()
    listing_content_touched(listing=offer)
    return image


@transaction.atomic
def offer_image_remove(*, image: OfferImage, actor: User) -> None:
    offer = _locked_offer(image.offer, actor)
    image.image.delete(save=False)
    image.thumbnail.delete(save=False)
    image.delete()
    listing_content_touched(listing=offer)


@transaction.atomic
def offer_attachment_add(*, offer: Offer, actor: User, upload, title: str = "") -> OfferAttachment:
    offer = _locked_offer(offer, actor)
    attachment = OfferAttachment(offer=offer, file=upload, title=(title or upload.name)[:200])
    full_clean(attachment)
    attachment.save()
    listing_content_touched(listing=offer)
    return attachment


@transaction.atomic
def offer_attachment_remove(*, attachment: OfferAttachment, actor: User) -> None:
    offer = _locked_offer(attachment.offer, actor)
    attachment.file.delete(save=False)
    attachment.delete()
    listing_content_touched(listing=offer)
