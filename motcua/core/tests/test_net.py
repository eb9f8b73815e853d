from django.test import RequestFactory

import pytest

from motcua.core.net import client_ip


@pytest.fixture
def rf():
    return RequestFactory()


def test_without_proxies_the_connection_address_is_the_client(rf, settings):
    settings.MOTCUA_PROXY_COUNT = 0
    request = rf.get("/", REMOTE_ADDR="198.51.100.4", HTTP_X_FORWARDED_FOR="1.2.3.4")

    assert client_ip(request) == "198.51.100.4"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (1, "203.0.113.9", "203.0.113.9"),
        # The client wrote the first entry itself: only the proxy's is trusted.
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),
        (2, "6.6.6.6, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_behind_proxies_the_trusted_forwarded_entry_is_the_client(
    rf, settings, proxies, forwarded, expected
):
    settings.MOTCUA_PROXY_COUNT = proxies
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)

    assert client_ip(request) == expected


def test_a_short_or_invalid_header_falls_back_or_gives_none(rf, settings):
    settings.MOTCUA_PROXY_COUNT = 2
    assert client_ip(rf.get("/", REMOTE_ADDR="10.0.0.1")) == "10.0.0.1"
    settings.MOTCUA_PROXY_COUNT = 1
    assert (
        client_ip(rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="junk"))
        is None
    )
    settings.MOTCUA_PROXY_COUNT = 0
    assert client_ip(rf.get("/", REMOTE_ADDR="")) is None
