from pathlib import Path

from django.conf import settings as django_settings

import pytest

from motcua.integrations.population.simulator import PopulationSimulator
from motcua.integrations.population.synthetic import generate_residents, load_name_data
from motcua.testing.province import build_small_province

API_KEY = "test-population-key"


@pytest.fixture(scope="session")
def residents():
    names = load_name_data(Path(django_settings.DATA_DIR) / "vn-names")
    return generate_residents(names, count=2000)


@pytest.fixture
def population(settings, residents):
    """The population simulator on a free loopback port, configured as our source."""
    simulator = PopulationSimulator(residents, api_key=API_KEY, port=0)
    settings.POPULATION_SOURCE = "http"
    settings.POPULATION_API_URL = simulator.start()
    settings.POPULATION_API_KEY = API_KEY
    settings.POPULATION_TIMEOUT = 2
    yield simulator
    simulator.stop()


@pytest.fixture
def province(db):
    return build_small_province()
