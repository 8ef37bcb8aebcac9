"""What a scheduling run returns: placements, reasons for the rest, and a bound on the optimum."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from .problem import Id


@dataclass(frozen=True, slots=True)
class Placement:
    request_id: Id
    slot_id: Id
    location_id: Id


class ReasonCode(StrEnum):
    """Why a request was not placed. The first four hold whatever the other requests do."""

    WANTED_SLOT_UNAVAILABLE = "wanted_slot_unavailable"
    NO_COMMON_FREE_SLOT = "no_common_free_slot"
    LIMIT_REACHED_BY_SCHEDULED = "limit_reached_by_scheduled"
    NO_LOCATION = "no_location"
    # These depend on the meetings placed in this run: placing the request would displace one.
    LIMIT_REACHED = "limit_reached"
    WANTED_SLOT_TAKEN = "wanted_slot_taken"
    PARTICIPANTS_BUSY = "participants_busy"
    LOCATIONS_FULL = "locations_full"
    SLOTS_TAKEN = "slots_taken"


# English templates, formatted with Unplaced.params. The events app renders them in the
# user's language by wrapping each in gettext_lazy under the same code.
REASON_TEMPLATES: Mapping[ReasonCode, str] = MappingProxyType(
    {
        ReasonCode.WANTED_SLOT_UNAVAILABLE: (
            "The requested slot %(slot)s is not available: %(detail)s."
        ),
        ReasonCode.NO_COMMON_FREE_SLOT: (
            "%(requester)s and %(recipient)s have no free slot in common."
        ),
        ReasonCode.LIMIT_REACHED_BY_SCHEDULED: (
            "%(participant)s already has %(count)d scheduled meetings, the limit of %(limit)d."
        ),
        ReasonCode.NO_LOCATION: (
            "No table is left (taken by scheduled meetings or closed) in any of the %(count)d "
            "slots both have free."
        ),
        ReasonCode.LIMIT_REACHED: ("%(participant)s reached the limit of %(limit)d meetings."),
        ReasonCode.WANTED_SLOT_TAKEN: ("The requested slot %(slot)s is taken: %(detail)s."),
        ReasonCode.PARTICIPANTS_BUSY: (
            "In each of the %(count)d slots where they could meet, %(requester)s or "
            "%(recipient)s already has another meeting."
        ),
        ReasonCode.LOCATIONS_FULL: (
            "All tables are taken in each of the %(count)d slots where they could meet."
        ),
        ReasonCode.SLOTS_TAKEN: (
            "None of the %(count)d slots where they could meet is left: %(busy)d clash with "
            "another meeting of one of them, %(full)d have all tables taken."
        ),
    }
)


@dataclass(frozen=True, slots=True)
class Unplaced:
    """A request left out, with a machine-readable code and the figures behind it.

    `participant_id` names the participant the reason is about, when there is one (the one at
    their limit, or busy in the wanted slot). `params` holds the values the message is built from
    (display names, counts, slot labels) and `blocked_slots` maps each common free slot id to
    what blocks it: "requester", "recipient", "both" (a meeting already there) or "locations".
    """

    request_id: Id
    code: ReasonCode
    params: Mapping[str, Any] = field(default_factory=dict)
    participant_id: Id | None = None
    blocked_slots: Mapping[Id, str] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return REASON_TEMPLATES[self.code] % self.params


class SolveStatus(StrEnum):
    OPTIMAL = "optimal"  # the number placed is proven maximal
    FEASIBLE = "feasible"  # a valid schedule; the bound may be above it
    HEURISTIC = "heuristic"  # greedy and repair only (no solver run, or the solver failed)


@dataclass(frozen=True)
class ScheduleResult:
    placements: tuple[Placement, ...]
    unplaced: tuple[Unplaced, ...]
    upper_bound: int
    status: SolveStatus
    seconds: float
    heuristic_placed: int
    stats: Mapping[str, Any] = field(default_factory=dict)

    @property
    def placed(self) -> int:
        return len(self.placements)

    @property
    def ratio(self) -> float:
        """Placed over the upper bound: 1.0 means proven optimal."""
        return 1.0 if self.upper_bound == 0 else self.placed / self.upper_bound

    @property
    def summary(self) -> str:
        return f"placed {self.placed} of at most {self.upper_bound}"
