"""
The CSP forbids inline scripts, inline styles and event-handler attributes.
These tests read every template of the project, and pages as rendered, so that
such markup never reaches a browser where it would silently not work.
"""

import re
from pathlib import Path

from django.conf import settings
from django.test import Client

import pytest

from motcua.accounts.tests.factories import MembershipFactory

# Templates that WeasyPrint renders into PDF bytes (official forms, receipts):
# never served to a browser as HTML, so the page CSP does not apply and they
# keep their print stylesheet inline.
PDF_ONLY = (
    "forms/templates/forms/",
    "payments/templates/payments/receipt.html",
    "documents/templates/documents/pdf/",
)

TEMPLATES = sorted(
    path
    for path in settings.PACKAGE_DIR.rglob("templates/**/*")
    if path.is_file()
    and path.suffix in {".html", ".txt", ".xml", ".svg"}
    and not str(path.relative_to(settings.PACKAGE_DIR)).startswith(PDF_ONLY)
)

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
STYLE_TAG = re.compile(r"<style\b", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"""[\s"']style\s*=""", re.IGNORECASE)
# onclick=, onload=, … and htmx's hx-on (evaluated JavaScript).
HANDLER_ATTRIBUTE = re.compile(r"\s(?:on[a-z]+|hx-on[\w:.-]*)\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.I)


def csp_problems(text: str) -> list[str]:
    problems = [
        f"inline <script>: {match.group(0)}"
        for match in SCRIPT_TAG.finditer(text)
        if not re.search(r"\bsrc\s*=", match.group(1))
    ]
    problems += [f"<style> element: {m.group(0)}" for m in STYLE_TAG.finditer(text)]
    problems += [
        f"style attribute: {m.group(0)!r}" for m in STYLE_ATTRIBUTE.finditer(text)
    ]
    problems += [
        f"handler attribute: {m.group(0)!r}" for m in HANDLER_ATTRIBUTE.finditer(text)
    ]
    problems += [
        f"javascript: URL: {m.group(0)}" for m in JAVASCRIPT_URL.finditer(text)
    ]
    return problems


def test_the_project_has_templates_to_check():
    names = {path.name for path in TEMPLATES}
    assert {"base.html", "login.html", "home.html", "404.html", "500.html"} <= names


@pytest.mark.parametrize(
    "path", TEMPLATES, ids=[str(p.relative_to(settings.PACKAGE_DIR)) for p in TEMPLATES]
)
def test_template_has_no_inline_script_style_or_handler(path: Path):
    assert csp_problems(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "snippet",
    [
        "<script>alert(1)</script>",
        '<SCRIPT type="module">x</SCRIPT>',
        "<style>p{}</style>",
        '<p style="color:red">',
        "<p class='a' style='x'>",
        '<button onclick="go()">',
        '<body onload="x()">',
        '<div hx-on:click="x()">',
        '<a href="javascript:void(0)">',
    ],
)
def test_the_check_catches_what_the_csp_blocks(snippet):
    assert csp_problems(snippet)


@pytest.mark.parametrize(
    "snippet",
    [
        '<script src="/static/js/motcua.js" defer></script>',
        '<a aria-keyshortcuts="1" data-confirm="Xóa?">',
        '<meta name="htmx-config" content=\'{"a": 1}\'>',
        "<p>Hồ sơ đã lưu trữ on time</p>",
    ],
)
def test_the_check_lets_allowed_markup_through(snippet):
    assert csp_problems(snippet) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/", "/lookup/", "/staff/login/", "/staff/", "/staff/ui/", "/khong-co/"]
)
def test_rendered_pages_have_no_inline_code_and_send_the_csp(url):
    client = Client()
    client.force_login(MembershipFactory().user)

    response = client.get(url)

    assert response.status_code in (200, 302, 404)
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert csp_problems(response.text) == []
