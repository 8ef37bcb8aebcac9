"""The matching engine, on plain listing dicts in the exchange format (no ORM)."""

from .engine import Match, MatchingEngine, default_lexicon
from .explain import Reason, render_reasons
from .features import Features, listing_features
from .lexicon import Lexicon

__all__ = [
    "Features",
    "Lexicon",
    "Match",
    "MatchingEngine",
    "Reason",
    "default_lexicon",
    "listing_features",
    "render_reasons",
]
