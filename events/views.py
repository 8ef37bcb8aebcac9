"""Pages of the fair: thin interfaces that parse input, call services or selectors and render."""

import csv
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from accounts.errors import ApplicationError
from accounts.models import Organisation
from accounts.permissions import can_act_for_organisation

from . import selectors
from .forms import (
    ApplicationForm,
    BoothCsvForm,
    BoothForm,
    DecisionForm,
    GroupRegistrationForm,
    RegistrationForm,
    SeminarForm,
    StaffForm,
)
from .models import (
    ApplicationStatus,
    BookingStatus,
    Booth,
    BoothStatus,
    ExhibitorApplication,
    Payment,
    PaymentProvider,
    Seminar,
    SeminarRegistration,
)
from .permissions import can_manage_edition, can_scan_leads, can_scan_list
from .services import booths as booth_services
from .services import editions as edition_services
from .services import payments as payment_services
from .services import seminars as seminar_services
from .services import tickets as ticket_services

STATUS_LABELS = dict(BoothStatus.choices)


def _organiser_edition(request, slug: str):
    edition = selectors.edition_get(slug=slug, public=False)
    if not can_manage_edition(request.user, edition):
        raise PermissionDenied
    return edition


# --- Public pages -----------------------------------------------------------------------------


def index(request):
    editions = list(selectors.edition_list_public())
    current = selectors.edition_current()
    return render(request, "events/index.html", {"editions": editions, "current": current})


def edition_detail(request, slug: str):
    edition = selectors.edition_get(slug=slug)
    plan = selectors.booth_plan(edition=edition)
    width, height = selectors.plan_extent(plan)
    counts = {status: 0 for status in BoothStatus.values}
    for item in plan:
        counts[item.status] += 1
    return render(
        request,
        "events/edition.html",
        {
            "edition": edition,
            "plan": plan,
            "plan_width": width,
            "plan_height": height,
            "legend": [(status, STATUS_LABELS[status], counts[status]) for status in counts],
            "seminars": selectors.seminar_list(edition=edition),
            "can_manage": can_manage_edition(request.user, edition),
        },
    )


