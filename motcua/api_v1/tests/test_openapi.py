"""The committed OpenAPI document, the schema endpoint and the docs page."""

import json
import re
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

import pytest

from motcua.api_v1.openapi import COMMITTED, openapi_text


def test_the_committed_openapi_document_matches_the_code():
    assert COMMITTED.read_text(encoding="utf-8") == openapi_text(), (
        "docs/openapi.json is out of date: run `make openapi` "
        "(motcua export-openapi docs/openapi.json) and commit it."
    )


def test_the_export_command_writes_and_checks(tmp_path: Path):
    target = tmp_path / "openapi.json"
    call_command("export_openapi", str(target))
    assert target.read_text(encoding="utf-8") == openapi_text()
    call_command("export_openapi", str(target), "--check")
    target.write_text("{}\n", encoding="utf-8")
    with pytest.raises(CommandError, match="out of date"):
        call_command("export_openapi", str(target), "--check")


def test_the_document_is_sorted_and_names_every_endpoint():
    text = openapi_text()
    document = json.loads(text)
    assert (
        text
        == json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    )
    assert sorted(document["paths"]) == [
        "/api/v1/agencies",
        "/api/v1/dossiers",
        "/api/v1/dossiers/{ref}",
        "/api/v1/dossiers/{ref}/actions",
        "/api/v1/dossiers/{ref}/forms/{kind}.pdf",
        "/api/v1/inbox",
        "/api/v1/portal/dossiers",
        "/api/v1/procedures",
        "/api/v1/procedures/{code}",
        "/api/v1/units",
    ]
    assert set(document["components"]["securitySchemes"]) == {
        "BearerToken",
        "SessionAuth",
    }


@pytest.mark.django_db
def test_the_schema_and_the_docs_are_served_without_credentials():
    client = Client()
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    assert schema.json()["info"]["title"] == "motcua API"
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200


@pytest.mark.django_db
def test_the_docs_page_loads_its_assets_from_self_under_the_csp():
    response = Client().get("/api/v1/docs")
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert "/static/ninja/swagger-ui-bundle.js" in sources
    assert "/static/ninja/swagger-ui-init.js" in sources
    assert all(s.startswith("/") for s in sources), sources
    assert "cdn" not in html.lower()
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe" not in csp
