"""
HTML to PDF with WeasyPrint, using only the fonts shipped in ``fonts/``.

The fonts are registered once per thread (WeasyPrint's ``FontConfiguration``
is not meant to be shared between threads) and reused by every rendering, so
only the first form of a process pays for loading them. Resources come from
two places only: the shipped font files and ``data:`` URIs (the QR code). Any
other URL — a remote image in a province's template, say — stops the
rendering with an error instead of being fetched, so that a form never
depends on the network and never leaks a request.
"""

import threading
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FAMILY = "Motcua Serif"
_BASE_URL = FONTS_DIR.as_uri() + "/"

_FONT_FACES = "\n".join(
    f'@font-face {{ font-family: "{FONT_FAMILY}"; src: url("{file}"); '
    f"font-weight: {weight}; font-style: {style}; }}"
    for file, weight, style in (
        ("DejaVuSerif.ttf", "normal", "normal"),
        ("DejaVuSerif-Bold.ttf", "bold", "normal"),
        ("DejaVuSerif-Italic.ttf", "normal", "italic"),
        ("DejaVuSerif-BoldItalic.ttf", "bold", "italic"),
    )
)
# The default for any template, so that a province's form that forgets to
# name a font still gets the shipped one rather than whatever the system has.
_FONT_FACES += f'\nhtml {{ font-family: "{FONT_FAMILY}"; }}'


class FormResourceError(Exception):
    """A form template asked for a resource forms may not load."""


class FormResourceFetcher(URLFetcher):
    """Fetch the shipped fonts and data: URIs; refuse everything else."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("file", "data"), fail_on_errors=True)

    def fetch(self, url: str, headers: Any = None):
        if url.startswith("file:"):
            path = Path(url.removeprefix("file://").split("?")[0]).resolve()
            if not path.is_relative_to(FONTS_DIR):
                raise ValueError(f"Forms may not load {url}")
        return super().fetch(url, headers)


_local = threading.local()


def _fonts() -> tuple[FontConfiguration, CSS, FormResourceFetcher]:
    state = getattr(_local, "fonts", None)
    if state is None:
        fetcher = FormResourceFetcher()
        font_config = FontConfiguration()
        css = CSS(
            string=_FONT_FACES,
            base_url=_BASE_URL,
            url_fetcher=fetcher,
            font_config=font_config,
        )
        state = _local.fonts = (font_config, css, fetcher)
    return state


def html_to_pdf(html: str) -> bytes:
    """Return the PDF of ``html``, typeset with the shipped fonts."""
    font_config, fonts_css, fetcher = _fonts()
    try:
        document = HTML(string=html, base_url=_BASE_URL, url_fetcher=fetcher)
        return document.write_pdf(stylesheets=[fonts_css], font_config=font_config)
    except FatalURLFetchingError as error:
        # WeasyPrint's error is a BaseException: turn it into an ordinary one
        # so that a misconfigured template fails one request, not the worker.
        raise FormResourceError(str(error)) from error


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    """Render the Django ``template`` with ``context`` and return it as PDF."""
    html = render_to_string(template, {"font_family": FONT_FAMILY, **context})
    return html_to_pdf(html)
