import json
import threading
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from marketplace import services, tasks
from marketplace.models import Inquiry, Message, Offer, Request
from marketplace.signals import listing_changed, listing_published
from marketplace.taxonomy import ListingStatus

from .factories import OfferFactory, RequestFactory


@pytest.fixture
def received():
    events = []

    def on_published(sender, listing, **kwargs):
        events.append(("published", sender, listing.external_id))

    def on_changed(sender, listing, **kwargs):
        events.append(("changed", sender, listing.external_id))

    listing_published.connect(on_published, weak=False)
    listing_changed.connect(on_changed, weak=False)
    yield events
    listing_published.disconnect(on_published)
    listing_changed.disconnect(on_changed)


@pytest.mark.django_db
def test_reject_archive_and_renew_send_signals(received, moderator, buyer, buyer_org):
    request = RequestFactory(pending=True, organisation=buyer_org, external_id="R-1")

    services.request_reject(listing=request, moderator=moderator, reason="Thiếu mô tả")
    services.request_submit(listing=request, actor=buyer)
    services.request_publish(listing=request, moderator=moderator)
    services.request_archive(listing=request, actor=buyer)
    services.request_renew(listing=request, actor=buyer)

    assert received == [
        ("changed", Request, "R-1"),
        ("changed", Request, "R-1"),
        ("published", Request, "R-1"),
        ("changed", Request, "R-1"),
        ("published", Request, "R-1"),
    ]


@pytest.mark.django_db
def test_import_sends_published_signal(received, tmp_path):
    line = {
        "kind": "offer",
        "external_id": "IMP-1",
        "title": "Máy",
        "description": "Mô tả",
        "sector": "energy",
        "owner": {"name": "Viện A", "type": "institute"},
    }
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(line, ensure_ascii=False), encoding="utf-8")

    call_command("import_listings", str(path), "--publish", stdout=open("/dev/null", "w"))

    assert received == [("published", Offer, "IMP-1")]


@pytest.mark.django_db
def test_beat_archives_expired_listings_through_the_task(seller_org):
    expired = OfferFactory(
        organisation=seller_org, published_at=timezone.now() - timedelta(days=366)
    )

    assert settings.CELERY_BEAT_SCHEDULE["marketplace-archive-expired-listings"]["task"] == (
        "marketplace.tasks.listings_archive_expired"
    )
    assert tasks.listings_archive_expired.delay().get() == 1
    expired.refresh_from_db()
    assert expired.status == ListingStatus.ARCHIVED


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_inquiry_open_from_two_threads_makes_one_thread(seller_org, buyer, buyer_org):
    offer = OfferFactory(organisation=seller_org)
    barrier = threading.Barrier(2)
    errors = []

    def express(body):
        try:
            barrier.wait()
            services.inquiry_open(listing=offer, actor=buyer, organisation=buyer_org, body=body)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=express, args=(f"tin {i}",)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Inquiry.objects.count() == 1
    assert sorted(Message.objects.values_list("body", flat=True)) == ["tin 0", "tin 1"]
