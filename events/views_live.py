"""The organiser's live dashboard page. The figures come from events.selectors_live and are
kept current over /ws/events/<slug>/dashboard/ by events/static/events/dashboard-live.js."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from . import selectors
from .permissions import can_manage_edition
from .selectors_live import live_dashboard


@login_required
def dashboard(request, slug: str):
    edition = selectors.edition_get(slug=slug, public=False)
    if not can_manage_edition(request.user, edition):
        raise PermissionDenied
    return render(
        request,
        "events/live_dashboard.html",
        {"edition": edition, "figures": live_dashboard(edition=edition)},
    )
