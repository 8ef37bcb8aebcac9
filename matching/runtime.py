"""The per-process matching engine, built from the stored features and kept current by
reading only the rows changed since the last look (two small queries per use)."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max

from .engine import MatchingEngine
from .engine.features import Features
from .engine.lexicon import Lexicon, LinkEntry, SynonymEntry


@dataclass
class _State:
    engine: MatchingEngine | None = None
    lexicon_stamp: tuple | None = None
    synced: datetime | None = None


_state = _State()
_lock = threading.RLock()


def reset() -> None:
    """Forget the in-memory engine (tests; after a bulk re-index in another process)."""
    with _lock:
        _state.engine = None
        _state.lexicon_stamp = None
        _state.synced = None


def lexicon_stamp() -> tuple:
    from .models import LexiconEntry

    agg = LexiconEntry.objects.aggregate(n=Count("pk"), last=Max("updated_at"))
    return (agg["n"], agg["last"])


def lexicon_from_db() -> Lexicon:
    """The lexicon moderators edit; the files in matching/lexicon/ when nothing is seeded."""
    from .models import LexiconEntry, LexiconKind

    entries = list(LexiconEntry.objects.filter(is_active=True).order_by("kind", "position", "pk"))
    if not entries:
        return Lexicon.from_files()
    synonyms = [
        SynonymEntry(
            terms=tuple(t.strip() for t in e.terms.split("|") if t.strip()),
            sector=e.sector,
            key=f"e{e.pk}",
        )
        for e in entries
        if e.kind == LexiconKind.SYNONYM
    ]
    links = [
        LinkEntry(
            problem=tuple(t.strip() for t in e.terms.split("+") if t.strip()),
            solutions=tuple(t.strip() for t in e.solutions.split("|") if t.strip()),
            sector=e.sector,
            weight=e.weight,
        )
        for e in entries
        if e.kind == LexiconKind.LINK
    ]
    return Lexicon(synonyms, links)


def _load_surfaces(kind: str, keys: list) -> dict:
    """Display forms of the words of a few listings, from their stored rows (they are kept out
    of the in-memory index, which would be several times larger with them)."""
    from .models import ListingFeatures

    field = "offer_id" if kind == "offer" else "request_id"
    rows = ListingFeatures.objects.filter(**{f"{field}__in": keys}).values_list(field, "surface")
    return dict(rows)


def stored(features: Features) -> dict:
    """What is kept in the database: everything but the display forms."""
    data = features.to_dict()
    data.pop("surface", None)
    return data


def _apply(engine: MatchingEngine, row) -> None:
    kind = "offer" if row.offer_id else "request"
    key = row.offer_id or row.request_id
    if row.is_published and row.features:
        engine.add_features(kind, key, Features.from_dict(row.features), exclusive=False)
    else:
        engine.remove(kind, key)


def get_engine() -> MatchingEngine:
    from .models import ListingFeatures

    with _lock:
        stamp = lexicon_stamp()
        # Max over an indexed column: cheap on 70,000 rows, unlike a count.
        last = ListingFeatures.objects.aggregate(last=Max("updated_at"))["last"]
        rebuild = (
            _state.engine is None
            or stamp != _state.lexicon_stamp
            or (_state.synced is not None and (last is None or last < _state.synced))
        )
        if rebuild:
            engine = MatchingEngine(
                lexicon=lexicon_from_db(), keep_surface=False, surface_loader=_load_surfaces
            )
            rows = ListingFeatures.objects.filter(is_published=True).only(
                "offer_id", "request_id", "is_published", "features"
            )
            for row in rows.iterator(chunk_size=2000):
                _apply(engine, row)
            _state.engine = engine
            _state.lexicon_stamp = stamp
        elif last is not None and (_state.synced is None or last > _state.synced):
            changed = (
                ListingFeatures.objects.filter(updated_at__gt=_state.synced)
                if _state.synced
                else ListingFeatures.objects.all()
            )
            for row in changed.only("offer_id", "request_id", "is_published", "features"):
                _apply(_state.engine, row)  # type: ignore[arg-type]
        _state.synced = last
        return _state.engine  # type: ignore[return-value]


def remember(kind: str, key: int, features: Features | None) -> None:
    """Apply one change this process just stored, without waiting for the next sync."""
    with _lock:
        if _state.engine is None:
            return
        if features is None:
            _state.engine.remove(kind, key)
        else:
            _state.engine.add_features(kind, key, features, exclusive=False)
