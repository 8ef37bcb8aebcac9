"""Greedy placement with repair: fast, always valid, the solver's starting point and fallback."""

from __future__ import annotations

import time

from .board import TABLES, Board
from .problem import Index

# How many meetings holding a table the repair tries to move out of a full slot: beyond a few
# dozen the cost grows with no measurable gain on the benchmark.
RELOCATION_TRIES = 30

Journal = list[tuple[int, int, int]]


def needs_table(index: Index, r: int) -> bool:
    """Whether r can only ever meet at a table (no booth of either party is free in its slots)."""
    return not any(
        index.groups[g].free[s] for g in index.request_groups[r] for s in index.candidates[r]
    )


def greedy_order(index: Index) -> list[int]:
    """Requests from hardest to place to easiest, higher priority first.

    A wanted slot leaves one option, so those go first. When the tables cannot take every
    request that needs one, requests that can meet in a booth come before them, since they do
    not use up tables. Requests of oversubscribed participants (more requests than their limit)
    go late, because those participants fill up anyway and whoever they meet matters less for
    the count; then requests with fewer candidate slots; then input order.
    """
    demand = [len(rs) for rs in index.requests_of]
    placeable = [r for r in range(len(index.pairs)) if index.candidates[r]]
    table_only = {r for r in placeable if needs_table(index, r)}
    tables_scarce = len(table_only) > sum(len(t) for t in index.free_tables)

    def pressure(p: int) -> float:
        cap = index.capacity[p]
        return 0.0 if cap == float("inf") else demand[p] / max(cap, 1)

    def key(r: int) -> tuple[int, int, int, float, int, int]:
        a, b = index.pairs[r]
        return (
            -index.requests[r].priority,
            0 if index.wanted[r] is not None else 1,
            1 if tables_scarce and r in table_only else 0,
            max(pressure(a), pressure(b)),
            len(index.candidates[r]),
            r,
        )

    return sorted(placeable, key=key)


def greedy_schedule(
    index: Index,
    *,
    only: set[int] | None = None,
    repair_rounds: int = 3,
    deadline: float | None = None,
) -> Board:
    """Earliest-fit in `greedy_order`, then rounds of repair until nothing improves.

    With `only`, those requests are scheduled first (e.g. a selection from the solver) and the
    rest are added afterwards wherever they still fit. Repair stops at `deadline`
    (time.perf_counter() value), leaving a valid schedule.
    """
    board = Board(index)
    order = greedy_order(index)
    first = order if only is None else [r for r in order if r in only]
    board.fill(first)
    for _ in range(repair_rounds):
        if not repair(board, first, deadline=deadline):
            break
    if only is not None:
        board.fill(order)
    return board


def compact(board: Board) -> int:
    """Move meetings to earlier slots where they fit; count the moves.

    Meetings are visited in slot order, so a meeting moved forward can make room later on for
    the ones behind it. The set of meetings does not change.
    """
    moved = 0
    for r, current in sorted(board.slot_of.items(), key=lambda item: (item[1], item[0])):
        for s in board.index.candidates[r]:
            if s >= current:
                break
            if board.participants_free(r, s) and board.fits_directly(r, s):
                board.remove(r)
                board.place(r, s)
                moved += 1
                break
    return moved


def repair(board: Board, order: list[int], *, deadline: float | None = None) -> int:
    """Place unplaced requests by moving the meetings that block them to other slots.

    For each candidate slot of an unplaced request, the meetings its participants already have
    there move to other slots with room; if the slot then lacks a location, a meeting holding
    a table there moves too. Moves are undone when they do not end in a placement.
    """
    gained = 0
    for r in order:
        if deadline is not None and time.perf_counter() > deadline:
            break
        if r in board.slot_of or not board.under_limit(r):
            continue
        for s in board.index.candidates[r]:
            journal: Journal = []
            if _make_room(board, r, s, journal):
                gained += 1
                break
            _undo(board, journal)
    return gained


def _relocate(board: Board, m: int, avoid: int, journal: Journal) -> bool:
    """Move placed meeting m to another slot with room as things stand; say whether it moved."""
    current = board.slot_of[m]
    for s in board.index.candidates[m]:
        if s != avoid and s != current and board.participants_free(m, s):
            if board.fits_directly(m, s):
                board.remove(m)
                board.place(m, s)
                journal.append((m, current, s))
                return True
    return False


def _undo(board: Board, journal: Journal) -> None:
    for m, old, _new in reversed(journal):
        board.remove(m)
        board.place(m, old)


def _make_room(board: Board, r: int, s: int, journal: Journal) -> bool:
    a, b = board.index.pairs[r]
    for p in (a, b):
        blocker = board.occupant[p].get(s)
        if blocker is not None and not _relocate(board, blocker, s, journal):
            return False
    if board.place(r, s):
        return True
    if not board.spare_table_slots:
        return False
    movable = [m for m in sorted(board.users[s][TABLES]) if len(board.index.candidates[m]) > 1]
    for m in movable[:RELOCATION_TRIES]:
        if _relocate(board, m, s, journal):
            return board.place(r, s)
    return False
