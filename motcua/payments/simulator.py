"""
A local payment gateway speaking the "hmac-gateway" protocol, for the demo
and the tests (``motcua payment-simulator``). Standard library only; listens
on loopback.

- ``GET /pay?…`` (signed): the payment page, a form with "Thanh toán" / "Hủy";
- ``POST /pay``: pays or cancels, calls the merchant's IPN URL with a signed
  callback, then sends the browser back to the return URL with it;
- ``POST /api/refund`` and ``GET /api/settlements`` (signed): refunds and the
  day's settlement list, answers signed in the ``X-Signature`` header;
- ``/control/…`` (JSON, for tests and demos): ``POST /control/mode``
  ``{"mode": "normal" | "duplicate" | "forged" | "wrong_amount"}`` changes what
  the next payments send; ``POST /control/resend`` ``{"transaction_id": …,
  "changes": {…}}`` sends an earlier callback again, re-signed with changes;
  ``POST /control/settlements`` ``{"add": [...], "remove": [...]}`` edits the
  settlement list; ``GET /control/callbacks`` lists the callbacks sent and the
  answers received; ``POST /control/reset`` forgets everything.
"""

import html
import json
import secrets
import threading
import urllib.error
import urllib.request
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from motcua.payments import protocol, signing

MODES = ("normal", "duplicate", "forged", "wrong_amount")
_LOOPBACK = ("127.0.0.1", "localhost", "::1")
# Requests to the merchant never go through a proxy from the environment.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _now() -> datetime:
    return datetime.now(protocol.VIETNAM_TIME)


