"""Every read of the exchange. Split by topic; import from here."""

from .experts import expert_search, intermediary_list
from .inquiries import (
    inquiry_deal,
    inquiry_get,
    inquiry_list_for_user,
    listing_owner_shown,
    message_list,
)
from .listings import (
    SORT_NEWEST,
    SORT_RELEVANCE,
    ListingFilters,
    amount_field,
    listing_counts_by_status,
    listing_filter,
    listing_get,
    listing_list_for_user,
    listing_review_queue,
    listing_search,
    listing_search_filter,
    listing_visible_queryset,
)
from .stats import Dashboard, YearIndicators, dashboard, indicators_by_year

__all__ = [
    "SORT_NEWEST",
    "SORT_RELEVANCE",
    "Dashboard",
    "ListingFilters",
    "YearIndicators",
    "amount_field",
    "dashboard",
    "expert_search",
    "indicators_by_year",
    "inquiry_deal",
    "inquiry_get",
    "inquiry_list_for_user",
    "intermediary_list",
    "listing_counts_by_status",
    "listing_filter",
    "listing_get",
    "listing_list_for_user",
    "listing_owner_shown",
    "listing_review_queue",
    "listing_search",
    "listing_search_filter",
    "listing_visible_queryset",
    "message_list",
]
