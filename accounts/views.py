from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import permissions, selectors, services
from .errors import ApplicationError
from .forms import MemberAddForm, OrganisationForm, ProfileForm
from .models import Membership, Organisation


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.user_profile_update(
            user=request.user, **{name: form.cleaned_data[name] for name in form.fields}
        )
        messages.success(request, _("Your profile was saved."))
        response = redirect("accounts:profile")
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, request.user.preferred_language)
        return response
    context = {
        "form": form,
        "memberships": selectors.membership_list_for_user(user=request.user),
        "roles": permissions.user_roles(request.user),
    }
    return render(request, "accounts/profile.html", context)


@login_required
def organisation_create(request):
    form = OrganisationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        organisation = services.organisation_create(creator=request.user, **form.cleaned_data)
        messages.success(request, _("The organisation was created. You are its owner."))
        return redirect("accounts:organisation_detail", slug=organisation.slug)
    return render(request, "accounts/organisation_form.html", {"form": form, "creating": True})


def organisation_detail(request, slug: str):
    organisation = get_object_or_404(Organisation, slug=slug)
    can_manage = permissions.can_manage_members(request.user, organisation)
    context = {
        "organisation": organisation,
        "can_edit": permissions.can_edit_organisation(request.user, organisation),
        "can_manage_members": can_manage,
        "memberships": selectors.membership_list_for_organisation(organisation=organisation)
        if permissions.is_member_of(request.user, organisation) or can_manage
        else [],
        "member_form": MemberAddForm() if can_manage else None,
    }
    return render(request, "accounts/organisation_detail.html", context)


@login_required
def organisation_edit(request, slug: str):
    organisation = get_object_or_404(Organisation, slug=slug)
    if not permissions.can_edit_organisation(request.user, organisation):
        raise PermissionDenied
    form = OrganisationForm(request.POST or None, request.FILES or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        services.organisation_update(
            organisation=organisation, actor=request.user, **form.cleaned_data
        )
        messages.success(request, _("The organisation was saved."))
        return redirect("accounts:organisation_detail", slug=organisation.slug)
    return render(
        request,
        "accounts/organisation_form.html",
        {"form": form, "organisation": organisation, "creating": False},
    )


@login_required
@require_POST
def member_add(request, slug: str):
    organisation = get_object_or_404(Organisation, slug=slug)
    form = MemberAddForm(request.POST)
    if form.is_valid():
        try:
            services.membership_add(
                organisation=organisation, actor=request.user, **form.cleaned_data
            )
        except ApplicationError as error:
            if error.status == 403:
                raise PermissionDenied from error
            messages.error(request, error.message)
        else:
            messages.success(request, _("The member was added."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("accounts:organisation_detail", slug=organisation.slug)


@login_required
@require_POST
def member_remove(request, slug: str, membership_id: int):
    membership = get_object_or_404(Membership, pk=membership_id, organisation__slug=slug)
    try:
        services.membership_remove(membership=membership, actor=request.user)
    except ApplicationError as error:
        if error.status == 403:
            raise PermissionDenied from error
        messages.error(request, error.message)
    else:
        messages.success(request, _("The member was removed."))
    return redirect("accounts:organisation_detail", slug=slug)
