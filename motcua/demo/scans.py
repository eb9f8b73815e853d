"""
Paper pages for the demo's counter scans: deterministic grey A4 images naming
the dossier and the component, fed to the real scanning service
(``documents.services.component_scan_attach``) as the scanner's output.
"""

from functools import cache
from io import BytesIO
from typing import Any

from django.conf import settings

from motcua.dossiers.constants import ComponentSource

# A4 at 100 dpi, greyscale: small files, legible, and a real page size.
DPI = 100
PAGE = (827, 1169)


@cache
def _fonts():
    from PIL import ImageFont

    folder = settings.BASE_DIR / "motcua" / "forms" / "fonts"
    try:
        return (
            ImageFont.truetype(str(folder / "DejaVuSerif-Bold.ttf"), 26),
            ImageFont.truetype(str(folder / "DejaVuSerif.ttf"), 18),
        )
    except OSError:  # without the shipped fonts, Pillow's own
        default = ImageFont.load_default()
        return default, default


def page_image(title: str, lines: list[str], *, page: int, pages: int) -> bytes:
    """Return one scanned page (PNG) with ``title`` and ``lines`` on it."""
    from PIL import Image, ImageDraw

    heading, body = _fonts()
    image = Image.new("L", PAGE, 250)
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, PAGE[0] - 40, PAGE[1] - 40), outline=60, width=2)
    draw.text(
        (PAGE[0] // 2, 110),
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        font=body,
        fill=20,
        anchor="mm",
    )
    draw.text(
        (PAGE[0] // 2, 140),
        "Độc lập - Tự do - Hạnh phúc",
        font=body,
        fill=20,
        anchor="mm",
    )
    draw.text(
        (PAGE[0] // 2, 230), title.upper()[:48], font=heading, fill=10, anchor="mm"
    )
    y = 310
    for line in lines:
        draw.text((90, y), line[:70], font=body, fill=30)
        y += 34
    # Ruled lines where the applicant wrote by hand.
    for row in range(y + 30, PAGE[1] - 160, 42):
        draw.line((90, row, PAGE[0] - 90, row), fill=170, width=1)
    draw.text(
        (PAGE[0] - 90, PAGE[1] - 90),
        f"Trang {page}/{pages}",
        font=body,
        fill=60,
        anchor="rm",
    )
    out = BytesIO()
    image.save(out, format="PNG", dpi=(DPI, DPI), optimize=False)
    return out.getvalue()


def scan_pages(dossier: Any, component: Any) -> list[tuple[str, bytes]]:
    """The scanner's output for a paper component: one image per paper page."""
    pages = max(1, component.paper_count or 1)
    lines = [
        f"Họ và tên: {dossier.applicant_name}",
        f"Địa chỉ: {dossier.applicant_address}"[:70],
        f"Thủ tục: {dossier.procedure_version.name}"[:70],
        f"Mã hồ sơ: {dossier.code}",
    ]
    return [
        (
            f"trang-{number}.png",
            page_image(component.name, lines, page=number, pages=pages),
        )
        for number in range(1, pages + 1)
    ]


def dossier_scan_paper(dossier: Any, *, actor: Any) -> int:
    """
    Scan every paper component of ``dossier`` at the counter, as ``actor``
    (its receiving officer), through the scanning service; return how many.
    """
    from motcua.documents.services import component_scan_attach

    count = 0
    # Recorded as scanned (or paper) at reception; the file comes now.
    for component in dossier.components.filter(
        source__in=(ComponentSource.SCANNED, ComponentSource.PAPER)
    ).order_by("order", "pk"):
        component_scan_attach(component, scan_pages(dossier, component), actor=actor)
        count += 1
    return count
