"""The domain lexicon: synonym groups (concepts) and problem -> solution links between them.

It is data (matching/lexicon/*.tsv, seeded into the admin-editable LexiconEntry model) turned
into a phrase matcher: a listing's tokens are scanned once, longest phrase first, and every
phrase found adds its concept to the listing's features.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from .text import AMBIGUOUS_BARE, Token, tokenize

LEXICON_DIR = Path(__file__).resolve().parent.parent / "lexicon"
MAX_PHRASE = 6
_MEMO_SIZE = 200_000


@dataclass(frozen=True, slots=True)
class SynonymEntry:
    terms: tuple[str, ...]
    sector: str = "general"
    key: str = ""  # stable id for the concept; defaults to the first term


@dataclass(frozen=True, slots=True)
class LinkEntry:
    problem: tuple[str, ...]  # all must be present
    solutions: tuple[str, ...]
    sector: str = "general"
    weight: float = 1.0


@dataclass(slots=True)
class _Phrase:
    marks: tuple[str, ...]  # canonical accented tokens (== keys for bare terms)
    has_marks: tuple[bool, ...]
    concepts: set[str] = field(default_factory=set)
    display: str = ""


class ConceptHit(NamedTuple):
    concept: str
    start: int
    end: int
    surface: str  # the listing's words, as written


def _split_terms(text: str) -> tuple[str, ...]:
    return tuple(t.strip() for t in text.split("|") if t.strip())


def read_synonyms(path: Path) -> list[SynonymEntry]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        sector, _tab, terms = line.partition("\t")
        if not terms:
            sector, terms = "general", sector
        out.append(SynonymEntry(terms=_split_terms(terms), sector=sector.strip()))
    return out


def read_links(path: Path) -> list[LinkEntry]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) < 3:
            continue
        sector, problem, solutions = parts[0], parts[1], parts[2]
        weight = float(parts[3]) if len(parts) > 3 and parts[3].strip() else 1.0
        out.append(
            LinkEntry(
                problem=tuple(p.strip() for p in problem.split("+") if p.strip()),
                solutions=_split_terms(solutions),
                sector=sector.strip(),
                weight=weight,
            )
        )
    return out


class Lexicon:
    def __init__(self, synonyms: Iterable[SynonymEntry], links: Iterable[LinkEntry] = ()):
        self._phrases: dict[tuple[str, ...], list[_Phrase]] = {}
        self.concept_label: dict[str, str] = {}
        self.concept_sector: dict[str, str] = {}
        self._term_concepts: dict[tuple[str, ...], set[str]] = {}
        self.synonym_count = 0
        for n, entry in enumerate(synonyms):
            cid = entry.key or f"s{n}:{entry.terms[0]}" if entry.terms else ""
            if not entry.terms:
                continue
            self.synonym_count += 1
            self.concept_label[cid] = entry.terms[0]
            self.concept_sector[cid] = entry.sector
            for term in entry.terms:
                self._add_term(term, cid)
        # Link rules: (frozenset of required concepts, list of (concept, weight)).
        self.links: list[tuple[tuple[str, ...], tuple[str, ...], float]] = []
        for entry in links:
            required = tuple(self._concepts_for(term, create=True) for term in entry.problem)
            solutions = tuple(self._concepts_for(term, create=True) for term in entry.solutions)
            self.links.append((required, solutions, entry.weight))
        self.link_count = len(self.links)
        # The same phrases as a trie over their keys, for `find`: a node maps the next key to
        # the next node, and None to the phrases that end there.
        self._trie: dict = {}
        for key, phrases in self._phrases.items():
            node = self._trie
            for part in key:
                node = node.setdefault(part, {})
            node[None] = phrases
        # The concepts (sorted) a window of a listing's words stands for, by signature.
        self._memo: dict[tuple, tuple[str, ...]] = {}

    @classmethod
    def from_files(cls, directory: Path = LEXICON_DIR) -> Lexicon:
        return cls(
            read_synonyms(directory / "synonyms.tsv"),
            read_links(directory / "links.tsv"),
        )

    def _add_term(self, term: str, cid: str) -> tuple[str, ...] | None:
        tokens = tokenize(term)
        if not tokens or len(tokens) > MAX_PHRASE:
            return None
        keys = tuple(t.key for t in tokens)
        marks = tuple(t.marked for t in tokens)
        for phrase in self._phrases.setdefault(keys, []):
            if phrase.marks == marks:
                phrase.concepts.add(cid)
                break
        else:
            self._phrases[keys].append(
                _Phrase(marks, tuple(t.has_marks for t in tokens), {cid}, term)
            )
        self._term_concepts.setdefault(marks, set()).add(cid)
        return marks

    def _concepts_for(self, term: str, *, create: bool) -> str:
        """The concept a link term stands for: its synonym group, or a concept of its own."""
        tokens = tokenize(term)
        marks = tuple(t.marked for t in tokens)
        found = self._term_concepts.get(marks)
        if found:
            return sorted(found)[0]
        cid = f"t:{term}"
        if create:
            self.concept_label[cid] = term
            self.concept_sector[cid] = "general"
            self._add_term(term, cid)
        return cid

    def concepts_for_term(self, term: str) -> set[str]:
        tokens = tokenize(term)
        return set(self._term_concepts.get(tuple(t.marked for t in tokens), set()))

    @staticmethod
    def _compatible(tokens: Sequence[Token], phrase: _Phrase, accented_text: bool) -> bool:
        single = len(tokens) == 1
        for tok, mark, lex_marked in zip(tokens, phrase.marks, phrase.has_marks, strict=True):
            if tok.marked != tok.key:  # tok.has_marks
                # Written with diacritics: the diacritics must agree ("lớn" is not "lợn").
                if not lex_marked or tok.marked != mark:
                    return False
            elif lex_marked and (accented_text or (single and tok.key in AMBIGUOUS_BARE)):
                # In a text written with diacritics a bare word is meant bare ("heo" is a pig,
                # not "héo"); typed all bare, only the most common function words are excluded.
                return False
        return True

    @staticmethod
    def is_accented_text(tokens: Sequence[Token]) -> bool:
        """Whether the writer used diacritics (a quarter of the words carry them)."""
        if not tokens:
            return False
        return sum(1 for t in tokens if t.marked != t.key) >= 0.25 * len(tokens)

    def find(self, tokens: Sequence[Token]) -> list[ConceptHit]:
        """Concepts in a token sequence: at each position the longest phrase that matches, never
        crossing a clause boundary, plus the phrases inside it ("máy sấy lúa" holds "lúa"). A bare
        syllable inside a compound counts only as its last word and only with three letters or
        more ("ca ro phi" is tilapia, not reverse osmosis; "phan nan" holds no "phân")."""
        accented_text = self.is_accented_text(tokens)
        compatible = self._compatible
        memo = self._memo
        hits: list[ConceptHit] = []
        spans: dict[str, int] = {}  # concept -> end of its latest hit
        covered_to = 0
        n = len(tokens)
        trie = self._trie
        for i in range(n):
            longest = 0
            # Walk the trie along the tokens, within the clause: the phrases starting here, by
            # size (usually one or two).
            found: list[tuple[int, list[_Phrase]]] = []
            clause = tokens[i].clause
            node = trie
            j = i
            while j < n and j - i < MAX_PHRASE and tokens[j].clause == clause:
                node = node.get(tokens[j].key)
                if node is None:
                    break
                j += 1
                candidates = node.get(None)
                if candidates:
                    found.append((j - i, candidates))
            for size, candidates in reversed(found):
                first = tokens[i]
                cover = max(covered_to, i + longest)
                if size == 1 and i + 1 <= cover:
                    if first.marked == first.key and (len(first.key) < 3 or i + 1 != cover):
                        # A bare syllable inside a longer phrase only counts as the phrase's
                        # last word (Vietnamese puts the specific word last: "chuồng heo").
                        continue
                window = tokens[i : i + size] if size > 1 else None
                # Which candidates agree depends only on the words' keys and accented forms
                # (the keys chose the candidates) and on whether the text is accented.
                if window is None:
                    signature: tuple = (first.key, first.marked, accented_text)
                else:
                    signature = (
                        tuple([t.key for t in window]),
                        tuple([t.marked for t in window]),
                        accented_text,
                    )
                concepts = memo.get(signature)
                if concepts is None:
                    agreed: set[str] = set()
                    for phrase in candidates:
                        if compatible(window or (first,), phrase, accented_text):
                            agreed |= phrase.concepts
                    concepts = tuple(sorted(agreed))
                    if len(memo) >= _MEMO_SIZE:
                        memo.clear()
                    memo[signature] = concepts
                if not concepts:
                    continue
                surface = first.word if window is None else " ".join([t.word for t in window])
                end = i + size
                for cid in concepts:
                    if spans.get(cid, -1) >= end:
                        continue  # the same concept already covers this span
                    hits.append(ConceptHit(cid, i, end, surface))
                    spans[cid] = end
                if size > longest:
                    longest = size
            if i + longest > covered_to:
                covered_to = i + longest
        return hits

    def expand(self, concepts: Iterable[str]) -> dict[str, tuple[float, tuple[str, ...]]]:
        """Concepts linked (problem -> solution, and back) to a set of concepts: for each, the
        link weight and the concepts that led to it. The concepts themselves are not included."""
        present = set(concepts)
        out: dict[str, tuple[float, tuple[str, ...]]] = {}

        def put(cid: str, weight: float, source: tuple[str, ...]) -> None:
            if cid not in present and weight > out.get(cid, (0.0, ""))[0]:
                out[cid] = (weight, source)

        for required, solutions, weight in self.links:
            if all(c in present for c in required):
                for c in solutions:
                    put(c, weight, required)
            # Reverse direction: an offer describing the solution meets a request stating the
            # problem. Only single-concept problems reverse; a conjunction cannot be inferred.
            elif len(required) == 1:
                for c in solutions:
                    if c in present:
                        put(required[0], weight * 0.5, (c,))
                        break
        return out
