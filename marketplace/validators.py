from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _


@deconstructible
class PdfMagicValidator:
    """Checks the bytes, not the name: a PDF starts with %PDF-."""

    def __call__(self, upload) -> None:
        if upload is None:
            return
        position = upload.tell() if hasattr(upload, "tell") else 0
        upload.seek(0)
        head = upload.read(5)
        upload.seek(position)
        if head != b"%PDF-":
            raise ValidationError(_("Upload a PDF document."), code="invalid_pdf")

    def __eq__(self, other) -> bool:
        return isinstance(other, PdfMagicValidator)
