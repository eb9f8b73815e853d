"""
A local population database for the demo and the tests
(``motcua population-simulator``). Standard library only; listens on
loopback; serves the residents of ``synthetic.generate_residents``.

- ``GET /api/v1/citizens/{id_number}`` with ``X-API-Key``: 200 with the
  person, 404 unknown, 400 malformed, 401 wrong key;
- ``GET /health``;
- ``/control/…`` (JSON, for tests and demos): ``POST /control/fail``
  ``{"status": 503, "times": 1}`` answers the next lookups with that status;
  ``POST /control/delay`` ``{"seconds": 2, "times": 1}`` delays them;
  ``POST /control/reset``; ``GET /control/lookups`` lists the ids asked for.
"""

import hmac
import json
import threading
import time
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlsplit

from . import idnumbers
from .synthetic import Resident

_LOOPBACK = ("127.0.0.1", "localhost", "::1")
_PREFIX = "/api/v1/citizens/"


class PopulationSimulator:
    def __init__(
        self,
        residents: Sequence[Resident],
        *,
        api_key: str,
        host: str = "127.0.0.1",
        port: int = 8767,
    ) -> None:
        if host not in _LOOPBACK:
            raise ValueError("The population simulator listens on loopback only.")
        if not api_key:
            raise ValueError("The population simulator needs an API key.")
        self.residents = {r.id_number: r for r in residents}
        self.api_key = api_key
        self.host = host
        self.port = port
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self.failures: list[int] = []
            self.delays: list[float] = []
            self.lookups: list[str] = []

    def fail_next(self, status: int = 503, times: int = 1) -> None:
        with self._lock:
            self.failures.extend([status] * times)

    def delay_next(self, seconds: float, times: int = 1) -> None:
        with self._lock:
            self.delays.extend([seconds] * times)

    def _next(self, queue: list) -> Any:
        with self._lock:
            return queue.pop(0) if queue else None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def _make_server(self) -> ThreadingHTTPServer:
        simulator = self

        class Handler(_Handler):
            sim = simulator

        server = ThreadingHTTPServer((self.host, self.port), Handler)
        server.daemon_threads = True
        self.port = server.server_address[1]
        return server

    def bind(self) -> str:
        """Open the listening socket (a free port if ``port`` is 0); return the URL."""
        if self._server is None:
            self._server = self._make_server()
        return self.url

    def start(self) -> str:
        """Serve in a background thread; return the base URL."""
        self.bind()
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            daemon=True,
        )
        self._thread.start()
        return self.url

    def serve_forever(self) -> None:
        self.bind()
        try:
            self._server.serve_forever()
        finally:
            self._server.server_close()
            self._server = None

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None


class _Handler(BaseHTTPRequestHandler):
    sim: PopulationSimulator
    server_version = "motcua-population-simulator/1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _json(self, status: int, data: Any) -> None:
        body = json.dumps(data, ensure_ascii=False).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (a simulated delay)

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path == "/health":
            return self._json(
                200, {"status": "ok", "residents": len(self.sim.residents)}
            )
        if path == "/control/lookups":
            return self._json(200, self.sim.lookups)
        if not path.startswith(_PREFIX):
            return self._json(404, {"error": "not_found"})
        delay = self.sim._next(self.sim.delays)
        if delay:
            time.sleep(delay)
        failure = self.sim._next(self.sim.failures)
        if failure:
            return self._json(failure, {"error": "simulated_failure"})
        key = self.headers.get("X-API-Key") or ""
        if not hmac.compare_digest(key.encode(), self.sim.api_key.encode()):
            return self._json(401, {"error": "unauthorized"})
        id_number = unquote(path.removeprefix(_PREFIX))
        with self.sim._lock:
            self.sim.lookups.append(id_number)
        if not idnumbers.is_well_formed(id_number):
            return self._json(400, {"error": "id_number_invalid"})
        resident = self.sim.residents.get(id_number)
        if resident is None:
            return self._json(404, {"error": "not_found"})
        return self._json(200, resident.as_json())

    def do_POST(self) -> None:
        path = urlsplit(self.path).path
        length = int(self.headers.get("Content-Length") or 0)
        try:
            data = json.loads(self.rfile.read(length) or b"{}") if length else {}
            if path == "/control/fail":
                self.sim.fail_next(
                    int(data.get("status", 503)), int(data.get("times", 1))
                )
            elif path == "/control/delay":
                self.sim.delay_next(float(data["seconds"]), int(data.get("times", 1)))
            elif path == "/control/reset":
                self.sim.reset()
            else:
                return self._json(404, {"error": "not_found"})
        except (ValueError, KeyError, TypeError) as error:
            return self._json(400, {"error": str(error)})
        return self._json(200, {"ok": True})
