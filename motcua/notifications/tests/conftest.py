import pytest

from motcua.notifications.sms_simulator import SmsSimulator
from motcua.testing.province import build_small_province
from motcua.testing.simulators import running

API_KEY = "sms-test-key"


@pytest.fixture
def province(db):
    return build_small_province()


@pytest.fixture
def sms(settings):
    """The SMS gateway simulator on a free loopback port, our gateway pointed at it."""
    app = SmsSimulator(api_key=API_KEY)
    with running(app) as server:
        settings.SMS_GATEWAY = "http"
        settings.SMS_GATEWAY_URL = server.url
        settings.SMS_API_KEY = API_KEY
        server.app = app
        yield server
