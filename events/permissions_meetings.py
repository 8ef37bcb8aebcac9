"""Who may do what with B2B meetings. Builds on events.permissions and accounts.permissions."""

from accounts.models import User

from .models import CheckinList, Edition, Meeting, MeetingParticipant
from .permissions import can_manage_edition


def can_manage_meetings(user: User, edition: Edition) -> bool:
    return can_manage_edition(user, edition)


def is_meeting_party(user: User, meeting: Meeting) -> bool:
    return user.is_authenticated and user.pk in {
        meeting.requester.user_id,
        meeting.recipient.user_id,
    }


def can_mark_attendance(user: User, meeting: Meeting) -> bool:
    """Either party, the edition's organisers, or the edition's check-in staff ("table staff")."""
    if not user.is_authenticated:
        return False
    if is_meeting_party(user, meeting) or can_manage_edition(user, meeting.edition):
        return True
    return CheckinList.objects.filter(edition_id=meeting.edition_id, staff=user).exists()


def participant_side(user: User, meeting: Meeting) -> MeetingParticipant | None:
    if user.is_authenticated and meeting.requester.user_id == user.pk:
        return meeting.requester
    if user.is_authenticated and meeting.recipient.user_id == user.pk:
        return meeting.recipient
    return None
