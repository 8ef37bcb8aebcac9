import json
from io import StringIO

import pytest
from django.core.management.color import no_style

from accounts import demo as accounts_demo
from marketplace import demo, selectors
from marketplace.models import Deal, Expert, Inquiry, Intermediary, Message, Offer, Request
from marketplace.selectors import ListingFilters
from marketplace.taxonomy import ListingStatus, Sector

pytestmark = pytest.mark.django_db


def _seed():
    out = StringIO()
    accounts_demo.seed(stdout=out, style=no_style())
    demo.seed(stdout=out, style=no_style())
    return out.getvalue()


def _counts():
    return [
        Offer.objects.count(),
        Request.objects.count(),
        Inquiry.objects.count(),
        Message.objects.count(),
        Deal.objects.count(),
        Expert.objects.count(),
        Intermediary.objects.count(),
    ]


def test_demo_fixture_covers_every_sector_in_both_languages():
    records = [json.loads(line) for line in demo.FIXTURE.read_text("utf-8").splitlines()]

    assert [sum(r["kind"] == kind for r in records) for kind in ("offer", "request")] == [32, 15]
    assert {r["sector"] for r in records} == set(Sector.values)
    assert {r["language"] for r in records} == {"vi", "en"}


def test_demo_seed_is_idempotent_and_published():
    _seed()
    first = _counts()
    _seed()

    assert _counts() == first == [32, 15, 10, 16, 8, 6, 4]
    assert set(Offer.objects.values_list("status", flat=True)) == {ListingStatus.PUBLISHED}
    assert Deal.objects.filter(confirmed_at__isnull=False).count() == 7


def test_demo_listing_found_typed_without_diacritics():
    _seed()

    found = selectors.listing_search(model=Offer, filters=ListingFilters(q="may say lua"))

    assert [offer.external_id for offer in found] == ["DEMO-O-001"]


def test_demo_listings_belong_to_demo_organisations():
    _seed()

    offer = Offer.objects.get(external_id="DEMO-O-001")
    assert offer.organisation.slug == "cong-ty-co-khi-dong-nai"
    assert offer.contact_person.email == "doanhnghiep@techmart.vn"
