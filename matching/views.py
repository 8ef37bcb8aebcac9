"""Pages: the suggestions partial that listing pages load with htmx, "Gợi ý cho tôi",
feedback buttons, alert settings and saved searches."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.errors import ApplicationError
from marketplace import permissions as mp_permissions
from marketplace.models import Offer, Request

from . import selectors, services
from .forms import AlertPreferenceForm, FeedbackForm, SavedSearchForm

PARTIAL_LIMIT = 5
PAGE_LIMIT = 3


def _rows(suggestions, language):
    return [(s, s.reasons_text(language)) for s in suggestions]


@require_GET
def suggestions_partial(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    listing = selectors.listing_for_matching(kind=kind, pk=pk, user=request.user)
    suggestions = selectors.suggestions_for_listing(listing, user=request.user, limit=PARTIAL_LIMIT)
    can_judge = listing.organisation_id in mp_permissions.organisation_ids(request.user)
    similar = (
        _rows(selectors.similar_offers(listing), get_language() or "vi") if kind == "offer" else []
    )
    return render(
        request,
        "matching/partials/suggestions.html",
        {
            "listing": listing,
            "kind": kind,
            "rows": _rows(suggestions, get_language() or "vi"),
            "can_judge": can_judge,
            "similar": similar,
            "next": listing.get_absolute_url(),
        },
    )


@login_required
@require_GET
def for_me(request: HttpRequest) -> HttpResponse:
    listings = selectors.user_published_listings(user=request.user)
    suggestions = selectors.suggestions_for(listings, user=request.user, limit=PAGE_LIMIT)
    language = get_language() or "vi"
    groups = [
        (listing, _rows(suggestions[(listing.kind, listing.pk)], language)) for listing in listings
    ]
    return render(
        request,
        "matching/for_me.html",
        {
            "groups": groups,
            "preference_form": AlertPreferenceForm(
                initial={"frequency": services.alert_frequency(request.user)}
            ),
            "search_form": SavedSearchForm(),
            "saved_searches": selectors.saved_searches_for(user=request.user),
            "notifications": selectors.notifications_for(user=request.user),
        },
    )


def _next_url(request: HttpRequest, candidate: str | None, default: str) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


@login_required
@require_POST
def feedback(request: HttpRequest) -> HttpResponse:
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    data = form.cleaned_data
    offer = Offer.objects.filter(pk=data["offer"]).first()
    tech_request = Request.objects.filter(pk=data["request"]).first()
    if offer is None or tech_request is None:
        return HttpResponse(status=404)
    try:
        services.feedback_record(
            user=request.user,
            offer=offer,
            request=tech_request,
            verdict=data["verdict"],
            score=data.get("score"),
        )
    except ApplicationError as error:
        return HttpResponse(str(error.message), status=error.status)
    if request.headers.get("HX-Request"):
        return render(request, "matching/partials/feedback_done.html", {"verdict": data["verdict"]})
    messages.success(request, _("Thank you, your feedback was saved."))
    return redirect(_next_url(request, data.get("next"), "matching:for_me"))


@login_required
@require_POST
def alert_preference(request: HttpRequest) -> HttpResponse:
    form = AlertPreferenceForm(request.POST)
    if form.is_valid():
        services.alert_preference_set(user=request.user, frequency=form.cleaned_data["frequency"])
        messages.success(request, _("Your alert settings were saved."))
    return redirect("matching:for_me")


@login_required
@require_POST
def saved_search_create(request: HttpRequest) -> HttpResponse:
    form = SavedSearchForm(request.POST)
    if form.is_valid():
        services.saved_search_create(user=request.user, **form.cleaned_data)
        messages.success(request, _("Search saved: you will hear about new matching offers."))
    else:
        messages.error(request, _("Type a few words to search for."))
    return redirect("matching:for_me")


@login_required
@require_POST
def saved_search_delete(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.saved_search_delete(user=request.user, search_id=pk)
    except ApplicationError:
        return HttpResponse(status=404)
    return redirect("matching:for_me")
