"""B2B meeting pages: thin interfaces over events.services.meetings and selectors_meetings.

Actions are plain POST forms that redirect back (no JavaScript needed); with htmx (HX-Request)
the request row actions answer with the updated row partial instead."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.errors import ApplicationError
from marketplace.models import Offer, Request
from marketplace.taxonomy import ListingStatus

from . import exports_meetings, selectors
from . import selectors_meetings as sel
from .forms_meetings import (
    AvailabilityForm,
    BlockForm,
    DeclineForm,
    FilterForm,
    LocationStaffForm,
    ProfileForm,
    ProgrammeForm,
    ProposeForm,
    RequestForm,
    TablesForm,
)
from .models import (
    MeetingBlock,
    MeetingLocation,
    MeetingParticipant,
    MeetingSlot,
    MeetingStatus,
)
from .permissions_meetings import can_manage_meetings
from .services import meetings as services


def _edition(slug: str):
    edition = selectors.edition_get(slug=slug)
    if sel.programme_get(edition) is None:
        raise Http404
    return edition


def _participant(request, edition) -> MeetingParticipant | None:
    return sel.participant_for_user(edition, request.user)


def _live_context(edition) -> dict:
    return {"ws_url": f"/ws/events/{edition.slug}/meetings/"}


def _next(request) -> str:
    """The form's "next" page when it is one of ours, else ""."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _back(request, default: str, slug: str):
    """Redirect to the form's "next" page when it is one of ours, else to `default`."""
    target = _next(request)
    return redirect(target) if target else redirect(default, slug=slug)


def _nav(request, edition, participant: MeetingParticipant | None) -> dict:
    """What the meetings navigation needs besides the participant: whether to link the table
    staff page (no query when the participant row is loaded, else one EXISTS)."""
    return {
        "is_table_staff": sel.user_staffs_a_table(edition, request.user, participant=participant)
    }


def _fail(request, error: ApplicationError) -> None:
    messages.error(request, error.message)


