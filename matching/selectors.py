"""Reads of the matching app. Suggestions come from the in-memory engine; the listings they
name are then fetched in one query per kind, so pages and APIs make a constant number of
queries whatever the number of suggestions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import User
from marketplace import permissions as mp_permissions
from marketplace.models import Listing, Offer, Request
from marketplace.taxonomy import ListingStatus

from . import runtime
from .engine.explain import Reason, render_reasons
from .models import Feedback, Notification, SavedSearch, Verdict

TARGET = {"offer": "request", "request": "offer"}


@dataclass
class Suggestion:
    listing: Listing  # the suggested listing
    score: float
    reasons: list[Reason] = field(default_factory=list)
    source: Listing | None = None  # the listing it was suggested for
    verdict: str = ""

    @property
    def strength(self) -> str:
        """A plain-words label for the score (scores are absolute, a strong match is ~0.15+)."""
        if self.score >= 0.15:
            return "strong"
        if self.score >= 0.08:
            return "good"
        return "weak"

    def reasons_text(self, language: str) -> list[str]:
        return render_reasons(self.reasons, language)

    @property
    def offer(self) -> Listing | None:
        return self.listing if isinstance(self.listing, Offer) else self.source

    @property
    def request(self) -> Listing | None:
        return self.listing if isinstance(self.listing, Request) else self.source


def _model(kind: str) -> type[Listing]:
    return Offer if kind == "offer" else Request


def listing_for_matching(*, kind: str, pk: int, user: User, own: bool = False) -> Listing:
    """A listing the user may see suggestions for: published, or their organisation's. With
    `own` (the API), only their organisation's published listings; anything else is a 404."""
    if kind not in TARGET:
        raise Http404
    model = _model(kind)
    listing = model.objects.select_related("organisation").filter(pk=pk).first()
    if listing is None:
        raise Http404
    orgs = mp_permissions.organisation_ids(user)
    mine = listing.organisation_id in orgs
    if own:
        if not mine or listing.status != ListingStatus.PUBLISHED:
            raise Http404
    elif listing.status != ListingStatus.PUBLISHED and not mine:
        raise Http404
    return listing


def _pairs_for(source: Listing, keys: Iterable[int]) -> list[tuple[int, int]]:
    if isinstance(source, Offer):
        return [(source.pk, k) for k in keys]
    return [(k, source.pk) for k in keys]


def suggestions_for(
    sources: Sequence[Listing], *, user: User | None = None, limit: int = 10
) -> dict[tuple[str, int], list[Suggestion]]:
    """Suggestions for several listings at once: offers for requests, requests for offers,
    without the pairs the viewer's organisations dismissed and without their own listings."""
    from .services import listing_record

    engine = runtime.get_engine()
    orgs = mp_permissions.organisation_ids(user) if user is not None else frozenset()
    feedback: dict[tuple[int, int], str] = {}
    if orgs and sources:
        offers = [s.pk for s in sources if isinstance(s, Offer)]
        requests = [s.pk for s in sources if isinstance(s, Request)]
        rows = Feedback.objects.filter(organisation_id__in=orgs)
        rows = rows.filter(offer_id__in=offers) | rows.filter(request_id__in=requests)
        feedback = {(f.offer_id, f.request_id): f.verdict for f in rows}
    raw: dict[tuple[str, int], tuple] = {}
    wanted: dict[str, set[int]] = {"offer": set(), "request": set()}
    for source in sources:
        kind = source.kind
        features = engine.featurize(listing_record(source))  # with display forms, ~1 ms
        dismissed = {
            k
            for (o, r), verdict in feedback.items()
            if verdict == Verdict.NOT_RELEVANT
            for k in ([r] if kind == "offer" and o == source.pk else [])
            + ([o] if kind == "request" and r == source.pk else [])
        }
        matches = engine.match(
            features, TARGET[kind], limit=limit + 10, exclude=dismissed, explain=False
        )
        raw[(kind, source.pk)] = (features, matches)
        wanted[TARGET[kind]].update(m.key for m in matches)
    found: dict[str, dict[int, Listing]] = {}
    for kind, keys in wanted.items():
        found[kind] = (
            {
                listing.pk: listing
                for listing in _model(kind)
                .objects.filter(pk__in=keys, status=ListingStatus.PUBLISHED)
                .select_related("organisation")
            }
            if keys
            else {}
        )
    shown: dict[tuple[str, int], list] = {}
    for source in sources:
        kind = source.kind
        features, matches = raw[(kind, source.pk)]
        kept = []
        for match in matches:
            listing = found[TARGET[kind]].get(match.key)  # type: ignore[arg-type]
            if listing is not None and listing.organisation_id != source.organisation_id:
                kept.append(match)
        shown[(kind, source.pk)] = (features, kept[:limit])
    for target_kind in ("offer", "request"):
        batches = [shown[(s.kind, s.pk)] for s in sources if TARGET[s.kind] == target_kind]
        if any(matches for _f, matches in batches):
            engine.explain(target_kind, batches)
    out: dict[tuple[str, int], list[Suggestion]] = {}
    for source in sources:
        kind = source.kind
        items = []
        for match in shown[(kind, source.pk)][1]:
            listing = found[TARGET[kind]].get(match.key)  # type: ignore[arg-type]
            if listing is None or listing.organisation_id == source.organisation_id:
                continue
            pair = _pairs_for(source, [listing.pk])[0]
            items.append(
                Suggestion(listing, match.score, match.reasons, source, feedback.get(pair, ""))
            )
            if len(items) >= limit:
                break
        out[(kind, source.pk)] = items
    return out


