"""The vendored front-end files are the ones recorded, and every page finds them."""

import hashlib
import json
import re

from django.conf import settings
from django.contrib.staticfiles import finders

import pytest

ADR = settings.BASE_DIR / "docs" / "adr" / "0001-htmx-2.md"
HTMX = settings.PACKAGE_DIR / "static" / "vendor" / "htmx" / "htmx.min.js"
HTMX_SHA256 = "d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717"


def test_vendored_htmx_is_the_recorded_2x_file():
    content = HTMX.read_bytes()

    assert hashlib.sha256(content).hexdigest() == HTMX_SHA256
    assert HTMX_SHA256 in ADR.read_text(encoding="utf-8")
    assert f"{len(content):,} bytes" in ADR.read_text(encoding="utf-8")
    assert b'version:"2.0.11"' in content


def test_htmx_configuration_suits_the_csp():
    base = (settings.PACKAGE_DIR / "templates" / "base.html").read_text()
    raw = re.search(r"name=\"htmx-config\" content='([^']*)'", base).group(1)
    config = json.loads(raw)

    assert config["includeIndicatorStyles"] is False
    assert config["allowEval"] is False
    assert config["allowScriptTags"] is False
    assert config["historyCacheSize"] == 0
    assert {"code": "422", "swap": True} in config["responseHandling"]
    # 422 must come before the catch-all that refuses to swap errors.
    codes = [rule["code"] for rule in config["responseHandling"]]
    assert codes.index("422") < codes.index("[45]..")


TEMPLATE_FILES = sorted(settings.PACKAGE_DIR.rglob("templates/**/*.html"))
STATIC_REFERENCE = re.compile(r"""\{%\s*static\s+['"]([^'"]+)['"]\s*%\}""")


@pytest.mark.parametrize(
    "path",
    TEMPLATE_FILES,
    ids=[str(p.relative_to(settings.PACKAGE_DIR)) for p in TEMPLATE_FILES],
)
def test_static_files_named_in_templates_exist(path):
    for name in STATIC_REFERENCE.findall(path.read_text(encoding="utf-8")):
        assert finders.find(name), f"{path.name} names missing static file {name}"


def test_icons_used_in_templates_exist_in_the_sprite():
    sprite = (settings.PACKAGE_DIR / "static" / "img" / "icons.svg").read_text()
    defined = set(re.findall(r'<symbol id="([\w-]+)"', sprite))
    used = set()
    for path in TEMPLATE_FILES:
        used |= set(re.findall(r'\{%\s*icon\s+"([\w-]+)"', path.read_text()))

    assert used
    assert used <= defined, used - defined
