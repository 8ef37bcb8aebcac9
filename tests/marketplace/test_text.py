import pytest

from marketplace.text import fold, search_terms


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Máy sấy lúa", "may say lua"),
        ("ĐỒNG NAI – Đắk Lắk", "dong nai dak lak"),
        ("Lò đốt trấu PĐ-12, 60–70 kg", "lo dot trau pd 12 60 70 kg"),
        ("Ưu tiên   chế biến", "uu tien che bien"),
        ("", ""),
    ],
)
def test_fold_removes_diacritics_and_punctuation(text, folded):
    assert fold(text) == folded


def test_search_terms_are_distinct_and_longest_first():
    assert search_terms("lúa máy sấy lua") == ["lua", "may", "say"]
    assert search_terms("hệ thống tưới") == ["thong", "tuoi", "he"]
    assert search_terms("thanh long") == ["thanh", "long"]
