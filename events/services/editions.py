"""An edition's life: draft → published → registration open → running → finished."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.errors import ApplicationError
from accounts.models import User

from ..models import Edition, EditionStatus
from .booths import ensure_organiser

NEXT_STATUS = {
    EditionStatus.DRAFT: EditionStatus.PUBLISHED,
    EditionStatus.PUBLISHED: EditionStatus.REGISTRATION_OPEN,
    EditionStatus.REGISTRATION_OPEN: EditionStatus.RUNNING,
    EditionStatus.RUNNING: EditionStatus.FINISHED,
}


@transaction.atomic
def edition_advance(*, edition: Edition, organiser: User, expected: str) -> Edition:
    """Move the edition one step on. `expected` is the status the organiser saw, so a double
    click or two organisers at once cannot skip a step."""
    ensure_organiser(user=organiser, edition=edition)
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    if edition.status != expected or edition.status not in NEXT_STATUS:
        raise ApplicationError(
            "status_changed", _("The fair's status has changed meanwhile."), status=409
        )
    edition.status = NEXT_STATUS[edition.status]
    edition.save(update_fields=["status"])
    return edition
