"""The search runs on both databases: the suite is run on SQLite and on PostgreSQL, where the
migration has added trigram indexes on the same folded columns."""

import pytest
from django.conf import settings
from django.db import connection

from marketplace import selectors
from marketplace.models import Offer, Request
from marketplace.selectors import ListingFilters

from .factories import OfferFactory, RequestFactory

pytestmark = pytest.mark.django_db


def _titles(queryset) -> list[str]:
    return [listing.title for listing in queryset]


def _search(model=Offer, **filters):
    return _titles(selectors.listing_search(model=model, filters=ListingFilters(**filters)))


def test_search_finds_vietnamese_typed_without_diacritics():
    OfferFactory(title="Máy sấy lúa tuần hoàn")
    OfferFactory(title="Máy cấy lúa")

    assert _search(q="may say lua") == ["Máy sấy lúa tuần hoàn"]
    assert _search(q="MÁY SẤY") == ["Máy sấy lúa tuần hoàn"]


def test_search_matches_d_for_dj():
    OfferFactory(title="Đầu dò độ ẩm đất")
    OfferFactory(title="Cảm biến nhiệt")

    assert _search(q="dau do do am") == ["Đầu dò độ ẩm đất"]
    assert _search(q="đầu dò") == ["Đầu dò độ ẩm đất"]


def test_search_ranks_title_hits_before_description_hits():
    OfferFactory(title="Lò hơi công nghiệp", description="Dùng để sấy lúa và cà phê.")
    OfferFactory(title="Máy sấy lúa mini", description="Sấy 2 tấn mỗi mẻ.")
    OfferFactory(title="Băng tải", description="Không liên quan.")

    assert _search(q="say lua") == ["Máy sấy lúa mini", "Lò hơi công nghiệp"]
    assert _search(q="say lua", sort="newest") == ["Máy sấy lúa mini", "Lò hơi công nghiệp"]


def test_search_finds_keywords_and_owner_name(seller_org):
    OfferFactory(title="Thiết bị A", keywords=["thanh long", "bảo quản lạnh"])
    OfferFactory(title="Thiết bị B", organisation=seller_org)

    assert _search(q="bao quan lanh") == ["Thiết bị A"]
    assert _search(q="phu dien") == ["Thiết bị B"]


def test_search_shows_only_published_listings():
    OfferFactory(title="Máy sấy đã đăng")
    OfferFactory(title="Máy sấy nháp", draft=True)
    OfferFactory(title="Máy sấy chờ duyệt", pending=True)

    assert _search(q="may say") == ["Máy sấy đã đăng"]


def test_filters_sector_province_trl_transfer_price_owner_type():
    OfferFactory(
        title="Khớp",
        sector="energy",
        province="can-tho",
        trl=6,
        transfer_types=["licence", "training"],
        price_vnd=300_000_000,
        organisation__type="institute",
    )
    OfferFactory(title="Sai lĩnh vực", sector="ict", province="can-tho", trl=6)
    OfferFactory(title="Sai tỉnh", sector="energy", province="ha-noi", trl=6)
    OfferFactory(title="TRL thấp", sector="energy", province="can-tho", trl=3)
    OfferFactory(title="Giá thỏa thuận", sector="energy", province="can-tho", price_vnd=None)

    assert _search(sector="energy", province="can-tho", trl_min=5, trl_max=7) == [
        "Giá thỏa thuận",
        "Khớp",
    ]
    assert _search(sector="energy", transfer_type="licence") == ["Khớp"]
    assert _search(sector="energy", transfer_type="sale") == []
    assert _search(amount_min=200_000_000, amount_max=400_000_000) == ["Khớp"]
    assert _search(owner_type="institute") == ["Khớp"]


def test_request_filters_use_the_budget():
    RequestFactory(title="Ngân sách lớn", budget_vnd=900_000_000)
    RequestFactory(title="Ngân sách nhỏ", budget_vnd=20_000_000)

    assert _search(model=Request, amount_max=100_000_000) == ["Ngân sách nhỏ"]


def test_search_uses_trigram_index_on_postgresql():
    if not settings.IS_POSTGRES:
        pytest.skip("trigram indexes exist on PostgreSQL only; SQLite scans the folded column")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'marketplace_offer' "
            "AND indexname LIKE '%%trgm' ORDER BY indexname"
        )
        names = [row[0] for row in cursor.fetchall()]
    assert names == [
        "marketplace_offer_search_document_trgm",
        "marketplace_offer_search_title_trgm",
    ]


def test_search_ranks_the_words_together_before_scattered_words():
    OfferFactory(title="Kho lạnh bảo quản trái cây", description="Thanh long vùng Cửu Long.")
    OfferFactory(title="Long não và thanh hao", description="Dược liệu.")
    OfferFactory(title="Máy rửa thanh long", description="Rửa trái sau thu hoạch.")

    assert _search(q="thanh long") == [
        "Máy rửa thanh long",
        "Kho lạnh bảo quản trái cây",
        "Long não và thanh hao",
    ]


def test_search_ignores_the_filler_words_of_a_typed_sentence():
    OfferFactory(title="Máy sấy lúa tuần hoàn")
    OfferFactory(title="Máy cấy lúa")

    assert _search(q="tôi cần tìm máy sấy lúa") == ["Máy sấy lúa tuần hoàn"]
    assert _search(q="toi can tim may say lua cho hop tac xa") == ["Máy sấy lúa tuần hoàn"]


def test_long_query_matching_nothing_word_for_word_shows_the_closest_listings():
    OfferFactory(title="Máy sấy lúa tuần hoàn", description="Đốt trấu, 12 tấn mỗi mẻ.")
    OfferFactory(title="Lò đốt trấu", description="Cấp nhiệt cho máy sấy.")
    OfferFactory(title="Máy cấy lúa", description="Cấy 2 ha mỗi ngày.")

    # No listing holds all eight words; those holding at least half of them are shown, best first.
    assert _search(q="may say lua dot trau bang khi gas") == [
        "Máy sấy lúa tuần hoàn",
        "Lò đốt trấu",
    ]
    # A query of three words or fewer is never relaxed: all of them or nothing.
    assert _search(q="say ca phe") == []
