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
