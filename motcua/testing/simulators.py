"""Run the local simulators of outside systems in tests: real HTTP on loopback."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from motcua.core.http import json_request
from motcua.core.httpsim import SimulatorApp, SimulatorServer


@contextmanager
def running(app: SimulatorApp) -> Iterator[SimulatorServer]:
    """Serve ``app`` on a free loopback port for the duration of the block."""
    server = SimulatorServer(app).start()
    try:
        yield server
    finally:
        server.stop()


def control(
    server: SimulatorServer, path: str, body: dict[str, Any] | None = None
) -> Any:
    """POST ``body`` (or GET when None) to a simulator's control path."""
    response = json_request(
        "GET" if body is None else "POST", f"{server.url}{path}", payload=body
    )
    assert response.ok, response  # noqa: S101 - test helper
    return response.body
