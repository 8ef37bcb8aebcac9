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


def search_terms(query: str, *, limit: int = 8) -> list[str]:
    """The distinct folded words of a query, longest first (the most selective filter first)."""
    words = dict.fromkeys(fold(query).split())
    return sorted(words, key=len, reverse=True)[:limit]
