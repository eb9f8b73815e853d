import pytest
import time_machine

from motcua.testing.lifecycle import at
from motcua.testing.province import build_small_province

from .scenario import build_march


@pytest.fixture
def province(db):
    # Built before the month the scenario plays in, so the catalog's
    # publication dates are not in it.
    with time_machine.travel(at(2026, 1, 15, 9), tick=False):
        return build_small_province()


@pytest.fixture
def march(province):
    return build_march(province)


@pytest.fixture
def april_15():
    """Measure in the middle of April: March is over, its events all past."""
    with time_machine.travel(at(2026, 4, 15, 9), tick=False):
        yield
