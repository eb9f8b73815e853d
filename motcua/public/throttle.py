"""
Limits on guessing a dossier's lookup secret (printed on Mẫu 01): so many
wrong tries per dossier code and per address within a window, counted in the
cache, after which every try is refused until the window ends.

The limits hold for one cache: with several web processes, configure a
shared one (``CACHE_IN_DATABASE=true``).
"""

import hashlib

from django.conf import settings
from django.core.cache import cache


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().upper().encode()).hexdigest()[:32]
    return f"motcua:lookup:{kind}:{digest}"


def _count(key: str) -> int:
    return int(cache.get(key) or 0)


def _bump(key: str) -> None:
    timeout = settings.MOTCUA_LOOKUP_WINDOW_MINUTES * 60
    # add() sets the window on the first failure; incr() keeps its expiry.
    if not cache.add(key, 1, timeout):
        try:
            cache.incr(key)
        except ValueError:  # expired between the two calls
            cache.set(key, 1, timeout)


def secret_tries_locked(*, code: str, address: str | None) -> bool:
    """Return True if tries of the secret for ``code`` or from ``address`` are refused now."""
    if _count(_key("code", code)) >= settings.MOTCUA_LOOKUP_MAX_FAILURES_PER_CODE:
        return True
    return bool(address) and (
        _count(_key("address", address))
        >= settings.MOTCUA_LOOKUP_MAX_FAILURES_PER_ADDRESS
    )


def secret_try_failed(*, code: str, address: str | None) -> None:
    """Count a wrong secret (or an unknown code) against ``code`` and ``address``."""
    _bump(_key("code", code))
    if address:
        _bump(_key("address", address))


def unknown_code_tried(*, address: str | None) -> None:
    """Count a lookup of a code that does not exist against ``address`` only."""
    if address:
        _bump(_key("address", address))


def address_locked(address: str | None) -> bool:
    return bool(address) and (
        _count(_key("address", address))
        >= settings.MOTCUA_LOOKUP_MAX_FAILURES_PER_ADDRESS
    )
