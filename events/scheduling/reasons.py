"""Why each unplaced request is unplaced, read off the instance and the final schedule."""

from __future__ import annotations

from typing import Any

from .board import Board
from .problem import Id, Index
from .result import ReasonCode, Unplaced

# What stops a wanted slot (Unplaced.params["cause"]), as English fragments for the message.
CAUSE_TEMPLATES = {
    "unknown_slot": "it is not one of the meeting slots",
    "unavailable": "%(participant)s marked it unavailable",
    "held": "%(participant)s has a pending request then",
    "scheduled": "%(participant)s already has a meeting then",
    "no_location": "no table is free then",
    "busy": "%(participant)s has another meeting then",
    "locations_full": "all tables are taken then",
}


def explain(index: Index, board: Board, r: int) -> Unplaced:
    """Why request r is not on `board`.

    From the instance alone when it could never be placed; otherwise from the meetings on the
    board that stand in its way (the board must be maximal: r fits none of its slots).
    """
    reasoner = _Reasoner(index, board, r)
    return reasoner.intrinsic() or reasoner.from_schedule()


class _Reasoner:
    def __init__(self, index: Index, board: Board, r: int) -> None:
        self.index = index
        self.board = board
        self.r = r
        self.request = index.requests[r]
        self.pair = index.pairs[r]
        self.names = {
            "requester": index.participants[self.pair[0]].name,
            "recipient": index.participants[self.pair[1]].name,
        }

    def unplaced(
        self,
        code: ReasonCode,
        participant: int | None = None,
        blocked: dict[Id, str] | None = None,
        **params: Any,
    ) -> Unplaced:
        if participant is not None:
            params["participant"] = self.index.participants[participant].name
        params = self.names | params
        if "cause" in params:
            params["detail"] = CAUSE_TEMPLATES[params["cause"]] % params
        return Unplaced(
            request_id=self.request.id,
            code=code,
            params=params,
            participant_id=None if participant is None else self.index.participants[participant].id,
            blocked_slots=blocked or {},
        )

    def intrinsic(self) -> Unplaced | None:
        """A reason that holds whatever else is scheduled, or None."""
        index, r = self.index, self.r
        for p in self.pair:
            if index.capacity[p] <= 0:
                return self.unplaced(
                    ReasonCode.LIMIT_REACHED_BY_SCHEDULED,
                    p,
                    count=index.fixed_count[p],
                    limit=index.participants[p].max_meetings,
                )
        wanted = index.wanted[r]
        if wanted is None:
            common = index.common_free(r)
            if not common:
                return self.unplaced(ReasonCode.NO_COMMON_FREE_SLOT)
            if not index.candidates[r]:
                return self.unplaced(ReasonCode.NO_LOCATION, count=len(common))
            return None
        code = ReasonCode.WANTED_SLOT_UNAVAILABLE
        if wanted < 0:
            return self.unplaced(code, slot=str(self.request.wanted_slot), cause="unknown_slot")
        slot = index.slots[wanted].name
        for p in self.pair:
            for cause, slots in (
                ("unavailable", index.unavailable[p]),
                ("held", index.held[p]),
                ("scheduled", index.fixed_slots[p]),
            ):
                if wanted in slots:
                    return self.unplaced(code, p, slot=slot, cause=cause)
        if not index.has_location(r, wanted):
            return self.unplaced(code, slot=slot, cause="no_location")
        return None

    def from_schedule(self) -> Unplaced:
        """What the placed meetings block: a limit, or each slot the request could use."""
        index, board = self.index, self.board
        a, b = self.pair
        for p in self.pair:
            if board.count[p] >= index.capacity[p]:
                return self.unplaced(
                    ReasonCode.LIMIT_REACHED, p, limit=index.participants[p].max_meetings
                )
        blocked: dict[Id, str] = {}
        for s in index.candidates[self.r]:
            busy = (s in board.occupant[a], s in board.occupant[b])
            if busy == (True, True):
                blocked[index.slots[s].id] = "both"
            elif busy == (True, False):
                blocked[index.slots[s].id] = "requester"
            elif busy == (False, True):
                blocked[index.slots[s].id] = "recipient"
            elif not board.location_fits(self.r, s):
                blocked[index.slots[s].id] = "locations"
            else:
                raise AssertionError(f"request {self.request.id!r} fits slot {index.slots[s].id!r}")

        wanted = index.wanted[self.r]
        if wanted is not None:
            cause = blocked[index.slots[wanted].id]
            slot = index.slots[wanted].name
            code = ReasonCode.WANTED_SLOT_TAKEN
            if cause == "locations":
                return self.unplaced(code, blocked=blocked, slot=slot, cause="locations_full")
            who = b if cause == "recipient" else a
            return self.unplaced(code, who, blocked=blocked, slot=slot, cause="busy")
        full = sum(1 for cause in blocked.values() if cause == "locations")
        busy = len(blocked) - full
        if full == 0:
            return self.unplaced(ReasonCode.PARTICIPANTS_BUSY, blocked=blocked, count=busy)
        if busy == 0:
            return self.unplaced(ReasonCode.LOCATIONS_FULL, blocked=blocked, count=full)
        return self.unplaced(
            ReasonCode.SLOTS_TAKEN, blocked=blocked, count=len(blocked), busy=busy, full=full
        )
