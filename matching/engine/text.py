"""Text normalisation and tokenising for Vietnamese and English listings.

Every token carries two forms: the folded one (no diacritics, đ→d) that all matching uses, so
"may say lua" meets "máy sấy lúa", and the accented one, kept as an extra, stronger feature where
the writer typed diacritics ("lúa" is rice, "lụa" is silk; both fold to "lua").
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

MAX_FIELD_CHARS = 20_000

_TAG_RE = re.compile(r"<\s*(script|style)\b.*?</\s*\1\s*>|<!--.*?-->|<[^>]{0,2000}>", re.S | re.I)
# A word is a run of letters, digits and combining marks; anything else (emoji, punctuation,
# symbols, other scripts' punctuation) separates words. Hyphens and slashes split as well.
_WORD_RE = re.compile(r"[^\W_]+", re.U)
# Clause boundaries: a bigram never spans one.
_CLAUSE_RE = re.compile(r"[.,;:!?()\[\]{}\"“”‘’/|\n\r\t–—•·…+=<>]+|\s-\s")


def strip_html(text: str) -> str:
    if "<" in text or "&" in text:
        text = _TAG_RE.sub(" ", text)
        text = html.unescape(text)
    return text


def clean(text: str | None, *, lower: bool = True) -> str:
    """NFC, lowercase, without HTML; display-safe but not folded."""
    if not text:
        return ""
    text = str(text)[:MAX_FIELD_CHARS]
    text = unicodedata.normalize("NFC", strip_html(text))
    return text.lower() if lower else text


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """Remove diacritics (đ→d) from an already lowercased word."""
    word = word.replace("đ", "d").replace("Đ", "d")
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def fold_text(text: str | None) -> str:
    return " ".join(fold(w) for w in _WORD_RE.findall(clean(text)))


# Vietnamese syllables never end in s, d, e, g after "in", r or y-clusters like "ies", so this
# light English suffix stripping cannot damage a folded Vietnamese syllable. It is deliberately
# conservative: it only has to make dryers/dryer, farms/farm, treated/treat, cooling/cool meet.
_VOWELS = set("aeiouy")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    if len(word) <= 3 or not word.isascii() or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("sses"):
        return word[:-2]
    if word.endswith("ing") and len(word) > 5:
        base = word[:-3]
        if len(base) > 2 and base[-1] == base[-2] and base[-1] not in "lsz":
            base = base[:-1]
        return base if any(c in _VOWELS for c in base) else word
    if word.endswith("ed") and len(word) > 4:
        base = word[:-2]
        if base.endswith("i"):
            return base[:-1] + "y"
        if len(base) > 2 and base[-1] == base[-2] and base[-1] not in "lsz":
            base = base[:-1]
        return base if any(c in _VOWELS for c in base) else word
    if word.endswith("es") and len(word) > 4 and word[-3] in "sxz":
        return word[:-2]
    if word.endswith("es") and len(word) > 5 and word[-4:-2] in ("ch", "sh"):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


# Function words. Accented Vietnamese forms are unambiguous; for text typed without diacritics
# only folded forms that cannot be a content word in this domain are listed ("co" could be có,
# cỏ (grass) or cơ (as in cơ khí), so it is not a stopword when typed bare).
VI_STOP_ACCENTED = frozenset(
    """
    và của các những một là có được với trong trên dưới đến từ này đó thì mà sẽ đã đang cũng như
    bị rất nhiều ít hoặc nếu vì nên vào lại còn mỗi cần muốn nhưng tại bởi nào gì ai đây kia ấy
    chỉ vẫn đều mới luôn thêm hơn nhất quá lắm chưa chẳng vậy thế bằng về cùng nhau tới xuống
    trước giữa ngoài khác việc người chúng tôi mình họ bạn chị ông bà chú bác nhé ạ à ơi nhờ
    giúp hiện thường rồi hết cả toàn tất rằng hãy đừng nữa đi phải nhằm cụ thể gồm khoảng tức
    thật
    """.split()
)
VI_STOP_FOLDED = frozenset(
    """
    va nhung mot duoc nay thi nhu rat nhieu hoac neu vao theo muon nao kia chi deu them hon nhat
    chang vay the minh nhe xin giup hien roi het toan tat hay nua phai nham tuc that se dang
    """.split()
)
EN_STOP = frozenset(
    """
    a an the and or of to in on for with by at from as is are was were be been being this that
    these those it its we our us you your they their them he she his her i me my not no nor but
    if then than so such can could should would will shall may might must do does did done have
    has had having into onto over under about after before per each every any all some more most
    other also only very just what which who whom whose when where why how up down out off there
    here need needs needed want wants looking look new using use used via while both either
    """.split()
)
STOP_FOLDED_EN = frozenset(stem(w) for w in EN_STOP) | EN_STOP


_TONES = {"\u0300": "2", "\u0301": "1", "\u0303": "4", "\u0309": "3", "\u0323": "5"}


@lru_cache(maxsize=200_000)
def marked(word: str) -> str:
    """Canonical accented form that ignores where the tone mark sits ("hoá" and "hóa", "thuỷ"
    and "thủy" are the same word written in the old and new styles): the syllable with its vowel
    marks (â ă ê ô ơ ư đ) and the tone as a trailing digit."""
    decomposed = unicodedata.normalize("NFD", word)
    tone = ""
    kept = []
    for ch in decomposed:
        if ch in _TONES:
            tone = _TONES[ch]
        else:
            kept.append(ch)
    return unicodedata.normalize("NFC", "".join(kept)) + tone


_STOP_MARKED = frozenset(marked(w) for w in VI_STOP_ACCENTED)


def is_stopword(word: str, folded: str) -> bool:
    if word != folded:
        return marked(word) in _STOP_MARKED
    return folded in VI_STOP_FOLDED or folded in STOP_FOLDED_EN


# Bare syllables too common as function words to stand, alone, for an accented domain word
# ("co" is usually "có", not "cỏ"; "bo" is often "bỏ", not "bò").
AMBIGUOUS_BARE = frozenset(fold(w) for w in VI_STOP_ACCENTED) | VI_STOP_FOLDED | {"bo", "ca"}


class Token(NamedTuple):
    """A word of a field. A named tuple rather than a dataclass: a listing has hundreds of
    tokens and a tuple is several times cheaper to make."""

    word: str  # NFC lowercase as written, for display
    key: str  # folded, lightly stemmed matching key
    marked: str  # canonical accented form (equals key when typed without diacritics)
    stop: bool
    clause: int  # index of the clause the token sits in

    @property
    def has_marks(self) -> bool:
        return self.marked != self.key


def _usable(word: str) -> bool:
    if word.isdigit():
        return False
    if len(word) > 40:
        return False
    if len(word) == 1 and word.isascii():
        return False
    return True


@lru_cache(maxsize=200_000)
def _analyse(written: str) -> tuple[str, str, str, bool] | None:
    """A word as written -> (shown, key, marked, stop), or None when it is not a usable word.
    Listings repeat their words, and the collection its vocabulary: each spelling is worked out
    once per process."""
    word = written.lower()
    if not _usable(word):
        return None
    folded = fold(word)
    if not folded.isascii():
        # Other scripts (Chinese, Thai, Cyrillic ...) are kept as they are.
        key = folded
    else:
        key = stem(folded)
    mark = marked(word) if word != folded else key
    # Acronyms keep their capitals for display (RO, HDPE, CNC, HTX).
    shown = written if len(written) > 1 and written.isupper() else word
    return (shown, key, mark, is_stopword(word, folded))


def tokenize(text: str | None) -> list[Token]:
    """Tokens of one field, in order, with clause numbers so bigrams stay within a clause."""
    cleaned = clean(text, lower=False)
    if not cleaned:
        return []
    out: list[Token] = []
    append = out.append
    for clause_no, clause in enumerate(_CLAUSE_RE.split(cleaned)):
        for written in _WORD_RE.findall(clause):
            analysed = _analyse(written)
            if analysed is not None:
                append(Token(*analysed, clause_no))
    return out


def phrase_key(text: str) -> tuple[str, ...]:
    """Matching key of a lexicon phrase: its folded, stemmed content tokens."""
    return tuple(t.key for t in tokenize(text))
