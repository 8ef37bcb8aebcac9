"""Concrete locations: which table or booth each meeting gets, deterministically."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from .board import TABLES, Board
from .problem import Id, Location


def location_for_meeting(
    *,
    participants: tuple[Id, Id],
    locations: Iterable[Location],
    occupied: Collection[Id],
    slot_id: Id | None = None,
) -> Location | None:
    """The location for one meeting in one slot ("schedule on accept"), or None if none is free.

    A free booth of either participant comes first (it cannot serve anyone else, so taking it
    spares a table), then the free table with the lowest number. `occupied` holds the ids of
    locations already hosting a meeting in the slot; locations closed in `slot_id` are skipped.
    Ties on number fall back to the order of `locations`.
    """
    booths: list[tuple[int, int, Location]] = []
    tables: list[tuple[int, int, Location]] = []
    for position, location in enumerate(locations):
        if location.id in occupied or (
            slot_id is not None and slot_id in location.unavailable_slots
        ):
            continue
        if not location.is_booth:
            tables.append((location.number, position, location))
        elif location.can_host(participants):
            booths.append((location.number, position, location))
    for candidates in (booths, tables):
        if candidates:
            return min(candidates, key=lambda item: item[:2])[2]
    return None


def assign_locations(board: Board) -> dict[int, int]:
    """Location index for every placed request: booths first, then tables from number 1 up.

    The board already matched meetings to pools (tables, each booth group) so that every slot
    fits; a meeting left on a table while one of its booths is free moves to the booth, then
    each pool hands out its locations in order to its meetings in request order.
    """
    index = board.index
    by_slot: dict[int, list[int]] = {}
    for r, s in board.slot_of.items():
        by_slot.setdefault(s, []).append(r)
    result: dict[int, int] = {}
    for s, requests in by_slot.items():
        pools: dict[int, list[int]] = {}
        load = {resource: len(users) for resource, users in board.users[s].items()}
        for r in sorted(requests):
            resource = board.resource_of[r]
            if resource == TABLES:
                for g in index.eligible_groups(r):
                    if load[g] < len(index.groups[g].free[s]):
                        load[g] += 1
                        load[TABLES] -= 1
                        resource = g
                        break
            pools.setdefault(resource, []).append(r)
        for resource, members in pools.items():
            free = index.free_tables[s] if resource == TABLES else index.groups[resource].free[s]
            if len(members) > len(free):
                raise RuntimeError(f"slot {s} has more meetings than locations in pool {resource}")
            result.update(zip(members, free, strict=False))
    return result
