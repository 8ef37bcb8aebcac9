"""Celery tasks: thin, they take ids and call the services."""

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .engine.explain import Reason, render_reasons


@shared_task
def listing_index_task(kind: str, listing_id: int, notify: bool = False) -> bool:
    """Index one listing; for a newly published one, alert: about an offer, the owners of
    matching requests and saved searches on offers; about a request, saved searches on
    requests."""
    from . import services

    model = services.model_for(kind)
    listing = model.objects.select_related("organisation").filter(pk=listing_id).first()
    if listing is None:
        return False
    row = services.listing_index(listing=listing)
    if notify and row.is_published:
        if kind == "offer":
            services.alerts_for_offer(offer=listing)
        else:
            services.alerts_for_request(request=listing)
    return row.is_published


@shared_task
def listings_reindex_task() -> int:
    from . import services

    return services.listings_reindex_all()


def _alert_lines(alerts, language: str) -> list[dict]:
    return [
        {
            "kind": "offer" if alert.offer_id else "request",
            "title": alert.subject.title,
            "offer": alert.offer,
            "request": alert.request,
            "saved_search": alert.saved_search,
            "reasons": render_reasons([Reason(**r) for r in alert.reasons], language),
            "url": settings.SITE_URL.rstrip("/") + alert.subject.get_absolute_url(),
        }
        for alert in alerts
    ]


def _title(alerts) -> str:
    count = len(alerts)
    kinds = {"offer" if alert.offer_id else "request" for alert in alerts}
    if count == 1 and kinds == {"offer"}:
        return _("New offer matching your needs: %(title)s") % {"title": alerts[0].offer.title}
    if count == 1:
        return _("New request matching your saved search: %(title)s") % {
            "title": alerts[0].subject_request.title
        }
    if kinds == {"offer"}:
        text = ngettext(
            "%(count)d new offer matches your needs",
            "%(count)d new offers match your needs",
            count,
        )
    elif kinds == {"request"}:
        text = ngettext(
            "%(count)d new request matches your saved searches",
            "%(count)d new requests match your saved searches",
            count,
        )
    else:
        text = ngettext(
            "%(count)d new offer or request matches what you follow",
            "%(count)d new offers and requests match what you follow",
            count,
        )
    return text % {"count": count}


def _deliver(user, alerts) -> None:
    from . import services

    language = user.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        title = _title(alerts)
        lines = _alert_lines(alerts, language)
        body = render_to_string(
            "matching/email/alert.txt",
            {
                "recipient": user,
                "lines": lines,
                "has_offers": any(line["kind"] == "offer" for line in lines),
                "has_requests": any(line["kind"] == "request" for line in lines),
                "site_url": settings.SITE_URL,
            },
        )
        url = (
            reverse("matching:for_me") if len(alerts) > 1 else alerts[0].subject.get_absolute_url()
        )
        services.notification_create(user=user, title=title, body=body, url=url)
        if user.email:
            subject = f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{title}"
            EmailMessage(subject, body, to=[user.email]).send()


@shared_task
def alert_send_task(alert_id: int) -> bool:
    """Send one immediate alert, once: the row is locked and stamped before anything goes out."""
    from .models import SentAlert

    with transaction.atomic():
        alert = (
            SentAlert.objects.select_for_update(of=("self",))
            .select_related("user", "offer", "subject_request", "request", "saved_search")
            .filter(pk=alert_id, sent_at=None)
            .first()
        )
        if alert is None:
            return False
        alert.sent_at = timezone.now()
        alert.save(update_fields=["sent_at"])
        _deliver(alert.user, [alert])
    return True


@shared_task
def alerts_send_digest_task() -> int:
    """The daily digest: every pending alert, one message per user, each alert once."""
    from .models import AlertFrequency, SentAlert

    sent = 0
    with transaction.atomic():
        pending = list(
            SentAlert.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(sent_at=None, frequency=AlertFrequency.DAILY)
            .select_related("user", "offer", "subject_request", "request", "saved_search")
            .order_by("user_id", "-score", "pk")
        )
        by_user: dict[int, list] = {}
        for alert in pending:
            by_user.setdefault(alert.user_id, []).append(alert)
        now = timezone.now()
        SentAlert.objects.filter(pk__in=[a.pk for a in pending]).update(sent_at=now)
        for alerts in by_user.values():
            _deliver(alerts[0].user, alerts)
            sent += len(alerts)
    return sent
