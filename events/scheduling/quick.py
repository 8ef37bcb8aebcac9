"""Quick schedule: place as many requests as possible, explain the rest, bound the optimum."""

from __future__ import annotations

import time

from .board import Board
from .bounds import combinatorial_bound
from .heuristic import compact, greedy_order, greedy_schedule
from .locations import assign_locations
from .problem import Index, Problem
from .reasons import explain
from .result import Placement, ScheduleResult, SolveStatus
from .validate import schedule_violations

DEFAULT_TIME_LIMIT = 8.0
# The full model has a Boolean per candidate (request, slot) pair. Up to the first size it
# also runs to break ties (priority, input order, early slots); beyond it the selection model
# has settled priority and input order already, and earliest-fit plus compaction give early
# slots. Up to the second size it runs when the count is not proven optimal yet. Beyond that,
# single-threaded CP-SAT spends seconds in presolve and LP without improving on the heuristic
# (46,000 pairs on the benchmark: no better solution and a bound above 3,700 after 10 s), so
# the relaxation's bound is reported instead.
FULL_MODEL_TIE_BREAK_LIMIT = 1_000
FULL_MODEL_LIMIT = 20_000


class ScheduleInvalidError(RuntimeError):
    """A solver produced a schedule that breaks a rule; never expected, checked anyway."""


def quick_schedule(
    problem: Problem,
    *,
    time_limit: float = DEFAULT_TIME_LIMIT,
    use_solver: bool = True,
    workers: int = 1,
) -> ScheduleResult:
    """Place as many requests as possible; explain each one left out.

    1. Greedy earliest-fit plus repair gives a schedule at once (and is all that runs with
       `use_solver=False`).
    2. CP-SAT picks the largest set of requests that respects limits and slot counts (a
       relaxation: its optimum is an upper bound); the heuristic slots that set. When all of it
       fits, the count is proven optimal.
    3. Otherwise (if the model is not too large), or for small instances to break ties by
       priority, input order and early slots, the full CP-SAT model over (request, slot) runs
       for the time left, seeded with the best schedule so far.

    Then meetings move to earlier free slots, anything that still fits is added, locations are
    chosen (booths first, then the lowest table numbers) and the result is checked against every
    rule. With the default single worker, the result is the same for the same input unless the
    wall-clock `time_limit` cuts a phase short (tie-breaking phases are capped in deterministic
    time for that reason). Placements are ordered by slot time, then location.
    """
    started = time.perf_counter()
    index = problem.index
    # The heuristic may use a quarter of the time; the solver gets the rest.
    board = greedy_schedule(index, deadline=started + time_limit / 4)
    heuristic_placed = len(board.slot_of)
    bound = combinatorial_bound(index)
    status = SolveStatus.HEURISTIC
    stats: dict[str, object] = {
        "heuristic_seconds": round(time.perf_counter() - started, 3),
        "combinatorial_bound": bound,
        "phases": [],
    }

    # Kept back from the solver for choosing locations, explaining and checking the result.
    reserve = min(1.0, time_limit / 10)

    def remaining() -> float:
        return time_limit - reserve - (time.perf_counter() - started)

    if use_solver and len(board.slot_of) < len(index.pairs):
        from . import cpsat  # OR-Tools is only loaded when the solver is used

        selection = cpsat.select_requests(
            index, hint=set(board.slot_of), time_limit=remaining() * 0.6, workers=workers
        )
        if selection is not None:
            stats["phases"] += selection.phases
            bound = min(bound, selection.bound)
            status = SolveStatus.FEASIBLE
            candidate = greedy_schedule(
                index,
                only=set(selection.selected),
                deadline=time.perf_counter() + remaining() / 3,
            )
            stats["selection_placed"] = len(candidate.slot_of)
            if _better(index, candidate, board):
                board = candidate

        size = sum(len(c) for c in index.candidates)
        gap = len(board.slot_of) < bound
        if (
            remaining() > 0.1
            and size <= FULL_MODEL_LIMIT
            and (gap or size <= FULL_MODEL_TIE_BREAK_LIMIT)
        ):
            outcome = cpsat.solve(
                index, hint=dict(board.slot_of), time_limit=remaining(), workers=workers
            )
            if outcome is not None:
                stats["phases"] += outcome.phases
                bound = min(bound, outcome.bound)
                status = SolveStatus.FEASIBLE
                solved = _load(index, outcome.slot_of)
                if not _better(index, board, solved):
                    board = solved

    compact(board)
    board.fill(greedy_order(index))
    if len(board.slot_of) > bound:
        raise ScheduleInvalidError(f"placed {len(board.slot_of)} above the bound {bound}")
    if len(board.slot_of) == bound:
        status = SolveStatus.OPTIMAL
    result = _result(problem, board, bound, status, started, heuristic_placed, stats)
    violations = schedule_violations(problem, result.placements)
    if violations:
        raise ScheduleInvalidError("; ".join(violations))
    return result


def _score(index: Index, board: Board) -> tuple[int, int, int]:
    """Number placed, then total priority, then how early in the input the placed ones are."""
    n = len(index.pairs)
    return (
        len(board.slot_of),
        sum(index.requests[r].priority for r in board.slot_of),
        sum(n - r for r in board.slot_of),
    )


def _better(index: Index, first: Board, second: Board) -> bool:
    return _score(index, first) > _score(index, second)


def _load(index: Index, slot_of: dict[int, int]) -> Board:
    board = Board(index)
    for r, s in sorted(slot_of.items()):
        if not board.place(r, s):
            raise ScheduleInvalidError(f"the solver's slot for request {r} does not fit")
    return board


def _result(
    problem: Problem,
    board: Board,
    bound: int,
    status: SolveStatus,
    started: float,
    heuristic_placed: int,
    stats: dict[str, object],
) -> ScheduleResult:
    index = problem.index
    locations = assign_locations(board)
    ordered = sorted(board.slot_of.items(), key=lambda item: (item[1], locations[item[0]], item[0]))
    placements = tuple(
        Placement(
            request_id=index.requests[r].id,
            slot_id=index.slots[s].id,
            location_id=index.locations[locations[r]].id,
        )
        for r, s in ordered
    )
    unplaced = tuple(
        explain(index, board, r) for r in range(len(index.pairs)) if r not in board.slot_of
    )
    return ScheduleResult(
        placements=placements,
        unplaced=unplaced,
        upper_bound=bound,
        status=status,
        seconds=round(time.perf_counter() - started, 3),
        heuristic_placed=heuristic_placed,
        stats=stats,
    )
