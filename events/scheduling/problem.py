"""The meeting-scheduling problem: plain data, validated, with integer indexes for the solvers.

Everything here is independent of Django so the solvers can be tested and benchmarked alone; the
events app translates its models into these classes and writes the placements back.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property

Id = Hashable
UNLIMITED = math.inf


class ProblemError(ValueError):
    """The instance is malformed (unknown ids, duplicates, already-broken fixed schedule)."""


def _frozen(values: Iterable[Id]) -> frozenset[Id]:
    return values if isinstance(values, frozenset) else frozenset(values)


@dataclass(frozen=True, slots=True)
class Slot:
    id: Id
    start: datetime
    end: datetime
    day: date | None = None
    block: Id | None = None
    label: str = ""

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ProblemError(f"slot {self.id!r} ends before it starts")
        if self.day is None:
            object.__setattr__(self, "day", self.start.date())

    @property
    def name(self) -> str:
        return self.label or str(self.id)


@dataclass(frozen=True, slots=True)
class Location:
    """A numbered table (open to every meeting) or a booth (only for its exhibitor's meetings).

    `booth_for` holds the participants whose meetings the booth may host, e.g. the staff of the
    exhibiting organisation; empty means an ordinary table. Each location hosts at most one
    meeting per slot.
    """

    id: Id
    number: int
    booth_for: frozenset[Id] = frozenset()
    unavailable_slots: frozenset[Id] = frozenset()
    label: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "booth_for", _frozen(self.booth_for))
        object.__setattr__(self, "unavailable_slots", _frozen(self.unavailable_slots))

    @classmethod
    def table(cls, id: Id, number: int, *, label: str = "") -> Location:  # noqa: A002
        return cls(id=id, number=number, label=label)

    @classmethod
    def booth(cls, id: Id, number: int, *, exhibitor: Iterable[Id], label: str = "") -> Location:  # noqa: A002
        return cls(id=id, number=number, booth_for=frozenset(exhibitor), label=label)

    @property
    def is_booth(self) -> bool:
        return bool(self.booth_for)

    @property
    def name(self) -> str:
        return self.label or str(self.id)

    def can_host(self, participants: Iterable[Id]) -> bool:
        return not self.booth_for or any(p in self.booth_for for p in participants)


@dataclass(frozen=True, slots=True)
class Participant:
    """Someone who meets: at most `max_meetings` (None: no limit), counting scheduled ones.

    `unavailable_slots` are the slots they marked unavailable; `held_slots` are slots held for
    them by pending requests, which keep them busy without counting towards the limit.
    """

    id: Id
    max_meetings: int | None = None
    unavailable_slots: frozenset[Id] = frozenset()
    held_slots: frozenset[Id] = frozenset()
    label: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "unavailable_slots", _frozen(self.unavailable_slots))
        object.__setattr__(self, "held_slots", _frozen(self.held_slots))
        if self.max_meetings is not None and self.max_meetings < 0:
            raise ProblemError(f"participant {self.id!r} has a negative meeting limit")

    @property
    def name(self) -> str:
        return self.label or str(self.id)


@dataclass(frozen=True, slots=True)
class MeetingRequest:
    """A meeting to place: at `wanted_slot` only, or (None) at any slot both have free.

    Higher `priority` is placed first when not everything fits; equal priorities fall back to the
    order the requests were given in.
    """

    id: Id
    requester: Id
    recipient: Id
    wanted_slot: Id | None = None
    priority: int = 0

    @property
    def participants(self) -> tuple[Id, Id]:
        return (self.requester, self.recipient)


@dataclass(frozen=True, slots=True)
class ScheduledMeeting:
    """A meeting already in the schedule; the solver keeps it where it is.

    `location` may be None for a meeting held somewhere the schedule does not manage; it still
    occupies both participants and counts towards their limits.
    """

    id: Id
    requester: Id
    recipient: Id
    slot: Id
    location: Id | None = None

    @property
    def participants(self) -> tuple[Id, Id]:
        return (self.requester, self.recipient)


@dataclass(frozen=True)
class Problem:
    slots: tuple[Slot, ...]
    locations: tuple[Location, ...]
    participants: tuple[Participant, ...]
    requests: tuple[MeetingRequest, ...]
    scheduled: tuple[ScheduledMeeting, ...] = ()

    def __post_init__(self) -> None:
        for name in ("slots", "locations", "participants", "requests", "scheduled"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        self.index  # noqa: B018 - validate eagerly so errors surface at construction

    @cached_property
    def index(self) -> Index:
        return Index(self)


def _unique(kind: str, ids: Iterable[Id]) -> dict[Id, int]:
    positions: dict[Id, int] = {}
    for position, item_id in enumerate(ids):
        if item_id in positions:
            raise ProblemError(f"duplicate {kind} id {item_id!r}")
        positions[item_id] = position
    return positions


@dataclass
class BoothGroup:
    """Booths sharing the same host set; interchangeable for the meetings they may host."""

    hosts: frozenset[int]
    locations: list[int]  # location indexes, in preference order
    free: list[list[int]] = field(default_factory=list)  # per slot index


class Index:
    """Integer view of a Problem, built once and shared by the solvers.

    Slots, participants, locations and requests are referred to by position: `slots[i]` is the
    Slot of slot index i (slots in time order), `locations` has booths first and then tables by
    number. Scheduled meetings are folded into each participant's busy slots and remaining
    capacity and into each slot's free locations; `candidates[r]` lists the slots request r
    could use if it were alone.
    """

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        for kind, items in (
            ("slot", problem.slots),
            ("location", problem.locations),
            ("request", problem.requests),
            ("scheduled meeting", problem.scheduled),
        ):
            _unique(kind, (item.id for item in items))
        self.participant_index = _unique("participant", (p.id for p in problem.participants))
        self.participants: list[Participant] = list(problem.participants)
        self.slots: list[Slot] = [
            slot
            for _start, _position, slot in sorted(
                (slot.start, position, slot) for position, slot in enumerate(problem.slots)
            )
        ]
        self.slot_index: dict[Id, int] = {s.id: i for i, s in enumerate(self.slots)}
        # Booths first (only their exhibitors can use them, so using one spares a table), then by
        # number; the input order breaks any remaining tie.
        positions = {location.id: i for i, location in enumerate(problem.locations)}
        self.locations: list[Location] = sorted(
            problem.locations, key=lambda loc: (not loc.is_booth, loc.number, positions[loc.id])
        )
        self.location_index: dict[Id, int] = {loc.id: i for i, loc in enumerate(self.locations)}
        self.requests: list[MeetingRequest] = list(problem.requests)

        for participant in self.participants:
            self._check_slots(participant.unavailable_slots, f"participant {participant.id!r}")
            self._check_slots(participant.held_slots, f"participant {participant.id!r}")
        for location in self.locations:
            self._check_slots(location.unavailable_slots, f"location {location.id!r}")
            for host in location.booth_for:
                self._participant(host, f"booth {location.id!r}")

        self.unavailable: list[frozenset[int]] = [
            frozenset(self.slot_index[s] for s in p.unavailable_slots) for p in self.participants
        ]
        self.held: list[frozenset[int]] = [
            frozenset(self.slot_index[s] for s in p.held_slots) for p in self.participants
        ]
        occupied = self._fold_scheduled(problem.scheduled)
        self._pool_locations(occupied)
        self._index_requests()

    def _fold_scheduled(self, scheduled: Iterable[ScheduledMeeting]) -> set[tuple[int, int]]:
        """Mark scheduled meetings' participants busy; return the (location, slot) pairs taken."""
        self.busy: list[set[int]] = [
            set(off | held) for off, held in zip(self.unavailable, self.held, strict=True)
        ]
        self.fixed_slots: list[dict[int, Id]] = [{} for _ in self.participants]
        self.fixed_count: list[int] = [0] * len(self.participants)
        occupied: set[tuple[int, int]] = set()
        for meeting in scheduled:
            where = f"scheduled meeting {meeting.id!r}"
            a = self._participant(meeting.requester, where)
            b = self._participant(meeting.recipient, where)
            if a == b:
                raise ProblemError(f"{where} has the same participant twice")
            if meeting.slot not in self.slot_index:
                raise ProblemError(f"{where} is in unknown slot {meeting.slot!r}")
            s = self.slot_index[meeting.slot]
            for p in (a, b):
                if s in self.fixed_slots[p]:
                    raise ProblemError(
                        f"participant {self.participants[p].id!r} has two scheduled meetings "
                        f"in slot {meeting.slot!r}"
                    )
                self.fixed_slots[p][s] = meeting.id
                self.busy[p].add(s)
                self.fixed_count[p] += 1
            if meeting.location is not None:
                if meeting.location not in self.location_index:
                    raise ProblemError(f"{where} is at unknown location {meeting.location!r}")
                loc = self.location_index[meeting.location]
                if (loc, s) in occupied:
                    raise ProblemError(
                        f"location {meeting.location!r} hosts two scheduled meetings "
                        f"in slot {meeting.slot!r}"
                    )
                occupied.add((loc, s))
        # Meetings still allowed; zero (not negative) when scheduled ones already exceed a limit.
        self.capacity: list[float] = [
            UNLIMITED if p.max_meetings is None else max(p.max_meetings - self.fixed_count[i], 0)
            for i, p in enumerate(self.participants)
        ]
        return occupied

    def _pool_locations(self, occupied: set[tuple[int, int]]) -> None:
        """Free locations per slot: tables in one pool, booths grouped by who may use them."""
        n_slots = len(self.slots)
        self.free_tables: list[list[int]] = [[] for _ in range(n_slots)]
        groups: dict[frozenset[int], BoothGroup] = {}
        for loc_i, location in enumerate(self.locations):
            pool = self.free_tables
            if location.is_booth:
                hosts = frozenset(self.participant_index[h] for h in location.booth_for)
                if hosts not in groups:
                    groups[hosts] = BoothGroup(hosts, [], [[] for _ in range(n_slots)])
                groups[hosts].locations.append(loc_i)
                pool = groups[hosts].free
            closed = {self.slot_index[s] for s in location.unavailable_slots}
            for s in range(n_slots):
                if s not in closed and (loc_i, s) not in occupied:
                    pool[s].append(loc_i)
        self.groups: list[BoothGroup] = list(groups.values())
        self.groups_of: list[list[int]] = [[] for _ in self.participants]
        for g_i, group in enumerate(self.groups):
            for p in sorted(group.hosts):
                self.groups_of[p].append(g_i)

    def _index_requests(self) -> None:
        self.pairs: list[tuple[int, int]] = []
        self.wanted: list[int | None] = []  # slot index, None for any slot, -1 for unknown
        for request in self.requests:
            where = f"request {request.id!r}"
            a = self._participant(request.requester, where)
            b = self._participant(request.recipient, where)
            if a == b:
                raise ProblemError(f"{where} asks a participant to meet themselves")
            self.pairs.append((a, b))
            if request.wanted_slot is None:
                self.wanted.append(None)
            else:
                self.wanted.append(self.slot_index.get(request.wanted_slot, -1))
        self.request_groups: list[tuple[int, ...]] = [
            tuple(sorted(set(self.groups_of[a]) | set(self.groups_of[b]))) for a, b in self.pairs
        ]
        self.candidates: list[list[int]] = [self._candidates(r) for r in range(len(self.pairs))]
        self.requests_of: list[list[int]] = [[] for _ in self.participants]
        for r, (a, b) in enumerate(self.pairs):
            self.requests_of[a].append(r)
            self.requests_of[b].append(r)

    def _check_slots(self, slot_ids: Iterable[Id], owner: str) -> None:
        for slot_id in slot_ids:
            if slot_id not in self.slot_index:
                raise ProblemError(f"{owner} refers to unknown slot {slot_id!r}")

    def _participant(self, participant_id: Id, where: str) -> int:
        try:
            return self.participant_index[participant_id]
        except KeyError:
            raise ProblemError(
                f"{where} refers to unknown participant {participant_id!r}"
            ) from None

    @property
    def n_slots(self) -> int:
        return len(self.slots)

    def eligible_groups(self, r: int) -> tuple[int, ...]:
        return self.request_groups[r]

    def has_location(self, r: int, s: int) -> bool:
        """Whether some location could host request r in slot s, ignoring other new meetings."""
        return bool(self.free_tables[s]) or any(
            self.groups[g].free[s] for g in self.eligible_groups(r)
        )

    def common_free(self, r: int) -> list[int]:
        a, b = self.pairs[r]
        return [s for s in range(self.n_slots) if s not in self.busy[a] and s not in self.busy[b]]

    def _candidates(self, r: int) -> list[int]:
        a, b = self.pairs[r]
        if self.capacity[a] <= 0 or self.capacity[b] <= 0:
            return []
        wanted = self.wanted[r]
        slots = self.common_free(r) if wanted is None else [wanted]
        return [
            s
            for s in slots
            if s >= 0
            and s not in self.busy[a]
            and s not in self.busy[b]
            and self.has_location(r, s)
        ]
