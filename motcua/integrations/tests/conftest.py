import pytest

from motcua.integrations.portal import client as portal_client
from motcua.integrations.portal.simulator import PortalSimulator
from motcua.testing.province import build_small_province
from motcua.testing.simulators import running

CLIENT_ID, SECRET = "motcua-test", "portal-test-secret"


@pytest.fixture
def province(db):
    return build_small_province()


@pytest.fixture
def portal(settings):
    """The portal simulator on a free loopback port, with our client pointed at it."""
    app = PortalSimulator(clients={CLIENT_ID: SECRET}, seed=7)
    with running(app) as server:
        settings.PORTAL_BASE_URL = server.url
        settings.PORTAL_CLIENT_ID = CLIENT_ID
        settings.PORTAL_SECRET = SECRET
        portal_client._tokens.clear()
        server.app = app
        yield server
    portal_client._tokens.clear()
