"""Turning a listing (exchange-format dict) into weighted features, once, at indexing time.

Feature names carry their class as a prefix:
  u:<key>         folded unigram            b:<k1>_<k2>   folded syllable bigram
  a:<marked>      accented unigram (only when written with diacritics)
  c:<concept>     lexicon concept
Every field contributes with its weight (title > keywords > summary > description).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .lexicon import Lexicon
from .text import Token, fold, tokenize

FIELD_WEIGHTS: dict[str, float] = {
    "title": 3.0,
    "keywords": 2.5,
    "summary": 1.5,
    "description": 1.0,
}
META_FIELDS = (
    "kind",
    "external_id",
    "language",
    "title",
    "sector",
    "province",
    "trl",
    "price_vnd",
    "budget_vnd",
    "owner_type",
)


@dataclass(slots=True)
class Features:
    terms: dict[str, float] = field(default_factory=dict)
    length: float = 0.0
    surface: dict[str, str] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    # Weight of each literal term that sat inside a lexicon phrase: when the listing is a
    # query, such words are already carried by the phrase's concept.
    covered: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "terms": self.terms,
            "length": self.length,
            "surface": self.surface,
            "meta": self.meta,
            "covered": self.covered,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Features:
        return cls(
            terms=dict(data.get("terms", {})),
            length=float(data.get("length", 0.0)),
            surface=dict(data.get("surface", {})),
            meta=dict(data.get("meta", {})),
            covered=dict(data.get("covered", {})),
        )


def _field_tokens(listing: dict[str, Any], name: str) -> list[Token]:
    value = listing.get(name)
    if name == "keywords":
        tokens: list[Token] = []
        offset = 0
        for keyword in value or []:
            # Each keyword is its own clause: no bigram across two keywords.
            kw_tokens = tokenize(str(keyword))
            tokens.extend(
                Token(t.word, t.key, t.marked, t.stop, t.clause + offset) for t in kw_tokens
            )
            offset += 1000
        return tokens
    return tokenize(value if isinstance(value, str) else None)


def listing_meta(listing: dict[str, Any]) -> dict[str, Any]:
    owner = listing.get("owner") or {}
    meta = {name: listing.get(name) for name in META_FIELDS if name != "owner_type"}
    meta["owner_type"] = listing.get("owner_type") or (
        owner.get("type") if isinstance(owner, dict) else None
    )
    meta["language"] = meta.get("language") or "vi"
    return meta


def _add(features: Features, name: str, weight: float, surface: str | None = None) -> None:
    features.terms[name] = features.terms.get(name, 0.0) + weight
    if surface is not None:
        # The first surface (from the weightiest field) wins, except that the same words
        # written with diacritics replace a bare spelling: they read better.
        known = features.surface.get(name)
        if known is None or (known == fold(known) and surface != known and fold(surface) == known):
            features.surface[name] = surface


def listing_features(listing: dict[str, Any], lexicon: Lexicon) -> Features:
    features = Features(meta=listing_meta(listing))
    # `_add` inlined: it runs a thousand times a listing.
    terms = features.terms
    surfaces = features.surface
    covered = features.covered
    for name, weight in FIELD_WEIGHTS.items():
        tokens = _field_tokens(listing, name)
        if not tokens:
            continue
        content = 0
        previous: Token | None = None
        hits = lexicon.find(tokens)
        inside: set[int] = set()
        for hit in hits:
            name = "c:" + hit.concept
            terms[name] = terms.get(name, 0.0) + weight
            known = surfaces.get(name)
            shown = hit.surface
            if known is None:
                surfaces[name] = shown
            elif shown != known and known == fold(known) and fold(shown) == known:
                surfaces[name] = shown
            if hit.end - hit.start > 1:
                inside.update(range(hit.start, hit.end))
            else:
                inside.add(hit.start)
        for position, tok in enumerate(tokens):
            if tok.stop:
                previous = None
                continue
            content += 1
            key = tok.key
            word = tok.word
            name = "u:" + key
            terms[name] = terms.get(name, 0.0) + weight
            known = surfaces.get(name)
            if known is None:
                surfaces[name] = word
            elif word != known and known == fold(known) and fold(word) == known:
                surfaces[name] = word
            if position in inside:
                covered[name] = covered.get(name, 0.0) + weight
            if tok.marked != key:  # tok.has_marks
                name = "a:" + tok.marked
                terms[name] = terms.get(name, 0.0) + weight
            if previous is not None and previous.clause == tok.clause:
                name = f"b:{previous.key}_{key}"
                terms[name] = terms.get(name, 0.0) + weight
                shown = f"{previous.word} {word}"
                known = surfaces.get(name)
                if known is None:
                    surfaces[name] = shown
                elif shown != known and known == fold(known) and fold(shown) == known:
                    surfaces[name] = shown
                if position in inside and position - 1 in inside:
                    covered[name] = covered.get(name, 0.0) + weight
            previous = tok
        features.length += weight * content
    return features
