"""
A local stand-in for the National Public Service Portal, for the demo and the
tests: it speaks the protocol of ``client.HttpPortalClient`` on loopback.

- ``POST /token``: client credentials → a bearer token (expires);
- ``POST /api/hoso/capnhat``: a sync update; de-duplicated on the
  ``Idempotency-Key`` header (the same key again answers 200 with
  ``"duplicate": true``; the same key with another body answers 409);
- ``GET /api/hoso/{MaHoSo}``: the latest record, for reconciliation;
- ``POST /_control/fail`` ``{"seconds": N | "requests": N, "status": 503,
  "mode": "error" | "drop"}``: fail for a while; "drop" stores the update
  and closes the connection without answering (a lost acknowledgement);
- ``POST /_control/recover``, ``POST /_control/reset``, ``GET /_control/messages``,
  ``POST /_control/set-status`` ``{"MaHoSo", "TrangThaiHoSo"}`` (make the
  portal disagree, to exercise reconciliation);
- ``POST /_control/submit`` ``{"count": N}``: file N online dossiers as
  citizens would, by calling our ``POST {MOTCUA_API_URL}/portal/dossiers`` with the
  portal's token.

Standard library only and no Django while answering; the ``motcua
portal-simulator`` command gives it the catalog to submit from.
"""

import hashlib
import json
import logging
import random
import secrets
import threading
import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from motcua.core.http import TransportError, json_request
from motcua.core.httpsim import (
    DroppedResponse,
    HttpError,
    JsonHandler,
    SimulatorApp,
    route,
)

logger = logging.getLogger("motcua.simulators.portal")

LOCAL = timezone(timedelta(hours=7))  # Asia/Ho_Chi_Minh has no DST

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ"]
MIDDLE_M = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Thành"]
MIDDLE_F = ["Thị", "Thu", "Ngọc", "Thanh", "Mai", "Bích"]
GIVEN_M = ["An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khoa", "Long", "Nam", "Phúc"]
GIVEN_F = ["Anh", "Chi", "Dung", "Hà", "Hương", "Lan", "Linh", "Mai", "Thảo", "Yến"]
STREETS = ["Lê Lợi", "Trần Phú", "Nguyễn Huệ", "Hai Bà Trưng", "Lý Thường Kiệt"]


def _fold(text: str) -> str:
    import unicodedata

    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(
        c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)
    )


def random_applicant(rng: random.Random, place: str = "") -> dict[str, Any]:
    """Return a synthetic citizen in the portal's field names (not a real person)."""
    female = rng.random() < 0.5
    name = " ".join(
        [
            rng.choice(FAMILY),
            rng.choice(MIDDLE_F if female else MIDDLE_M),
            rng.choice(GIVEN_F if female else GIVEN_M),
        ]
    )
    born = datetime(1950, 1, 1) + timedelta(days=rng.randrange(0, 365 * 55))  # noqa: DTZ001
    # Personal id: province of birth (3), sex and century (1), year (2), serial (6).
    century_sex = (1 if female else 0) + (2 if born.year >= 2000 else 0)
    id_number = f"099{century_sex}{born:%y}{rng.randrange(10**6):06d}"
    login = ".".join(_fold(name).lower().split()[-2:])
    return {
        "LoaiDoiTuong": 1,
        "ChuHoSo": name,
        "SoGiayToChuHoSo": id_number,
        "NgaySinh": f"{born:%Y%m%d}",
        "DiaChiChuHoSo": f"Số {rng.randrange(1, 200)} đường {rng.choice(STREETS)}"
        + (f", {place}" if place else ""),
        "SoDienThoai": f"09{rng.randrange(10**8):08d}",
        "Email": f"{login}{rng.randrange(100)}@example.vn",
        "TaiKhoanDuocXacThucVoiVNeID": 1,
    }


def _body_hash(raw: bytes) -> str:
    try:
        canonical = json.dumps(json.loads(raw), sort_keys=True, ensure_ascii=False)
    except ValueError:
        canonical = raw.decode("utf-8", errors="replace")
    return hashlib.sha256(canonical.encode()).hexdigest()


