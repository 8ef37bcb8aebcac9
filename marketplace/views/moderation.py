from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.errors import ApplicationError

from .. import permissions, selectors, services
from ..forms import RejectForm
from ..models import Offer, Request
from .common import model_for


def _require_moderator(request) -> None:
    if not permissions.can_moderate_listings(request.user):
        raise PermissionDenied


def review_queue(request):
    _require_moderator(request)
    context = {
        "offers": selectors.listing_review_queue(model=Offer),
        "requests": selectors.listing_review_queue(model=Request),
        "reject_form": RejectForm(),
    }
    return render(request, "marketplace/review_queue.html", context)


@require_POST
def review_decide(request, kind: str, pk: int):
    _require_moderator(request)
    listing = get_object_or_404(model_for(kind), pk=pk)
    try:
        if request.POST.get("decision") == "approve":
            services.listing_publish(listing=listing, moderator=request.user)
            messages.success(request, _("Approved and published: %(title)s") % {"title": listing})
        else:
            form = RejectForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Tell the owner why the listing is rejected."))
                return redirect("marketplace:review_queue")
            services.listing_reject(
                listing=listing, moderator=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("Rejected: %(title)s") % {"title": listing})
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("marketplace:review_queue")
