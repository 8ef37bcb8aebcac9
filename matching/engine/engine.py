"""The matching engine: text relevance (BM25F over folded words, syllable bigrams, accented
words and lexicon concepts, with problem -> solution expansion) times a soft structured
compatibility (sector affinity, price vs budget, readiness, language, place)."""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .explain import Reason
from .features import Features, listing_features
from .index import InvertedIndex
from .lexicon import LEXICON_DIR, Lexicon
from .text import fold, phrase_key

# Relative weight of each feature class in a query. Literal words count most; an accented word
# adds a little where both sides wrote diacritics; a lexicon concept (synonym or translation)
# counts less than the literal word; a problem -> solution link less still.
CLASS_WEIGHTS = {"u": 1.0, "b": 1.0, "a": 0.3, "c": 1.0}
COVERED_DISCOUNT = 0.5
LINK_WEIGHT = 0.45
MIN_TEXT_SCORE = 0.015
# A listing in the other language can only meet the query through lexicon concepts (there are
# no shared literal words), so its concept score is raised by half to compete fairly.
CROSS_LANGUAGE_BOOST = 0.5
CANDIDATES = 100

# Owner types that buy technology to use it (need it proven), as opposed to research partners.
NEEDS_PROVEN = {"farmer", "cooperative", "individual", "sme", "enterprise", "agency"}
TRL_NEEDED = 7
DEFAULT_AFFINITY = 0.3


SurfaceLoader = Callable[[str, list[Hashable]], dict[Hashable, dict[str, str]]]


@dataclass(slots=True)
class Match:
    key: Hashable
    score: float
    text_score: float
    reasons: list[Reason] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)


def read_affinity(path: Path) -> dict[tuple[str, str], float]:
    table: dict[tuple[str, str], float] = {}
    explicit: set[tuple[str, str]] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        a, b, value = (part.strip() for part in line.split("\t"))
        table[(a, b)] = float(value)
        explicit.add((a, b))
        if (b, a) not in explicit:
            table[(b, a)] = float(value)
    return table


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    return Lexicon.from_files(LEXICON_DIR)


@lru_cache(maxsize=1)
def default_affinity() -> dict[tuple[str, str], float]:
    return read_affinity(LEXICON_DIR / "sector_affinity.tsv")


def _folded(text: str) -> str:
    return fold(text.lower())


def _province_code(value: str | None) -> str | None:
    if not value:
        return None
    from accounts.provinces import province_code

    return province_code(value)


def _same_region(a: str, b: str) -> bool:
    from accounts.provinces import same_region

    return bool(same_region(a, b))