@login_required
def profile(request, slug: str):
    """Opt in, or change the matchmaking profile."""
    edition = selectors.edition_get(slug=slug)
    if sel.programme_get(edition) is None:
        return render(request, "events/meetings/none.html", {"edition": edition}, status=404)
    participant = _participant(request, edition)
    organisation_ids = list(request.user.memberships.values_list("organisation_id", flat=True))
    own = {"organisation_id__in": organisation_ids, "status": ListingStatus.PUBLISHED}
    initial = {}
    if participant is not None:
        initial = {
            "offers_text": participant.offers_text,
            "seeks_text": participant.seeks_text,
            "offer_ids": [str(pk) for pk in participant.offers.values_list("pk", flat=True)],
            "request_ids": [str(pk) for pk in participant.requests.values_list("pk", flat=True)],
            "sectors": participant.sectors,
            "languages": participant.languages,
        }
    form = ProfileForm(
        request.POST or None,
        initial=initial,
        offers=Offer.objects.filter(**own).order_by("title"),
        requests=Request.objects.filter(**own).order_by("title"),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.participant_opt_in(
                edition=edition,
                user=request.user,
                offers_text=data["offers_text"],
                seeks_text=data["seeks_text"],
                offer_ids=[int(pk) for pk in data["offer_ids"]],
                request_ids=[int(pk) for pk in data["request_ids"]],
                sectors=data["sectors"],
                languages=data["languages"],
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your meeting profile is saved."))
            return redirect("events:meetings_suggestions", slug=edition.slug)
    return render(
        request,
        "events/meetings/profile.html",
        {
            "edition": edition,
            "participant": participant,
            "form": form,
            **_nav(request, edition, participant),
        },
    )


@login_required
def opt_out(request, slug: str):
    """Leave matchmaking. GET asks for confirmation and lists what will be called off (so it
    works without JavaScript); POST does it."""
    edition = _edition(slug)
    participant = _participant(request, edition)
    if participant is None or not participant.is_active:
        return redirect("events:meetings_profile", slug=edition.slug)
    if request.method == "POST":
        try:
            report = services.participant_opt_out(edition=edition, user=request.user)
        except ApplicationError as error:
            _fail(request, error)
        else:
            messages.success(
                request,
                _(
                    "You no longer take part in B2B meetings. %(count)d meetings and requests "
                    "were called off."
                )
                % {"count": len(report.declined) + len(report.cancelled)},
            )
        return redirect("events:meetings_profile", slug=edition.slug)
    return render(
        request,
        "events/meetings/opt_out.html",
        {
            "edition": edition,
            "participant": participant,
            "meetings": sel.open_meetings_for(participant),
            **_nav(request, edition, participant),
        },
    )


def _require_participant(request, edition) -> MeetingParticipant:
    participant = _participant(request, edition)
    if participant is None:
        raise Http404
    return participant


@login_required
def suggestions(request, slug: str):
    edition = _edition(slug)
    participant = _participant(request, edition)
    if participant is None or not participant.is_active:
        return redirect("events:meetings_profile", slug=edition.slug)
    form = FilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    people = sel.suggested_partners(
        participant,
        user=request.user,
        language=get_language() or "vi",
        sector=filters.get("sector", ""),
        province=filters.get("province", ""),
        participant_type=filters.get("type", ""),
    )
    return render(
        request,
        "events/meetings/suggestions.html",
        {
            "edition": edition,
            "participant": participant,
            "form": form,
            "people": people,
            **_nav(request, edition, participant),
        },
    )


@login_required
def partner(request, slug: str, pk: int):
    """A possible partner: their profile, the slots both of you have free, a request form."""
    edition = _edition(slug)
    participant = _require_participant(request, edition)
    other = get_object_or_404(sel.participants_of(edition), pk=pk)
    free = sel.free_slots_for(participant, other) if other.pk != participant.pk else []
    form = RequestForm(request.POST or None, slots=free)
    if request.method == "POST" and form.is_valid():
        slot = None
        if form.cleaned_data["slot"] != "any":
            slot = get_object_or_404(MeetingSlot, pk=form.cleaned_data["slot"], edition=edition)
        try:
            services.meeting_request(
                requester=participant,
                recipient=other,
                slot=slot,
                message=form.cleaned_data["message"],
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your request is sent."))
            return redirect("events:meetings_requests", slug=edition.slug)
    template = "events/meetings/partner.html"
    if request.headers.get("HX-Request"):
        template = "events/meetings/_partner_slots.html"
    return render(
        request,
        template,
        {
            "edition": edition,
            "participant": participant,
            "other": other,
            "free_slots": free,
            "form": form,
            **_live_context(edition),
            **_nav(request, edition, participant),
        },
    )


def _request_rows(participant, meetings):
    free = sel.free_slots_for(participant) if meetings else []
    return [
        {
            "meeting": m,
            "partner": sel.partner_of(m, participant),
            "answerer": services._answerer(m) == participant.pk,
            "propose_form": ProposeForm(slots=free, prefix=f"p{m.pk}"),
        }
        for m in meetings
    ]


@login_required
def my_requests(request, slug: str):
    edition = _edition(slug)
    participant = _participant(request, edition)
    if participant is None:
        return redirect("events:meetings_profile", slug=edition.slug)
    groups = sel.requests_for(participant)
    template = "events/meetings/requests.html"
    if request.headers.get("HX-Request"):
        template = "events/meetings/_requests_lists.html"
    return render(
        request,
        template,
        {
            "edition": edition,
            "participant": participant,
            "incoming": _request_rows(participant, groups["incoming"]),
            "outgoing": _request_rows(participant, groups["outgoing"]),
            "answered": _request_rows(participant, groups["answered"]),
            "decline_form": DeclineForm(),
            **_live_context(edition),
            **_nav(request, edition, participant),
        },
    )


@login_required
@require_POST
def request_action(request, slug: str, pk: int, action: str):
    edition = _edition(slug)
    participant = _require_participant(request, edition)
    meeting = get_object_or_404(sel.meetings_for_participant(participant), pk=pk)
    try:
        if action == "accept":
            services.meeting_accept(meeting=meeting, actor=request.user)
            messages.success(request, _("Request accepted."))
        elif action == "decline":
            form = DeclineForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            services.meeting_decline(meeting=meeting, actor=request.user, reason=reason)
            messages.success(request, _("Request declined."))
        elif action == "propose":
            slot = get_object_or_404(
                MeetingSlot, pk=request.POST.get(f"p{pk}-slot") or 0, edition=edition
            )
            services.meeting_propose(meeting=meeting, actor=request.user, slot=slot)
            messages.success(request, _("Your proposal is sent."))
        elif action == "cancel":
            services.meeting_cancel(meeting=meeting, actor=request.user)
            messages.success(request, _("Cancelled."))
        else:
            raise Http404
    except ApplicationError as error:
        _fail(request, error)
    if request.headers.get("HX-Request"):
        meeting = sel.meetings_for_participant(participant).get(pk=pk)
        return render(
            request,
            "events/meetings/_request_row.html",
            {
                "edition": edition,
                "participant": participant,
                "row": _request_rows(participant, [meeting])[0],
                "decline_form": DeclineForm(),
            },
        )
    return _back(request, "events:meetings_requests", edition.slug)


@login_required
def agenda(request, slug: str):
    edition = selectors.edition_get(slug=slug)
    if sel.programme_get(edition) is None:
        return render(request, "events/meetings/none.html", {"edition": edition}, status=404)
    participant = _participant(request, edition)
    if participant is None:
        return redirect("events:meetings_profile", slug=edition.slug)
    meetings = sel.agenda_for(participant)
    template = "events/meetings/agenda.html"
    if request.headers.get("HX-Request"):
        template = "events/meetings/_agenda_list.html"
    return render(
        request,
        template,
        {
            "edition": edition,
            "participant": participant,
            "rows": [{"meeting": m, "partner": sel.partner_of(m, participant)} for m in meetings],
            "programme": sel.programme_get(edition),
            **_live_context(edition),
            **_nav(request, edition, participant),
        },
    )


@login_required
def agenda_ics(request, slug: str):
    edition = _edition(slug)
    participant = _require_participant(request, edition)
    body = exports_meetings.agenda_ics(participant, sel.agenda_for(participant))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="techmart-{edition.slug}-b2b.ics"'
    return response


@login_required
def agenda_pdf(request, slug: str):
    edition = _edition(slug)
    participant = _require_participant(request, edition)
    body = exports_meetings.agenda_pdf(participant, sel.agenda_for(participant))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="techmart-{edition.slug}-b2b.pdf"'
    return response


@login_required
@require_POST
def attendance(request, slug: str, pk: int):
    edition = _edition(slug)
    meeting = get_object_or_404(sel.meetings_of_edition(edition), pk=pk)
    try:
        services.meeting_mark_attendance(
            meeting=meeting, actor=request.user, held=request.POST.get("held") == "1"
        )
        messages.success(request, _("Attendance recorded."))
    except ApplicationError as error:
        _fail(request, error)
    return _back(request, "events:meetings_agenda", edition.slug)


@login_required
@require_POST
def follow_up(request, slug: str, pk: int):
    edition = _edition(slug)
    participant = _require_participant(request, edition)
    meeting = get_object_or_404(sel.meetings_for_participant(participant), pk=pk)
    try:
        meeting = services.meeting_follow_up(
            meeting=meeting, actor=request.user, further_contact=request.POST.get("answer") == "yes"
        )
    except ApplicationError as error:
        _fail(request, error)
    else:
        if meeting.inquiry_id:
            messages.success(request, _("A conversation with your partner is open."))
            return redirect(meeting.inquiry.get_absolute_url())
        messages.success(request, _("Thank you for your answer."))
    return redirect("events:meetings_agenda", slug=edition.slug)


@login_required
def availability(request, slug: str):
    edition = _edition(slug)
    participant = _require_participant(request, edition)
    slots = [s for s in sel.slots_of(edition)]
    current = [str(pk) for pk in sel.unavailable_slot_ids(participant)]
    form = AvailabilityForm(request.POST or None, slots=slots, initial={"unavailable": current})
    if request.method == "POST" and form.is_valid():
        try:
            services.participant_set_unavailable(
                participant=participant,
                slot_ids=[int(pk) for pk in form.cleaned_data["unavailable"]],
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your availability is saved."))
            return redirect("events:meetings_agenda", slug=edition.slug)
    return render(
        request,
        "events/meetings/availability.html",
        {
            "edition": edition,
            "participant": participant,
            "form": form,
            **_nav(request, edition, participant),
        },
    )


# --- organisers -----------------------------------------------------------------------------


def _organiser_edition(request, slug: str):
    edition = selectors.edition_get(slug=slug, public=False)
    if not can_manage_meetings(request.user, edition):
        raise PermissionDenied
    return edition


def _locations(edition):
    return MeetingLocation.objects.filter(edition=edition, is_active=True).select_related("booth")


@login_required
def organiser(request, slug: str):
    edition = _organiser_edition(request, slug)
    overview = sel.programme_overview(edition)
    programme = overview["programme"]
    return render(
        request,
        "events/meetings/organiser.html",
        {
            "edition": edition,
            "overview": overview,
            "programme_form": ProgrammeForm(instance=programme),
            "block_form": BlockForm(initial={"day": edition.start_date}),
            "tables_form": TablesForm(initial={"count": overview["tables"]}),
            "staff_form": LocationStaffForm(locations=_locations(edition)),
            "staffed_locations": sel.locations_with_staff(edition) if programme else [],
            "staff_url": request.build_absolute_uri(
                reverse("events:meetings_table_staff", args=[edition.slug])
            ),
            "meetings": sel.meetings_of_edition(edition)[:200] if programme else [],
            "statuses": MeetingStatus.choices,
        },
    )


@login_required
@require_POST
def organiser_action(request, slug: str, action: str):
    edition = _organiser_edition(request, slug)
    try:
        if action == "programme":
            form = ProgrammeForm(request.POST)
            if form.is_valid():
                services.programme_save(
                    edition=edition, organiser=request.user, **form.cleaned_data
                )
                messages.success(request, _("Settings saved."))
            else:
                messages.error(request, _("Please correct the errors below."))
        elif action == "block":
            form = BlockForm(request.POST)
            if form.is_valid():
                services.block_add(edition=edition, organiser=request.user, **form.cleaned_data)
                messages.success(request, _("Block added."))
            else:
                messages.error(request, _("Please correct the errors below."))
        elif action == "block-delete":
            block = get_object_or_404(
                MeetingBlock, pk=request.POST.get("block") or 0, programme__edition=edition
            )
            services.block_delete(block=block, organiser=request.user)
            messages.success(request, _("Block removed."))
        elif action == "tables":
            form = TablesForm(request.POST)
            if form.is_valid():
                services.tables_set(
                    edition=edition, organiser=request.user, count=form.cleaned_data["count"]
                )
                messages.success(request, _("Tables saved."))
        elif action == "staff-add":
            form = LocationStaffForm(request.POST, locations=_locations(edition))
            if form.is_valid():
                user = services.location_staff_add(
                    location=form.cleaned_data["location"],
                    organiser=request.user,
                    email=form.cleaned_data["email"],
                )
                messages.success(
                    request,
                    _("%(user)s now staffs %(location)s.")
                    % {"user": user, "location": form.cleaned_data["location"]},
                )
            else:
                messages.error(request, _("Please correct the errors below."))
        elif action == "staff-remove":
            location = get_object_or_404(
                MeetingLocation, pk=request.POST.get("location") or 0, edition=edition
            )
            user = get_object_or_404(location.staff, pk=request.POST.get("user") or 0)
            services.location_staff_remove(location=location, organiser=request.user, user=user)
            messages.success(request, _("Staff member removed."))
        elif action == "booths":
            created = services.booths_as_locations(edition=edition, organiser=request.user)
            messages.success(
                request, _("%(count)d booths added as locations.") % {"count": created}
            )
        elif action == "quick":
            report = services.quick_schedule_run(edition=edition, organiser=request.user)
            return render(
                request,
                "events/meetings/quick_report.html",
                {"edition": edition, "report": report},
            )
        elif action == "publish":
            services.programme_publish(edition=edition, organiser=request.user)
            messages.success(request, _("The schedule is published."))
        else:
            raise Http404
    except ApplicationError as error:
        _fail(request, error)
    return redirect("events:meetings_organiser", slug=edition.slug)


# --- table staff ----------------------------------------------------------------------------


def _requested_day(raw: str, days: list[dt.date]) -> dt.date | None:
    """The ?ngay=YYYY-MM-DD day when it is one of `days`, else None."""
    try:
        day = parse_date(raw)
    except ValueError:  # well formed but impossible, such as 2026-02-30
        return None
    return day if day in days else None


def _table_staff_url(edition, day: dt.date) -> str:
    return f"{reverse('events:meetings_table_staff', args=[edition.slug])}?ngay={day.isoformat()}"


@login_required
def table_staff(request, slug: str):
    """One day's meetings at the tables the user staffs, in time order, to mark held or no-show.
    ?ngay=YYYY-MM-DD picks the fair's day (local); without it, or when it is not a day of the
    fair, the page shows today during the fair, else its nearest end."""
    edition = _edition(slug)
    locations = sel.locations_staffed_by(edition, request.user)
    if not locations:
        raise PermissionDenied
    days = sel.edition_days(edition)
    raw = request.GET.get("ngay", "").strip()
    day = _requested_day(raw, days) if raw else None
    meetings_day = day or sel.table_staff_default_day(edition)
    meetings = list(sel.table_meetings_for_staff(edition, request.user, day=meetings_day))
    return render(
        request,
        "events/meetings/table_staff.html",
        {
            "edition": edition,
            "locations": locations,
            "days": days,
            "day": meetings_day,
            "day_refused": bool(raw) and day is None,
            "here": _table_staff_url(edition, meetings_day),
            "meetings": meetings,
            "now": timezone.now(),
            # the meetings navigation: a staff member who is also a participant gets their
            # own pages' links too
            "participant": _participant(request, edition),
            "is_table_staff": True,
        },
    )


@login_required
@require_POST
def table_staff_mark(request, slug: str, pk: int):
    """Mark held or no-show, then back to the page of the meeting's day."""
    edition = _edition(slug)
    meeting = get_object_or_404(sel.table_meetings_for_staff(edition, request.user), pk=pk)
    try:
        services.meeting_mark_attendance(
            meeting=meeting, actor=request.user, held=request.POST.get("held") == "1"
        )
    except ApplicationError as error:
        _fail(request, error)
    else:
        messages.success(request, _("Attendance recorded."))
    return redirect(
        _next(request) or _table_staff_url(edition, timezone.localdate(meeting.slot.starts_at))
    )
