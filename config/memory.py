"""Keeping the cyclic garbage collector's pauses short in a long-running server process.

A full collection walks every object in the oldest generation and holds the GIL meanwhile, so
every request in flight in that process waits it out. What lives there is mostly permanent:
modules, URL resolvers, translation catalogues, template and serializer caches, most of them
loaded by the first requests rather than at start-up. With ~40,000 such objects a full
collection took 41 ms at the median and up to 120 ms of wall time under bench/checkin.py, and
Python's rule (a full collection once the objects promoted since the last one reach a quarter
of the oldest generation) ran one every few seconds: the slowest scans of the gate benchmark
were the ones caught behind it.

Objects that survive a full collection are either permanent or belong to requests in flight.
`FreezeSurvivors` moves them out of the collector's reach (gc.freeze) after a full collection
whenever they are numerous, at most `max_freezes` times per process: the lazily loaded state
arrives within the first minutes, after which the oldest generation holds only recent request
garbage and a full collection costs about what a young one does. The price is that the few
requests in flight at each freeze keep their objects for the life of the process (a few
thousand objects, a bounded number of times)."""

import gc


class FreezeSurvivors:
    def __init__(self, *, min_survivors: int = 10_000, max_freezes: int = 8) -> None:
        self.min_survivors = min_survivors
        self.max_freezes = max_freezes
        self.freezes = 0

    def __call__(self, phase: str, info: dict) -> None:
        if phase != "stop" or info["generation"] != 2 or self.freezes >= self.max_freezes:
            return
        if len(gc.get_objects(generation=2)) >= self.min_survivors:
            gc.freeze()
            self.freezes += 1


def freeze_startup_heap(*, policy: FreezeSurvivors | None = None) -> FreezeSurvivors:
    """Freeze what start-up loaded, then keep freezing what later survives (see above). Call
    once, at the end of the server's start-up."""
    gc.collect()
    gc.freeze()
    policy = policy or FreezeSurvivors()
    if policy not in gc.callbacks:
        gc.callbacks.append(policy)
    return policy
