"""
Signed parameters in the style of the gateways Vietnamese public services use
(VNPay's ``vnp_SecureHash``, the national portal's payment platform).

The signature is HMAC-SHA256, in lower-case hex, over the parameters sorted by
name, each written ``key=value`` with key and value URL-encoded (UTF-8,
``quote_plus``) and joined with ``&``; the signature field itself is left out.
Encoding the values keeps the signed string unambiguous when a value holds
``&`` or ``=`` (a return URL does), as VNPay's version 2.1 does.

Standard library only: the gateway simulator uses this module too.
"""

import hashlib
import hmac
from collections.abc import Mapping
from urllib.parse import quote_plus

SIGNATURE_FIELD = "signature"


def canonical(params: Mapping[str, object]) -> str:
    """Return the string that is signed for ``params``."""
    items = sorted(
        (str(key), "" if value is None else str(value))
        for key, value in params.items()
        if key != SIGNATURE_FIELD
    )
    return "&".join(f"{quote_plus(k)}={quote_plus(v)}" for k, v in items)


def sign(params: Mapping[str, object], secret: str) -> str:
    """Return the HMAC-SHA256 signature of ``params`` under ``secret``."""
    return hmac.new(
        secret.encode(), canonical(params).encode(), hashlib.sha256
    ).hexdigest()


def signed(params: Mapping[str, object], secret: str) -> dict[str, str]:
    """Return a copy of ``params`` as strings with its signature added."""
    result = {k: "" if v is None else str(v) for k, v in params.items()}
    result.pop(SIGNATURE_FIELD, None)
    result[SIGNATURE_FIELD] = sign(result, secret)
    return result


def verify(params: Mapping[str, object], secret: str) -> bool:
    """Return True if ``params`` carry a valid signature under ``secret``."""
    given = params.get(SIGNATURE_FIELD)
    if not secret or not isinstance(given, str) or not given:
        return False
    return hmac.compare_digest(sign(params, secret), given.strip().lower())


def digest(params: Mapping[str, object]) -> str:
    """Return a SHA-256 fingerprint of the signed content (signature excluded)."""
    return hashlib.sha256(canonical(params).encode()).hexdigest()


def sign_body(body: bytes, secret: str) -> str:
    """Return the HMAC-SHA256 signature of a raw response body."""
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify_body(body: bytes, signature: str | None, secret: str) -> bool:
    if not secret or not signature:
        return False
    return hmac.compare_digest(sign_body(body, secret), signature.strip().lower())
