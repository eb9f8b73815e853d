"""The shots' paths name dossiers; every name must be one the data provides."""

import re

import pytest

from motcua.staff.screenshots import SHOTS
from motcua.testing.screenshot_data import build_screenshot_province

REF_NAMES = re.compile(r"\{(\w+)\.")


@pytest.mark.django_db
def test_every_shot_path_formats_with_the_screenshot_province_refs():
    refs = build_screenshot_province().refs

    paths = [shot.path.format(**refs) for shot in SHOTS]

    named = {name for shot in SHOTS for name in REF_NAMES.findall(shot.path)}
    assert named == {"working", "asking", "returned"}
    assert f"/staff/dossiers/{refs['working'].code}/" in paths
    assert all("{" not in path for path in paths)