class MatchingEngine:
    def __init__(
        self,
        lexicon: Lexicon | None = None,
        affinity: dict[tuple[str, str], float] | None = None,
        *,
        keep_surface: bool = True,
        surface_loader: SurfaceLoader | None = None,
    ) -> None:
        """`keep_surface=False` with a `surface_loader` keeps the words' display forms out of
        memory and asks the loader for them when a suggestion is explained."""
        self.lexicon = lexicon or default_lexicon()
        self.affinity = affinity if affinity is not None else default_affinity()
        self.surface_loader = surface_loader
        self.indexes: dict[str, InvertedIndex] = {
            "offer": InvertedIndex(keep_surface=keep_surface),
            "request": InvertedIndex(keep_surface=keep_surface),
        }

    def _with_surfaces(self, kind: str, docs: dict[Hashable, Features]) -> None:
        missing = [key for key, doc in docs.items() if not doc.surface]
        if missing and self.surface_loader is not None:
            for key, surface in self.surface_loader(kind, missing).items():
                if key in docs:
                    docs[key].surface = surface

    def indexed_features(self, kind: str, key: Hashable) -> Features | None:
        """An indexed listing's features with their display forms (for use as a query)."""
        features = self.indexes[kind].features(key)
        if features is not None:
            self._with_surfaces(kind, {key: features})
        return features

    # -- indexing -----------------------------------------------------------------------------
    def featurize(self, listing: dict[str, Any]) -> Features:
        return listing_features(listing, self.lexicon)

    def add(self, listing: dict[str, Any], key: Hashable | None = None) -> Features:
        features = self.featurize(listing)
        self.add_features(listing["kind"], key or listing["external_id"], features)
        return features

    def add_features(
        self, kind: str, key: Hashable, features: Features, *, exclusive: bool = True
    ) -> None:
        """Index a listing; with `exclusive` the key leaves the other kind's index (external ids
        are unique across kinds; database ids are not, so the database layer passes False)."""
        if exclusive:
            for other_kind, index in self.indexes.items():
                if other_kind != kind:
                    index.remove(key)
        self.indexes[kind].add(key, features)

    def remove(self, kind: str, key: Hashable) -> bool:
        return self.indexes[kind].remove(key)

    def features(self, kind: str, key: Hashable) -> Features | None:
        return self.indexes[kind].features(key)

    # -- queries ------------------------------------------------------------------------------
    def query_vector(self, features: Features) -> tuple[dict[str, float], dict[str, str]]:
        """Query weights, and for each link-expanded concept the query concept it came from."""
        query: dict[str, float] = {}
        concepts = []
        for term, tf in features.terms.items():
            weight = CLASS_WEIGHTS.get(term[0], 1.0) * math.log1p(tf)
            covered = features.covered.get(term)
            if covered:
                # A word inside a lexicon phrase is already carried by the phrase's concept,
                # which also meets synonyms and translations; its literal match adds less.
                weight *= 1.0 - COVERED_DISCOUNT * min(1.0, covered / tf)
            query[term] = weight
            if term.startswith("c:"):
                concepts.append(term[2:])
        sources: dict[str, tuple[str, ...]] = {}
        for cid, (weight, source) in self.lexicon.expand(concepts).items():
            term = "c:" + cid
            strength = min(features.terms.get("c:" + c, 1.0) for c in source)
            value = LINK_WEIGHT * weight * math.log1p(strength)
            if value > query.get(term, 0.0):
                query[term] = value
                sources[term] = tuple("c:" + c for c in source)
        return query, sources

    def offers_for_request(self, key: Hashable, *, limit: int = 10, **kw: Any) -> list[Match]:
        features = self.indexed_features("request", key)
        if features is None:
            return []
        return self.match(features, "offer", limit=limit, **kw)

    def requests_for_offer(self, key: Hashable, *, limit: int = 10, **kw: Any) -> list[Match]:
        features = self.indexed_features("offer", key)
        if features is None:
            return []
        return self.match(features, "request", limit=limit, **kw)

    def similar_offers(self, key: Hashable, *, limit: int = 10, **kw: Any) -> list[Match]:
        features = self.indexed_features("offer", key)
        if features is None:
            return []
        exclude = set(kw.pop("exclude", ())) | {key}
        return self.match(features, "offer", limit=limit, exclude=exclude, **kw)

    def match(
        self,
        features: Features,
        target_kind: str,
        *,
        limit: int = 10,
        exclude: Iterable[Hashable] = (),
        min_score: float = MIN_TEXT_SCORE,
        explain: bool = True,
    ) -> list[Match]:
        index = self.indexes[target_kind]
        query, sources = self.query_vector(features)
        candidates = index.score(
            query,
            top=max(CANDIDATES, limit * 3),
            exclude=exclude,
            language=features.meta.get("language") or "vi",
            cross_language_boost=CROSS_LANGUAGE_BOOST,
        )
        results: list[Match] = []
        for key, text_score in candidates:
            if text_score < min_score:
                continue
            meta = index.meta(key)
            if meta is None:
                continue
            factor, reasons = self.compatibility(features.meta, meta)
            results.append(Match(key, text_score * factor, text_score, reasons, meta))
        results.sort(key=lambda m: (-m.score, str(m.key)))
        results = results[:limit]
        if explain and results:
            self.explain(target_kind, [(features, results)])
        return results

    def explain(self, target_kind: str, batches: list[tuple[Features, list[Match]]]) -> None:
        """Put the text reasons in front of the matches' reasons, for several queries at once
        (the display forms of all suggested listings are loaded in one go)."""
        index = self.indexes[target_kind]
        docs = {m.key: index.features(m.key) for _q, matches in batches for m in matches}
        docs = {k: d for k, d in docs.items() if d is not None}
        self._with_surfaces(target_kind, docs)  # type: ignore[arg-type]
        for features, matches in batches:
            query, sources = self.query_vector(features)
            for match in matches:
                doc = docs.get(match.key)
                if doc is not None:
                    match.reasons = (
                        self.text_reasons(index, query, sources, features, doc) + match.reasons
                    )

    def pair_score(self, features: Features, target_kind: str, key: Hashable) -> Match | None:
        """The match of one indexed listing for a query, as `match` would rank it."""
        index = self.indexes[target_kind]
        doc = index.features(key)
        if doc is None:
            return None
        self._with_surfaces(target_kind, {key: doc})
        query, sources = self.query_vector(features)
        text = index.score_one(
            query,
            key,
            language=features.meta.get("language") or "vi",
            cross_language_boost=CROSS_LANGUAGE_BOOST,
        )
        factor, reasons = self.compatibility(features.meta, doc.meta)
        reasons = self.text_reasons(index, query, sources, features, doc) + reasons
        return Match(key, text * factor, text, reasons, doc.meta)

    # -- structured compatibility --------------------------------------------------------------
    def compatibility(
        self, query_meta: dict[str, Any], doc_meta: dict[str, Any]
    ) -> tuple[float, list[Reason]]:
        """A multiplier around 1 and the reasons behind it. Soft: nothing is filtered out."""
        factor = 1.0
        reasons: list[Reason] = []
        q_kind, d_kind = query_meta.get("kind"), doc_meta.get("kind")
        if q_kind == "request" and d_kind == "offer":
            request, offer = query_meta, doc_meta
        elif q_kind == "offer" and d_kind == "request":
            request, offer = doc_meta, query_meta
        else:
            request, offer = None, None

        q_sector, d_sector = query_meta.get("sector"), doc_meta.get("sector")
        if q_sector and d_sector and q_sector != d_sector:
            pair = (request or query_meta).get("sector"), (offer or doc_meta).get("sector")
            affinity = self.affinity.get(pair, DEFAULT_AFFINITY)  # type: ignore[arg-type]
            factor *= 0.85 + 0.15 * affinity

        if request is not None and offer is not None:
            price, budget = offer.get("price_vnd"), request.get("budget_vnd")
            if price and budget:
                if price <= budget:
                    reasons.append(Reason("within_budget", {"price": price, "budget": budget}))
                else:
                    ratio = price / budget
                    factor *= max(0.55, 1.0 / (1.0 + 0.3 * (ratio - 1.0)))
                    reasons.append(Reason("over_budget", {"ratio": round(ratio, 1)}))
            trl = offer.get("trl")
            if trl:
                if request.get("owner_type") in NEEDS_PROVEN and trl < TRL_NEEDED:
                    factor *= max(0.6, 0.85 - 0.05 * (TRL_NEEDED - 1 - trl))
                    reasons.append(Reason("trl_low", {"trl": trl}))
                elif trl >= 9:
                    reasons.append(Reason("trl_ready", {"trl": trl}))
                elif trl >= 7:
                    reasons.append(Reason("trl_proven", {"trl": trl}))
                else:
                    reasons.append(Reason("trl_low", {"trl": trl}))

        if (query_meta.get("language") or "vi") != (doc_meta.get("language") or "vi"):
            factor *= 0.97

        q_prov = _province_code(query_meta.get("province"))
        d_prov = _province_code(doc_meta.get("province"))
        if q_prov and d_prov:
            if q_prov == d_prov:
                factor *= 1.04
                reasons.insert(0, Reason("same_province", {"province": d_prov}))
            elif _same_region(q_prov, d_prov):
                factor *= 1.02
                reasons.insert(0, Reason("same_region", {"province": d_prov}))
        return factor, reasons

    # -- explanations --------------------------------------------------------------------------
    def text_reasons(
        self,
        index: InvertedIndex,
        query: dict[str, float],
        sources: dict[str, tuple[str, ...]],
        q: Features,
        doc: Features,
        *,
        max_terms: int = 4,
        max_related: int = 2,
    ) -> list[Reason]:
        """ "Matches: ..." with the words both sides share, then up to two synonyms,
        translations or problem -> solution links that brought the listings together."""
        literal: list[tuple[float, int, str, str]] = []
        related: list[tuple[float, str]] = []
        for term, weight in query.items():
            if term[0] == "a" or term not in doc.terms:
                continue
            contribution = index.term_score(term, weight, doc)
            if contribution <= 0:
                continue
            d_surface = doc.surface.get(term, term[2:])
            if term[0] == "c":
                q_surface = q.surface.get(term)
                if term not in sources and q_surface and _folded(q_surface) == _folded(d_surface):
                    literal.append((contribution, 0, term, d_surface))  # the same words
                else:
                    related.append((contribution, term))
            elif term[0] == "b":
                literal.append((contribution, 1, term, d_surface))
            elif len(term) > 4:  # a lone syllable of one or two letters explains nothing
                literal.append((contribution, 2, term, d_surface))
        reasons: list[Reason] = []
        shown: list[str] = []
        shown_words: set[str] = set()
        if literal:
            best = max(c for c, *_ in literal)
            # A syllable of a shared two-word phrase says nothing alone ("thống" of "hệ thống").
            in_phrases = {
                part
                for _c, _r, term, _s in literal
                if term[0] == "b"
                for part in term[2:].split("_")
            }
            literal = [x for x in literal if not (x[2][0] == "u" and x[2][2:] in in_phrases)]
            # Phrases before single words (a phrase reads better than its syllables).
            literal.sort(key=lambda x: (x[1] == 2, -len(x[3].split()), -x[0], x[2]))
            for contribution, _rank, _term, surface in literal:
                if contribution < 0.2 * best:
                    continue
                words = set(_folded(surface).split())
                if words & shown_words:
                    continue
                shown.append(surface)
                shown_words |= words
                if len(shown) >= max_terms:
                    break
        if shown:
            reasons.append(Reason("terms", {"terms": shown}))
        related.sort(key=lambda x: (-x[0], x[1]))
        for _c, term in related:
            if len(reasons) - bool(shown) >= max_related:
                break
            d_surface = doc.surface.get(term)
            if not d_surface:
                continue
            d_words = set(_folded(d_surface).split())
            if term in sources:
                parts = [q.surface.get(c) for c in sources[term]]
                if not all(parts):
                    continue
                q_words = {w for p in parts for w in _folded(p).split()}  # type: ignore[union-attr]
                reason = Reason(
                    "solves",
                    {"problem": " + ".join(parts), "solution": d_surface},  # type: ignore[arg-type]
                )
            else:
                q_surface = q.surface.get(term)
                if not q_surface:
                    continue
                q_words = set(_folded(q_surface).split())
                reason = Reason("synonym", {"query": q_surface, "match": d_surface})
            # "mùi ≈ giảm mùi" or "burned ≈ burns" say nothing: one side's words inside the
            # other's, or the same words once stemmed.
            if q_words <= d_words or d_words <= q_words or d_words <= shown_words:
                continue
            if reason.code == "synonym" and phrase_key(q_surface) == phrase_key(d_surface):
                continue
            shown_words |= d_words
            reasons.append(reason)
        return reasons
