from io import BytesIO

import qrcode
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.errors import ApplicationError

from .. import permissions, selectors, services
from ..forms import ListingFilterForm, OfferForm, RequestForm
from ..models import Offer, OfferAttachment, OfferImage, Request
from .common import is_htmx, model_for, paginate, querystring_without_page

FORMS = {"offer": OfferForm, "request": RequestForm}


def index(request):
    start = request.GET.get("start", "")
    context = {
        "start": start if start in {"offer", "request"} else "",
        "offers": selectors.listing_search(model=Offer)[:6],
        "requests": selectors.listing_search(model=Request)[:6],
    }
    return render(request, "marketplace/index.html", context)


def listing_list(request, kind: str):
    model = model_for(kind)
    form = ListingFilterForm(request.GET, kind=kind)
    filters = form.filters()
    page = paginate(request, selectors.listing_search(model=model, filters=filters))
    context = {
        "kind": kind,
        "form": form,
        "page": page,
        "query": filters.q,
        "querystring": querystring_without_page(request),
    }
    template = (
        "marketplace/partials/listing_results.html"
        if is_htmx(request)
        else ("marketplace/listing_list.html")
    )
    return render(request, template, context)


def listing_detail(request, kind: str, pk: int):
    model = model_for(kind)
    listing = selectors.listing_get(model=model, pk=pk, user=request.user)
    can_edit = permissions.can_edit_listing(request.user, listing)
    owner_hidden = getattr(listing, "is_anonymous", False) and not (
        can_edit or permissions.is_moderator(request.user)
    )
    context = {
        "kind": kind,
        "listing": listing,
        "can_edit": can_edit,
        "can_moderate": permissions.can_moderate_listings(request.user),
        "owner_hidden": owner_hidden,
        "can_inquire": listing.is_published and not can_edit,
        "absolute_url": request.build_absolute_uri(listing.get_absolute_url()),
    }
    return render(request, "marketplace/listing_detail.html", context)


def listing_print(request, kind: str, pk: int):
    listing = selectors.listing_get(model=model_for(kind), pk=pk, user=request.user)
    context = {
        "kind": kind,
        "listing": listing,
        "owner_hidden": getattr(listing, "is_anonymous", False),
        "absolute_url": f"{settings.SITE_URL}{listing.get_absolute_url()}",
    }
    return render(request, "marketplace/listing_print.html", context)


def listing_qr(request, kind: str, pk: int):
    """A PNG QR code of the listing's public address, for the printed booth sheet."""
    listing = selectors.listing_get(model=model_for(kind), pk=pk, user=request.user)
    image = qrcode.make(f"{settings.SITE_URL}{listing.get_absolute_url()}", box_size=8, border=2)
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    response = HttpResponse(buffer.getvalue(), content_type="image/png")
    response["Cache-Control"] = "public, max-age=86400"
    return response


def _store_files(form, listing, user) -> None:
    for upload in form.cleaned_data.get("images") or []:
        services.offer_image_add(offer=listing, actor=user, upload=upload)
    for upload in form.cleaned_data.get("attachments") or []:
        services.offer_attachment_add(offer=listing, actor=user, upload=upload)


def _apply_error(form, error: ApplicationError) -> None:
    fields = error.extra.get("fields") or {}
    placed = False
    for name, errors in fields.items():
        if name in form.fields:
            for message in errors:
                form.add_error(name, message)
            placed = True
    if not placed:
        form.add_error(None, str(error.message))


@login_required
def listing_create(request, kind: str):
    form_class = FORMS[kind]
    form = form_class(request.POST or None, request.FILES or None, user=request.user)
    if not form.fields["organisation"].queryset.exists():
        messages.info(request, _("Create or join an organisation first: listings belong to one."))
        return redirect("accounts:organisation_create")
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                listing = services.listing_create(
                    model=model_for(kind),
                    actor=request.user,
                    organisation=form.cleaned_data["organisation"],
                    **form.service_fields(),
                )
                _store_files(form, listing, request.user)
                if "submit" in request.POST:
                    services.listing_submit(listing=listing, actor=request.user)
        except ApplicationError as error:
            _apply_error(form, error)
        else:
            if "submit" in request.POST:
                messages.success(request, _("Sent for review. We will email you the decision."))
            else:
                messages.success(request, _("Saved as a draft."))
            return redirect(listing.get_absolute_url())
    return render(
        request, "marketplace/listing_form.html", {"form": form, "kind": kind, "creating": True}
    )


@login_required
def listing_edit(request, kind: str, pk: int):
    model = model_for(kind)
    listing = get_object_or_404(model, pk=pk)
    if not permissions.can_edit_listing(request.user, listing):
        raise PermissionDenied
    form = FORMS[kind](
        request.POST or None, request.FILES or None, instance=listing, creating=False
    )
    if request.method == "POST" and form.is_valid():
        was_published = listing.is_published
        try:
            with transaction.atomic():
                listing = services.listing_update(
                    listing=listing, actor=request.user, **form.service_fields()
                )
                _store_files(form, listing, request.user)
        except ApplicationError as error:
            _apply_error(form, error)
        else:
            if was_published:
                messages.info(request, _("Saved. The changes go through review again."))
            else:
                messages.success(request, _("Saved."))
            return redirect(listing.get_absolute_url())
    context = {"form": form, "kind": kind, "creating": False, "listing": listing}
    return render(request, "marketplace/listing_form.html", context)


ACTIONS = {
    "submit": (services.listing_submit, _("Sent for review. We will email you the decision.")),
    "archive": (services.listing_archive, _("The listing is archived.")),
    "renew": (services.listing_renew, _("The listing is published for another year.")),
}


@login_required
@require_POST
def listing_action(request, kind: str, pk: int, action: str):
    if action not in ACTIONS:
        raise Http404
    listing = get_object_or_404(model_for(kind), pk=pk)
    service, message = ACTIONS[action]
    try:
        service(listing=listing, actor=request.user)
    except ApplicationError as error:
        if error.status == 403:
            raise PermissionDenied from error
        messages.error(request, error.message)
    else:
        messages.success(request, message)
    return redirect(listing.get_absolute_url())


@login_required
@require_POST
def image_delete(request, pk: int):
    image = get_object_or_404(OfferImage.objects.select_related("offer"), pk=pk)
    try:
        services.offer_image_remove(image=image, actor=request.user)
    except ApplicationError as error:
        raise PermissionDenied from error
    return redirect("marketplace:offer_edit", pk=image.offer_id)


@login_required
@require_POST
def attachment_delete(request, pk: int):
    attachment = get_object_or_404(OfferAttachment.objects.select_related("offer"), pk=pk)
    try:
        services.offer_attachment_remove(attachment=attachment, actor=request.user)
    except ApplicationError as error:
        raise PermissionDenied from error
    return redirect("marketplace:offer_edit", pk=attachment.offer_id)


@login_required
def my_listings(request):
    context = {
        "offers": selectors.listing_list_for_user(model=Offer, user=request.user),
        "requests": selectors.listing_list_for_user(model=Request, user=request.user),
    }
    return render(request, "marketplace/my_listings.html", context)
