from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

IMAGE_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}


@deconstructible
class MaxFileSizeValidator:
    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes

    def __call__(self, upload) -> None:
        if upload is not None and upload.size > self.max_bytes:
            raise ValidationError(
                _("The file is %(size)s; the largest allowed is %(limit)s."),
                code="file_too_large",
                params={
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(self.max_bytes),
                },
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, MaxFileSizeValidator) and other.max_bytes == self.max_bytes


@deconstructible
class ImageFormatValidator:
    """Checks the bytes, not the file name: the picture must open as JPEG, PNG or WebP."""

    def __init__(self, formats: tuple[str, ...] = ("JPEG", "PNG", "WEBP")):
        self.formats = tuple(formats)

    def __call__(self, upload) -> None:
        if upload is None:
            return
        try:
            position = upload.tell() if hasattr(upload, "tell") else 0
            upload.seek(0)
            with Image.open(upload) as image:
                image_format = image.format
                image.verify()
            upload.seek(position)
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            image_format = None
        if image_format not in self.formats:
            raise ValidationError(
                _("Upload a picture in one of these formats: %(formats)s."),
                code="invalid_image_type",
                params={"formats": ", ".join(IMAGE_FORMATS.get(f, f) for f in self.formats)},
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, ImageFormatValidator) and other.formats == self.formats


LOGO_MAX_BYTES = 2 * 1024 * 1024
logo_validators = [MaxFileSizeValidator(LOGO_MAX_BYTES), ImageFormatValidator()]
