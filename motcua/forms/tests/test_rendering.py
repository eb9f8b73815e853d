"""The renderer: shipped fonts only, correctly shaped Vietnamese, no network."""

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from motcua.forms import rendering
from motcua.forms.rendering import FONT_FAMILY, FormResourceError, html_to_pdf

from .pdf import read_pdf

VIETNAMESE = (
    "Cộng hòa xã hội chủ nghĩa Việt Nam — Độc lập - Tự do - Hạnh phúc. "
    "Ơn ướt ưỡn ỷ ỹ ỵ ặ ẫ ậ Ừ Ữ Ự ỗ ộ Đ đ"
)
HTML = (
    f"<p style=\"font-family: '{FONT_FAMILY}'\">{VIETNAMESE}</p>"
    "<p><b>Giấy tiếp nhận</b> <i>hồ sơ</i> <b><i>hẹn trả</i></b></p>"
)


def test_vietnamese_text_comes_back_exactly_and_in_the_shipped_font():
    pdf = read_pdf(html_to_pdf(HTML))
    assert pdf.text == f"{VIETNAMESE} Giấy tiếp nhận hồ sơ hẹn trả"
    assert pdf.fonts == {
        "Motcua-Serif",
        "Motcua-Serif-Bold",
        "Motcua-Serif-Italic",
        "Motcua-Serif-Bold-Italic",
    }


def test_rendering_needs_no_system_font(tmp_path):
    """With fontconfig seeing no font at all, the forms still typeset Vietnamese."""
    (tmp_path / "fonts.conf").write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">'
        f"<fontconfig><cachedir>{tmp_path}/cache</cachedir></fontconfig>"
    )
    script = (
        "import json, sys\n"
        "from motcua.forms.rendering import html_to_pdf\n"
        "from motcua.forms.tests.pdf import read_pdf\n"
        "pdf = read_pdf(html_to_pdf(sys.argv[1]))\n"
        "print(json.dumps({'text': pdf.page_texts[0], 'fonts': sorted(pdf.fonts)}))\n"
    )
    result = subprocess.run(  # noqa: S603 - our interpreter, our script
        [sys.executable, "-W", "ignore", "-c", script, HTML],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        cwd=Path(__file__).resolve().parents[3],
        env={"FONTCONFIG_FILE": str(tmp_path / "fonts.conf"), "PATH": "/usr/bin:/bin"},
    )
    read = json.loads(result.stdout)
    assert " ".join(read["text"].split()).startswith(VIETNAMESE)
    assert all(font.startswith("Motcua-Serif") for font in read["fonts"])


@pytest.mark.parametrize(
    "url",
    ["http://example.com/logo.png", "file:///etc/hostname", "ftp://example.com/x"],
)
def test_forms_load_nothing_but_the_shipped_fonts_and_data_uris(url):
    with pytest.raises(FormResourceError, match="Error fetching"):
        html_to_pdf(f'<img src="{url}">')


def test_fonts_are_loaded_once_per_thread():
    first = rendering._fonts()
    assert rendering._fonts() is first
    other = []
    thread = threading.Thread(target=lambda: other.append(rendering._fonts()))
    thread.start()
    thread.join()
    assert other[0] is not first
