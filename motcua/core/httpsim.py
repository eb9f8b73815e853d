"""
What the local simulators of outside systems share: a threaded HTTP server
on loopback, JSON request handling with a small route table, and a failure
switch that makes the simulated system fail for a while on demand.

Standard library only, and no Django: a simulator plays a system that is not
ours, so it must not reach into our database or settings while it answers.
"""

import json
import logging
import re
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

logger = logging.getLogger("motcua.simulators")

LOOPBACK = "127.0.0.1"


@dataclass
class Failure:
    """What a failing simulator does: answer an error status, or drop the
    response after doing the work (the caller never hears back)."""

    mode: str = "error"  # "error" or "drop"
    status: int = 503


class FailureSwitch:
    """
    Makes a simulator fail for ``seconds`` (measured with ``time.time``, so
    tests can move the clock with time-machine) or for the next ``requests``
    requests. Thread-safe.
    """

    MODES = ("error", "drop")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._until: float | None = None
        self._remaining: int | None = None
        self._failure = Failure()

    def set(
        self,
        *,
        seconds: float | None = None,
        requests: int | None = None,
        status: int = 503,
        mode: str = "error",
    ) -> None:
        if mode not in self.MODES:
            raise ValueError(f"mode must be one of {self.MODES}")
        if seconds is None and requests is None:
            raise ValueError("give seconds or requests")
        with self._lock:
            self._until = time.time() + float(seconds) if seconds is not None else None
            self._remaining = int(requests) if requests is not None else None
            self._failure = Failure(mode=mode, status=int(status))

    def clear(self) -> None:
        with self._lock:
            self._until = self._remaining = None

    def take(self) -> Failure | None:
        """Return the failure to apply to this request, if any (and count it)."""
        with self._lock:
            if self._remaining is not None:
                if self._remaining > 0:
                    self._remaining -= 1
                    return self._failure
                self._remaining = None
            if self._until is not None:
                if time.time() < self._until:
                    return self._failure
                self._until = None
            return None

    def describe(self) -> dict[str, Any]:
        with self._lock:
            return {
                "until": self._until,
                "remaining_requests": self._remaining,
                "mode": self._failure.mode,
                "status": self._failure.status,
            }


class DroppedResponse(Exception):
    """Raised by a route to close the connection without answering."""


class HttpError(Exception):
    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(status, body)
        self.status = status
        self.body = body


Route = tuple[str, re.Pattern[str], Callable[..., tuple[int, Any]]]


class JsonHandler(BaseHTTPRequestHandler):
    """
    Dispatches to ``self.server.app.routes``: (method, regex, callable). The
    callable gets the handler and the regex groups and returns (status, body).
    """

    server_version = "motcua-simulator/1"
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s %s", self.address_string(), format % args)

    def _dispatch(self, method: str) -> None:
        path = self.path.split("?", 1)[0]
        app = self.server.app  # type: ignore[attr-defined]
        for route_method, pattern, view in app.routes:
            match = pattern.fullmatch(path)
            if route_method == method and match:
                try:
                    status, body = view(self, *match.groups())
                except DroppedResponse:
                    self.close_connection = True
                    return
                except HttpError as error:
                    status, body = error.status, error.body
                except Exception:
                    logger.exception("Simulator error on %s %s", method, path)
                    status, body = 500, {"error": "internal_error"}
                self.send_json(status, body)
                return
        self.send_json(404, {"error": "not_found", "path": path})

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def body_bytes(self) -> bytes:
        if not hasattr(self, "_body"):
            length = int(self.headers.get("Content-Length") or 0)
            self._body = self.rfile.read(length) if length else b""
        return self._body

    def json_body(self) -> Any:
        raw = self.body_bytes()
        if not raw:
            return {}
        content_type = self.headers.get("Content-Type", "")
        if content_type.startswith("application/x-www-form-urlencoded"):
            from urllib.parse import parse_qsl

            return dict(parse_qsl(raw.decode()))
        try:
            return json.loads(raw.decode("utf-8"))
        except ValueError:
            raise HttpError(400, {"error": "invalid_json"}) from None

    def bearer(self) -> str:
        value = self.headers.get("Authorization", "")
        return value[7:].strip() if value.lower().startswith("bearer ") else ""

    def send_json(self, status: int, body: Any) -> None:
        data = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gave up (timeout, dropped answer) is not an error of
        # the simulator: no traceback on the console.
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError | TimeoutError):
            logger.debug("Client %s went away: %s", client_address, error)
            return
        logger.exception("Simulator error with %s", client_address)


class SimulatorServer:
    """
    Run ``app`` (an object with ``routes``) on loopback in a daemon thread.
    The socket is bound on creation, so ``url`` is right before ``start``.
    """

    def __init__(self, app: Any, *, port: int = 0, host: str = LOOPBACK) -> None:
        self.httpd = _Server((host, port), JsonHandler)
        self.httpd.app = app  # type: ignore[attr-defined]
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self.httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def start(self) -> "SimulatorServer":
        self._thread = threading.Thread(
            target=self.httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            daemon=True,
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self.httpd.serve_forever()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)


def route(method: str, pattern: str) -> Callable[[Callable[..., Any]], Any]:
    """Mark a method of a simulator app as the view of ``method pattern``."""

    def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
        func._route = (method, re.compile(pattern))  # type: ignore[attr-defined]
        return func

    return decorator


class SimulatorApp:
    """Base of a simulator: collects the ``@route`` methods into ``routes``."""

    def __init__(self) -> None:
        self.failures = FailureSwitch()
        self.lock = threading.RLock()
        self.routes: list[Route] = []
        for name in dir(type(self)):
            func = getattr(type(self), name)
            spec = getattr(func, "_route", None)
            if spec is not None:
                self.routes.append((spec[0], spec[1], getattr(self, name)))

    def control_fail(self, body: dict[str, Any]) -> dict[str, Any]:
        """Apply a ``POST /_control/fail`` body; return the new switch state."""
        try:
            self.failures.set(
                seconds=body.get("seconds"),
                requests=body.get("requests"),
                status=int(body.get("status", 503)),
                mode=str(body.get("mode", "error")),
            )
        except (TypeError, ValueError) as error:
            raise HttpError(400, {"error": str(error)}) from None
        return self.failures.describe()
