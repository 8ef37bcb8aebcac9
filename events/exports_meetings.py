"""A participant's agenda as an ICS calendar and as a PDF (reads only)."""

from __future__ import annotations

import io
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Meeting, MeetingParticipant
from .selectors_meetings import partner_of

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")


def meeting_uid(meeting: Meeting) -> str:
    """Stable across exports, so calendar apps update the event instead of duplicating it."""
    host = settings.SITE_URL.split("//")[-1].split("/")[0] or "techmart.local"
    return f"meeting-{meeting.pk}@{host}"


def _partner_line(partner: MeetingParticipant) -> str:
    listings = [o.title for o in partner.offers.all()] + [r.title for r in partner.requests.all()]
    text = listings[0] if listings else (partner.offers_text or partner.seeks_text)
    return text


def agenda_ics(participant: MeetingParticipant, meetings: list[Meeting]) -> bytes:
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//Techmart//B2B meetings//VI")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{participant.edition.name} – B2B")
    calendar.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    for meeting in meetings:
        if meeting.slot is None:
            continue
        partner = partner_of(meeting, participant)
        event = Event()
        event.add("uid", meeting_uid(meeting))
        event.add("dtstamp", timezone.now())
        event.add("dtstart", meeting.slot.starts_at.astimezone(LOCAL))
        event.add("dtend", meeting.slot.ends_at.astimezone(LOCAL))
        event.add("summary", _("B2B meeting: %(partner)s") % {"partner": str(partner)})
        if meeting.location is not None:
            event.add("location", str(meeting.location))
        event.add("description", _partner_line(partner))
        event.add("status", "CONFIRMED")
        calendar.add_component(event)
    # A VTIMEZONE for Asia/Ho_Chi_Minh, so calendar apps read the TZID without guessing.
    calendar.add_missing_timezones()
    return calendar.to_ical()


def agenda_pdf(participant: MeetingParticipant, meetings: list[Meeting]) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from .services.tickets import _badge_font  # Unicode font with Vietnamese glyphs

    font = _badge_font()
    styles = getSampleStyleSheet()
    for style in styles.byName.values():
        style.fontName = font
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, title=f"{participant.edition.name} – B2B")
    story = [
        Paragraph(f"{participant.edition.name} – {_('My B2B agenda')}", styles["Title"]),
        Paragraph(str(participant), styles["Normal"]),
        Spacer(1, 12),
    ]
    rows = [[_("Time"), _("Place"), _("Partner"), _("Offer or request")]]
    for meeting in meetings:
        partner = partner_of(meeting, participant)
        when = (
            f"{timezone.localtime(meeting.slot.starts_at):%d/%m %H:%M}"
            if meeting.slot
            else str(_("Waiting for scheduling"))
        )
        rows.append(
            [
                when,
                str(meeting.location) if meeting.location else "–",
                Paragraph(str(partner), styles["Normal"]),
                Paragraph(_partner_line(partner) or "–", styles["Normal"]),
            ]
        )
    table = Table(rows, colWidths=[70, 70, 170, 210], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(table)
    doc.build(story)
    return buffer.getvalue()
