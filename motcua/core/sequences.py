"""Gap-free counters allocated under a row lock (see ``SequenceCounter``)."""

from django.db import transaction

from .models import SequenceCounter


def sequence_next(scope: str, key: str) -> int:
    """
    Return the next value of the counter ``(scope, key)``.

    Must run inside the caller's transaction: the row stays locked until it
    commits, so two concurrent callers get different values, and a value
    drawn by a transaction that rolls back was never issued to anyone.
    Callers should draw as late as possible to hold the lock briefly.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("sequence_next() must run inside a transaction.")
    SequenceCounter.objects.bulk_create(
        [SequenceCounter(scope=scope, key=key, value=0)], ignore_conflicts=True
    )
    counter = SequenceCounter.objects.select_for_update().get(scope=scope, key=key)
    counter.value += 1
    counter.save(update_fields=["value"])
    return counter.value
