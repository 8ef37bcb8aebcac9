"""Folding of Vietnamese text for search: "Máy sấy lúa" and "may say lua" fold alike."""

import re
import unicodedata

_NOT_WORD = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Lowercase ASCII words separated by single spaces: diacritics removed, đ → d,
    punctuation → space. The original text is kept for display; this is only for matching."""
    if not text:
        return ""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NOT_WORD.sub(" ", stripped.lower()).strip()


# Words that carry no subject in a query typed as a sentence ("tôi cần tìm máy sấy lúa cho
# hợp tác xã"), folded. Only dropped when the query has other words.
QUERY_STOPWORDS = frozenset(
    """
    toi chung minh em anh chi ban can tim kiem muon hoi xin nho giup mot cac nhung cho cua va
    la de o tai voi nhu nao gi ai khi thi ma nay do duoc bi rat qua cung hay hoac ve tu den
    dang se da thi vay sao lam the nha
    i we you need want looking for find a an the of to in on with and or please my our
    """.split()
)


def search_terms(query: str, *, limit: int = 8) -> list[str]:
    """The distinct folded words of a query, longest first (the most selective filter first),
    without the sentence's filler words when it has words of substance."""
    words = list(dict.fromkeys(fold(query).split()))
    meaningful = [word for word in words if word not in QUERY_STOPWORDS]
    return sorted(meaningful or words, key=len, reverse=True)[:limit]


def relaxed_minimum(term_count: int) -> int:
    """How many of a long query's words a listing must hold when none holds them all: a farmer's
    sentence rarely matches a listing word for word."""
    return max(2, -(-term_count // 2))
