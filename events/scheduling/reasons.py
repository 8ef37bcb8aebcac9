"""Why each unplaced request is unplaced, read off the instance and the final schedule."""

from __future__ import annotations

from typing import Any

from .board import Board
from .problem import Index
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
    request = index.requests[r]
    a, b = index.pairs[r]
    names = {
        "requester": index.participants[a].name,
        "recipient": index.participants[b].name,
    }

    def unplaced(code: ReasonCode, participant: int | None = None, **params: Any) -> Unplaced:
        if participant is not None:
            params["participant"] = index.participants[participant].name
        blocked = params.pop("blocked", {})
        params = names | params
        if "cause" in params:
            params["detail"] = CAUSE_TEMPLATES[params["cause"]] % params
        return Unplaced(
            request_id=request.id,
            code=code,
            params=params,
            participant_id=None if participant is None else index.participants[participant].id,
            blocked_slots=blocked,
        )

    for p in (a, b):
        limit = index.participants[p].max_meetings
        if index.capacity[p] <= 0:
            return unplaced(
                ReasonCode.LIMIT_REACHED_BY_SCHEDULED,
                p,
                count=index.fixed_count[p],
                limit=limit,
            )

    wanted = index.wanted[r]
    if wanted is not None:
        slot = str(request.wanted_slot) if wanted < 0 else index.slots[wanted].name
        code = ReasonCode.WANTED_SLOT_UNAVAILABLE
        if wanted < 0:
            return unplaced(code, slot=slot, cause="unknown_slot")
        for p in (a, b):
            if wanted in index.unavailable[p]:
                return unplaced(code, p, slot=slot, cause="unavailable")
            if wanted in index.held[p]:
                return unplaced(code, p, slot=slot, cause="held")
            if wanted in index.fixed_slots[p]:
                return unplaced(code, p, slot=slot, cause="scheduled")
        if not index.has_location(r, wanted):
            return unplaced(code, slot=slot, cause="no_location")
    else:
        common = index.common_free(r)
        if not common:
            return unplaced(ReasonCode.NO_COMMON_FREE_SLOT)
        if not index.candidates[r]:
            return unplaced(ReasonCode.NO_LOCATION, count=len(common))

    for p in (a, b):
        if board.count[p] >= index.capacity[p]:
            return unplaced(ReasonCode.LIMIT_REACHED, p, limit=index.participants[p].max_meetings)

    blocked: dict[object, str] = {}
    for s in index.candidates[r]:
        busy = [p for p in (a, b) if s in board.occupant[p]]
        if len(busy) == 2:
            blocked[index.slots[s].id] = "both"
        elif busy:
            blocked[index.slots[s].id] = "requester" if busy[0] == a else "recipient"
        elif not board.location_fits(r, s):
            blocked[index.slots[s].id] = "locations"
        else:
            raise AssertionError(f"request {request.id!r} fits slot {index.slots[s].id!r}")

    if wanted is not None:
        cause = blocked[index.slots[wanted].id]
        slot = index.slots[wanted].name
        if cause == "locations":
            return unplaced(
                ReasonCode.WANTED_SLOT_TAKEN, slot=slot, cause="locations_full", blocked=blocked
            )
        who = b if cause == "recipient" else a
        return unplaced(ReasonCode.WANTED_SLOT_TAKEN, who, slot=slot, cause="busy", blocked=blocked)
    full = sum(1 for cause in blocked.values() if cause == "locations")
    busy = len(blocked) - full
    if full == 0:
        return unplaced(ReasonCode.PARTICIPANTS_BUSY, count=busy, blocked=blocked)
    if busy == 0:
        return unplaced(ReasonCode.LOCATIONS_FULL, count=full, blocked=blocked)
    return unplaced(
        ReasonCode.SLOTS_TAKEN, count=len(blocked), busy=busy, full=full, blocked=blocked
    )
