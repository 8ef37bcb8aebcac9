"""CP-SAT models: a selection relaxation (one Boolean per request) and the full model.

The full model has one Boolean per candidate (request, slot) pair. Locations are separable from
slots: a set of meetings fits a slot exactly when they can be matched to its free tables and the
booths they may use. A booth group (booths open to the same participants) with at least as many
free booths as meetings it could ever host in a slot never runs out, so its meetings need no
table; only the table pool, and booth groups that can be oversubscribed, get a capacity
constraint, and concrete tables are chosen after solving (locations.py).

The selection model drops the slots altogether; it is small enough to solve to optimality on the
benchmark instance in well under a second, and its optimum bounds the real one (see
select_requests).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from .heuristic import needs_table
from .problem import Index

# Work allowed to each tie-breaking phase, in CP-SAT's deterministic time units (about 1-2 s of
# wall time each on the benchmark machine); the count itself gets the whole time limit.
TIE_BREAK_DETERMINISTIC_TIME = 0.15


@dataclass
class CpSatOutcome:
    slot_of: dict[int, int]
    optimal: bool
    bound: int
    phases: list[dict[str, object]] = field(default_factory=list)


@dataclass
class _Model:
    model: cp_model.CpModel
    x: dict[tuple[int, int], cp_model.IntVar]


def build_model(index: Index) -> _Model:
    model = cp_model.CpModel()
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    for r, slots in enumerate(index.candidates):
        for s in slots:
            x[r, s] = model.new_bool_var(f"x{r}_{s}")
        if len(slots) > 1:
            model.add_at_most_one(x[r, s] for s in slots)

    for p, requests in enumerate(index.requests_of):
        per_slot: dict[int, list[cp_model.IntVar]] = {}
        total: list[cp_model.IntVar] = []
        for r in requests:
            for s in index.candidates[r]:
                per_slot.setdefault(s, []).append(x[r, s])
                total.append(x[r, s])
        for terms in per_slot.values():
            if len(terms) > 1:
                model.add_at_most_one(terms)
        if total and len(total) > index.capacity[p]:
            model.add(sum(total) <= int(index.capacity[p]))

    _add_location_pools(index, model, x)
    return _Model(model, x)


def _add_location_pools(
    index: Index, model: cp_model.CpModel, x: dict[tuple[int, int], cp_model.IntVar]
) -> None:
    by_slot: dict[int, list[int]] = {}
    for r, s in x:
        by_slot.setdefault(s, []).append(r)
    for s, requests in by_slot.items():
        group_demand: dict[int, int] = {}
        for r in requests:
            for g in index.eligible_groups(r):
                group_demand[g] = group_demand.get(g, 0) + 1
        roomy = {
            g
            for g, demand in group_demand.items()
            if len(index.groups[g].free[s]) >= min(demand, len(index.groups[g].hosts))
        }
        tables: list[cp_model.IntVar] = []
        booths: dict[int, list[cp_model.IntVar]] = {}
        for r in requests:
            groups = [g for g in index.eligible_groups(r) if index.groups[g].free[s]]
            if any(g in roomy for g in groups):
                continue
            if not groups:
                tables.append(x[r, s])
                continue
            # A booth group that can run out: choose explicitly between its booths and a table.
            options: list[cp_model.IntVar] = []
            if index.free_tables[s]:
                on_table = model.new_bool_var(f"t{r}_{s}")
                tables.append(on_table)
                options.append(on_table)
            for g in groups:
                in_booth = model.new_bool_var(f"b{r}_{s}_{g}")
                booths.setdefault(g, []).append(in_booth)
                options.append(in_booth)
            model.add(sum(options) == x[r, s])
        if len(tables) > len(index.free_tables[s]):
            model.add(sum(tables) <= len(index.free_tables[s]))
        for g, terms in booths.items():
            if len(terms) > len(index.groups[g].free[s]):
                model.add(sum(terms) <= len(index.groups[g].free[s]))


@dataclass
class Selection:
    """Which requests to place, from a relaxation that forgets which slot each one gets."""

    selected: list[int]
    bound: int
    optimal: bool
    phases: list[dict[str, object]] = field(default_factory=list)


def select_requests(
    index: Index, *, hint: set[int], time_limit: float, workers: int
) -> Selection | None:
    """Maximise the requests placed under every constraint that does not need slots chosen.

    One Boolean per request: each participant takes at most their remaining limit and at most
    as many meetings as they have candidate slots; requests that can only go in one slot share it
    at most once per participant and at most as many times as it has free tables; requests that
    can never use a booth fit the free table-slots; the total fits the free locations. Any
    schedule satisfies these, so the optimum (or CP-SAT's bound on it) bounds the real optimum
    from above; the heuristic then slots the selection, and when all of it fits the schedule
    is proven optimal. Ties go to higher total priority (in the same objective), then to
    requests earlier in the input.
    """
    started = time.perf_counter()
    model = cp_model.CpModel()
    x = {r: model.new_bool_var(f"x{r}") for r in range(len(index.pairs)) if index.candidates[r]}
    for p, requests in enumerate(index.requests_of):
        mine = [r for r in requests if r in x]
        reachable: set[int] = set()
        pinned: dict[int, list[int]] = {}
        for r in mine:
            reachable.update(index.candidates[r])
            if len(index.candidates[r]) == 1:
                pinned.setdefault(index.candidates[r][0], []).append(r)
        limit = min(index.capacity[p], len(reachable))
        if mine and len(mine) > limit:
            model.add(sum(x[r] for r in mine) <= int(limit))
        for together in pinned.values():
            if len(together) > 1:
                model.add_at_most_one(x[r] for r in together)
    on_tables: dict[int, list[int]] = {}
    for r in x:
        if len(index.candidates[r]) == 1:
            s = index.candidates[r][0]
            if not any(index.groups[g].free[s] for g in index.eligible_groups(r)):
                on_tables.setdefault(s, []).append(r)
    for s, together in on_tables.items():
        if len(together) > len(index.free_tables[s]):
            model.add(sum(x[r] for r in together) <= len(index.free_tables[s]))
    tables = sum(len(free) for free in index.free_tables)
    table_only = [r for r in x if needs_table(index, r)]
    if len(table_only) > tables:
        model.add(sum(x[r] for r in table_only) <= tables)
    locations = tables + sum(len(free) for g in index.groups for free in g.free)
    placed = sum(x.values())
    if len(x) > locations:
        model.add(placed <= locations)

    # Count and priority in one objective: each placed request is worth `scale` plus its
    # priority (shifted to start at 0), and `scale` exceeds any possible priority total, so a
    # larger count always wins and the count is the value divided by `scale`.
    lowest = min((index.requests[r].priority for r in x), default=0)
    extra = {r: index.requests[r].priority - lowest for r in x}
    scale = sum(extra.values()) + 1
    worth = scale * placed + sum(weight * x[r] for r, weight in extra.items() if weight)

    phases: list[dict[str, object]] = []
    solution = {r for r in hint if r in x}
    # Presolve finds little in this model and its dominance detection can take seconds on
    # instances with scarce tables, while the LP-driven search proves the optimum quickly.
    outcome = _run(
        model, x, worth, True, solution, time_limit, workers, "selection", phases, presolve=False
    )
    if outcome is None:
        return None
    value, optimal, bound, solution = outcome
    bound //= scale
    phases[-1] |= {"placed": value // scale, "placed_bound": bound}
    if optimal:
        model.add(worth >= value)

        def remaining() -> float:
            return time_limit - (time.perf_counter() - started)

        order = [("order", {r: len(index.pairs) - r for r in x}, True)]
        solution = _lexicographic(
            model, x, order, solution, remaining, workers, phases, presolve=False
        )
    return Selection(sorted(solution), bound, optimal, phases)


def _run(
    model: cp_model.CpModel,
    x: dict,
    objective: object,
    maximise: bool,
    hint: set,
    time_limit: float,
    workers: int,
    name: str,
    phases: list[dict[str, object]],
    presolve: bool = True,
    deterministic_limit: float | None = None,
) -> tuple[int, bool, int, set] | None:
    """Solve with `hint` as the starting point; (value, proven optimal, bound, chosen keys).

    `deterministic_limit` caps the work in CP-SAT's deterministic time units, so a phase cut
    short ends at the same point whatever the machine's load (unless `time_limit` comes first).
    """
    if time_limit <= 0.05:
        return None
    if maximise:
        model.maximize(objective)
    else:
        model.minimize(objective)
    model.clear_hints()
    for key, var in x.items():
        model.add_hint(var, key in hint)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = 0
    solver.parameters.cp_model_presolve = presolve
    if deterministic_limit is not None:
        solver.parameters.max_deterministic_time = deterministic_limit
    started = time.perf_counter()
    status = solver.solve(model)
    solved = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    phases.append(
        {
            "phase": name,
            "status": solver.status_name(status),
            "objective": round(solver.objective_value) if solved else None,
            "bound": round(solver.best_objective_bound) if solved else None,
            "seconds": round(time.perf_counter() - started, 3),
            "deterministic_time": round(solver.deterministic_time, 3),
        }
    )
    if not solved:
        return None
    chosen = {key for key, var in x.items() if solver.boolean_value(var)}
    value = round(solver.objective_value)
    bound = round(solver.best_objective_bound) if maximise else value
    return value, status == cp_model.OPTIMAL, bound, chosen


def solve(
    index: Index,
    *,
    hint: dict[int, int],
    time_limit: float,
    workers: int,
    tie_break: bool = True,
) -> CpSatOutcome | None:
    """Maximise the number placed; at equal number, priority, input order, then early slots
    (and earlier requests in earlier slots).

    Each later phase keeps the previous phase's value as a constraint, so tie-breaking never
    costs a meeting. `hint` (request -> slot, e.g. the best schedule so far) seeds the search.
    """
    started = time.perf_counter()
    built = build_model(index)
    model, x = built.model, built.x
    placed = sum(x.values())
    phases: list[dict[str, object]] = []

    def remaining() -> float:
        return time_limit - (time.perf_counter() - started)

    solution = {(r, s) for r, s in hint.items() if (r, s) in x}
    first = _run(model, x, placed, True, solution, remaining(), workers, "count", phases)
    if first is None:
        return None
    count, optimal, bound, solution = first
    if tie_break and optimal and x:
        model.add(placed >= count)
        objectives = [
            *_preferences(index, {key: key[0] for key in x}, x),
            ("earliness", {(r, s): s for r, s in x}, False),
            # Among equally early schedules, earlier requests take the earlier slots.
            ("slot order", {(r, s): s * (len(index.pairs) - r) for r, s in x}, False),
        ]
        solution = _lexicographic(
            model, x, objectives, solution, remaining, workers, phases, presolve=True
        )
    return CpSatOutcome(_slots(solution), optimal, bound, phases)


Objective = tuple[str, dict, bool]  # name, coefficient per variable key, maximise


def _preferences(index: Index, request_of: dict, x: dict) -> list[Objective]:
    """Tie-breaks on which requests to place: higher priority, then earlier in the input."""
    n = len(index.pairs)
    objectives: list[Objective] = []
    priority = {key: index.requests[request_of[key]].priority for key in x}
    if len(set(priority.values())) > 1:
        objectives.append(("priority", priority, True))
    objectives.append(("order", {key: n - request_of[key] for key in x}, True))
    return objectives


def _lexicographic(
    model: cp_model.CpModel,
    x: dict,
    objectives: list[Objective],
    solution: set,
    remaining: Callable[[], float],
    workers: int,
    phases: list[dict[str, object]],
    *,
    presolve: bool,
) -> set:
    """Optimise each objective in turn, keeping the earlier ones at their optimum.

    Stops at the first phase not solved to optimality (out of time). Its solution is kept only
    if it beats the starting one on that objective (CP-SAT may return a worse one than the hint
    when stopped early); either satisfies every constraint added so far.
    """
    for name, coefficients, maximise in objectives:
        objective = sum(weight * x[key] for key, weight in coefficients.items())
        outcome = _run(
            model,
            x,
            objective,
            maximise,
            solution,
            remaining(),
            workers,
            name,
            phases,
            presolve,
            TIE_BREAK_DETERMINISTIC_TIME,
        )
        if outcome is None:
            break
        value, optimal, _bound, found = outcome
        if not optimal:
            before = sum(coefficients.get(key, 0) for key in solution)
            if (value > before) if maximise else (value < before):
                solution = found
            break
        solution = found
        model.add(objective >= value if maximise else objective <= value)
    return solution


def _slots(chosen: set[tuple[int, int]]) -> dict[int, int]:
    return dict(sorted(chosen))
