"""Writes for saved searches made on the exchange's browse pages and for the in-site
notifications (the bell). Alerting itself stays in services.alerts_for_offer and
services.alerts_for_request, each reading the saved searches of its kind."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.errors import ApplicationError
from accounts.models import User
from accounts.provinces import PROVINCE_NAMES
from marketplace.taxonomy import Sector

from . import selectors
from .models import Notification, SavedSearch, SavedSearchKind


@transaction.atomic
def saved_search_save(
    *,
    user: User,
    query: str,
    sector: str = "",
    province: str = "",
    kind: str = SavedSearchKind.OFFER,
) -> tuple[SavedSearch, bool]:
    """Save a search on `kind` listings (offers or requests) for `user`, or return the one
    they already saved with the same kind, words, sector and province. Returns (search,
    created)."""
    query = selectors.saved_search_normalise(query)
    if not query:
        raise ApplicationError("empty_query", _("Type a few words to search for."))
    kind = kind or SavedSearchKind.OFFER
    if kind not in SavedSearchKind.values:
        raise ApplicationError("invalid_kind", _("Unknown listing kind."))
    sector = sector or ""
    province = province or ""
    if sector and sector not in Sector.values:
        raise ApplicationError("invalid_sector", _("Unknown sector."))
    if province and province not in PROVINCE_NAMES:
        raise ApplicationError("invalid_province", _("Unknown province."))
    # One save at a time per user, so "máy sấy" and "Máy sấy" sent at once cannot both pass the
    # check below (the unique constraint only sees exact strings).
    User.objects.select_for_update().filter(pk=user.pk).first()
    existing = selectors.saved_search_matching(
        user=user, query=query, sector=sector, province=province, kind=kind
    )
    if existing is not None:
        return existing, False
    search = SavedSearch.objects.create(
        user=user, kind=kind, query=query, sector=sector, province=province
    )
    return search, True


@transaction.atomic
def notification_open(*, user: User, notification_id: int) -> Notification:
    """The user follows a notification: it becomes read. Someone else's is a 404."""
    notification = (
        Notification.objects.select_for_update().filter(user=user, pk=notification_id).first()
    )
    if notification is None:
        raise ApplicationError("not_found", _("No such notification."), status=404)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notification_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at=None).update(read_at=timezone.now())