class PortalSimulator(SimulatorApp):
    """The simulated portal's state and routes."""

    def __init__(
        self,
        *,
        clients: dict[str, str],
        token_ttl: int = 3600,
        api_url: str = "",
        api_token: str = "",
        catalog: list[dict[str, Any]] | None = None,
        store: Path | None = None,
        seed: int | None = None,
    ) -> None:
        super().__init__()
        self.clients = dict(clients)
        self.token_ttl = token_ttl
        self.api_url = api_url.rstrip("/")
        self.api_token = api_token
        self.catalog = catalog or []
        self.store = store
        self.rng = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
        self.tokens: dict[str, float] = {}
        self._stop_submitting = threading.Event()
        self.reset()
        if store is not None and store.exists():
            self._load()

    # -- state ----------------------------------------------------------
    def reset(self) -> None:
        with self.lock:
            self.records: dict[str, dict[str, Any]] = {}
            self.aliases: dict[str, str] = {}
            self.keys: dict[str, tuple[str, dict[str, Any]]] = {}
            self.received: list[dict[str, Any]] = []
            self.submitted: list[dict[str, Any]] = []
            self.failures.clear()

    def _load(self) -> None:
        if self.store is None:
            return
        data = json.loads(self.store.read_text(encoding="utf-8"))
        self.records = data.get("records", {})
        self.aliases = data.get("aliases", {})
        self.keys = {k: (v[0], v[1]) for k, v in data.get("keys", {}).items()}
        self.received = data.get("received", [])

    def _save(self) -> None:
        if self.store is None:
            return
        data = {
            "records": self.records,
            "aliases": self.aliases,
            "keys": self.keys,
            "received": self.received,
        }
        tmp = self.store.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        tmp.replace(self.store)

    def _record(self, code: str) -> dict[str, Any] | None:
        return self.records.get(self.aliases.get(code, code))

    def _apply_failure(self) -> bool:
        """Answer the configured error now; return True to drop after the work."""
        failure = self.failures.take()
        if failure is None:
            return False
        if failure.mode == "drop":
            return True
        raise HttpError(failure.status, {"error": "unavailable", "simulated": True})

    def _authorise(self, request: JsonHandler) -> None:
        token = request.bearer()
        expiry = self.tokens.get(token)
        if expiry is None or expiry < time.time():
            raise HttpError(401, {"error": "invalid_token"})

    # -- protocol -------------------------------------------------------
    @route("POST", r"/token")
    def token(self, request: JsonHandler) -> tuple[int, Any]:
        drop = self._apply_failure()
        body = request.json_body()
        client_id = str(body.get("client_id", ""))
        expected = self.clients.get(client_id)
        if (
            body.get("grant_type") != "client_credentials"
            or expected is None
            or not secrets.compare_digest(expected, str(body.get("client_secret", "")))
        ):
            return 401, {"error": "invalid_client"}
        token = secrets.token_urlsafe(24)
        with self.lock:
            self.tokens[token] = time.time() + self.token_ttl
        if drop:
            raise DroppedResponse
        return 200, {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": self.token_ttl,
        }

    @route("POST", r"/api/hoso/capnhat")
    def update(self, request: JsonHandler) -> tuple[int, Any]:
        drop = self._apply_failure()
        self._authorise(request)
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key:
            return 400, {"error": "idempotency_key_required"}
        payload = request.json_body()
        code = (
            str(payload.get("MaHoSo") or "").strip()
            if isinstance(payload, dict)
            else ""
        )
        if not code or "TrangThaiHoSo" not in payload:
            return 400, {
                "error": "invalid_payload",
                "required": ["MaHoSo", "TrangThaiHoSo"],
            }
        digest = _body_hash(request.body_bytes())
        with self.lock:
            known = self.keys.get(key)
            if known is not None:
                if known[0] != digest:
                    return 409, {"error": "idempotency_key_reused"}
                answer = {**known[1], "duplicate": True}
            else:
                portal_id = str(payload.get("MaHoSoCongDVCQG") or "")
                master = self.aliases.get(portal_id) or self.aliases.get(code) or code
                if portal_id and master != code and master in self.records:
                    # The dossier got its code on reception: re-key the record.
                    self.records[code] = self.records.pop(master)
                    for alias, target in list(self.aliases.items()):
                        if target == master:
                            self.aliases[alias] = code
                    master = code
                self.records[master] = payload
                if portal_id:
                    self.aliases[portal_id] = master
                self.aliases[code] = master
                sequence = len(self.received) + 1
                self.received.append(
                    {
                        "sequence": sequence,
                        "key": key,
                        "MaHoSo": code,
                        "TrangThaiHoSo": payload.get("TrangThaiHoSo"),
                        "received_at": datetime.now(UTC).isoformat(),
                        "progress_items": len(payload.get("QuaTrinhXuLy") or []),
                    }
                )
                answer = {"ok": True, "MaHoSo": code, "MaTiepNhan": sequence}
                self.keys[key] = (digest, answer)
                self._save()
                answer = {**answer, "duplicate": False}
        if drop:
            raise DroppedResponse
        return 200, answer

    @route("GET", r"/api/hoso/([^/]+)")
    def record(self, request: JsonHandler, code: str) -> tuple[int, Any]:
        from urllib.parse import unquote

        drop = self._apply_failure()
        self._authorise(request)
        if drop:
            raise DroppedResponse
        with self.lock:
            found = self._record(unquote(code))
        if found is None:
            return 404, {"error": "not_found"}
        return 200, found

    # -- control --------------------------------------------------------
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
        self._save()
        return 200, {"ok": True}

    @route("GET", r"/_control/messages")
    def control_messages(self, request: JsonHandler) -> tuple[int, Any]:
        with self.lock:
            return 200, {
                "received": list(self.received),
                "submitted": list(self.submitted),
            }

    @route("GET", r"/_control/health")
    def control_health(self, request: JsonHandler) -> tuple[int, Any]:
        return 200, {
            "ok": True,
            "records": len(self.records),
            "received": len(self.received),
            "failure": self.failures.describe(),
            "can_submit": bool(self.api_url and self.catalog),
        }

    @route("POST", r"/_control/set-status")
    def control_set_status(self, request: JsonHandler) -> tuple[int, Any]:
        body = request.json_body()
        with self.lock:
            record = self._record(str(body.get("MaHoSo", "")))
            if record is None:
                return 404, {"error": "not_found"}
            record["TrangThaiHoSo"] = body.get("TrangThaiHoSo")
            self._save()
        return 200, record

    @route("POST", r"/_control/submit")
    def control_submit(self, request: JsonHandler) -> tuple[int, Any]:
        body = request.json_body()
        try:
            count = max(1, min(50, int(body.get("count", 1))))
        except (TypeError, ValueError):
            return 400, {"error": "count must be a number"}
        results = [self.submit_one() for _ in range(count)]
        return 200, {"results": results}

    # -- citizen side -----------------------------------------------------
    def build_submission(self) -> dict[str, Any]:
        """Return a random online dossier from the catalog, in portal names."""
        if not self.catalog:
            raise HttpError(409, {"error": "no_catalog"})
        with self.lock:
            procedure = self.rng.choice(self.catalog)
            pair = self.rng.choice(procedure["pairs"])
            applicant = random_applicant(self.rng, pair.get("DiaBan", ""))
            suffix = self.rng.randrange(16**6)
        now = datetime.now(LOCAL)
        return {
            "MaHoSo": f"DVCQG-{now:%y%m%d}-{suffix:06X}",
            "MaTTHC": procedure["MaTTHC"],
            "NoiNopHoSo": pair["NoiNopHoSo"],
            "DonViXuLy": pair["DonViXuLy"],
            "NgayNopHoSo": f"{now:%Y%m%d%H%M%S}",
            "TrichYeuHoSo": f"{procedure['TenTTHC']} – {applicant['ChuHoSo']}",
            **applicant,
            "HinhThucNhanKetQua": 3,
            "TaiLieuNop": [
                {**item, "DuocTaiSuDung": 0, "DuocLayTuKhoDMQG": 0, "LoaiBan": 2}
                for item in procedure.get("TaiLieuNop", [])
            ],
        }

    def submit_one(self) -> dict[str, Any]:
        """File one dossier with our API, as the portal does for a citizen."""
        if not self.api_url:
            return {"error": "MOTCUA_API_URL is not set"}
        try:
            payload = self.build_submission()
        except HttpError as error:
            return error.body
        try:
            response = json_request(
                "POST",
                f"{self.api_url}/portal/dossiers",
                payload=payload,
                headers={
                    "Authorization": f"Bearer {self.api_token}",
                    "Idempotency-Key": payload["MaHoSo"],
                },
                timeout=20,
            )
            outcome = {
                "MaHoSo": payload["MaHoSo"],
                "status": response.status,
                "body": response.body,
            }
        except TransportError as error:
            outcome = {"MaHoSo": payload["MaHoSo"], "error": str(error)}
        with self.lock:
            self.submitted.append(outcome)
        logger.info("Submitted %s: %s", payload["MaHoSo"], outcome.get("status"))
        return outcome

    def submit_every(self, seconds: float) -> threading.Thread:
        """Submit one dossier every ``seconds`` in a daemon thread."""

        def loop() -> None:
            while not self._stop_submitting.wait(seconds):
                self.submit_one()

        thread = threading.Thread(target=loop, daemon=True, name="portal-submitter")
        thread.start()
        return thread

    def stop(self) -> None:
        self._stop_submitting.set()