def register(request, slug: str):
    edition = selectors.edition_get(slug=slug)
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ticket, created = ticket_services.ticket_register(
                edition=edition, attendee=form.attendee()
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            if not created:
                messages.info(
                    request, _("This phone number is already registered: here is its ticket.")
                )
            return redirect("events:ticket", code=ticket.code)
    return render(request, "events/register.html", {"edition": edition, "form": form})


def register_group(request, slug: str):
    edition = selectors.edition_get(slug=slug)
    form = GroupRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            group, tickets = ticket_services.group_register(
                edition=edition,
                contact_name=data["contact_name"],
                contact_phone=data["contact_phone"],
                contact_email=data["contact_email"],
                organisation_name=data["organisation_name"],
                members=form.attendees(),
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            return render(
                request,
                "events/group_done.html",
                {"edition": edition, "group": group, "tickets": tickets},
            )
    return render(request, "events/register_group.html", {"edition": edition, "form": form})


def seminars(request, slug: str):
    edition = selectors.edition_get(slug=slug)
    return render(
        request,
        "events/seminars.html",
        {"edition": edition, "seminars": selectors.seminar_list(edition=edition)},
    )


def ticket(request, code: str):
    ticket = selectors.ticket_get(code=code)
    registrations = {r.seminar_id: r for r in selectors.agenda(ticket=ticket)}
    seminar_rows = [
        (seminar, registrations.get(seminar.pk))
        for seminar in selectors.seminar_list(edition=ticket.edition)
    ]
    return render(
        request,
        "events/ticket.html",
        {
            "ticket": ticket,
            "agenda": list(registrations.values()),
            "seminar_rows": seminar_rows,
            "visits": selectors.ticket_visits(ticket=ticket),
        },
    )


def ticket_qr(request, code: str):
    ticket = selectors.ticket_get(code=code)
    response = HttpResponse(ticket_services.ticket_qr_png(ticket=ticket), content_type="image/png")
    response["Cache-Control"] = "private, max-age=3600"
    return response


def ticket_badge(request, code: str):
    ticket = selectors.ticket_get(code=code)
    response = HttpResponse(
        ticket_services.ticket_badge_pdf(ticket=ticket), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="techmart-{ticket.edition.slug}.pdf"'
    return response


@require_POST
def seminar_register(request, code: str, seminar_id: int):
    ticket = selectors.ticket_get(code=code)
    seminar = get_object_or_404(Seminar, pk=seminar_id, edition=ticket.edition)
    try:
        registration = seminar_services.seminar_register(seminar=seminar, ticket=ticket)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        if registration.status == "registered":
            messages.success(
                request, _("You have a seat at “%(title)s”.") % {"title": seminar.title}
            )
        else:
            messages.info(
                request,
                _("“%(title)s” is full: you are on the waiting list.") % {"title": seminar.title},
            )
    return redirect("events:ticket", code=ticket.code)


@require_POST
def seminar_cancel(request, code: str, seminar_id: int):
    ticket = selectors.ticket_get(code=code)
    registration = get_object_or_404(SeminarRegistration, ticket=ticket, seminar_id=seminar_id)
    seminar_services.seminar_cancel(registration=registration)
    messages.info(request, _("Your seminar registration is cancelled."))
    return redirect("events:ticket", code=ticket.code)


# --- Exhibitors -------------------------------------------------------------------------------


def _my_organisations(request):
    return Organisation.objects.filter(memberships__user=request.user).order_by("name")


@login_required
def exhibitor(request, slug: str):
    edition = selectors.edition_get(slug=slug)
    organisations = _my_organisations(request)
    applications = list(selectors.application_for(edition=edition, organisations=organisations))
    applied = {a.organisation_id for a in applications}
    form = ApplicationForm(
        request.POST or None,
        organisations=organisations.exclude(pk__in=applied),
        booths=Booth.objects.filter(edition=edition).order_by("code"),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            booth_services.application_submit(
                edition=edition,
                organisation=data["organisation"],
                user=request.user,
                technologies=data["technologies"],
                needs=data["needs"],
                booth_type=data["booth_type"],
                wanted_booths=list(data["wanted_booths"]),
                offers=list(data["offers"]),
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("Your application is submitted. The organisers will email you.")
            )
            return redirect("events:exhibitor", slug=edition.slug)
    approved = [a for a in applications if a.status == ApplicationStatus.APPROVED]
    for application in approved:
        application.staff_list = list(
            selectors.staff_tickets(edition=edition, exhibitor=application.organisation)
        )
    plan = selectors.booth_plan(edition=edition) if approved else []
    width, height = selectors.plan_extent(plan)
    return render(
        request,
        "events/exhibitor.html",
        {
            "edition": edition,
            "applications": applications,
            "approved": approved,
            "form": form if organisations.exclude(pk__in=applied).exists() else None,
            "plan": plan,
            "plan_width": width,
            "plan_height": height,
        },
    )


@login_required
@require_POST
def booth_hold(request, slug: str, code: str):
    edition = selectors.edition_get(slug=slug)
    booth = get_object_or_404(Booth, edition=edition, code=code)
    application = get_object_or_404(
        ExhibitorApplication, pk=request.POST.get("application"), edition=edition
    )
    try:
        booking = booth_services.booking_hold(
            application=application, booth=booth, user=request.user
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("events:exhibitor", slug=edition.slug)
    return redirect("events:booking_pay", slug=edition.slug, pk=booking.pk)


@login_required
def booking_pay(request, slug: str, pk: int):
    booking = selectors.booking_get(pk=pk)
    edition = booking.application.edition
    if edition.slug != slug:
        raise Http404
    if not (
        can_act_for_organisation(request.user, booking.organisation)
        or can_manage_edition(request.user, edition)
    ):
        raise PermissionDenied
    client_secret = None
    stripe_error = None
    if (
        edition.payment_provider == PaymentProvider.STRIPE
        and booking.status in (BookingStatus.HELD, BookingStatus.BOOKED)
        and payment_services.stripe_available()
    ):
        try:
            payment, client_secret = payment_services.payment_start_stripe(
                booking=booking, user=request.user
            )
        except ApplicationError as exc:
            stripe_error = exc.message
        else:
            if payment.state != "pending":
                booking = selectors.booking_get(pk=pk)
                client_secret = None
    payments = list(booking.payments.order_by("created_at"))
    return render(
        request,
        "events/booking_pay.html",
        {
            "edition": edition,
            "booking": booking,
            "payments": payments,
            "client_secret": client_secret,
            "stripe_error": stripe_error,
            "stripe_js_url": settings.STRIPE_JS_URL,
            "stripe_key": settings.STRIPE_PUBLISHABLE_KEY,
            "return_url": request.build_absolute_uri(request.path),
        },
    )


@login_required
@require_POST
def booking_card_confirm(request, slug: str, pk: int):
    """Stripe.js tokenised the card in the browser; confirm the PaymentIntent with it."""
    booking = selectors.booking_get(pk=pk)
    if booking.application.edition.slug != slug:
        raise Http404
    payment = get_object_or_404(
        Payment, booking=booking, provider=PaymentProvider.STRIPE, state="pending"
    )
    try:
        status = payment_services.payment_confirm_stripe(
            payment=payment,
            payment_method=request.POST.get("payment_method", ""),
            user=request.user,
        )
    except ApplicationError as exc:
        return JsonResponse(exc.as_dict(), status=exc.status)
    return JsonResponse({"status": "ok", "intent_status": status})


@login_required
@require_POST
def staff_add(request, slug: str, org_slug: str):
    edition = selectors.edition_get(slug=slug)
    organisation = get_object_or_404(Organisation, slug=org_slug)
    form = StaffForm(request.POST)
    if form.is_valid():
        try:
            ticket_services.exhibitor_staff_add(
                edition=edition,
                exhibitor=organisation,
                attendee=ticket_services.Attendee(**form.cleaned_data),
                actor=request.user,
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The staff badge is issued."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("events:exhibitor", slug=edition.slug)


def _lead_context(request, slug: str, org_slug: str):
    edition = selectors.edition_get(slug=slug)
    organisation = get_object_or_404(Organisation, slug=org_slug)
    if not can_scan_leads(request.user, organisation, edition):
        raise PermissionDenied
    return edition, organisation


@login_required
def leads(request, slug: str, org_slug: str):
    edition, organisation = _lead_context(request, slug, org_slug)
    return render(
        request,
        "events/leads.html",
        {
            "edition": edition,
            "organisation": organisation,
            "leads": selectors.lead_list(edition=edition, exhibitor=organisation),
        },
    )


@login_required
def leads_csv(request, slug: str, org_slug: str):
    edition, organisation = _lead_context(request, slug, org_slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="leads-{organisation.slug}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Name"),
            _("Organisation"),
            _("Province"),
            _("Phone"),
            _("Email"),
            _("Interests"),
            _("Visits"),
            _("First visit"),
            _("Note"),
        ]
    )
    for lead in selectors.lead_list(edition=edition, exhibitor=organisation):
        shared = lead.ticket.share_contact
        writer.writerow(
            [
                lead.ticket.name,
                lead.ticket.organisation_name,
                lead.ticket.get_province_display(),
                lead.ticket.phone if shared else "",
                lead.ticket.email if shared else "",
                lead.ticket.interests,
                lead.visits,
                lead.first_seen_at.isoformat(),
                lead.note,
            ]
        )
    return response


@login_required
def lead_scanner(request, slug: str, org_slug: str):
    edition, organisation = _lead_context(request, slug, org_slug)
    return render(
        request,
        "events/scanner.html",
        {
            "edition": edition,
            "mode": "lead",
            "title": organisation.name,
            "config": {
                "mode": "lead",
                "url": reverse("api-event-leads", args=[edition.slug]),
                "exhibitor": organisation.slug,
            },
        },
    )


def receipt(request, pk: int):
    payment = get_object_or_404(
        Payment.objects.select_related(
            "booking__booth", "booking__application__organisation", "booking__application__edition"
        ),
        pk=pk,
    )
    booking = payment.booking
    if not request.user.is_authenticated or not (
        can_act_for_organisation(request.user, booking.organisation)
        or can_manage_edition(request.user, booking.application.edition)
    ):
        raise PermissionDenied
    if not payment.receipt_number:
        raise Http404
    return render(request, "events/receipt.html", {"payment": payment, "booking": booking})


# --- Organisers -------------------------------------------------------------------------------


@login_required
def organiser(request, slug: str):
    edition = _organiser_edition(request, slug)
    plan = selectors.booth_plan(edition=edition)
    free = Booth.objects.filter(pk__in=[p.booth.pk for p in plan if p.status == BoothStatus.FREE])
    applications = list(selectors.application_list(edition=edition))
    return render(
        request,
        "events/organiser.html",
        {
            "edition": edition,
            "applications": [
                (a, DecisionForm(free_booths=free, prefix=f"a{a.pk}")) for a in applications
            ],
            "bookings": selectors.booking_list(edition=edition),
            "csv_form": BoothCsvForm(),
            "booth_form": BoothForm(),
            "seminar_form": SeminarForm(),
            "next_status": edition_services.NEXT_STATUS.get(edition.status),
            "plan": plan,
        },
    )


@login_required
@require_POST
def application_decide(request, slug: str, pk: int):
    edition = _organiser_edition(request, slug)
    application = get_object_or_404(ExhibitorApplication, pk=pk, edition=edition)
    form = DecisionForm(
        request.POST, prefix=f"a{pk}", free_booths=Booth.objects.filter(edition=edition)
    )
    if not form.is_valid():
        messages.error(request, _("Choose a decision."))
        return redirect("events:organiser", slug=slug)
    data = form.cleaned_data
    try:
        if data["decision"] == "approve":
            booth_services.application_approve(
                application=application, organiser=request.user, booth=data["booth"]
            )
        elif data["decision"] == "waitlist":
            booth_services.application_waitlist(
                application=application, organiser=request.user, reason=data["reason"]
            )
        else:
            booth_services.application_reject(
                application=application, organiser=request.user, reason=data["reason"]
            )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Decision saved and emailed to the applicant."))
    return redirect("events:organiser", slug=slug)


@login_required
@require_POST
def booths_import(request, slug: str):
    edition = _organiser_edition(request, slug)
    form = BoothCsvForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            result = booth_services.booths_import_csv(
                edition=edition, text=form.cleaned_data["file"], organiser=request.user
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("%(created)d booths created, %(updated)d updated.")
                % {"created": result.created, "updated": result.updated},
            )
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("events:organiser", slug=slug)


@login_required
@require_POST
def booth_save(request, slug: str):
    edition = _organiser_edition(request, slug)
    existing = Booth.objects.filter(
        edition=edition, code=request.POST.get("code", "").strip().upper()
    ).first()
    form = BoothForm(request.POST, instance=existing)
    if form.is_valid():
        data = dict(form.cleaned_data)
        code = data.pop("code")
        zone_name = data.pop("zone_name")
        booth_services.booth_upsert(edition=edition, code=code, zone_name=zone_name, **data)
        messages.success(request, _("Booth %(code)s saved.") % {"code": code.upper()})
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("events:organiser", slug=slug)


@login_required
@require_POST
def edition_advance(request, slug: str):
    edition = _organiser_edition(request, slug)
    try:
        edition = edition_services.edition_advance(
            edition=edition, organiser=request.user, expected=request.POST.get("expected", "")
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("The fair is now: %(status)s.") % {"status": edition.get_status_display()}
        )
    return redirect("events:organiser", slug=slug)


@login_required
@require_POST
def seminar_add(request, slug: str):
    edition = _organiser_edition(request, slug)
    form = SeminarForm(request.POST)
    if form.is_valid():
        seminar = seminar_services.seminar_create(
            edition=edition, organiser=request.user, **form.cleaned_data
        )
        messages.success(request, _("Seminar “%(title)s” added.") % {"title": seminar.title})
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("events:organiser", slug=slug)


@login_required
@require_POST
def booking_mark_paid(request, slug: str, pk: int):
    edition = _organiser_edition(request, slug)
    booking = selectors.booking_get(pk=pk)
    if booking.application.edition_id != edition.pk:
        raise Http404
    try:
        payment = payment_services.payment_mark_paid(booking=booking, organiser=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Payment recorded, receipt %(number)s.") % {"number": payment.receipt_number}
        )
    return redirect("events:organiser", slug=slug)


@login_required
@require_POST
def booking_cancel(request, slug: str, pk: int):
    edition = _organiser_edition(request, slug)
    booking = selectors.booking_get(pk=pk)
    if booking.application.edition_id != edition.pk:
        raise Http404
    try:
        booth_services.booking_cancel(booking=booking, organiser=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The booking is cancelled and any payment refunded."))
    return redirect("events:organiser", slug=slug)


@login_required
def figures(request, slug: str):
    edition = _organiser_edition(request, slug)
    data = selectors.figures(edition=edition)
    chart = {
        "labels": data.hours,
        "datasets": [{"label": name, "data": counts} for name, counts in data.hourly.items()],
    }
    return render(
        request,
        "events/figures.html",
        {"edition": edition, "figures": data, "chart": chart},
    )


# --- Scanning ---------------------------------------------------------------------------------


@login_required
def scanner_lists(request, slug: str):
    edition = selectors.edition_get(slug=slug)
    lists = selectors.checkin_lists_for(edition=edition, user=request.user)
    if not lists:
        raise PermissionDenied
    return render(request, "events/scanner_lists.html", {"edition": edition, "lists": lists})


@login_required
def scanner(request, slug: str, list_slug: str):
    checkin_list = selectors.checkin_list_for_scanner(
        edition_slug=slug, slug=list_slug, user=request.user
    )
    edition = checkin_list.edition
    if not can_scan_list(request.user, checkin_list):
        raise PermissionDenied
    return render(
        request,
        "events/scanner.html",
        {
            "edition": edition,
            "mode": "checkin",
            "title": checkin_list.name,
            "checkin_list": checkin_list,
            "config": {
                "mode": "checkin",
                "url": reverse("api-event-checkins", args=[edition.slug]),
                "list": checkin_list.slug,
            },
        },
    )


# --- Payment provider callbacks ---------------------------------------------------------------


@csrf_exempt
@require_POST
def stripe_webhook(request):
    try:
        outcome = payment_services.stripe_webhook_handle(
            payload=request.body, signature=request.headers.get("Stripe-Signature", "")
        )
    except ApplicationError as exc:
        return HttpResponseBadRequest(json.dumps(exc.as_dict()), content_type="application/json")
    return HttpResponse(
        json.dumps({"status": "ok", "outcome": outcome}), content_type="application/json"
    )
