"""A mutable schedule under construction, checking every constraint as meetings go in and out.

Locations are tracked per slot as resources (the pool of free tables, and each booth group's
pool), not as concrete locations: any meetings fit a slot exactly when they can be matched to
those pools, and concrete tables are chosen once at the end (see locations.py).
"""

from __future__ import annotations

from collections import deque

from .problem import Index

TABLES = -1  # the resource id of the table pool; booth groups are 0..n-1


class Board:
    def __init__(self, index: Index) -> None:
        self.index = index
        n_slots = index.n_slots
        self.slot_of: dict[int, int] = {}
        self.count = [0] * len(index.participants)
        # occupant[p][s]: the new meeting participant p has in slot s
        self.occupant: list[dict[int, int]] = [{} for _ in index.participants]
        self.resource_of: dict[int, int] = {}
        self.users: list[dict[int, set[int]]] = [
            {TABLES: set()} | {g: set() for g in range(len(index.groups))} for _ in range(n_slots)
        ]

    # -- resources -------------------------------------------------------------------------
    def capacity_of(self, resource: int, s: int) -> int:
        if resource == TABLES:
            return len(self.index.free_tables[s])
        return len(self.index.groups[resource].free[s])

    def resources_for(self, r: int, s: int) -> list[int]:
        groups = [g for g in self.index.request_groups[r] if self.index.groups[g].free[s]]
        return [*groups, TABLES] if self.index.free_tables[s] else groups

    def _spare(self, resource: int, s: int) -> bool:
        return len(self.users[s][resource]) < self.capacity_of(resource, s)

    def _location_path(self, r: int, s: int) -> list[tuple[int, int]] | None:
        """Moves (meeting, resource) that make room for r in slot s, or None if it cannot fit."""
        first = self.resources_for(r, s)
        for resource in first:
            if self._spare(resource, s):
                return [(r, resource)]
        # Every pool r may use is full. Room can still be made by shifting meetings between
        # pools (a meeting on a table that may use its exhibitor's booth, or booths shared by
        # several staff of one exhibitor): search for an augmenting path. Only meetings that may
        # use a booth can ever move, so the others are skipped.
        if not self.index.groups:
            return None
        request_groups = self.index.request_groups
        parent: dict[int, tuple[int, int] | None] = {res: None for res in first}
        queue = deque(first)
        while queue:
            resource = queue.popleft()
            for m in sorted(user for user in self.users[s][resource] if request_groups[user]):
                for other in self.resources_for(m, s):
                    if other in parent:
                        continue
                    parent[other] = (resource, m)
                    if self._spare(other, s):
                        moves = [(m, other)]
                        back = resource
                        while parent[back] is not None:
                            prev, mover = parent[back]  # type: ignore[misc]
                            moves.append((mover, back))
                            back = prev
                        moves.append((r, back))
                        return moves
                    queue.append(other)
        return None

    # -- queries ---------------------------------------------------------------------------
    def participants_free(self, r: int, s: int) -> bool:
        a, b = self.index.pairs[r]
        return s not in self.occupant[a] and s not in self.occupant[b]

    def under_limit(self, r: int) -> bool:
        a, b = self.index.pairs[r]
        cap = self.index.capacity
        return self.count[a] < cap[a] and self.count[b] < cap[b]

    def location_fits(self, r: int, s: int) -> bool:
        return self._location_path(r, s) is not None

    def fits_directly(self, r: int, s: int) -> bool:
        """Whether a pool r may use has room in s, without shifting other meetings."""
        return any(self._spare(resource, s) for resource in self.resources_for(r, s))

    @property
    def spare_table_slots(self) -> bool:
        """Whether any slot still has a free table."""
        return any(self._spare(TABLES, s) for s in range(self.index.n_slots))

    # -- changes ---------------------------------------------------------------------------
    def place(self, r: int, s: int) -> bool:
        """Place r in s if every constraint allows it; say whether it was placed."""
        if r in self.slot_of or not self.participants_free(r, s) or not self.under_limit(r):
            return False
        moves = self._location_path(r, s)
        if moves is None:
            return False
        for m, resource in moves:
            if m in self.resource_of:
                self.users[s][self.resource_of[m]].discard(m)
            self.resource_of[m] = resource
            self.users[s][resource].add(m)
        self.slot_of[r] = s
        a, b = self.index.pairs[r]
        for p in (a, b):
            self.occupant[p][s] = r
            self.count[p] += 1
        return True

    def remove(self, r: int) -> int:
        s = self.slot_of.pop(r)
        self.users[s][self.resource_of.pop(r)].discard(r)
        a, b = self.index.pairs[r]
        for p in (a, b):
            del self.occupant[p][s]
            self.count[p] -= 1
        return s

    def fill(self, order: list[int]) -> int:
        """Place each unplaced request of `order` at its earliest slot that fits; count them."""
        placed = 0
        for r in order:
            if r in self.slot_of:
                continue
            for s in self.index.candidates[r]:
                if self.place(r, s):
                    placed += 1
                    break
        return placed
