"""A small HTTP client on the standard library for server-to-server calls."""

import logging
import urllib.error
import urllib.request
from urllib.parse import urlsplit

logger = logging.getLogger(__name__)

_LOOPBACK = ("127.0.0.1", "localhost", "::1")
# Loopback (simulators) never goes through a proxy set in the environment.
_direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))
_default = urllib.request.build_opener()


def http_request(
    method: str,
    url: str,
    *,
    body: bytes | None = None,
    content_type: str | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 10,
) -> tuple[int, dict[str, str], bytes] | None:
    """
    Return (status, headers, body) of the response, whatever its status, or
    None when the server could not be reached or did not answer in time.
    """
    request = urllib.request.Request(url, data=body, method=method)  # noqa: S310
    if content_type:
        request.add_header("Content-Type", content_type)
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    opener = _direct if urlsplit(url).hostname in _LOOPBACK else _default
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, dict(response.headers.items()), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers.items()), error.read()
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as error:
        logger.warning("%s %s failed: %s", method, urlsplit(url).netloc, error)
        return None
