"""Who may do what at the fair. Builds on accounts.permissions, where the roles are decided."""

from accounts.models import Organisation, User
from accounts.permissions import (
    can_act_for_organisation,
    can_scan_tickets,
    is_member_of,
    is_organiser,
)

from .models import ACTIVE_BOOKING_STATUSES, BoothBooking, CheckinList, Edition


def can_manage_edition(user: User, edition: Edition) -> bool:
    """Organisers of this edition (and superusers) review applications, lay out booths, mark
    payments and see the figures."""
    if not is_organiser(user):
        return False
    if user.is_superuser:
        return True
    return edition.organisers.filter(pk=user.pk).exists()


def can_apply_to_exhibit(user: User, organisation: Organisation) -> bool:
    return can_act_for_organisation(user, organisation)


def can_scan_list(user: User, checkin_list: CheckinList) -> bool:
    """The list's own staff, and the edition's organisers. selectors.checkin_list_for_scanner
    annotates both memberships on the list, which saves the gate two queries per scan."""
    on_staff = getattr(checkin_list, "scanner_on_staff", None)
    organises = getattr(checkin_list, "scanner_organises", None)
    if on_staff is None or organises is None:
        on_staff = checkin_list.staff.filter(pk=user.pk).exists()
        organises = checkin_list.edition.organisers.filter(pk=user.pk).exists()
    if on_staff and can_scan_tickets(user):
        return True
    return is_organiser(user) and (organises or user.is_superuser)


def is_exhibiting(organisation: Organisation, edition: Edition) -> bool:
    return BoothBooking.objects.filter(
        application__edition=edition,
        application__organisation=organisation,
        status__in=ACTIVE_BOOKING_STATUSES,
    ).exists()


def can_scan_leads(user: User, organisation: Organisation, edition: Edition) -> bool:
    """Staff of an exhibiting organisation scan visitors' badges at its booth."""
    return is_member_of(user, organisation) and is_exhibiting(organisation, edition)
