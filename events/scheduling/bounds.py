"""Upper bounds on how many requests can be placed, valid whatever the solver does."""

from __future__ import annotations

from .problem import Index


def combinatorial_bound(index: Index) -> int:
    """The least of three counts, each of which no schedule can exceed.

    Requests with a candidate slot; half the sum over participants of the meetings each can
    still take (limit, free slots and own requests); the locations free across all slots.
    """
    placeable = [r for r in range(len(index.pairs)) if index.candidates[r]]
    degree = [0] * len(index.participants)
    slots: list[set[int]] = [set() for _ in index.participants]
    for r in placeable:
        for p in index.pairs[r]:
            degree[p] += 1
            slots[p].update(index.candidates[r])
    ends = sum(
        min(index.capacity[p], degree[p], len(slots[p])) for p in range(len(index.participants))
    )
    locations = sum(
        len(index.free_tables[s]) + sum(len(g.free[s]) for g in index.groups)
        for s in range(index.n_slots)
    )
    return int(min(len(placeable), ends // 2, locations))
