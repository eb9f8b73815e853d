"""
JSON over HTTP with the standard library, for the clients of outside systems.

One function, ``json_request``, so that every connector handles timeouts,
lost connections and error bodies the same way. Loopback addresses never go
through a proxy (the local simulators); other hosts honour the usual
``https_proxy``/``no_proxy`` environment.
"""

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.client import HTTPException
from typing import Any

_LOOPBACK = {"127.0.0.1", "localhost", "::1"}
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))
_DEFAULT = urllib.request.build_opener()


class TransportError(Exception):
    """No answer: refused, reset, timed out or cut before the response."""


@dataclass
class HttpResponse:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


def json_request(
    method: str,
    url: str,
    *,
    payload: Any = None,
    form: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 10.0,
) -> HttpResponse:
    """
    Send a request and return the status and the decoded JSON body (or the
    text when the body is not JSON). Raise TransportError when no HTTP answer
    came back; an HTTP error status is returned, not raised.
    """
    data = None
    all_headers = {"Accept": "application/json", **(headers or {})}
    if form is not None:
        data = urllib.parse.urlencode(form).encode()
        all_headers["Content-Type"] = "application/x-www-form-urlencoded"
    elif payload is not None:
        data = json.dumps(payload, ensure_ascii=False).encode()
        all_headers["Content-Type"] = "application/json; charset=utf-8"
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme not in ("http", "https"):
        raise ValueError(f"Unsupported URL scheme in {url!r}.")
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url, data=data, headers=all_headers, method=method
    )
    opener = _DIRECT if parsed.hostname in _LOOPBACK else _DEFAULT
    try:
        with opener.open(request, timeout=timeout) as response:
            return HttpResponse(
                response.status, _decode(response.read()), dict(response.headers)
            )
    except urllib.error.HTTPError as error:
        with error:
            return HttpResponse(error.code, _decode(error.read()), dict(error.headers))
    except (
        urllib.error.URLError,
        HTTPException,
        ConnectionError,
        TimeoutError,
    ) as error:
        reason = getattr(error, "reason", None) or error
        raise TransportError(f"{type(error).__name__}: {reason}") from error


def _decode(raw: bytes) -> Any:
    if not raw:
        return None
    text = raw.decode("utf-8", errors="replace")
    try:
        return json.loads(text)
    except ValueError:
        return text
