import datetime

import pytest
from django.utils import timezone

from marketplace import selectors

from .factories import DealFactory, InquiryFactory, OfferFactory, RequestFactory

pytestmark = pytest.mark.django_db


def _at(year, month, day=15):
    return timezone.make_aware(datetime.datetime(year, month, day, 10, 0))


def test_dashboard_counts_by_month_sector_and_province():
    OfferFactory(published_at=_at(2026, 2), sector="energy", province="can-tho")
    OfferFactory(published_at=_at(2026, 2), sector="energy", province="ha-noi")
    OfferFactory(published_at=_at(2025, 2), sector="energy", province="can-tho")
    OfferFactory(draft=True, sector="energy")
    RequestFactory(published_at=_at(2026, 3), sector="ict", province="can-tho")
    inquiry = InquiryFactory(offer=OfferFactory(published_at=_at(2026, 4), sector="ict"))
    DealFactory(
        inquiry=inquiry,
        value_vnd=500,
        signed_on=datetime.date(2026, 4, 2),
        sector="ict",
        province="can-tho",
    )
    DealFactory(
        inquiry=InquiryFactory(offer=OfferFactory(published_at=_at(2025, 5))),
        signed_on=datetime.date(2026, 4, 3),
        confirmed_at=None,
        sector="ict",
    )

    data = selectors.dashboard(year=2026)

    months = {
        row.key: (row.offers, row.requests, row.deals, row.deal_value) for row in data.by_month
    }
    assert months["2"] == (2, 0, 0, 0)
    assert months["3"] == (0, 1, 0, 0)
    assert months["4"] == (1, 0, 1, 500)
    sectors = {row.key: (row.offers, row.requests, row.deals) for row in data.by_sector}
    assert sectors["energy"] == (2, 0, 0)
    assert sectors["ict"] == (1, 1, 1)
    provinces = [(row.key, row.offers, row.requests, row.deals) for row in data.by_province]
    assert provinces == [("ha-noi", 1, 0, 0), ("can-tho", 1, 1, 1), ("dong-nai", 1, 0, 0)]
    assert (data.totals.offers, data.totals.deals, data.totals.deal_value) == (3, 1, 500)


def test_indicators_compare_each_year_with_the_previous_one():
    DealFactory(type="licence", value_vnd=100, signed_on=datetime.date(2024, 1, 1))
    DealFactory(type="licence", value_vnd=15, signed_on=datetime.date(2025, 1, 1))
    DealFactory(type="joint_venture", value_vnd=15, signed_on=datetime.date(2025, 6, 1))
    DealFactory(type="training", value_vnd=80, signed_on=datetime.date(2025, 7, 1))

    first, second = selectors.indicators_by_year()

    assert (first.year, first.value, first.growth_percent) == (2024, 100, None)
    assert (second.year, second.value, second.growth_percent, second.growth_met) == (
        2025,
        110,
        10.0,
        True,
    )
    assert (second.ip_share_percent, second.ip_share_met) == (13.6, True)
    assert (second.technology_share_percent, second.technology_share_met) == (27.3, False)
