import pytest

from motcua.testing.province import build_small_province


@pytest.fixture
def province(db):
    return build_small_province()
