"""Backoff with jitter, and the simulators' failure switch (pure, no database)."""

import random
from datetime import timedelta

import pytest
import time_machine

from motcua.core.httpsim import FailureSwitch
from motcua.core.outbox import RetryPolicy

POLICY = RetryPolicy(max_attempts=5, base_seconds=30, cap_seconds=600)


@pytest.mark.parametrize(
    ("attempts", "low", "high"),
    [
        (1, 15, 30),
        (2, 30, 60),
        (3, 60, 120),
        (4, 120, 240),
        (5, 240, 480),
        (9, 300, 600),
    ],
)
def test_each_failure_doubles_the_wait_within_half_to_all_of_it_up_to_the_cap(
    attempts, low, high
):
    rng = random.Random(attempts)
    delays = [POLICY.delay(attempts, rng=rng) for _ in range(200)]
    assert all(timedelta(seconds=low) <= d <= timedelta(seconds=high) for d in delays)
    # Jitter: retries of many rows failing together spread out.
    assert len({d.total_seconds() for d in delays}) > 150


def test_the_policy_gives_up_after_the_last_attempt():
    assert not POLICY.gives_up_after(4)
    assert POLICY.gives_up_after(5)


def test_the_failure_switch_counts_requests_or_watches_the_clock():
    switch = FailureSwitch()
    assert switch.take() is None
    switch.set(requests=2, status=502)
    assert [f and f.status for f in (switch.take(), switch.take(), switch.take())] == [
        502,
        502,
        None,
    ]
    with time_machine.travel("2026-03-02 09:00 +07:00", tick=False) as traveller:
        switch.set(seconds=60, mode="drop")
        assert switch.take().mode == "drop"
        traveller.shift(61)
        assert switch.take() is None
    with pytest.raises(ValueError):
        switch.set(seconds=1, mode="explode")
