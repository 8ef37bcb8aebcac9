"""B2B meeting scheduling as a pure-Python optimisation problem (no models, no database).

Build a Problem from slots, locations, participants, requests and the meetings already
scheduled; `quick_schedule` places as many requests as possible and explains the rest;
`location_for_meeting` picks the table or booth for one meeting accepted into one slot.
"""

from .exact import exhaustive_optimum
from .locations import location_for_meeting
from .problem import (
    Location,
    MeetingRequest,
    Participant,
    Problem,
    ProblemError,
    ScheduledMeeting,
    Slot,
)
from .quick import ScheduleInvalidError, quick_schedule
from .reasons import CAUSE_TEMPLATES
from .result import (
    REASON_TEMPLATES,
    Placement,
    ReasonCode,
    ScheduleResult,
    SolveStatus,
    Unplaced,
)
from .validate import schedule_violations

__all__ = [
    "CAUSE_TEMPLATES",
    "REASON_TEMPLATES",
    "Location",
    "MeetingRequest",
    "Participant",
    "Placement",
    "Problem",
    "ProblemError",
    "ReasonCode",
    "ScheduleInvalidError",
    "ScheduleResult",
    "ScheduledMeeting",
    "Slot",
    "SolveStatus",
    "Unplaced",
    "exhaustive_optimum",
    "location_for_meeting",
    "quick_schedule",
    "schedule_violations",
]
