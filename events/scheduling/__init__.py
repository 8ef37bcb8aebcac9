"""B2B meeting scheduling as a pure-Python optimisation problem (no models, no database).

The events app builds a Problem from its rows and writes the placements back::

    problem = Problem(
        slots=[Slot(id=s.pk, start=s.start, end=s.end, block=s.block_id) for s in slots],
        locations=[Location.table(id=t.pk, number=t.number) for t in tables]
        + [Location.booth(id=b.pk, number=b.number, exhibitor=staff_ids(b)) for b in booths],
        participants=[
            Participant(id=p.pk, max_meetings=limit, unavailable_slots=blocked(p),
                        held_slots=pending(p), label=p.display_name)
            for p in participants
        ],
        requests=[MeetingRequest(id=r.pk, requester=r.from_id, recipient=r.to_id,
                                 wanted_slot=r.slot_id) for r in accepted_unscheduled],
        scheduled=[ScheduledMeeting(id=m.pk, requester=m.a_id, recipient=m.b_id,
                                    slot=m.slot_id, location=m.location_id) for m in meetings],
    )
    result = quick_schedule(problem, time_limit=8)
    # result.placements: (request_id, slot_id, location_id); result.unplaced: code + params;
    # result.summary: "placed N of at most M"

`location_for_meeting` picks the table or booth for one meeting accepted into one slot.
Ids may be any hashable values; ties are broken by the input order, so pass rows in a stable
order (e.g. by primary key).
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
