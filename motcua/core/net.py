"""Facts about the HTTP client of a request, read one way everywhere."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """
    Return the address of the client that sent ``request``, or None.

    Behind ``settings.MOTCUA_PROXY_COUNT`` reverse proxies, each of which
    appends the address it received from to X-Forwarded-For, the client is the
    entry that many places from the right; entries further left were written by
    the client itself and cannot be trusted. Without proxies, REMOTE_ADDR.
    """
    proxies = getattr(settings, "MOTCUA_PROXY_COUNT", 0)
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return _valid(forwarded[-proxies])
    return _valid(request.META.get("REMOTE_ADDR", ""))


def _valid(address: str) -> str | None:
    # The address is stored in GenericIPAddressField columns (inet on PostgreSQL).
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None