def _vnd(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


class GatewaySimulator:
    """The gateway's state, its HTTP server and the thread serving it."""

    def __init__(
        self,
        *,
        merchant_id: str,
        secret: str,
        host: str = "127.0.0.1",
        port: int = 8766,
        ipn_timeout: float = 10,
    ) -> None:
        if host not in _LOOPBACK:
            raise ValueError("The gateway simulator listens on loopback only.")
        if not secret:
            raise ValueError("The gateway simulator needs the merchant's secret.")
        self.merchant_id = merchant_id
        self.secret = secret
        self.host = host
        self.port = port
        self.ipn_timeout = ipn_timeout
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.reset()

    # -- state ----------------------------------------------------------------

    def reset(self) -> None:
        with self._lock:
            self.mode = "normal"
            self.orders: dict[str, dict[str, str]] = {}
            self.settlements: list[dict[str, Any]] = []
            self.callbacks: list[dict[str, Any]] = []
            self.refunds: dict[str, dict[str, Any]] = {}
            self._issued: set[str] = set()

    def set_mode(self, mode: str) -> None:
        if mode not in MODES:
            raise ValueError(f"Unknown mode {mode!r}; one of {', '.join(MODES)}.")
        with self._lock:
            self.mode = mode

    def add_settlement(self, row: dict[str, Any]) -> None:
        with self._lock:
            self.settlements.append(
                {
                    "transaction_id": str(row["transaction_id"]),
                    "order_ref": str(row.get("order_ref", "")),
                    "amount": int(row["amount"]),
                    "pay_date": str(
                        row.get("pay_date") or protocol.format_time(_now())
                    ),
                }
            )

    def remove_settlement(self, transaction_id: str) -> None:
        with self._lock:
            self.settlements = [
                s for s in self.settlements if s["transaction_id"] != transaction_id
            ]

    def _new_transaction_id(self) -> str:
        with self._lock:
            while True:
                candidate = str(10**11 + secrets.randbelow(9 * 10**11))
                if candidate not in self._issued:
                    self._issued.add(candidate)
                    return candidate

    # -- server ---------------------------------------------------------------

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

    # -- the payment ----------------------------------------------------------

    def accept_order(self, params: dict[str, str]) -> tuple[dict[str, str] | None, str]:
        """Check a payment request; return (order, "") or (None, reason)."""
        if not signing.verify(params, self.secret):
            return None, "Chữ ký không hợp lệ."
        if params.get("merchant_id") != self.merchant_id:
            return None, "Đơn vị chấp nhận thanh toán không đúng."
        missing = [f for f in protocol.PAY_FIELDS if not params.get(f)]
        if missing:
            return None, f"Thiếu tham số: {', '.join(missing)}."
        try:
            expires = protocol.parse_time(params["expire_date"])
            int(params["amount"])
        except ValueError:
            return None, "Tham số không hợp lệ."
        if expires <= _now():
            return None, "Yêu cầu thanh toán đã hết hạn."
        with self._lock:
            self.orders[params["order_ref"]] = dict(params)
        return params, ""

    def complete(self, order_ref: str, action: str) -> dict[str, str] | None:
        """
        Pay or cancel ``order_ref``; send the IPN as the mode says and return
        the parameters the browser brings back (None for an unknown order).
        """
        with self._lock:
            order = self.orders.get(order_ref)
            mode = self.mode
        if order is None:
            return None
        paid = action == "pay"
        amount = int(order["amount"])
        if paid and mode == "wrong_amount":
            amount = max(0, amount - 1000)
        params = {
            "merchant_id": self.merchant_id,
            "order_ref": order_ref,
            "amount": str(amount),
            "currency": order.get("currency", "VND"),
            "transaction_id": self._new_transaction_id(),
            "response_code": protocol.RC_SUCCESS if paid else protocol.RC_CANCELLED,
            "pay_date": protocol.format_time(_now()),
            "bank_code": "SIMBANK",
        }
        if mode == "forged":
            callback = signing.signed(params, "not-the-merchant-secret")
        else:
            callback = signing.signed(params, self.secret)
            if paid:
                self.add_settlement({**params, "amount": amount})
        self.send_ipn(order["ipn_url"], callback)
        if mode == "duplicate":
            self.send_ipn(order["ipn_url"], callback)
        return callback

    def resend(
        self, transaction_id: str, changes: dict[str, str] | None = None
    ) -> dict[str, Any]:
        """Send an earlier callback again, re-signed, with ``changes`` applied."""
        with self._lock:
            earlier = next(
                (
                    c
                    for c in reversed(self.callbacks)
                    if c["params"].get("transaction_id") == transaction_id
                ),
                None,
            )
        if earlier is None:
            raise KeyError(transaction_id)
        params = {**earlier["params"], **(changes or {})}
        return self.send_ipn(earlier["url"], signing.signed(params, self.secret))

    def send_ipn(self, url: str, params: dict[str, str]) -> dict[str, Any]:
        """POST a callback to the merchant; record and return what happened."""
        request = urllib.request.Request(  # noqa: S310 - the merchant's own URL
            url,
            data=urlencode(params).encode(),
            method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        entry: dict[str, Any] = {"url": url, "params": params}
        try:
            with _opener.open(request, timeout=self.ipn_timeout) as response:
                entry["status"] = response.status
                entry["answer"] = json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            entry["status"] = error.code
            entry["answer"] = error.read().decode("utf-8", "replace")
        except (urllib.error.URLError, OSError, ValueError) as error:
            entry["status"] = None
            entry["answer"] = str(error)
        with self._lock:
            self.callbacks.append(entry)
        return entry

    # -- server-to-server API -------------------------------------------------

    def refund(self, params: dict[str, str]) -> tuple[int, dict[str, Any]]:
        if not signing.verify(params, self.secret) or (
            params.get("merchant_id") != self.merchant_id
        ):
            return 403, {"code": "97", "message": "Invalid signature"}
        ref = params.get("refund_ref", "")
        with self._lock:
            if ref in self.refunds:
                return 200, self.refunds[ref]
            settled = next(
                (
                    s
                    for s in self.settlements
                    if s["transaction_id"] == params.get("transaction_id")
                ),
                None,
            )
            if settled is None:
                return 404, {"code": "91", "message": "Transaction not found"}
            already = sum(
                r["amount"]
                for r in self.refunds.values()
                if r["transaction_id"] == settled["transaction_id"]
            )
            try:
                amount = int(params.get("amount", ""))
            except ValueError:
                return 400, {"code": "03", "message": "Invalid amount"}
            if amount <= 0 or already + amount > settled["amount"]:
                return 400, {"code": "03", "message": "Invalid amount"}
            answer = {
                "code": protocol.RC_SUCCESS,
                "message": "Refund accepted",
                "refund_id": f"RF{secrets.randbelow(10**10):010d}",
                "refund_ref": ref,
                "transaction_id": settled["transaction_id"],
                "amount": amount,
            }
            self.refunds[ref] = answer
        return 200, answer

    def settlement_list(self, params: dict[str, str]) -> tuple[int, dict[str, Any]]:
        if not signing.verify(params, self.secret) or (
            params.get("merchant_id") != self.merchant_id
        ):
            return 403, {"code": "97", "message": "Invalid signature"}
        day = params.get("date", "")
        with self._lock:
            rows = [dict(s) for s in self.settlements if s["pay_date"][:8] == day]
        return 200, {
            "code": protocol.RC_SUCCESS,
            "merchant_id": self.merchant_id,
            "date": day,
            "transactions": rows,
        }


_PAGE = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>{title}</title></head>
<body><main><h1>{title}</h1>{body}</main></body></html>"""


class _Handler(BaseHTTPRequestHandler):
    sim: GatewaySimulator
    server_version = "motcua-gateway-simulator/1"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: the tests and the console stay readable

    # -- helpers --------------------------------------------------------------

    def _send(
        self, status: int, body: bytes, content_type: str, **headers: str
    ) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name.replace("_", "-"), value)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting

    def _page(self, status: int, title: str, body: str) -> None:
        page = _PAGE.format(title=html.escape(title), body=body)
        self._send(status, page.encode(), "text/html; charset=utf-8")

    def _json(self, status: int, data: Any, *, signed: bool = False) -> None:
        body = json.dumps(data, ensure_ascii=False).encode()
        headers = {}
        if signed:
            headers[protocol.BODY_SIGNATURE_HEADER] = signing.sign_body(
                body, self.sim.secret
            )
        self._send(status, body, "application/json; charset=utf-8", **headers)

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _form(self) -> dict[str, str]:
        return dict(parse_qsl(self._body().decode(), keep_blank_values=True))

    # -- routes ---------------------------------------------------------------

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        if parts.path == "/pay":
            return self._pay_page(query)
        if parts.path == "/api/settlements":
            return self._json(*self.sim.settlement_list(query), signed=True)
        if parts.path == "/control/callbacks":
            return self._json(200, self.sim.callbacks)
        if parts.path == "/health":
            return self._json(200, {"status": "ok"})
        return self._json(404, {"error": "not_found"})

    def do_POST(self) -> None:
        path = urlsplit(self.path).path
        if path == "/pay":
            return self._pay(self._form())
        if path == "/api/refund":
            return self._json(*self.sim.refund(self._form()), signed=True)
        if path.startswith("/control/"):
            return self._control(path.removeprefix("/control/"))
        return self._json(404, {"error": "not_found"})

    def _pay_page(self, query: dict[str, str]) -> None:
        order, reason = self.sim.accept_order(query)
        if order is None:
            return self._page(
                400, "Yêu cầu thanh toán không hợp lệ", f"<p>{html.escape(reason)}</p>"
            )
        e = html.escape
        body = (
            "<p>Cổng thanh toán mô phỏng (môi trường thử nghiệm)</p>"
            "<dl>"
            f"<dt>Đơn vị chấp nhận thanh toán</dt><dd>{e(order['merchant_id'])}</dd>"
            f"<dt>Mã đơn hàng</dt><dd>{e(order['order_ref'])}</dd>"
            f"<dt>Nội dung</dt><dd>{e(order['order_info'])}</dd>"
            f"<dt>Số tiền</dt><dd>{_vnd(int(order['amount']))} đồng</dd>"
            "</dl>"
            '<form method="post" action="/pay">'
            f'<input type="hidden" name="order_ref" value="{e(order["order_ref"])}">'
            '<button type="submit" name="action" value="pay">Thanh toán</button> '
            '<button type="submit" name="action" value="cancel">Hủy giao dịch</button>'
            "</form>"
        )
        self._page(200, "Thanh toán phí, lệ phí", body)

    def _pay(self, form: dict[str, str]) -> None:
        action = form.get("action", "")
        if action not in ("pay", "cancel"):
            return self._page(400, "Thao tác không hợp lệ", "")
        callback = self.sim.complete(form.get("order_ref", ""), action)
        if callback is None:
            return self._page(404, "Không tìm thấy đơn hàng", "")
        order = self.sim.orders[form["order_ref"]]
        separator = "&" if "?" in order["return_url"] else "?"
        self.send_response(302)
        self.send_header(
            "Location", f"{order['return_url']}{separator}{urlencode(callback)}"
        )
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _control(self, command: str) -> None:
        try:
            data = json.loads(self._body() or b"{}")
            if command == "mode":
                self.sim.set_mode(str(data.get("mode", "")))
                return self._json(200, {"mode": self.sim.mode})
            if command == "settlements":
                for row in data.get("add", []):
                    self.sim.add_settlement(row)
                for txn in data.get("remove", []):
                    self.sim.remove_settlement(str(txn))
                return self._json(200, {"settlements": self.sim.settlements})
            if command == "resend":
                entry = self.sim.resend(
                    str(data["transaction_id"]), data.get("changes") or {}
                )
                return self._json(200, entry)
            if command == "reset":
                self.sim.reset()
                return self._json(200, {"reset": True})
        except (ValueError, KeyError, TypeError) as error:
            return self._json(400, {"error": str(error)})
        return self._json(404, {"error": "not_found"})
