"""Seminars (hội thảo, tọa đàm): capacity, registration and the waiting list."""

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from accounts.errors import ApplicationError
from accounts.models import User

from ..models import (
    CheckinList,
    CheckinListKind,
    Edition,
    Seminar,
    SeminarRegistration,
    SeminarRegistrationStatus,
    Ticket,
)
from .booths import ensure_organiser


@transaction.atomic
def seminar_create(*, edition: Edition, organiser: User, **fields) -> Seminar:
    """A seminar and its own check-in list, scanned with the visitor's fair ticket."""
    ensure_organiser(user=organiser, edition=edition)
    seminar = Seminar.objects.create(edition=edition, **fields)
    CheckinList.objects.create(
        edition=edition,
        name=seminar.title[:150],
        slug=f"hoi-thao-{seminar.pk}-{slugify(seminar.title)}"[:60].rstrip("-"),
        kind=CheckinListKind.SEMINAR,
        seminar=seminar,
    )
    return seminar


@transaction.atomic
def seminar_register(*, seminar: Seminar, ticket: Ticket) -> SeminarRegistration:
    """A seat while there is one, otherwise a place on the waiting list. Registering twice
    returns the existing registration."""
    if ticket.edition_id != seminar.edition_id:
        raise ApplicationError("wrong_event", _("This ticket is for another fair."), status=409)
    if ticket.is_revoked:
        raise ApplicationError("revoked", _("This ticket has been revoked."), status=409)
    # The seminar row is the lock that keeps two last-seat registrations from both getting in.
    seminar = Seminar.objects.select_for_update().get(pk=seminar.pk)
    registration = SeminarRegistration.objects.filter(seminar=seminar, ticket=ticket).first()
    if registration and registration.status != SeminarRegistrationStatus.CANCELLED:
        return registration
    taken = seminar.registrations.filter(status=SeminarRegistrationStatus.REGISTERED).count()
    status = (
        SeminarRegistrationStatus.REGISTERED
        if taken < seminar.capacity
        else SeminarRegistrationStatus.WAITLISTED
    )
    if registration is None:
        return SeminarRegistration.objects.create(seminar=seminar, ticket=ticket, status=status)
    SeminarRegistration.objects.filter(pk=registration.pk).delete()
    return SeminarRegistration.objects.create(seminar=seminar, ticket=ticket, status=status)


@transaction.atomic
def seminar_cancel(*, registration: SeminarRegistration) -> SeminarRegistration:
    """Cancel a seat; the first person on the waiting list moves up."""
    seminar = Seminar.objects.select_for_update().get(pk=registration.seminar_id)
    registration = SeminarRegistration.objects.get(pk=registration.pk)
    was_registered = registration.status == SeminarRegistrationStatus.REGISTERED
    registration.status = SeminarRegistrationStatus.CANCELLED
    registration.save(update_fields=["status"])
    if was_registered:
        waiting = (
            seminar.registrations.filter(status=SeminarRegistrationStatus.WAITLISTED)
            .order_by("created_at", "pk")
            .first()
        )
        if waiting is not None:
            waiting.status = SeminarRegistrationStatus.REGISTERED
            waiting.save(update_fields=["status"])
    return registration
