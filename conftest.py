"""Fixtures shared by every app's tests."""

import socket

import pytest

# Browser fixtures (browser, page, page_log) for tests marked "browser".
pytest_plugins = ["motcua.testing.pytest_browser"]


@pytest.fixture(autouse=True)
def _fresh_calendars():
    """Calendars are cached per process; each test starts from its own data."""
    from motcua.units import calendars

    calendars.invalidate()
    yield
    calendars.invalidate()


@pytest.fixture(autouse=True)
def _empty_cache():
    """The cache outlives a test; each test starts with an empty one."""
    from django.core.cache import cache

    cache.clear()
    yield


_real_connect = socket.socket.connect


def _guarded_connect(self, address):
    # No test may reach outside this machine: outside systems have local simulators.
    host = address[0] if isinstance(address, tuple) else address
    if (
        isinstance(host, str)
        and host not in ("127.0.0.1", "localhost", "::1")
        and not host.startswith("/")
    ):
        raise RuntimeError(
            f"Tests must not connect to {host!r}; use a local simulator."
        )
    return _real_connect(self, address)


@pytest.fixture(autouse=True, scope="session")
def _block_internet():
    socket.socket.connect = _guarded_connect
    yield
    socket.socket.connect = _real_connect
