"""Who may do what with B2B meetings. Builds on events.permissions and accounts.permissions."""

from accounts.models import User

from .models import Edition, Meeting, MeetingLocation, MeetingParticipant
from .permissions import can_manage_edition


def can_manage_meetings(user: User, edition: Edition) -> bool:
    return can_manage_edition(user, edition)


def is_meeting_party(user: User, meeting: Meeting) -> bool:
    return user.is_authenticated and user.pk in {
        meeting.requester.user_id,
        meeting.recipient.user_id,
    }


def is_table_staff(user: User, location: MeetingLocation | None) -> bool:
    return (
        user.is_authenticated
        and location is not None
        and location.staff.filter(pk=user.pk).exists()
    )


def can_mark_attendance(user: User, meeting: Meeting) -> bool:
    """Either party, the edition's organisers, or the staff of the meeting's own table (staff of
    another table, or check-in staff, may not)."""
    if not user.is_authenticated:
        return False
    if is_meeting_party(user, meeting) or can_manage_edition(user, meeting.edition):
        return True
    return meeting.location_id is not None and is_table_staff(user, meeting.location)


def participant_side(user: User, meeting: Meeting) -> MeetingParticipant | None:
    if user.is_authenticated and meeting.requester.user_id == user.pk:
        return meeting.requester
    if user.is_authenticated and meeting.recipient.user_id == user.pk:
        return meeting.recipient
    return None
