"""The B2B meeting scheduler (events.scheduling): pure Python, no database."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from events.scheduling import (
    Location,
    MeetingRequest,
    Participant,
    Placement,
    Problem,
    ProblemError,
    ReasonCode,
    ScheduledMeeting,
    ScheduleResult,
    Slot,
    SolveStatus,
    exhaustive_optimum,
    location_for_meeting,
    quick_schedule,
    schedule_violations,
)
from events.scheduling.heuristic import greedy_schedule
from events.scheduling.locations import assign_locations
from events.scheduling.quick import FULL_MODEL_TIE_BREAK_LIMIT

START = datetime(2026, 9, 17, 2, 0, tzinfo=UTC)


def make_slots(count: int) -> list[Slot]:
    return [
        Slot(
            id=i,
            start=START + timedelta(minutes=25 * (i - 1)),
            end=START + timedelta(minutes=25 * (i - 1) + 20),
            label=f"S{i}",
        )
        for i in range(1, count + 1)
    ]


def make_tables(count: int) -> list[Location]:
    return [Location.table(id=f"T{n}", number=n) for n in range(1, count + 1)]


def people(*ids: str, limit: int | None = None) -> list[Participant]:
    return [Participant(id=p, max_meetings=limit) for p in ids]


def requests(*pairs: tuple[str, str]) -> list[MeetingRequest]:
    return [MeetingRequest(id=i, requester=a, recipient=b) for i, (a, b) in enumerate(pairs, 1)]


def placed(result: ScheduleResult) -> list[tuple[object, object, object]]:
    return [(p.request_id, p.slot_id, p.location_id) for p in result.placements]


def reasons(result: ScheduleResult) -> list[tuple[object, ReasonCode, object]]:
    return [(u.request_id, u.code, u.participant_id) for u in result.unplaced]


# -- exact values on hand-made instances ---------------------------------------------------------


def test_quick_schedule_separates_meetings_of_one_participant():
    problem = Problem(
        slots=make_slots(2),
        locations=make_tables(2),
        participants=people("A", "B", "C"),
        requests=requests(("A", "B"), ("A", "C")),
    )
    result = quick_schedule(problem)
    assert placed(result) == [(1, 1, "T1"), (2, 2, "T1")]
    assert result.unplaced == ()
    assert (result.placed, result.upper_bound, result.status) == (2, 2, SolveStatus.OPTIMAL)
    assert result.summary == "placed 2 of at most 2"


def test_quick_schedule_gives_disjoint_meetings_one_slot_and_tables_in_number_order():
    problem = Problem(
        slots=make_slots(2),
        locations=[Location.table(id="T3", number=3), *make_tables(2)],
        participants=people("A", "B", "C", "D", "E", "F"),
        requests=requests(("A", "B"), ("C", "D"), ("E", "F")),
    )
    assert placed(quick_schedule(problem)) == [(1, 1, "T1"), (2, 1, "T2"), (3, 1, "T3")]


def test_quick_schedule_stops_at_the_participant_limit():
    problem = Problem(
        slots=make_slots(4),
        locations=make_tables(1),
        participants=[Participant(id="A", max_meetings=2, label="HTX Đồng Nai")]
        + people("B", "C", "D"),
        requests=requests(("A", "B"), ("A", "C"), ("A", "D")),
    )
    result = quick_schedule(problem)
    assert placed(result) == [(1, 1, "T1"), (2, 2, "T1")]
    assert reasons(result) == [(3, ReasonCode.LIMIT_REACHED, "A")]
    assert result.unplaced[0].message == "HTX Đồng Nai reached the limit of 2 meetings."
    assert result.upper_bound == 2


def test_quick_schedule_counts_scheduled_meetings_towards_the_limit():
    problem = Problem(
        slots=make_slots(3),
        locations=make_tables(1),
        participants=[Participant(id="A", max_meetings=2), *people("B", "C", "D")],
        requests=requests(("A", "C"), ("A", "D")),
        scheduled=[ScheduledMeeting(id="M1", requester="A", recipient="B", slot=2, location="T1")],
    )
    result = quick_schedule(problem)
    assert placed(result) == [(1, 1, "T1")]
    assert reasons(result) == [(2, ReasonCode.LIMIT_REACHED, "A")]


def test_quick_schedule_reports_a_limit_already_filled_by_scheduled_meetings():
    problem = Problem(
        slots=make_slots(3),
        locations=make_tables(1),
        participants=[Participant(id="A", max_meetings=1, label="Ana"), *people("B", "C")],
        requests=requests(("C", "A")),
        scheduled=[ScheduledMeeting(id="M1", requester="A", recipient="B", slot=1, location="T1")],
    )
    result = quick_schedule(problem)
    assert result.placements == ()
    assert reasons(result) == [(1, ReasonCode.LIMIT_REACHED_BY_SCHEDULED, "A")]
    assert result.unplaced[0].message == ("Ana already has 1 scheduled meetings, the limit of 1.")
    assert result.upper_bound == 0


def test_quick_schedule_avoids_unavailable_slots_and_scheduled_meetings():
    problem = Problem(
        slots=make_slots(3),
        locations=make_tables(2),
        participants=[
            Participant(id="A", unavailable_slots={1}),
            *people("B", "C"),
        ],
        requests=requests(("A", "B")),
        scheduled=[ScheduledMeeting(id="M1", requester="B", recipient="C", slot=2, location="T1")],
    )
    assert placed(quick_schedule(problem)) == [(1, 3, "T1")]


def test_quick_schedule_uses_a_table_left_free_by_scheduled_meetings():
    problem = Problem(
        slots=make_slots(1),
        locations=make_tables(2),
        participants=people("A", "B", "C", "D"),
        requests=requests(("A", "B")),
        scheduled=[ScheduledMeeting(id="M1", requester="C", recipient="D", slot=1, location="T1")],
    )
    assert placed(quick_schedule(problem)) == [(1, 1, "T2")]


def test_quick_schedule_explains_no_common_free_slot():
    problem = Problem(
        slots=make_slots(2),
        locations=make_tables(1),
        participants=[
            Participant(id="A", unavailable_slots={1}, label="Ana"),
            Participant(id="B", unavailable_slots={2}, label="Bảo"),
        ],
        requests=requests(("A", "B")),
    )
    result = quick_schedule(problem)
    assert reasons(result) == [(1, ReasonCode.NO_COMMON_FREE_SLOT, None)]
    assert result.unplaced[0].message == "Ana and Bảo have no free slot in common."


def test_quick_schedule_keeps_slots_held_by_pending_requests_without_counting_them():
    problem = Problem(
        slots=make_slots(3),
        locations=make_tables(1),
        participants=[
            Participant(id="A", max_meetings=2, held_slots={1, 2}, label="Ana"),
            *people("B", "C"),
        ],
        requests=[
            MeetingRequest(id=1, requester="B", recipient="A", wanted_slot=2),
            MeetingRequest(id=2, requester="B", recipient="A"),
            MeetingRequest(id=3, requester="C", recipient="A"),
        ],
    )
    result = quick_schedule(problem)
    assert placed(result) == [(2, 3, "T1")]
    assert reasons(result) == [
        (1, ReasonCode.WANTED_SLOT_UNAVAILABLE, "A"),
        (3, ReasonCode.PARTICIPANTS_BUSY, None),
    ]
    assert result.unplaced[0].message == (
        "The requested slot S2 is not available: Ana has a pending request then."
    )
    assert schedule_violations(problem, [Placement(3, 1, "T1")]) == [
        "request 3 is in a slot held for 'A'"
    ]


def test_quick_schedule_puts_a_wanted_slot_request_in_that_slot():
    problem = Problem(
        slots=make_slots(3),
        locations=make_tables(1),
        participants=people("A", "B"),
        requests=[MeetingRequest(id=1, requester="A", recipient="B", wanted_slot=2)],
    )
    assert placed(quick_schedule(problem)) == [(1, 2, "T1")]


def test_quick_schedule_explains_an_unavailable_wanted_slot():
    problem = Problem(
        slots=make_slots(3),
        locations=make_tables(1),
        participants=[
            Participant(id="A"),
            Participant(id="B", unavailable_slots={2}, label="Bảo"),
        ],
        requests=[
            MeetingRequest(id=1, requester="A", recipient="B", wanted_slot=2),
            MeetingRequest(id=2, requester="A", recipient="B", wanted_slot=99),
        ],
    )
    result = quick_schedule(problem)
    assert reasons(result) == [
        (1, ReasonCode.WANTED_SLOT_UNAVAILABLE, "B"),
        (2, ReasonCode.WANTED_SLOT_UNAVAILABLE, None),
    ]
    assert [u.message for u in result.unplaced] == [
        "The requested slot S2 is not available: Bảo marked it unavailable.",
        "The requested slot 99 is not available: it is not one of the meeting slots.",
    ]


def test_quick_schedule_gives_a_contested_wanted_slot_to_the_higher_priority():
    problem = Problem(
        slots=make_slots(2),
        locations=make_tables(2),
        participants=[Participant(id="A", label="Ana"), *people("B", "C")],
        requests=[
            MeetingRequest(id=1, requester="B", recipient="A", wanted_slot=1),
            MeetingRequest(id=2, requester="C", recipient="A", wanted_slot=1, priority=5),
        ],
    )
    result = quick_schedule(problem)
    assert placed(result) == [(2, 1, "T1")]
    assert reasons(result) == [(1, ReasonCode.WANTED_SLOT_TAKEN, "A")]
    assert result.unplaced[0].message == (
        "The requested slot S1 is taken: Ana has another meeting then."
    )
    assert dict(result.unplaced[0].blocked_slots) == {1: "recipient"}


def test_quick_schedule_prefers_higher_priority_when_only_one_fits():
    problem = Problem(
        slots=make_slots(1),
        locations=make_tables(1),
        participants=people("A", "B", "C", "D"),
        requests=[
            MeetingRequest(id=1, requester="A", recipient="B"),
            MeetingRequest(id=2, requester="C", recipient="D", priority=1),
        ],
    )
    result = quick_schedule(problem)
    assert placed(result) == [(2, 1, "T1")]
    assert reasons(result) == [(1, ReasonCode.LOCATIONS_FULL, None)]
    assert result.unplaced[0].message == (
        "All tables are taken in each of the 1 slots where they could meet."
    )
    assert dict(result.unplaced[0].blocked_slots) == {1: "locations"}


def test_quick_schedule_hosts_an_exhibitors_meetings_in_its_booth_only():
    problem = Problem(
        slots=make_slots(1),
        locations=[Location.booth(id="B1", number=1, exhibitor=["E"]), *make_tables(1)],
        participants=people("V1", "V2", "V3", "W", "X", "E"),
        requests=requests(("W", "V2"), ("V1", "E"), ("X", "V3")),
    )
    result = quick_schedule(problem)
    assert placed(result) == [(2, 1, "B1"), (1, 1, "T1")]
    assert reasons(result) == [(3, ReasonCode.LOCATIONS_FULL, None)]


def test_quick_schedule_shares_one_booth_between_staff_of_an_exhibitor():
    problem = Problem(
        slots=make_slots(1),
        locations=[Location.booth(id="B1", number=1, exhibitor=["E1", "E2"]), *make_tables(1)],
        participants=people("E1", "E2", "V1", "V2", "V3", "V4"),
        requests=requests(("V1", "E1"), ("V2", "E2"), ("V3", "V4")),
    )
    result = quick_schedule(problem)
    assert placed(result) == [(1, 1, "B1"), (2, 1, "T1")]
    assert reasons(result) == [(3, ReasonCode.LOCATIONS_FULL, None)]


def test_quick_schedule_explains_no_location_left_by_scheduled_meetings():
    problem = Problem(
        slots=make_slots(2),
        locations=[
            Location(id="T1", number=1, unavailable_slots={2}),
        ],
        participants=people("A", "B", "C", "D"),
        requests=requests(("A", "B")),
        scheduled=[ScheduledMeeting(id="M1", requester="C", recipient="D", slot=1, location="T1")],
    )
    result = quick_schedule(problem)
    assert reasons(result) == [(1, ReasonCode.NO_LOCATION, None)]
    assert result.unplaced[0].message == (
        "No table is left (taken by scheduled meetings or closed) in any of the 2 slots both "
        "have free."
    )


def test_quick_schedule_explains_participants_busy_in_every_slot():
    problem = Problem(
        slots=make_slots(2),
        locations=make_tables(3),
        participants=[
            Participant(id="A", label="Ana"),
            Participant(id="B", label="Bảo"),
            *people("C", "D"),
        ],
        requests=[
            MeetingRequest(id=1, requester="A", recipient="C", wanted_slot=1),
            MeetingRequest(id=2, requester="B", recipient="D", wanted_slot=2),
            MeetingRequest(id=3, requester="A", recipient="B"),
        ],
    )
    result = quick_schedule(problem)
    assert placed(result) == [(1, 1, "T1"), (2, 2, "T1")]
    assert reasons(result) == [(3, ReasonCode.PARTICIPANTS_BUSY, None)]
    assert dict(result.unplaced[0].blocked_slots) == {1: "requester", 2: "recipient"}
    assert result.unplaced[0].message == (
        "In each of the 2 slots where they could meet, Ana or Bảo already has another meeting."
    )


def test_quick_schedule_explains_slots_taken_for_mixed_causes():
    problem = Problem(
        slots=make_slots(2),
        locations=make_tables(1),
        participants=people("A", "B", "C", "D", "E", "F"),
        requests=[
            MeetingRequest(id=1, requester="A", recipient="C", wanted_slot=1),
            MeetingRequest(id=2, requester="E", recipient="F", wanted_slot=2),
            MeetingRequest(id=3, requester="A", recipient="D"),
        ],
    )
    result = quick_schedule(problem)
    assert reasons(result) == [(3, ReasonCode.SLOTS_TAKEN, None)]
    assert dict(result.unplaced[0].blocked_slots) == {1: "requester", 2: "locations"}
    assert result.unplaced[0].message == (
        "None of the 2 slots where they could meet is left: 1 clash with another meeting of "
        "one of them, 1 have all tables taken."
    )


def test_quick_schedule_moves_a_meeting_to_fit_one_more():
    # Greedy order would put A-B in slot 1; C-A only fits in slot 1, so A-B must go to slot 2.
    problem = Problem(
        slots=make_slots(2),
        locations=make_tables(1),
        participants=[Participant(id="C", unavailable_slots={2}), *people("A", "B")],
        requests=requests(("A", "B"), ("C", "A")),
    )
    result = quick_schedule(problem)
    assert placed(result) == [(2, 1, "T1"), (1, 2, "T1")]


def test_quick_schedule_is_deterministic():
    problem = random_problem(random.Random(11), participants=30, requests=60, slots=6, tables=4)
    first = quick_schedule(problem)
    second = quick_schedule(problem)
    assert first.placements == second.placements
    assert first.unplaced == second.unplaced
    assert first.upper_bound == second.upper_bound


def test_quick_schedule_solver_beats_the_heuristic_on_a_limit_trap():
    # Everyone has as many requests as twice their limit; greedy takes P3-P1 first and the
    # limits then block both others, while P3-P2 and P2-P1 together are the optimum.
    problem = Problem(
        slots=make_slots(2),
        locations=make_tables(1),
        participants=[
            Participant(id="P1", max_meetings=1),
            Participant(id="P2", max_meetings=2),
            Participant(id="P3", max_meetings=1),
        ],
        requests=requests(("P3", "P1"), ("P3", "P2"), ("P2", "P1")),
    )
    heuristic = quick_schedule(problem, use_solver=False)
    assert placed(heuristic) == [(1, 1, "T1")]
    assert reasons(heuristic) == [
        (2, ReasonCode.LIMIT_REACHED, "P3"),
        (3, ReasonCode.LIMIT_REACHED, "P1"),
    ]
    assert (heuristic.upper_bound, heuristic.status) == (2, SolveStatus.HEURISTIC)
    assert heuristic.stats["phases"] == []
    solved = quick_schedule(problem)
    assert placed(solved) == [(2, 1, "T1"), (3, 2, "T1")]
    assert reasons(solved) == [(1, ReasonCode.LIMIT_REACHED, "P3")]
    assert (solved.heuristic_placed, solved.placed, solved.upper_bound) == (1, 2, 2)
    assert solved.status == SolveStatus.OPTIMAL


def test_exhaustive_optimum_finds_the_best_schedule_by_search():
    problem = Problem(
        slots=make_slots(2),
        locations=make_tables(1),
        participants=[
            Participant(id="P1", max_meetings=1),
            Participant(id="P2", max_meetings=2),
            Participant(id="P3", max_meetings=1),
        ],
        requests=requests(("P3", "P1"), ("P3", "P2"), ("P2", "P1")),
    )
    assert exhaustive_optimum(problem) == (
        2,
        (Placement(2, 1, "T1"), Placement(3, 2, "T1")),
    )


def test_quick_schedule_returns_a_valid_schedule_when_out_of_time():
    problem = random_problem(random.Random(9), participants=40, requests=150, slots=6, tables=4)
    result = quick_schedule(problem, time_limit=0.001)
    assert result.stats["phases"] == []
    assert result.placed == result.heuristic_placed
    assert schedule_violations(problem, result.placements) == []
    assert_reasons_are_honest(problem, result)


def test_quick_schedule_with_nothing_to_place():
    problem = Problem(
        slots=make_slots(1), locations=make_tables(1), participants=people("A"), requests=[]
    )
    result = quick_schedule(problem)
    assert (result.placements, result.unplaced, result.upper_bound) == ((), (), 0)
    assert result.status == SolveStatus.OPTIMAL


@pytest.mark.parametrize(
    ("problem_kwargs", "message"),
    [
        ({"requests": requests(("A", "A"))}, "request 1 asks a participant to meet themselves"),
        ({"requests": requests(("A", "Z"))}, "request 1 refers to unknown participant 'Z'"),
        ({"requests": requests(("A", "B"), ("A", "B"))[:1] * 2}, "duplicate request id 1"),
        (
            {"participants": [Participant(id="A", unavailable_slots={7}), *people("B")]},
            "participant 'A' refers to unknown slot 7",
        ),
        (
            {
                "scheduled": [
                    ScheduledMeeting(id="M1", requester="A", recipient="B", slot=1, location="T1"),
                    ScheduledMeeting(id="M2", requester="A", recipient="C", slot=1, location="T2"),
                ]
            },
            "participant 'A' has two scheduled meetings in slot 1",
        ),
        (
            {
                "scheduled": [
                    ScheduledMeeting(id="M1", requester="A", recipient="B", slot=1, location="T1"),
                    ScheduledMeeting(id="M2", requester="C", recipient="D", slot=1, location="T1"),
                ]
            },
            "location 'T1' hosts two scheduled meetings in slot 1",
        ),
    ],
)
def test_problem_rejects_malformed_input(problem_kwargs, message):
    kwargs = {
        "slots": make_slots(2),
        "locations": make_tables(2),
        "participants": people("A", "B", "C", "D"),
        "requests": [],
    } | problem_kwargs
    with pytest.raises(ProblemError) as error:
        Problem(**kwargs)
    assert str(error.value) == message


def test_slot_rejects_an_end_before_its_start():
    with pytest.raises(ProblemError) as error:
        Slot(id=1, start=START, end=START)
    assert str(error.value) == "slot 1 ends before it starts"


# -- schedule on accept --------------------------------------------------------------------------

BOOTH = Location.booth(id="B7", number=7, exhibitor=["E"])
TABLES = [Location.table(id=f"T{n}", number=n) for n in (3, 1, 2)]


def test_location_for_meeting_prefers_the_exhibitors_booth():
    chosen = location_for_meeting(
        participants=("V", "E"), locations=[*TABLES, BOOTH], occupied=set()
    )
    assert chosen == BOOTH


def test_location_for_meeting_takes_the_lowest_free_table():
    chosen = location_for_meeting(
        participants=("V", "W"), locations=[*TABLES, BOOTH], occupied={"T1"}
    )
    assert chosen.id == "T2"


def test_location_for_meeting_falls_back_to_a_table_when_the_booth_is_taken():
    chosen = location_for_meeting(
        participants=("E", "V"), locations=[*TABLES, BOOTH], occupied={"B7"}
    )
    assert chosen.id == "T1"


def test_location_for_meeting_skips_closed_locations_and_reports_none_left():
    closed = Location(id="T1", number=1, unavailable_slots={4})
    assert (
        location_for_meeting(
            participants=("V", "W"), locations=[closed, BOOTH], occupied=set(), slot_id=4
        )
        is None
    )
    assert (
        location_for_meeting(
            participants=("V", "W"), locations=[closed, BOOTH], occupied=set(), slot_id=5
        )
        == closed
    )


# -- against brute force on many small random instances -----------------------------------------


def random_problem(
    rng: random.Random,
    *,
    participants: int,
    requests: int,
    slots: int,
    tables: int,
    booths: bool = True,
    scheduled: int = 0,
) -> Problem:
    slot_list = make_slots(slots)
    ids = [f"P{i}" for i in range(1, participants + 1)]
    people_list = [
        Participant(
            id=p,
            max_meetings=rng.choice([1, 2, 3, None]),
            unavailable_slots={s.id for s in slot_list if rng.random() < 0.2},
            held_slots={s.id for s in slot_list if rng.random() < 0.1},
        )
        for p in ids
    ]
    locations = [
        Location(
            id=f"T{n}",
            number=n,
            unavailable_slots={s.id for s in slot_list if rng.random() < 0.1},
        )
        for n in range(1, tables + 1)
    ]
    if booths:
        if rng.random() < 0.6:
            locations.append(Location.booth(id="B1", number=1, exhibitor=[ids[0]]))
        if rng.random() < 0.4:
            locations.append(Location.booth(id="B2", number=2, exhibitor=ids[1:3]))
    rng.shuffle(locations)
    pairs = [(a, b) for a in ids for b in ids if a < b]
    fixed: list[ScheduledMeeting] = []
    busy: set[tuple[str, int]] = set()
    used: set[tuple[str, int]] = set()
    for a, b in rng.sample(pairs, min(scheduled, len(pairs))):
        slot = rng.choice(slot_list).id
        place = rng.choice([*locations, None])
        where = None if place is None else place.id
        if (a, slot) in busy or (b, slot) in busy or (where, slot) in used:
            continue
        if place is not None and not place.can_host((a, b)):
            continue
        busy.update({(a, slot), (b, slot)})
        if where is not None:
            used.add((where, slot))
        fixed.append(
            ScheduledMeeting(
                id=f"M{len(fixed)}", requester=a, recipient=b, slot=slot, location=where
            )
        )
    asked = []
    for i in range(requests):
        a, b = rng.choice(pairs)
        if rng.random() < 0.5:
            a, b = b, a
        wanted = None
        if rng.random() < 0.2:
            wanted = rng.choice(slot_list).id if rng.random() < 0.95 else 999
        asked.append(
            MeetingRequest(
                id=i + 1,
                requester=a,
                recipient=b,
                wanted_slot=wanted,
                priority=1 if rng.random() < 0.15 else 0,
            )
        )
    return Problem(
        slots=slot_list,
        locations=locations,
        participants=people_list,
        requests=asked,
        scheduled=fixed,
    )


def assert_reasons_are_honest(problem: Problem, result: ScheduleResult) -> None:
    """Recompute, from the raw problem and the placements, each claim an Unplaced makes."""
    participants = {p.id: p for p in problem.participants}
    requests_by_id = {r.id: r for r in problem.requests}
    slot_ids = [s.id for s in problem.slots]
    person_slot: dict[tuple[object, object], object] = {}
    location_slot: set[tuple[object, object]] = set()
    count: Counter[object] = Counter()
    scheduled_count: Counter[object] = Counter()
    for m in problem.scheduled:
        for p in m.participants:
            person_slot[p, m.slot] = m.id
            count[p] += 1
            scheduled_count[p] += 1
        if m.location is not None:
            location_slot.add((m.location, m.slot))
    scheduled_people = dict(person_slot)
    scheduled_places = set(location_slot)
    for placement in result.placements:
        request = requests_by_id[placement.request_id]
        for p in request.participants:
            person_slot[p, placement.slot_id] = placement.request_id
            count[p] += 1
        location_slot.add((placement.location_id, placement.slot_id))

    def free_for(request: MeetingRequest, slot: object) -> bool:
        return all(
            slot not in participants[p].unavailable_slots
            and slot not in participants[p].held_slots
            and (p, slot) not in scheduled_people
            for p in request.participants
        )

    def open_locations(request: MeetingRequest, slot: object, taken: set) -> list[Location]:
        return [
            loc
            for loc in problem.locations
            if (loc.id, slot) not in taken
            and slot not in loc.unavailable_slots
            and loc.can_host(request.participants)
        ]

    assert sorted(
        [p.request_id for p in result.placements] + [u.request_id for u in result.unplaced]
    ) == sorted(requests_by_id)
    for unplaced in result.unplaced:
        request = requests_by_id[unplaced.request_id]
        code = unplaced.code
        if code == ReasonCode.LIMIT_REACHED_BY_SCHEDULED:
            who = unplaced.participant_id
            assert scheduled_count[who] >= participants[who].max_meetings
        elif code == ReasonCode.LIMIT_REACHED:
            who = unplaced.participant_id
            assert count[who] == participants[who].max_meetings
        elif code == ReasonCode.NO_COMMON_FREE_SLOT:
            assert request.wanted_slot is None
            assert [s for s in slot_ids if free_for(request, s)] == []
        elif code == ReasonCode.NO_LOCATION:
            common = [s for s in slot_ids if free_for(request, s)]
            assert common != []
            assert all(open_locations(request, s, scheduled_places) == [] for s in common)
        elif code == ReasonCode.WANTED_SLOT_UNAVAILABLE:
            wanted = request.wanted_slot
            assert (
                wanted not in slot_ids
                or not free_for(request, wanted)
                or open_locations(request, wanted, scheduled_places) == []
            )
        else:
            assert code in {
                ReasonCode.WANTED_SLOT_TAKEN,
                ReasonCode.PARTICIPANTS_BUSY,
                ReasonCode.LOCATIONS_FULL,
                ReasonCode.SLOTS_TAKEN,
            }
            expected_slots = [
                s
                for s in slot_ids
                if free_for(request, s)
                and open_locations(request, s, scheduled_places)
                and (request.wanted_slot is None or s == request.wanted_slot)
            ]
            assert list(unplaced.blocked_slots) == expected_slots
            for slot, cause in unplaced.blocked_slots.items():
                a, b = request.participants
                busy = ((a, slot) in person_slot, (b, slot) in person_slot)
                if cause == "locations":
                    assert busy == (False, False)
                    assert open_locations(request, slot, location_slot) == []
                else:
                    expected = {"requester": (True, False), "recipient": (False, True)}
                    assert busy == expected.get(cause, (True, True))
            causes = set(unplaced.blocked_slots.values())
            if code == ReasonCode.LOCATIONS_FULL:
                assert causes == {"locations"}
            elif code == ReasonCode.PARTICIPANTS_BUSY:
                assert "locations" not in causes
            elif code == ReasonCode.SLOTS_TAKEN:
                assert "locations" in causes and len(causes) > 1
        assert isinstance(unplaced.message, str) and unplaced.message.endswith(".")


SMALL_CASES = list(range(150))


@pytest.mark.parametrize("seed", SMALL_CASES)
def test_quick_schedule_matches_brute_force_optimum(seed):
    rng = random.Random(seed)
    problem = random_problem(
        rng,
        participants=rng.randint(3, 6),
        requests=rng.randint(2, 7),
        slots=rng.randint(1, 3),
        tables=rng.randint(1, 2),
        scheduled=rng.randint(0, 2),
    )
    optimum, witness = exhaustive_optimum(problem)
    assert schedule_violations(problem, witness) == []
    result = quick_schedule(problem)
    assert schedule_violations(problem, result.placements) == []
    assert result.placed == optimum
    assert result.upper_bound == optimum
    assert result.status == SolveStatus.OPTIMAL
    assert_reasons_are_honest(problem, result)
    heuristic = quick_schedule(problem, use_solver=False)
    assert schedule_violations(problem, heuristic.placements) == []
    assert heuristic.placed <= optimum <= heuristic.upper_bound
    assert_reasons_are_honest(problem, heuristic)


@pytest.mark.parametrize("seed", range(40))
def test_heuristic_never_breaks_a_rule(seed):
    rng = random.Random(1000 + seed)
    problem = random_problem(
        rng,
        participants=rng.randint(5, 40),
        requests=rng.randint(5, 120),
        slots=rng.randint(1, 8),
        tables=rng.randint(1, 6),
        scheduled=rng.randint(0, 10),
    )
    board = greedy_schedule(problem.index)
    index = problem.index
    locations = assign_locations(board)
    placements = [
        Placement(index.requests[r].id, index.slots[s].id, index.locations[locations[r]].id)
        for r, s in board.slot_of.items()
    ]
    assert schedule_violations(problem, placements) == []
    result = quick_schedule(problem, use_solver=False)
    assert schedule_violations(problem, result.placements) == []
    assert_reasons_are_honest(problem, result)


@pytest.mark.parametrize("seed", range(10))
def test_quick_schedule_is_valid_and_honest_on_medium_instances(seed):
    rng = random.Random(2000 + seed)
    problem = random_problem(rng, participants=60, requests=200, slots=8, tables=5, scheduled=15)
    result = quick_schedule(problem, time_limit=5)
    assert schedule_violations(problem, result.placements) == []
    assert result.heuristic_placed <= result.placed <= result.upper_bound
    assert_reasons_are_honest(problem, result)


def test_schedule_violations_names_each_broken_rule():
    problem = Problem(
        slots=make_slots(2),
        locations=[*make_tables(1), Location.booth(id="B1", number=1, exhibitor=["E"])],
        participants=[
            Participant(id="A", max_meetings=1, unavailable_slots={2}),
            *people("B", "C", "E"),
        ],
        requests=[
            *requests(("A", "B"), ("A", "C"), ("B", "C")),
            MeetingRequest(id=4, requester="B", recipient="C", wanted_slot=1),
        ],
    )
    broken = [
        Placement(1, 1, "T1"),
        Placement(2, 1, "T1"),
        Placement(3, 2, "B1"),
        Placement(4, 2, "T1"),
        Placement(9, 1, "T1"),
    ]
    assert schedule_violations(problem, broken) == [
        "request 2 shares location 'T1' with 1",
        "participant 'A' meets twice in slot 1 (1 and 2)",
        "request 3 is in booth 'B1' of someone else",
        "request 4 is not in its wanted slot",
        "participant 'B' meets twice in slot 2 (3 and 4)",
        "participant 'C' meets twice in slot 2 (3 and 4)",
        "request 9 does not exist",
        "participant 'A' has 2 meetings, over the limit of 1",
    ]


def test_quick_schedule_proves_large_instances_optimal_through_the_selection_bound():
    rng = random.Random(79)
    problem = random_problem(rng, participants=100, requests=400, slots=12, tables=10, scheduled=10)
    pairs = sum(len(slots) for slots in problem.index.candidates)
    assert pairs > FULL_MODEL_TIE_BREAK_LIMIT  # so the relaxation decides, not the full model
    result = quick_schedule(problem, time_limit=30)
    assert [phase["phase"] for phase in result.stats["phases"]] == ["selection", "order"]
    assert result.stats["selection_placed"] == 105
    assert (result.heuristic_placed, result.placed, result.upper_bound) == (96, 105, 105)
    assert result.status == SolveStatus.OPTIMAL
    assert schedule_violations(problem, result.placements) == []
    assert_reasons_are_honest(problem, result)


def test_quick_schedule_falls_back_to_the_full_model_when_the_selection_does_not_fit():
    rng = random.Random(77)
    problem = random_problem(rng, participants=80, requests=300, slots=12, tables=8, scheduled=10)
    result = quick_schedule(problem, time_limit=30)
    phases = [(phase["phase"], phase["status"]) for phase in result.stats["phases"]]
    assert phases[:3] == [("selection", "OPTIMAL"), ("order", "OPTIMAL"), ("count", "OPTIMAL")]
    # The heuristic slots only 93 of the 94 requests the relaxation selected.
    assert result.stats["selection_placed"] == 93
    assert (result.heuristic_placed, result.placed, result.upper_bound) == (93, 94, 94)
    assert result.status == SolveStatus.OPTIMAL
    assert schedule_violations(problem, result.placements) == []
    assert_reasons_are_honest(problem, result)
