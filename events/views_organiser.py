"""Organiser pages for an edition's press, speaker and VIP tickets and its check-in lists.
Thin interfaces: they parse the form, call services.organiser or services.tickets and render."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.errors import ApplicationError
from accounts.permissions import can_scan_tickets

from . import selectors, selectors_organiser
from .forms_organiser import (
    CheckinListEditForm,
    CheckinListForm,
    IssuedTicketCsvForm,
    IssuedTicketForm,
    StaffAddForm,
    TicketFilterForm,
)
from .permissions import can_manage_edition
from .services import organiser as organiser_services
from .services import tickets as ticket_services

TICKETS_PER_PAGE = 50


def _organiser_edition(request, slug: str):
    edition = selectors.edition_get(slug=slug, public=False)
    if not can_manage_edition(request.user, edition):
        raise PermissionDenied
    return edition


# --- Press, speaker and VIP tickets ---------------------------------------------------------


def _tickets_page(request, edition, *, issue_form=None, csv_form=None, import_errors=None):
    filter_form = TicketFilterForm(request.GET or None)
    filters = filter_form.filters() if request.GET else {"type": "", "state": ""}
    tickets = selectors_organiser.issued_ticket_list(edition=edition, **filters)
    page = Paginator(tickets, TICKETS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "events/organiser/tickets.html",
        {
            "edition": edition,
            "issue_form": issue_form or IssuedTicketForm(),
            "csv_form": csv_form or IssuedTicketCsvForm(),
            "filter_form": filter_form,
            "filters": filters,
            "page": page,
            "query": query.urlencode(),
            "import_errors": import_errors,
        },
    )


@login_required
def tickets(request, slug: str):
    edition = _organiser_edition(request, slug)
    if request.method != "POST":
        return _tickets_page(request, edition)
    form = IssuedTicketForm(request.POST)
    if form.is_valid():
        try:
            ticket = organiser_services.issued_ticket_create(
                edition=edition,
                attendee=form.attendee(),
                type=form.cleaned_data["type"],
                organiser=request.user,
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            text = _("%(type)s ticket issued to %(name)s.") % {
                "type": ticket.get_type_display(),
                "name": ticket.name,
            }
            if ticket.email:
                text += " " + _("It is on its way to %(email)s.") % {"email": ticket.email}
            messages.success(request, text)
            return redirect("events:organiser_tickets", slug=slug)
    return _tickets_page(request, edition, issue_form=form)


@login_required
@require_POST
def tickets_import(request, slug: str):
    edition = _organiser_edition(request, slug)
    form = IssuedTicketCsvForm(request.POST, request.FILES)
    if not form.is_valid():
        return _tickets_page(request, edition, csv_form=form)
    result = organiser_services.issued_tickets_import_csv(
        edition=edition,
        text=form.cleaned_data["file"],
        default_type=form.cleaned_data["default_type"],
        organiser=request.user,
    )
    if result.errors:
        return _tickets_page(request, edition, csv_form=form, import_errors=result.errors)
    emailed = sum(1 for ticket in result.tickets if ticket.email)
    messages.success(
        request,
        _("%(count)d tickets issued, %(emailed)d of them sent by email.")
        % {"count": len(result.tickets), "emailed": emailed},
    )
    return redirect("events:organiser_tickets", slug=slug)


@login_required
def tickets_csv_template(request, slug: str):
    _organiser_edition(request, slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ve-khach-moi.csv"'
    response.write("\ufeffname,phone,email,organisation,type\n")
    response.write("Nguyễn Thị Lan,0912345678,lan@baodongnai.vn,Báo Đồng Nai,press\n")
    return response


@login_required
@require_POST
def ticket_revoke(request, slug: str, pk: int):
    edition = _organiser_edition(request, slug)
    ticket = selectors_organiser.issued_ticket_get(edition=edition, pk=pk)
    if ticket is None:
        raise Http404
    reissue = request.POST.get("reissue") == "1"
    try:
        new = ticket_services.ticket_revoke(ticket=ticket, organiser=request.user, reissue=reissue)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        if new is None:
            messages.success(
                request, _("The ticket of %(name)s is revoked.") % {"name": ticket.name}
            )
        else:
            text = _("%(name)s has a new ticket; the old code is refused at the gates.") % {
                "name": new.name
            }
            if new.email:
                text += " " + _("It is on its way to %(email)s.") % {"email": new.email}
            messages.success(request, text)
    return redirect("events:organiser_tickets", slug=slug)


# --- Check-in lists and their staff ---------------------------------------------------------


def _lists_page(request, edition, *, list_form=None, staff_forms=None, edit_forms=None):
    staff_forms = staff_forms or {}
    edit_forms = edit_forms or {}
    lists = selectors_organiser.checkin_list_overview(edition=edition)
    return render(
        request,
        "events/organiser/checkin_lists.html",
        {
            "edition": edition,
            "lists": [
                (
                    checkin_list,
                    staff_forms.get(checkin_list.pk) or StaffAddForm(prefix=f"l{checkin_list.pk}"),
                    edit_forms.get(checkin_list.pk) or CheckinListEditForm.for_list(checkin_list),
                )
                for checkin_list in lists
            ],
            "list_form": list_form or CheckinListForm(),
        },
    )


def _checkin_list(edition, pk: int):
    checkin_list = selectors_organiser.checkin_list_get(edition=edition, pk=pk)
    if checkin_list is None:
        raise Http404
    return checkin_list


@login_required
def checkin_lists(request, slug: str):
    edition = _organiser_edition(request, slug)
    if request.method != "POST":
        return _lists_page(request, edition)
    form = CheckinListForm(request.POST)
    if form.is_valid():
        try:
            checkin_list = organiser_services.checkin_list_create(
                edition=edition, organiser=request.user, **form.cleaned_data
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("Check-in list “%(name)s” created.") % {"name": checkin_list.name}
            )
            return redirect("events:organiser_checkin_lists", slug=slug)
    return _lists_page(request, edition, list_form=form)


@login_required
@require_POST
def checkin_list_open(request, slug: str, pk: int):
    edition = _organiser_edition(request, slug)
    checkin_list = _checkin_list(edition, pk)
    is_open = request.POST.get("is_open") == "1"
    organiser_services.checkin_list_set_open(
        checkin_list=checkin_list, organiser=request.user, is_open=is_open
    )
    if is_open:
        text = _("“%(name)s” is open for scanning.")
    else:
        text = _("“%(name)s” is closed: every scan on it is refused.")
    messages.success(request, text % {"name": checkin_list.name})
    return redirect("events:organiser_checkin_lists", slug=slug)


@login_required
@require_POST
def checkin_list_update(request, slug: str, pk: int):
    edition = _organiser_edition(request, slug)
    checkin_list = _checkin_list(edition, pk)
    form = CheckinListEditForm.for_list(checkin_list, request.POST)
    if form.is_valid():
        try:
            organiser_services.checkin_list_update(
                checkin_list=checkin_list, organiser=request.user, **form.cleaned_data
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("“%(name)s” is saved; its scanner page keeps its address.")
                % {"name": checkin_list.name},
            )
            return redirect("events:organiser_checkin_lists", slug=slug)
    return _lists_page(request, edition, edit_forms={pk: form})


@login_required
def checkin_list_delete(request, slug: str, pk: int):
    """GET asks for confirmation on a page of its own, so deleting works without JavaScript;
    POST deletes."""
    edition = _organiser_edition(request, slug)
    checkin_list = _checkin_list(edition, pk)
    if request.method != "POST":
        return render(
            request,
            "events/organiser/checkin_list_delete.html",
            {"edition": edition, "checkin_list": checkin_list},
        )
    try:
        organiser_services.checkin_list_delete(checkin_list=checkin_list, organiser=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Check-in list “%(name)s” deleted.") % {"name": checkin_list.name}
        )
    return redirect("events:organiser_checkin_lists", slug=slug)


@login_required
@require_POST
def checkin_list_staff_add(request, slug: str, pk: int):
    edition = _organiser_edition(request, slug)
    checkin_list = _checkin_list(edition, pk)
    form = StaffAddForm(request.POST, prefix=f"l{pk}")
    if form.is_valid():
        try:
            user = organiser_services.checkin_list_staff_add(
                checkin_list=checkin_list, organiser=request.user, email=form.cleaned_data["email"]
            )
        except ApplicationError as exc:
            form.add_error("email", exc.message)
        else:
            messages.success(
                request,
                _("%(user)s can now scan on “%(list)s”.")
                % {"user": user, "list": checkin_list.name},
            )
            if not can_scan_tickets(user):
                messages.warning(
                    request,
                    _(
                        "%(user)s has neither the exhibitor staff nor the organiser role, so the "
                        "scanner will refuse them until a site administrator grants one."
                    )
                    % {"user": user},
                )
            return redirect("events:organiser_checkin_lists", slug=slug)
    return _lists_page(request, edition, staff_forms={pk: form})


@login_required
@require_POST
def checkin_list_staff_remove(request, slug: str, pk: int, user_id: int):
    edition = _organiser_edition(request, slug)
    checkin_list = _checkin_list(edition, pk)
    user = get_object_or_404(get_user_model(), pk=user_id, checkin_lists=checkin_list)
    organiser_services.checkin_list_staff_remove(
        checkin_list=checkin_list, organiser=request.user, user=user
    )
    messages.success(
        request,
        _("%(user)s is off the staff of “%(list)s”.") % {"user": user, "list": checkin_list.name},
    )
    return redirect("events:organiser_checkin_lists", slug=slug)