def suggestions_for_listing(
    listing: Listing, *, user: User | None = None, limit: int = 10
) -> list[Suggestion]:
    return suggestions_for([listing], user=user, limit=limit)[(listing.kind, listing.pk)]


def similar_offers(offer: Offer, *, limit: int = 3) -> list[Suggestion]:
    """Other published offers close to this one (two queries: the offers, their text)."""
    from .services import listing_record

    engine = runtime.get_engine()
    features = engine.featurize(listing_record(offer))
    matches = engine.match(features, "offer", limit=limit + 5, exclude={offer.pk}, explain=False)
    found = {
        o.pk: o
        for o in Offer.objects.filter(
            pk__in=[m.key for m in matches], status=ListingStatus.PUBLISHED
        ).select_related("organisation")
    }
    kept = [m for m in matches if m.key in found][:limit]
    if kept:
        engine.explain("offer", [(features, kept)])
    return [Suggestion(found[m.key], m.score, m.reasons, offer) for m in kept]  # type: ignore[index]


def user_published_listings(*, user: User, limit: int = 30) -> list[Listing]:
    orgs = mp_permissions.organisation_ids(user)
    if not orgs:
        return []
    out: list[Listing] = []
    for model in (Request, Offer):
        out += list(
            model.objects.filter(organisation_id__in=orgs, status=ListingStatus.PUBLISHED)
            .select_related("organisation")
            .order_by("-published_at", "-pk")[:limit]
        )
    return out


def feedback_summary() -> dict[str, int]:
    from django.db.models import Count

    rows = Feedback.objects.values("verdict").annotate(n=Count("pk")).order_by()
    summary = {value: 0 for value in Verdict.values}
    summary.update({row["verdict"]: row["n"] for row in rows})
    return summary


def saved_searches_for(*, user: User) -> QuerySet[SavedSearch]:
    return SavedSearch.objects.filter(user=user)


def notifications_for(*, user: User, limit: int = 20) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user)[:limit]


def notifications_unread_count(*, user: User) -> int:
    """The bell's number: one COUNT on the user's unread rows."""
    return Notification.objects.filter(user=user, read_at=None).count()


def notification_list(*, user: User) -> QuerySet[Notification]:
    """All the user's notifications, newest first (the page paginates)."""
    return Notification.objects.filter(user=user).order_by("-created_at", "-pk")


SAVED_SEARCH_QUERY_LENGTH = SavedSearch._meta.get_field("query").max_length


def saved_search_normalise(query: str) -> str:
    """The words as a saved search stores them: single spaces, at most the column's length."""
    return " ".join((query or "").split())[:SAVED_SEARCH_QUERY_LENGTH]


def saved_search_key(query: str) -> str:
    """What makes two searches "the same" for a user: the words, ignoring case and spacing.
    Diacritics count ("ma" and "má" are different words, even though search folds them)."""
    return saved_search_normalise(query).casefold()


def saved_search_matching(
    *, user: User, query: str, sector: str = "", province: str = "", kind: str = "offer"
) -> SavedSearch | None:
    """The user's saved search that is "the same" as this one (a user has a handful)."""
    key = saved_search_key(query)
    if not key:
        return None
    for search in SavedSearch.objects.filter(
        user=user, kind=kind or "offer", sector=sector or "", province=province or ""
    ):
        if saved_search_key(search.query) == key:
            return search
    return None
