"""Celery tasks: thin interfaces that take ids and call services or send mail."""

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage, send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .models import ExhibitorApplication, Ticket


@shared_task
def bookings_expire_task() -> int:
    from .services.booths import bookings_expire

    return bookings_expire()


@shared_task
def application_decision_send(application_id: int) -> None:
    application = ExhibitorApplication.objects.select_related(
        "edition", "organisation", "submitted_by"
    ).get(pk=application_id)
    recipient = application.submitted_by
    if recipient is None or not recipient.email:
        return
    with translation.override(recipient.preferred_language or settings.LANGUAGE_CODE):
        context = {"application": application, "site_url": settings.SITE_URL}
        subject = render_to_string("events/email/decision_subject.txt", context).strip()
        body = render_to_string("events/email/decision_body.txt", context)
    send_mail(subject, body, None, [recipient.email])


@shared_task
def ticket_email_send(ticket_id: int) -> None:
    from .services.tickets import ticket_badge_pdf

    ticket = Ticket.objects.select_related("edition", "exhibitor").get(pk=ticket_id)
    if not ticket.email:
        return
    url = settings.SITE_URL + reverse("events:ticket", args=[ticket.code])
    context = {"ticket": ticket, "url": url}
    subject = render_to_string("events/email/ticket_subject.txt", context).strip()
    body = render_to_string("events/email/ticket_body.txt", context)
    message = EmailMessage(subject, body, to=[ticket.email])
    message.attach(
        f"techmart-{ticket.edition.slug}.pdf", ticket_badge_pdf(ticket=ticket), "application/pdf"
    )
    message.send()


# --- B2B meetings ---------------------------------------------------------------------------


@shared_task
def meetings_expire_task() -> int:
    from .services.meetings import meetings_expire

    return meetings_expire()


@shared_task
def meetings_remind_task() -> int:
    from .services.meetings import meetings_send_reminders

    return len(meetings_send_reminders())


def _meeting_mail(meeting_id: int, template: str) -> int:
    """One email to each participant of the meeting, in their language."""
    from .models import Meeting

    meeting = Meeting.objects.select_related(
        "edition",
        "slot",
        "location__booth",
        "requester__user",
        "requester__ticket",
        "recipient__user",
        "recipient__ticket",
    ).get(pk=meeting_id)
    agenda_url = settings.SITE_URL + reverse("events:meetings_agenda", args=[meeting.edition.slug])
    sent = 0
    for person, partner in (
        (meeting.requester, meeting.recipient),
        (meeting.recipient, meeting.requester),
    ):
        email = (person.user.email if person.user else "") or person.ticket.email
        if not email:
            continue
        language = (person.user.preferred_language if person.user else "") or settings.LANGUAGE_CODE
        with translation.override(language):
            context = {
                "meeting": meeting,
                "person": person,
                "partner": partner,
                "url": agenda_url,
            }
            subject = render_to_string(f"events/email/{template}_subject.txt", context).strip()
            body = render_to_string(f"events/email/{template}_body.txt", context)
        send_mail(subject, body, None, [email])
        sent += 1
    return sent


@shared_task
def meeting_change_email(meeting_id: int) -> int:
    return _meeting_mail(meeting_id, "meeting_change")


@shared_task
def meeting_reminder_email(meeting_id: int) -> int:
    return _meeting_mail(meeting_id, "meeting_reminder")


@shared_task
def agenda_published_email(participant_id: int) -> int:
    """The participant's schedule, once the organisers publish it."""
    from .models import MeetingParticipant
    from .selectors_meetings import agenda_for, partner_of

    person = MeetingParticipant.objects.select_related("edition", "user", "ticket").get(
        pk=participant_id
    )
    email = (person.user.email if person.user else "") or person.ticket.email
    if not email:
        return 0
    language = (person.user.preferred_language if person.user else "") or settings.LANGUAGE_CODE
    rows = [(m, partner_of(m, person)) for m in agenda_for(person) if m.slot_id]
    url = settings.SITE_URL + reverse("events:meetings_agenda", args=[person.edition.slug])
    with translation.override(language):
        context = {"person": person, "rows": rows, "url": url}
        subject = render_to_string("events/email/agenda_published_subject.txt", context).strip()
        body = render_to_string("events/email/agenda_published_body.txt", context)
    send_mail(subject, body, None, [email])
    return 1
