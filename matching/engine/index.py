"""An in-memory inverted index with BM25F-style scoring.

Postings are appended as listings are indexed one by one; a term's postings are turned into
numpy arrays only when a query needs that term and only again after it has grown, so ranking
touches the postings of the query's terms and never the text of the collection.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

import numpy as np

from .features import Features

K1 = 1.2
B = 0.75


@dataclass(slots=True)
class _Postings:
    docs: array
    tfs: array
    df: int = 0
    cached_len: int = -1
    np_docs: np.ndarray | None = None
    np_tfs: np.ndarray | None = None

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        if self.cached_len != len(self.docs):
            self.np_docs = np.array(self.docs, dtype=np.int64)
            self.np_tfs = np.array(self.tfs, dtype=np.float64)
            self.cached_len = len(self.docs)
        return self.np_docs, self.np_tfs  # type: ignore[return-value]


@dataclass(slots=True)
class _Doc:
    """A document kept compactly: term ids and weights in typed arrays (a few kB a listing,
    so 70,000 listings fit in a few hundred MB)."""

    ids: array
    tfs: array
    covered_ids: array
    covered: array
    length: float
    meta: dict
    surface: dict | None


class InvertedIndex:
    """Documents keyed by any hashable; re-adding a key replaces the document. With
    `keep_surface=False` the display forms of words are not kept (a caller that can recompute
    them, like the database layer, saves most of the memory)."""

    def __init__(self, *, keep_surface: bool = True) -> None:
        self.keep_surface = keep_surface
        self._postings: list[_Postings] = []
        self._term_ids: dict[str, int] = {}
        self._terms: list[str] = []
        self._keys: list[Hashable | None] = []
        self._docs: list[_Doc | None] = []
        self._slot: dict[Hashable, int] = {}
        self._lengths = array("d")
        self._alive = array("b")
        self._group = array("b")  # 1 where the document is in English, 0 otherwise
        self._total_length = 0.0
        self._np_cache: tuple[int, np.ndarray, np.ndarray, np.ndarray] | None = None
        self._version = 0

    def __len__(self) -> int:
        return len(self._slot)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._slot

    def keys(self) -> Iterable[Hashable]:
        return self._slot.keys()

    def _term_id(self, term: str) -> int:
        tid = self._term_ids.get(term)
        if tid is None:
            tid = self._term_ids[term] = len(self._terms)
            self._terms.append(term)
            self._postings.append(_Postings(array("i"), array("f")))
        return tid

    def meta(self, key: Hashable) -> dict | None:
        slot = self._slot.get(key)
        doc = None if slot is None else self._docs[slot]
        return None if doc is None else doc.meta

    def features(self, key: Hashable) -> Features | None:
        slot = self._slot.get(key)
        doc = None if slot is None else self._docs[slot]
        if doc is None:
            return None
        terms = self._terms
        return Features(
            terms={terms[i]: tf for i, tf in zip(doc.ids, doc.tfs, strict=True)},
            length=doc.length,
            surface=dict(doc.surface) if doc.surface else {},
            meta=doc.meta,
            covered={terms[i]: w for i, w in zip(doc.covered_ids, doc.covered, strict=True)},
        )

    def add(self, key: Hashable, features: Features) -> None:
        if key in self._slot:
            self.remove(key)
        slot = len(self._keys)
        # Every process adds every stored listing when it starts: the loop is kept tight.
        term_ids = self._term_ids
        all_postings = self._postings
        tids = []
        for term, tf in features.terms.items():
            tid = term_ids.get(term)
            if tid is None:
                tid = self._term_id(term)
            tids.append(tid)
            postings = all_postings[tid]
            postings.docs.append(slot)
            postings.tfs.append(tf)
            postings.df += 1
        ids = array("i", tids)
        tfs = array("f", features.terms.values())
        covered_ids = array("i", [self._term_id(t) for t in features.covered])
        covered = array("f", features.covered.values())
        surface = features.surface if self.keep_surface and features.surface else None
        self._keys.append(key)
        self._docs.append(
            _Doc(ids, tfs, covered_ids, covered, features.length, features.meta, surface)
        )
        self._slot[key] = slot
        self._lengths.append(features.length)
        self._alive.append(1)
        self._group.append(1 if features.meta.get("language") == "en" else 0)
        self._total_length += features.length
        self._version += 1

    def remove(self, key: Hashable) -> bool:
        slot = self._slot.pop(key, None)
        if slot is None:
            return False
        doc = self._docs[slot]
        self._alive[slot] = 0
        self._total_length -= self._lengths[slot]
        if doc is not None:
            for tid in doc.ids:
                self._postings[tid].df -= 1
        self._docs[slot] = None
        self._keys[slot] = None
        self._version += 1
        dead = len(self._keys) - len(self._slot)
        if dead > 1000 and dead > len(self._slot):
            self._compact()
        return True

    def _compact(self) -> None:
        live = [(key, self.features(key)) for key in list(self._slot)]
        self.__init__(keep_surface=self.keep_surface)  # type: ignore[misc]
        for key, features in live:
            if features is not None:
                self.add(key, features)

    def _doc_arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if self._np_cache is None or self._np_cache[0] != self._version:
            lengths = np.array(self._lengths, dtype=np.float64)
            alive = np.array(self._alive, dtype=np.float64)
            english = np.array(self._group, dtype=np.float64)
            self._np_cache = (self._version, lengths, alive, english)
        return self._np_cache[1], self._np_cache[2], self._np_cache[3]

    def idf(self, term: str) -> float:
        tid = self._term_ids.get(term)
        df = self._postings[tid].df if tid is not None else 0
        n = len(self._slot)
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5))

    def score(
        self,
        query: dict[str, float],
        *,
        top: int,
        exclude: Iterable[Hashable] = (),
        language: str | None = None,
        cross_language_boost: float = 0.0,
    ) -> list[tuple[Hashable, float]]:
        """Documents with the highest sum of weight × idf × saturated tf, best first; scores
        are divided by what a document saturating every query term would get, so 1.0 is the
        ceiling and scores compare across queries.

        A document in the other language than `language` cannot share literal words with the
        query, only concepts; `cross_language_boost` raises its concept part by that fraction
        so that a translation is not ranked below a same-language near miss."""
        n = len(self._slot)
        if n == 0 or not query:
            return []
        lengths, alive, english = self._doc_arrays()
        avgdl = max(self._total_length / n, 1e-9)
        norm = K1 * (1 - B + B * lengths / avgdl)
        scores = np.zeros(len(lengths), dtype=np.float64)
        concept_scores = np.zeros(len(lengths), dtype=np.float64) if cross_language_boost else None
        ceiling = 0.0
        for term, weight in query.items():
            if weight <= 0:
                continue
            # Terms no document has still count in the ceiling: a query whose distinctive
            # words match nothing must not score high on its commonplace ones.
            idf = self.idf(term)
            ceiling += weight * idf * (K1 + 1)
            tid = self._term_ids.get(term)
            if tid is None or self._postings[tid].df <= 0:
                continue
            docs, tfs = self._postings[tid].arrays()
            part = weight * idf * tfs * (K1 + 1) / (tfs + norm[docs])
            scores[docs] += part
            if concept_scores is not None and term[0] == "c":
                concept_scores[docs] += part
        if ceiling <= 0:
            return []
        if concept_scores is not None and language is not None:
            other = english if language != "en" else 1.0 - english
            scores += cross_language_boost * other * concept_scores
        scores *= alive
        for key in exclude:
            slot = self._slot.get(key)
            if slot is not None:
                scores[slot] = 0.0
        positive = int(np.count_nonzero(scores > 0))
        if positive == 0:
            return []
        top = min(top, positive)
        if top < len(scores):
            candidates = np.argpartition(-scores, top - 1)[:top]
        else:
            candidates = np.arange(len(scores))
        ranked = sorted(candidates.tolist(), key=lambda s: (-scores[s], s))
        return [
            (self._keys[s], float(min(1.0, scores[s] / ceiling))) for s in ranked if scores[s] > 0
        ]

    def score_one(
        self,
        query: dict[str, float],
        key: Hashable,
        *,
        language: str | None = None,
        cross_language_boost: float = 0.0,
    ) -> float:
        """What `score` would give one document, computed from that document alone."""
        features = self.features(key)
        if features is None:
            return 0.0
        ceiling = sum(w * self.idf(t) * (K1 + 1) for t, w in query.items() if w > 0)
        if ceiling <= 0:
            return 0.0
        literal = concept = 0.0
        for term, weight in query.items():
            part = self.term_score(term, weight, features)
            if term[0] == "c":
                concept += part
            else:
                literal += part
        if language is not None and (features.meta.get("language") == "en") != (language == "en"):
            concept *= 1.0 + cross_language_boost
        return min(1.0, (literal + concept) / ceiling)

    def term_score(self, term: str, weight: float, features: Features) -> float:
        """One term's contribution to one document (unnormalised), for explanations."""
        tf = features.terms.get(term, 0.0)
        if tf <= 0 or weight <= 0:
            return 0.0
        n = len(self._slot) or 1
        avgdl = max(self._total_length / n, 1e-9)
        norm = K1 * (1 - B + B * features.length / avgdl)
        return weight * self.idf(term) * tf * (K1 + 1) / (tf + norm)
