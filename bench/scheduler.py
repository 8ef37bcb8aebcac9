"""Benchmark the B2B quick schedule: CP-SAT against greedy-and-repair, and both against the optimum.

Large instance (issue 6): 1,000 participants, 3,000 accepted requests, 24 slots, 150 tables plus
exhibitors' booths, popular exhibitors, limits of 8-12 meetings, partial unavailability, slots
held by pending requests, some wanted slots and meetings already scheduled. Small instances:
both against an exhaustive search.

    .venv/bin/python bench/scheduler.py [--seeds N ...] [--time-limit S] [--small N]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from events.scheduling import (  # noqa: E402
    Location,
    MeetingRequest,
    Participant,
    Problem,
    ScheduledMeeting,
    Slot,
    exhaustive_optimum,
    quick_schedule,
    schedule_violations,
)

FAIR_START = datetime(2026, 9, 17, 2, 0, tzinfo=UTC)  # 09:00 in Asia/Ho_Chi_Minh


def fair_slots(days: int = 2, blocks: tuple[int, ...] = (0, 5), per_block: int = 6) -> list[Slot]:
    """Slots of 20 minutes with 5-minute breaks: a morning and an afternoon block per day."""
    slots = []
    for day in range(days):
        for block, hour in enumerate(blocks):
            start = FAIR_START + timedelta(days=day, hours=hour)
            for i in range(per_block):
                begin = start + timedelta(minutes=25 * i)
                slots.append(
                    Slot(
                        id=len(slots) + 1,
                        start=begin,
                        end=begin + timedelta(minutes=20),
                        block=(day, block),
                    )
                )
    return slots


def fair_instance(
    seed: int,
    *,
    participants: int = 1000,
    exhibitors: int = 150,
    booths: int = 40,
    requests: int = 3000,
    tables: int = 150,
    scheduled: int = 200,
) -> Problem:
    rng = random.Random(seed)
    slots = fair_slots()
    slot_ids = [s.id for s in slots]
    blocks: dict[object, list[int]] = {}
    for slot in slots:
        blocks.setdefault(slot.block, []).append(slot.id)

    people = []
    for p in range(1, participants + 1):
        unavailable: set[int] = set()
        roll = rng.random()
        if roll < 0.25:  # away for a whole block (a seminar, travel)
            unavailable.update(rng.choice(list(blocks.values())))
        elif roll < 0.45:  # a few scattered slots
            unavailable.update(rng.sample(slot_ids, rng.randint(1, 4)))
        held = set(rng.sample(slot_ids, rng.randint(1, 2))) - unavailable if roll > 0.85 else set()
        people.append(
            Participant(
                id=p,
                max_meetings=rng.randint(8, 12),
                unavailable_slots=unavailable,
                held_slots=held,  # pending requests still waiting for an answer
            )
        )

    exhibitor_ids = list(range(1, exhibitors + 1))
    visitor_ids = list(range(exhibitors + 1, participants + 1))
    # Popularity follows a long tail: a few exhibitors draw most of the requests.
    exhibitor_weight = [1 / (rank + 1) ** 0.8 for rank in range(exhibitors)]
    visitor_weight = [1 / (rank + 1) ** 0.3 for rank in range(len(visitor_ids))]

    def draw_pair() -> tuple[int, int]:
        roll = rng.random()
        if roll < 0.6:
            return (
                rng.choices(visitor_ids, visitor_weight)[0],
                rng.choices(exhibitor_ids, exhibitor_weight)[0],
            )
        if roll < 0.9:
            return tuple(rng.sample(visitor_ids, 2))  # type: ignore[return-value]
        return tuple(rng.sample(exhibitor_ids, 2))  # type: ignore[return-value]

    locations = [Location.table(id=f"T{n}", number=n) for n in range(1, tables + 1)]
    locations += [Location.booth(id=f"B{n}", number=n, exhibitor=[n]) for n in range(1, booths + 1)]

    seen: set[frozenset[int]] = set()
    fixed: list[ScheduledMeeting] = []
    busy: set[tuple[int, int]] = set()
    used: set[tuple[str, int]] = set()
    load: Counter[int] = Counter()
    while len(fixed) < scheduled:
        a, b = draw_pair()
        slot = rng.choice(slot_ids)
        if frozenset((a, b)) in seen or (a, slot) in busy or (b, slot) in busy:
            continue
        if any(slot in people[x - 1].unavailable_slots | people[x - 1].held_slots for x in (a, b)):
            continue
        if max(load[a], load[b]) >= 3:  # keep most of everyone's limit for the requests
            continue
        load[a] += 1
        load[b] += 1
        table = next(f"T{n}" for n in range(1, tables + 1) if (f"T{n}", slot) not in used)
        seen.add(frozenset((a, b)))
        busy.update({(a, slot), (b, slot)})
        used.add((table, slot))
        fixed.append(
            ScheduledMeeting(
                id=f"M{len(fixed) + 1}", requester=a, recipient=b, slot=slot, location=table
            )
        )

    wanted_share = 0.15
    asked: list[MeetingRequest] = []
    while len(asked) < requests:
        a, b = draw_pair()
        if frozenset((a, b)) in seen:
            continue
        seen.add(frozenset((a, b)))
        wanted = None
        if rng.random() < wanted_share:
            free = [
                s
                for s in slot_ids
                if all(
                    s not in people[x - 1].unavailable_slots | people[x - 1].held_slots
                    for x in (a, b)
                )
            ]
            wanted = rng.choice(free) if free else None
        asked.append(
            MeetingRequest(
                id=len(asked) + 1,
                requester=a,
                recipient=b,
                wanted_slot=wanted,
                priority=1 if rng.random() < 0.1 else 0,
            )
        )
    return Problem(
        slots=slots, locations=locations, participants=people, requests=asked, scheduled=fixed
    )


def small_instance(rng: random.Random) -> Problem:
    n_slots = rng.randint(2, 4)
    slots = fair_slots(days=1, blocks=(0,), per_block=n_slots)
    n_people = rng.randint(3, 7)
    people = [
        Participant(
            id=p,
            max_meetings=rng.choice([1, 2, 2, 3, None]),
            unavailable_slots={s.id for s in slots if rng.random() < 0.2},
        )
        for p in range(1, n_people + 1)
    ]
    locations = [Location.table(id=f"T{n}", number=n) for n in range(1, rng.randint(1, 3) + 1)]
    if rng.random() < 0.5:
        locations.append(Location.booth(id="B1", number=1, exhibitor=[1]))
    pairs = [(a, b) for a in range(1, n_people + 1) for b in range(a + 1, n_people + 1)]
    chosen = rng.sample(pairs, min(len(pairs), rng.randint(3, 9)))
    asked = [
        MeetingRequest(
            id=i + 1,
            requester=a,
            recipient=b,
            wanted_slot=rng.choice(slots).id if rng.random() < 0.15 else None,
        )
        for i, (a, b) in enumerate(chosen)
    ]
    return Problem(slots=slots, locations=locations, participants=people, requests=asked)


def run_large(
    seed: int, time_limit: float, *, tables: int = 150, check_repeat: bool = False
) -> None:
    built = time.perf_counter()
    problem = fair_instance(seed, tables=tables)
    problem.index  # noqa: B018 - build the index outside the timings below
    build_seconds = time.perf_counter() - built
    greedy = quick_schedule(problem, use_solver=False)
    solved = quick_schedule(problem, time_limit=time_limit)
    for result in (greedy, solved):
        assert schedule_violations(problem, result.placements) == []

    bound = solved.upper_bound
    pairs = sum(len(c) for c in problem.index.candidates)
    print(
        f"seed {seed}: 1000 participants, {len(problem.requests)} requests "
        f"({pairs} candidate request-slot pairs), {len(problem.scheduled)} already scheduled, "
        f"24 slots, {tables} tables + 40 booths; index built in {build_seconds:.2f} s"
    )
    print(
        f"  quick schedule : {solved.placed} placed in {solved.seconds:.2f} s, upper bound "
        f"{bound}, placed/bound {solved.placed / bound:.2%}, status {solved.status}"
    )
    for phase in solved.stats.get("phases", []):
        figures = f"objective {phase['objective']} bound {phase['bound']}"
        if "placed" in phase:
            figures = f"placed {phase['placed']} bound {phase['placed_bound']}"
        print(
            f"      CP-SAT {phase['phase']:<10} {phase['status']:<8} {figures} in "
            f"{phase['seconds']} s ({phase['deterministic_time']} det. units)"
        )
    print(
        f"  greedy+repair  : {greedy.placed} placed in {greedy.seconds:.2f} s, placed/bound "
        f"{greedy.placed / bound:.2%}, {bound - greedy.placed} short of the bound, "
        f"{solved.placed - greedy.placed} fewer than the quick schedule"
    )
    reasons = Counter(u.code.value for u in solved.unplaced)
    print(
        "  unplaced by reason: "
        + ", ".join(f"{k} {v}" for k, v in sorted(reasons.items(), key=lambda kv: -kv[1]))
    )
    if check_repeat:
        again = quick_schedule(problem, time_limit=time_limit)
        same = again.placements == solved.placements and again.unplaced == solved.unplaced
        print(f"  same schedule on a second run: {'yes' if same else 'NO'}")


def run_small(count: int, seed: int) -> None:
    rng = random.Random(seed)
    gaps = []
    greedy_optimal = solver_optimal = 0
    total_opt = total_greedy = 0
    started = time.perf_counter()
    for _ in range(count):
        problem = small_instance(rng)
        optimum, _ = exhaustive_optimum(problem)
        greedy = quick_schedule(problem, use_solver=False)
        solved = quick_schedule(problem, time_limit=5)
        assert solved.placed == optimum, (solved.placed, optimum)
        assert greedy.placed <= optimum <= solved.upper_bound
        solver_optimal += solved.placed == optimum
        greedy_optimal += greedy.placed == optimum
        total_opt += optimum
        total_greedy += greedy.placed
        gaps.append(optimum - greedy.placed)
    print(
        f"small instances ({count}, 2-4 slots, 3-7 participants, 3-9 requests, seed {seed}) "
        f"against exhaustive search, {time.perf_counter() - started:.1f} s in all:"
    )
    print(f"  CP-SAT optimal on {solver_optimal}/{count}")
    print(
        f"  greedy+repair optimal on {greedy_optimal}/{count}; placed {total_greedy} of "
        f"{total_opt} optimal meetings ({total_greedy / total_opt:.2%}); worst gap "
        f"{max(gaps)}, mean gap {statistics.mean(gaps):.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[2026, 2027, 2028])
    parser.add_argument("--time-limit", type=float, default=8.0)
    parser.add_argument("--small", type=int, default=300)
    args = parser.parse_args()
    imported = time.perf_counter()
    import events.scheduling.cpsat  # noqa: F401 - a server process has OR-Tools loaded already

    print(f"OR-Tools loaded in {time.perf_counter() - imported:.2f} s (not counted below)")
    print(f"== issue 6 instance, time limit {args.time_limit} s, 1 CP-SAT worker")
    for position, seed in enumerate(args.seeds):
        run_large(seed, args.time_limit, check_repeat=position == 0)
    print("== the same with tables scarce (60 instead of 150)")
    run_large(args.seeds[0], args.time_limit, tables=60)
    print("== small instances")
    run_small(args.small, args.seeds[0])


if __name__ == "__main__":
    main()
