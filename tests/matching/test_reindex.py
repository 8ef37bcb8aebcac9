"""Re-indexing every listing (after a lexicon change): same rows whatever the batching and the
number of worker processes, unpublished rows dropped, and safe while the site serves."""

import threading

import pytest
from django.db import connection

from marketplace.taxonomy import ListingStatus, Sector
from matching import runtime, services
from matching.models import ListingFeatures
from tests.matching.factories import OfferFactory, RequestFactory, indexed_offer, indexed_request

TITLES = [
    ("Máy sấy lúa tháp tuần hoàn đốt trấu 12 tấn/mẻ", Sector.POST_HARVEST),
    ("Hệ thống biogas xử lý nước thải chuồng heo", Sector.ENVIRONMENT),
    ("Giống cỏ lai chịu hạn cho bò sữa", Sector.LIVESTOCK),
    ("Reverse osmosis water filter for shrimp ponds", Sector.AQUACULTURE),
    ("Phần mềm kế toán cho hợp tác xã", Sector.ICT),
    ("Máy cắt plasma CNC cho xưởng cơ khí", Sector.MECHANICAL),
    ("Chế phẩm vi sinh xử lý đáy ao nuôi tôm", Sector.AQUACULTURE),
]


def _listings():
    """Offers and requests, some indexed already, some published without a row (imported
    with signals off), one draft that still has a stale published row."""
    offers, requests = [], []
    for n, (title, sector) in enumerate(TITLES):
        make_offer = indexed_offer if n % 2 else OfferFactory
        make_request = indexed_request if n % 3 else RequestFactory
        offers.append(
            make_offer(title=title, description=f"{title}. {title.lower()}", sector=sector)
        )
        requests.append(
            make_request(title=f"Cần {title.lower()}", description=title, sector=sector)
        )
    draft = indexed_offer(title="Máy sấy lúa mini", description="sấy lúa")
    OfferFactory._meta.model.objects.filter(pk=draft.pk).update(status=ListingStatus.DRAFT)
    return offers, requests, draft


def _rows() -> dict:
    return {
        ("offer" if row.offer_id else "request", row.listing_id): (
            row.is_published,
            row.features,
            row.surface,
        )
        for row in ListingFeatures.objects.all()
    }


def _expected(listings) -> dict:
    """What indexing each listing on its own stores."""
    out = {}
    for listing in listings:
        features = services.listing_featurize(listing=listing)
        out[(listing.kind, listing.pk)] = (True, runtime.stored(features), features.surface)
    return out


@pytest.mark.django_db
@pytest.mark.parametrize(("workers", "batch"), [(1, 500), (1, 2), (2, 3)])
def test_reindex_stores_every_published_listing_and_drops_the_rest(workers, batch):
    offers, requests, draft = _listings()
    assert ListingFeatures.objects.filter(offer=draft).exists()
    count = services.listings_reindex_all(workers=workers, batch=batch)
    assert count == len(offers) + len(requests)
    assert _rows() == _expected([*offers, *requests])
    assert not ListingFeatures.objects.filter(offer=draft).exists()


@pytest.mark.django_db
def test_reindex_with_worker_processes_gives_the_rows_of_one_process():
    _listings()
    services.listings_reindex_all(workers=1, batch=4)
    one_process = _rows()
    ListingFeatures.objects.all().delete()
    services.listings_reindex_all(workers=2, batch=2)
    assert _rows() == one_process


@pytest.mark.django_db
def test_reindex_leaves_rows_indexed_after_their_batch_was_read(monkeypatch):
    """A listing archived while the re-index runs keeps its unpublished row: the re-index read
    it before, and must not put back its published features."""
    offers, requests, _draft = _listings()
    archived = offers[1]
    record = services.listing_record

    def record_then_archive(listing):
        out = record(listing)
        if listing.kind == "offer" and listing.pk == archived.pk:
            type(listing).objects.filter(pk=listing.pk).update(status=ListingStatus.ARCHIVED)
            archived.refresh_from_db()
            services.listing_index(listing=archived)
        return out

    monkeypatch.setattr(services, "listing_record", record_then_archive)
    services.listings_reindex_all(workers=1, batch=3)
    row = ListingFeatures.objects.get(offer=archived)
    assert (row.is_published, row.features) == (False, {})
    others = [o for o in offers if o.pk != archived.pk]
    assert ListingFeatures.objects.filter(offer__in=others, is_published=True).count() == len(
        others
    )


@pytest.mark.django_db
def test_readers_never_see_fewer_indexed_listings_during_a_reindex(monkeypatch):
    offers, requests, _draft = _listings()
    services.listings_reindex_all(workers=1)
    indexed = ListingFeatures.objects.filter(is_published=True).count()
    assert indexed == len(offers) + len(requests)
    seen = []
    write = services._reindex_write

    def write_and_look(*args):
        seen.append(ListingFeatures.objects.filter(is_published=True).count())
        write(*args)
        seen.append(ListingFeatures.objects.filter(is_published=True).count())

    monkeypatch.setattr(services, "_reindex_write", write_and_look)
    services.listings_reindex_all(workers=1, batch=2)
    assert len(seen) > 4
    assert set(seen) == {indexed}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_another_connection_sees_a_full_index_throughout_a_reindex():
    offers, requests, _draft = _listings()
    services.listings_reindex_all(workers=1)
    indexed = len(offers) + len(requests)
    counts: list[int] = []
    done = threading.Event()

    def reader():
        try:
            while not done.is_set():
                counts.append(ListingFeatures.objects.filter(is_published=True).count())
        finally:
            connection.close()

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for _ in range(3):
            services.listings_reindex_all(workers=2, batch=2)
    finally:
        done.set()
        thread.join()
    assert counts and set(counts) == {indexed}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_reindexes_at_once_both_finish_with_the_same_rows():
    offers, requests, _draft = _listings()
    expected = _expected([*offers, *requests])
    errors = []
    barrier = threading.Barrier(2)

    def reindex(batch):
        try:
            barrier.wait()
            services.listings_reindex_all(workers=1, batch=batch)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=reindex, args=(batch,)) for batch in (2, 3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert _rows() == expected
