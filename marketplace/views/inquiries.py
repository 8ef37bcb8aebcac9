from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.errors import ApplicationError

from .. import permissions, selectors, services
from ..forms import DealForm, InquiryForm, InquiryStateForm, MessageForm
from ..models import Deal
from .common import is_htmx, model_for


@login_required
def inquiry_start(request, kind: str, pk: int):
    """The "Express interest / Contact" form of a published listing."""
    listing = selectors.listing_get(model=model_for(kind), pk=pk, user=request.user)
    form = InquiryForm(
        request.POST or None, user=request.user, exclude_organisation_id=listing.organisation_id
    )
    if not form.fields["organisation"].queryset.exists():
        messages.info(request, _("Create or join an organisation first to contact the owner."))
        return redirect("accounts:organisation_create")
    if request.method == "POST" and form.is_valid():
        try:
            inquiry = services.inquiry_open(
                listing=listing,
                actor=request.user,
                organisation=form.cleaned_data["organisation"],
                body=form.cleaned_data["body"],
            )
        except ApplicationError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Your message was sent. Replies appear here."))
            return redirect(inquiry.get_absolute_url())
    context = {"form": form, "listing": listing, "kind": kind}
    return render(request, "marketplace/inquiry_start.html", context)


@login_required
def inquiry_list(request):
    inquiries = selectors.inquiry_list_for_user(user=request.user)
    return render(request, "marketplace/inquiry_list.html", {"inquiries": inquiries})


@login_required
def inquiry_detail(request, pk: int):
    inquiry = selectors.inquiry_get(pk=pk, user=request.user)
    is_party = permissions.can_post_in_inquiry(request.user, inquiry)
    form = MessageForm(request.POST or None)
    thread_error = ""
    if request.method == "POST":
        if not is_party:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.message_post(
                    inquiry=inquiry, actor=request.user, body=form.cleaned_data["body"]
                )
            except ApplicationError as error:
                form.add_error(None, str(error.message))
                thread_error = str(error.message)
            else:
                if not is_htmx(request):
                    return redirect(inquiry.get_absolute_url() + "#latest")
    if is_htmx(request):
        # The thread refreshes itself every few seconds and after a reply is sent.
        inquiry.refresh_from_db(fields=["state", "owner_revealed"])
        context = {
            "inquiry": inquiry,
            "thread_messages": selectors.message_list(inquiry=inquiry),
            "my_side": permissions.inquiry_side(request.user, inquiry),
            "owner_shown": selectors.listing_owner_shown(inquiry=inquiry, user=request.user),
            "thread_error": thread_error,
            "oob": True,
        }
        return render(request, "marketplace/partials/thread_messages.html", context)
    deal = selectors.inquiry_deal(inquiry=inquiry)
    side = permissions.inquiry_side(request.user, inquiry)
    context = {
        "inquiry": inquiry,
        "listing": inquiry.listing,
        "thread_messages": selectors.message_list(inquiry=inquiry),
        "form": form,
        "is_party": is_party,
        "my_side": side,
        "owner_shown": selectors.listing_owner_shown(inquiry=inquiry, user=request.user),
        "deal": deal,
        "deal_form": DealForm() if is_party and (deal is None or not deal.is_confirmed) else None,
        "can_confirm": deal is not None
        and not deal.is_confirmed
        and side is not None
        and side != deal.recorded_by_organisation_id,
    }
    return render(request, "marketplace/inquiry_detail.html", context)


@login_required
@require_POST
def inquiry_state(request, pk: int):
    inquiry = selectors.inquiry_get(pk=pk, user=request.user)
    form = InquiryStateForm(request.POST)
    if form.is_valid():
        try:
            services.inquiry_set_state(
                inquiry=inquiry, actor=request.user, state=form.cleaned_data["state"]
            )
        except ApplicationError as error:
            if error.status == 403:
                raise PermissionDenied from error
            messages.error(request, error.message)
    return redirect(inquiry.get_absolute_url())


@login_required
@require_POST
def deal_record(request, pk: int):
    inquiry = selectors.inquiry_get(pk=pk, user=request.user)
    form = DealForm(request.POST)
    if form.is_valid():
        try:
            services.deal_record(inquiry=inquiry, actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            if error.status == 403:
                raise PermissionDenied from error
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("The deal is recorded. It counts once the other side confirms it.")
            )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(inquiry.get_absolute_url())


@login_required
@require_POST
def deal_confirm(request, pk: int):
    inquiry = selectors.inquiry_get(pk=pk, user=request.user)
    deal = get_object_or_404(Deal, inquiry=inquiry)
    try:
        services.deal_confirm(deal=deal, actor=request.user)
    except ApplicationError as error:
        if error.status == 403:
            raise PermissionDenied from error
        messages.error(request, error.message)
    else:
        messages.success(request, _("The deal is confirmed. Congratulations!"))
    return redirect(inquiry.get_absolute_url())
