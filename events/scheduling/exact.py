"""Exhaustive reference solver for tiny instances, written apart from the real solvers.

It works on the raw Problem, placing requests at concrete (slot, location) pairs by depth-first
search, so the tests and the benchmark can check the solvers against an independent optimum.
Exponential: keep to a handful of requests, slots and locations.
"""

from __future__ import annotations

from collections import Counter

from .problem import Id, Problem
from .result import Placement


def exhaustive_optimum(problem: Problem) -> tuple[int, tuple[Placement, ...]]:
    participants = {p.id: p for p in problem.participants}
    people: set[tuple[Id, Id]] = set()
    places: set[tuple[Id, Id]] = set()
    count: Counter[Id] = Counter()
    for meeting in problem.scheduled:
        for p in meeting.participants:
            people.add((p, meeting.slot))
            count[p] += 1
        if meeting.location is not None:
            places.add((meeting.location, meeting.slot))

    requests = list(problem.requests)
    best: list[Placement] = []
    current: list[Placement] = []

    def options(index: int) -> list[tuple[Id, Id]]:
        request = requests[index]
        for p in request.participants:
            limit = participants[p].max_meetings
            if limit is not None and count[p] >= limit:
                return []
        found = []
        for slot in problem.slots:
            if request.wanted_slot is not None and slot.id != request.wanted_slot:
                continue
            if any(
                (p, slot.id) in people
                or slot.id in participants[p].unavailable_slots
                or slot.id in participants[p].held_slots
                for p in request.participants
            ):
                continue
            # Within one slot, free locations open to the same people are interchangeable (a
            # slot's locations do not affect other slots), so the first of each kind suffices.
            kinds: set[frozenset[Id]] = set()
            for location in problem.locations:
                if (
                    location.booth_for not in kinds
                    and (location.id, slot.id) not in places
                    and slot.id not in location.unavailable_slots
                    and location.can_host(request.participants)
                ):
                    kinds.add(location.booth_for)
                    found.append((slot.id, location.id))
        return found

    def search(index: int) -> None:
        nonlocal best
        if len(current) + (len(requests) - index) <= len(best):
            return
        if index == len(requests):
            best = list(current)
            return
        request = requests[index]
        for slot_id, location_id in options(index):
            for p in request.participants:
                people.add((p, slot_id))
                count[p] += 1
            places.add((location_id, slot_id))
            current.append(Placement(request.id, slot_id, location_id))
            search(index + 1)
            current.pop()
            places.discard((location_id, slot_id))
            for p in request.participants:
                people.discard((p, slot_id))
                count[p] -= 1
        search(index + 1)

    search(0)
    return len(best), tuple(best)
