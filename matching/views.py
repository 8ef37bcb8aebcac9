"""Pages: the suggestions partial that listing pages load with htmx, "Gợi ý cho tôi",
feedback buttons, alert settings, saved searches (also saved from the exchange's browse pages)
and the notifications behind the bell."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.errors import ApplicationError
from accounts.provinces import PROVINCE_NAMES
from marketplace import permissions as mp_permissions
from marketplace.forms import ListingFilterForm
from marketplace.models import Offer, Request
from marketplace.taxonomy import Sector

from . import selectors, services, services_notifications
from .forms import AlertPreferenceForm, FeedbackForm, SavedSearchForm
from .models import AlertFrequency, SavedSearchKind

PARTIAL_LIMIT = 5
PAGE_LIMIT = 3
NOTIFICATIONS_PER_PAGE = 20
BROWSE_KINDS = ("offer", "request")
SECTOR_NAMES = dict(Sector.choices)
# Browse filters a SavedSearch has no column for: shown to the user as "not kept".
UNSAVED_FILTERS = ("transfer_type", "owner_type", "trl_min", "trl_max", "amount_min", "amount_max")


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
            "saved_searches": [
                (
                    search,
                    SavedSearchKind(search.kind).label,
                    SECTOR_NAMES.get(search.sector, ""),
                    PROVINCE_NAMES.get(search.province),
                )
                for search in selectors.saved_searches_for(user=request.user)
            ],
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


def _saved_message(created: bool, kind: str) -> str:
    if created and kind == SavedSearchKind.REQUEST:
        return _("Search saved: you will hear about new matching requests.")
    if created:
        return _("Search saved: you will hear about new matching offers.")
    return _("You have already saved this search.")


@login_required
@require_POST
def saved_search_create(request: HttpRequest) -> HttpResponse:
    form = SavedSearchForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Type a few words to search for."))
        return redirect("matching:for_me")
    try:
        search, created = services_notifications.saved_search_save(
            user=request.user, **form.cleaned_data
        )
    except ApplicationError as error:
        messages.error(request, str(error.message))
    else:
        (messages.success if created else messages.info)(
            request, _saved_message(created, search.kind)
        )
    return redirect("matching:for_me")


def _browse_search(request: HttpRequest) -> dict:
    """The search shown on an exchange browse page (the slot passes its query string on), as
    much of it as a saved search can hold, and the address of that search to come back to."""
    params = request.POST if request.method == "POST" else request.GET
    kind = params.get("kind", "offer")
    if kind not in BROWSE_KINDS:
        raise Http404
    browse = ListingFilterForm(params, kind=kind)
    browse.is_valid()
    data = browse.cleaned_data
    query = selectors.saved_search_normalise(data.get("q") or "")
    sector = data.get("sector") or ""
    province = data.get("province") or ""
    unsaved = [
        browse.fields[name].label
        for name in UNSAVED_FILTERS
        if name in browse.fields and data.get(name) not in (None, "")
    ]
    # Coming back shows the whole search the user made, other filters included.
    shown = params.copy()
    for name in ("kind", "next", "page", "csrfmiddlewaretoken"):
        shown.pop(name, None)
    default_next = reverse(f"marketplace:{kind}_list") + "?" + shown.urlencode()
    next_url = _next_url(request, params.get("next"), default_next)
    return {
        "kind": kind,
        "query": query,
        "sector": sector,
        "province": province,
        "sector_label": SECTOR_NAMES.get(sector, ""),
        "province_label": PROVINCE_NAMES.get(province, ""),
        "unsaved_filters": unsaved,
        "next": next_url,
        "login_url": resolve_url(settings.LOGIN_URL) + "?" + urlencode({"next": next_url}),
    }


def _browse_context(request: HttpRequest, search: dict, *, status: str = "") -> dict:
    context = {**search, "status": status, "saved": None, "frequency": ""}
    if request.user.is_authenticated and search["query"]:
        context["saved"] = selectors.saved_search_matching(
            user=request.user,
            query=search["query"],
            sector=search["sector"],
            province=search["province"],
            kind=search["kind"],
        )
        context["frequency"] = services.alert_frequency(request.user)
        context["alerts_off"] = context["frequency"] == AlertFrequency.OFF
        context["frequency_label"] = AlertFrequency(context["frequency"]).label
    return context


@require_http_methods(["GET", "POST"])
def saved_search_from_browse(request: HttpRequest) -> HttpResponse:
    """ "Save this search" on the exchange's browse pages. GET: the control (a partial the page
    loads with htmx, or a page of its own without JavaScript). POST: save, then back to the
    search with a message (or, from htmx, the control again saying what happened)."""
    search = _browse_search(request)
    htmx = request.headers.get("HX-Request") == "true"
    template = "matching/partials/save_search.html" if htmx else "matching/save_search.html"
    if request.method == "GET":
        return render(request, template, _browse_context(request, search))
    if not request.user.is_authenticated:
        return redirect(search["login_url"])
    try:
        _search, created = services_notifications.saved_search_save(
            user=request.user,
            query=search["query"],
            sector=search["sector"],
            province=search["province"],
            kind=search["kind"],
        )
    except ApplicationError as error:
        if htmx:
            return render(request, template, _browse_context(request, search, status=str(error)))
        messages.error(request, str(error.message))
        return redirect(search["next"])
    if htmx:
        return render(
            request,
            template,
            _browse_context(request, search, status=_saved_message(created, search["kind"])),
        )
    (messages.success if created else messages.info)(
        request, _saved_message(created, search["kind"])
    )
    return redirect(search["next"])


@login_required
@require_POST
def saved_search_delete(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.saved_search_delete(user=request.user, search_id=pk)
    except ApplicationError:
        return HttpResponse(status=404)
    messages.success(request, _("The saved search was deleted."))
    return redirect("matching:for_me")


# -- notifications (the bell) -----------------------------------------------------------------
@login_required
@require_GET
def notifications(request: HttpRequest) -> HttpResponse:
    page = Paginator(
        selectors.notification_list(user=request.user), NOTIFICATIONS_PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(request, "matching/notifications.html", {"page": page})


@login_required
@require_GET
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Following a notification marks it read (a GET: it is the user's own link, and marking
    read twice changes nothing), then goes to what it is about."""
    try:
        notification = services_notifications.notification_open(
            user=request.user, notification_id=pk
        )
    except ApplicationError:
        raise Http404 from None
    return redirect(_next_url(request, notification.url, reverse("matching:notifications")))


def _back_to_notifications(request: HttpRequest) -> HttpResponse:
    return redirect(_next_url(request, request.POST.get("next"), reverse("matching:notifications")))


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    services.notification_mark_read(user=request.user, notification_id=pk)
    return _back_to_notifications(request)


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    count = services_notifications.notification_mark_all_read(user=request.user)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return _back_to_notifications(request)
