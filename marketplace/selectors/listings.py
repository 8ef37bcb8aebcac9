"""Reads of offers and requests. Every queryset here has its joins set, so a page of results
costs the same number of queries whatever its length."""

from dataclasses import dataclass, fields
from datetime import datetime

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import Http404

from accounts.models import User

from .. import permissions
from ..models import Listing, Offer, OfferAttachment, OfferImage
from ..taxonomy import ListingStatus
from ..text import fold, relaxed_minimum, search_terms

SORT_NEWEST = "newest"
SORT_RELEVANCE = "relevance"


@dataclass
class ListingFilters:
    q: str = ""
    sector: str = ""
    province: str = ""
    trl_min: int | None = None
    trl_max: int | None = None
    transfer_type: str = ""
    amount_min: int | None = None
    amount_max: int | None = None
    owner_type: str = ""
    updated_since: datetime | None = None
    sort: str = ""

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]


def amount_field(model: type[Listing]) -> str:
    return "price_vnd" if model is Offer else "budget_vnd"


def _with_relations(queryset: QuerySet, model: type[Listing]) -> QuerySet:
    # The folded columns serve the WHERE clause only; pages never show them.
    queryset = queryset.select_related("organisation").defer("search_document", "search_title")
    if model is Offer:
        queryset = queryset.prefetch_related(
            Prefetch("images", queryset=OfferImage.objects.order_by("position", "pk"))
        )
    return queryset


def listing_search_filter(queryset: QuerySet, query: str) -> QuerySet:
    """Accent-insensitive: the query is folded like the stored columns, and every word must
    appear. When a query of four or more words matches nothing that way, listings holding most
    of its words are shown instead, best first. For ranking, `phrase_hits` says whether the words
    appear together, as typed, in the title (2) or elsewhere (1), `term_hits` how many of the
    words the listing holds and `title_hits` how many the title holds."""
    terms = search_terms(query)
    if not terms:
        zero = Value(0, output_field=IntegerField())
        return queryset.annotate(title_hits=zero, phrase_hits=zero, term_hits=zero)

    def hits(field: str):
        return sum(
            (Case(When(**{f"{field}__contains": term}, then=1), default=0) for term in terms),
            start=Value(0),
        )

    strict = queryset
    for term in terms:
        strict = strict.filter(search_document__contains=term)
    if len(terms) >= 4 and not strict.exists():
        any_term = Q()
        for term in terms:
            any_term |= Q(search_document__contains=term)
        matched = (
            queryset.filter(any_term)
            .annotate(term_hits=hits("search_document"))
            .filter(term_hits__gte=relaxed_minimum(len(terms)))
        )
    else:
        matched = strict.annotate(term_hits=Value(len(terms), output_field=IntegerField()))
    phrase = " ".join(fold(query).split())
    phrase_hits = Case(
        When(search_title__contains=phrase, then=2),
        When(search_document__contains=phrase, then=1),
        default=0,
        output_field=IntegerField(),
    )
    return matched.annotate(title_hits=hits("search_title"), phrase_hits=phrase_hits)


def listing_filter(queryset: QuerySet, *, model: type[Listing], filters: ListingFilters):
    f = filters
    if f.sector:
        queryset = queryset.filter(sector=f.sector)
    if f.province:
        queryset = queryset.filter(province=f.province)
    if f.owner_type:
        queryset = queryset.filter(organisation__type=f.owner_type)
    if f.transfer_type:
        queryset = queryset.filter(transfer_types__contains=f",{f.transfer_type},")
    if model is Offer:
        if f.trl_min is not None:
            queryset = queryset.filter(trl__gte=f.trl_min)
        if f.trl_max is not None:
            queryset = queryset.filter(trl__lte=f.trl_max)
    amount = amount_field(model)
    if f.amount_min is not None:
        queryset = queryset.filter(**{f"{amount}__gte": f.amount_min})
    if f.amount_max is not None:
        queryset = queryset.filter(**{f"{amount}__lte": f.amount_max})
    if f.updated_since is not None:
        queryset = queryset.filter(updated_at__gte=f.updated_since)
    queryset = listing_search_filter(queryset, f.q)
    if f.q and f.sort != SORT_NEWEST:
        return queryset.order_by(
            "-term_hits", "-phrase_hits", "-title_hits", "-published_at", "-pk"
        )
    if f.updated_since is not None and not f.sort:
        # Incremental sync reads oldest change first, so a client can resume where it stopped.
        return queryset.order_by("updated_at", "pk")
    return queryset.order_by("-published_at", "-pk")


def listing_search(*, model: type[Listing], filters: ListingFilters | None = None) -> QuerySet:
    """Published listings matching the filters. An incremental sync (`updated_since`) also gets
    the listings archived since then, so a mirror learns to drop them."""
    filters = filters or ListingFilters()
    shown = [ListingStatus.PUBLISHED]
    if filters.updated_since is not None:
        shown.append(ListingStatus.ARCHIVED)
    queryset = model.objects.filter(status__in=shown)
    queryset = listing_filter(queryset, model=model, filters=filters)
    return _with_relations(queryset, model)


def listing_visible_queryset(*, model: type[Listing], user: User) -> QuerySet:
    """What the user may read: everything published, their organisations' listings in any
    state, and, for moderators, all of them."""
    queryset = model.objects.all()
    if not permissions.is_moderator(user):
        queryset = queryset.filter(
            Q(status=ListingStatus.PUBLISHED)
            | Q(organisation_id__in=permissions.organisation_ids(user))
        )
    return _with_relations(queryset, model)


def listing_get(*, model: type[Listing], pk: int, user: User) -> Listing:
    queryset = listing_visible_queryset(model=model, user=user).select_related("contact_person")
    if model is Offer:
        queryset = queryset.prefetch_related(
            Prefetch("attachments", queryset=OfferAttachment.objects.order_by("pk"))
        )
    listing = queryset.filter(pk=pk).first()
    if listing is None:
        raise Http404
    return listing


def listing_list_for_user(*, model: type[Listing], user: User) -> QuerySet:
    """The listings of the user's organisations, newest change first."""
    queryset = model.objects.filter(organisation_id__in=permissions.organisation_ids(user))
    return _with_relations(queryset, model).order_by("-updated_at", "-pk")


def listing_review_queue(*, model: type[Listing]) -> QuerySet:
    """Oldest submission first: first come, first reviewed."""
    queryset = model.objects.filter(status=ListingStatus.PENDING_REVIEW)
    return _with_relations(queryset, model).order_by("submitted_at", "pk")


def listing_counts_by_status(*, model: type[Listing]) -> dict[str, int]:
    from django.db.models import Count

    rows = model.objects.values("status").annotate(n=Count("pk")).order_by()
    return {row["status"]: row["n"] for row in rows}


__all__ = [
    "ListingFilters",
    "SORT_NEWEST",
    "SORT_RELEVANCE",
    "amount_field",
    "listing_counts_by_status",
    "listing_filter",
    "listing_get",
    "listing_list_for_user",
    "listing_review_queue",
    "listing_search",
    "listing_search_filter",
    "listing_visible_queryset",
]
