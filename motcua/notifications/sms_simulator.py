"""
A local SMS gateway for the demo and the tests, speaking the protocol of the
"http" gateway (``channels/sms.py``) on loopback:

- ``POST /api/sms/send`` with ``X-API-Key`` and ``{"to", "text", "sender",
  "ref"}`` → ``{"id", "status": "accepted", "duplicate"}``; a repeated ``ref``
  is not stored twice;
- ``GET /_control/messages``: what was "sent", in order;
- ``POST /_control/fail`` ``{"seconds" | "requests", "status", "mode"}``,
  ``POST /_control/recover``, ``POST /_control/reset``.

Standard library only; messages are kept in memory (and echoed to the log).
"""

import logging
import re
import secrets
from datetime import UTC, datetime
from typing import Any

from motcua.core.httpsim import (
    DroppedResponse,
    HttpError,
    JsonHandler,
    SimulatorApp,
    route,
)

logger = logging.getLogger("motcua.simulators.sms")

_PHONE = re.compile(r"^\+?\d{8,15}$")


class SmsSimulator(SimulatorApp):
    def __init__(self, *, api_key: str) -> None:
        super().__init__()
        self.api_key = api_key
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.messages: list[dict[str, Any]] = []
            self.by_ref: dict[str, dict[str, Any]] = {}
            self.failures.clear()

    @route("POST", r"/api/sms/send")
    def send(self, request: JsonHandler) -> tuple[int, Any]:
        failure = self.failures.take()
        if failure is not None and failure.mode == "error":
            raise HttpError(failure.status, {"error": "unavailable", "simulated": True})
        if not secrets.compare_digest(
            request.headers.get("X-API-Key", ""), self.api_key
        ):
            return 401, {"error": "invalid_api_key"}
        body = request.json_body()
        to = re.sub(r"[\s.-]", "", str(body.get("to", "")))
        text = str(body.get("text", ""))
        ref = str(body.get("ref", ""))
        if not _PHONE.match(to) or not text:
            return 400, {"error": "invalid_message", "required": ["to", "text"]}
        with self.lock:
            known = self.by_ref.get(ref) if ref else None
            if known is not None:
                answer = {"id": known["id"], "status": "accepted", "duplicate": True}
            else:
                message = {
                    "id": f"sms-{len(self.messages) + 1}",
                    "to": to,
                    "text": text,
                    "sender": str(body.get("sender", "")),
                    "ref": ref,
                    "received_at": datetime.now(UTC).isoformat(),
                }
                self.messages.append(message)
                if ref:
                    self.by_ref[ref] = message
                logger.info("SMS %s to %s: %s", message["id"], to, text)
                answer = {"id": message["id"], "status": "accepted", "duplicate": False}
        if failure is not None:  # "drop": sent, but the answer is lost
            raise DroppedResponse
        return 200, answer

    @route("GET", r"/_control/messages")
    def control_messages(self, request: JsonHandler) -> tuple[int, Any]:
        with self.lock:
            return 200, {"messages": list(self.messages)}

    @route("GET", r"/_control/health")
    def control_health(self, request: JsonHandler) -> tuple[int, Any]:
        return 200, {"ok": True, "messages": len(self.messages)}

    @route("POST", r"/_control/fail")
    def control_fail_view(self, request: JsonHandler) -> tuple[int, Any]:
        return 200, self.control_fail(request.json_body())

    @route("POST", r"/_control/recover")
    def control_recover(self, request: JsonHandler) -> tuple[int, Any]:
        self.failures.clear()
        return 200, self.failures.describe()

    @route("POST", r"/_control/reset")
    def control_reset(self, request: JsonHandler) -> tuple[int, Any]:
        self.reset()
        return 200, {"ok": True}
