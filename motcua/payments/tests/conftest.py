import pytest

from motcua.payments.simulator import GatewaySimulator
from motcua.testing.province import build_small_province

from .support import MERCHANT, SECRET


@pytest.fixture
def province(db):
    return build_small_province()


@pytest.fixture
def gateway(settings):
    """The gateway simulator on a free loopback port, configured as our provider."""
    simulator = GatewaySimulator(merchant_id=MERCHANT, secret=SECRET, port=0)
    settings.PAYMENT_PROVIDER = "hmac-gateway"
    settings.PAYMENT_GATEWAY_URL = simulator.start()
    settings.PAYMENT_MERCHANT_ID = MERCHANT
    settings.PAYMENT_SECRET = SECRET
    settings.PAYMENT_TIMEOUT = 5
    yield simulator
    simulator.stop()


@pytest.fixture
def site(live_server, settings, gateway):
    """Our site served over HTTP, so that the simulator can call its IPN."""
    settings.SITE_URL = live_server.url
    return live_server
