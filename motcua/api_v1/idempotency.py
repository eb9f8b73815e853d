"""
``Idempotency-Key`` on POST endpoints.

The first answer to a key is stored (``core.models.IdempotencyRecord``,
unique per caller and key). A retry with the same key and the same request
gets the stored answer, byte for byte the same JSON with the same status, and
creates nothing; the same key with a different request is refused with 409
``idempotency_key_reused``.

Concurrency: the record is inserted *before* the work, in the same
transaction. On PostgreSQL a second request with the same key blocks on the
unique index until the first commits, then finds its answer; if the first
failed and rolled back, the second does the work itself. SQLite serialises
writers (``transaction_mode=IMMEDIATE``), which gives the same result.

Only successful answers are kept: an error leaves nothing behind, so the
client may correct the request and retry with the same key.

The answer is kept as its JSON text (a JSON string in ``response``): jsonb
would reorder the keys, and a replay must be the first answer byte for byte.
"""

import hashlib
import json
import re
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ninja.responses import NinjaJSONEncoder

from motcua.core.exceptions import Conflict, ValidationFailed
from motcua.core.models import IdempotencyRecord

from .auth import Caller
from .errors import IdempotencyKeyReused

HEADER = "Idempotency-Key"
REPLAY_HEADER = "Idempotent-Replayed"
# Printable ASCII without spaces, as long as the column allows.
_VALID_KEY = re.compile(r"^[\x21-\x7e]{1,128}$")
# The record holds this until the answer is known (never seen by others:
# it is not committed before the answer replaces it).
_PENDING = 0

Answer = tuple[int, dict[str, Any]]


def request_hash(request: HttpRequest) -> str:
    """
    Return the SHA-256 of what the key stands for: method, path and body.

    The path is included so that one key sent to two endpoints with the same
    body is a reuse, not a replay of the other endpoint's answer.
    """
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    digest.update(request.body)
    return digest.hexdigest()


def _text(body: dict[str, Any]) -> str:
    return json.dumps(body, cls=NinjaJSONEncoder)


def idempotent(
    request: HttpRequest, caller: Caller, produce: Callable[[], Answer]
) -> tuple[int, str, bool]:
    """
    Return ``(status, JSON text, replayed)``: the stored answer when the
    request carries a key already answered, else the answer of ``produce()``,
    stored under the key when there is one.
    """
    key = request.headers.get(HEADER)
    if key is None:
        status, body = produce()
        return status, _text(body), False
    if not _VALID_KEY.match(key):
        raise ValidationFailed(
            _(
                "Idempotency-Key phải gồm 1 đến 128 ký tự ASCII in được, không dấu cách."
            ),
            code="idempotency_key_invalid",
            extra={"fields": {HEADER: str(_("Định dạng không hợp lệ."))}},
        )
    digest = request_hash(request)
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    scope=caller.identity,
                    key=key,
                    request_hash=digest,
                    status_code=_PENDING,
                    response={},
                )
        except IntegrityError:
            record = None
        if record is not None:
            status, body = produce()
            text = _text(body)
            record.status_code, record.response = status, text
            record.save(update_fields=["status_code", "response"])
            return status, text, False
    stored = IdempotencyRecord.objects.filter(scope=caller.identity, key=key).first()
    if stored is None or stored.status_code == _PENDING:
        # Only if the record vanished in between (a clean-up) or a database
        # let an uncommitted row be seen; either way the client may retry.
        raise Conflict(
            _("Yêu cầu cùng Idempotency-Key đang được xử lý; vui lòng thử lại."),
            code="idempotency_in_progress",
        )
    if stored.request_hash != digest:
        raise IdempotencyKeyReused
    return stored.status_code, stored.response, True
