"""config.memory.FreezeSurvivors: after a full collection, many survivors are frozen out of the
collector's reach, a bounded number of times; young collections never freeze."""

import gc

import pytest

from config.memory import FreezeSurvivors


@pytest.fixture
def policy():
    policy = FreezeSurvivors(min_survivors=3_000, max_freezes=2)
    gc.collect()
    gc.freeze()  # start from an empty oldest generation
    gc.callbacks.append(policy)
    yield policy
    gc.callbacks.remove(policy)
    gc.unfreeze()


def _long_lived(n: int) -> list:
    return [[] for _ in range(n)]  # lists are tracked by the collector


def test_full_collection_with_many_survivors_freezes_them(policy):
    frozen_before = gc.get_freeze_count()
    keep = _long_lived(5_000)

    gc.collect()

    assert policy.freezes == 1
    assert gc.get_freeze_count() - frozen_before >= 5_000
    assert len(gc.get_objects(generation=2)) < 3_000
    assert len(keep) == 5_000


def test_few_survivors_are_left_alone(policy):
    keep = _long_lived(1_000)

    gc.collect()

    assert policy.freezes == 0
    assert len(keep) == 1_000


def test_young_collections_never_freeze(policy):
    keep = _long_lived(5_000)

    gc.collect(0)
    gc.collect(1)

    assert policy.freezes == 0
    assert len(keep) == 5_000


def test_freezes_stop_after_max_freezes(policy):
    kept = []
    for _ in range(3):
        kept.append(_long_lived(5_000))
        gc.collect()

    assert policy.freezes == 2
    assert len(gc.get_objects(generation=2)) >= 5_000  # the third batch stayed collectable
