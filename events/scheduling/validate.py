"""Check a schedule against every rule, from the raw problem (not the solvers' indexes)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from .problem import Problem
from .result import Placement


def schedule_violations(problem: Problem, placements: Iterable[Placement]) -> list[str]:
    """Every broken rule, as text; an empty list means the schedule is valid."""
    slots = {slot.id for slot in problem.slots}
    locations = {location.id: location for location in problem.locations}
    participants = {participant.id: participant for participant in problem.participants}
    requests = {request.id: request for request in problem.requests}
    problems: list[str] = []

    taken_people: dict[tuple[object, object], object] = {}
    taken_places: dict[tuple[object, object], object] = {}
    count: Counter[object] = Counter()
    for meeting in problem.scheduled:
        for p in meeting.participants:
            taken_people[p, meeting.slot] = meeting.id
            count[p] += 1
        if meeting.location is not None:
            taken_places[meeting.location, meeting.slot] = meeting.id

    seen: set[object] = set()
    newly_booked: set[object] = set()
    for placement in placements:
        rid = placement.request_id
        request = requests.get(rid)
        if request is None:
            problems.append(f"request {rid!r} does not exist")
            continue
        if rid in seen:
            problems.append(f"request {rid!r} is placed twice")
        seen.add(rid)
        if placement.slot_id not in slots:
            problems.append(f"request {rid!r} is in unknown slot {placement.slot_id!r}")
        location = locations.get(placement.location_id)
        if location is None:
            problems.append(f"request {rid!r} is at unknown location {placement.location_id!r}")
        else:
            if not location.can_host(request.participants):
                problems.append(f"request {rid!r} is in booth {location.id!r} of someone else")
            if placement.slot_id in location.unavailable_slots:
                problems.append(f"request {rid!r} is at {location.id!r}, closed in that slot")
        if request.wanted_slot is not None and placement.slot_id != request.wanted_slot:
            problems.append(f"request {rid!r} is not in its wanted slot")
        place_key = (placement.location_id, placement.slot_id)
        if place_key in taken_places:
            problems.append(
                f"request {rid!r} shares location {placement.location_id!r} "
                f"with {taken_places[place_key]!r}"
            )
        taken_places[place_key] = rid
        for p in request.participants:
            if placement.slot_id in participants[p].unavailable_slots:
                problems.append(f"request {rid!r} is in a slot {p!r} marked unavailable")
            if placement.slot_id in participants[p].held_slots:
                problems.append(f"request {rid!r} is in a slot held for {p!r}")
            person_key = (p, placement.slot_id)
            if person_key in taken_people:
                problems.append(
                    f"participant {p!r} meets twice in slot {placement.slot_id!r} "
                    f"({taken_people[person_key]!r} and {rid!r})"
                )
            taken_people[person_key] = rid
            count[p] += 1
            newly_booked.add(p)
    # Meetings already scheduled over a limit (set lower afterwards) are not this schedule's
    # doing; only a participant given a new meeting beyond the limit breaks the rule.
    for p, n in count.items():
        limit = participants[p].max_meetings
        if limit is not None and n > limit and p in newly_booked:
            problems.append(f"participant {p!r} has {n} meetings, over the limit of {limit}")
    return problems
