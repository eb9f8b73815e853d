"""
PDF building blocks: HTML to PDF (WeasyPrint), images and PDFs assembled
into one PDF in order (Pillow, pypdf), QR codes (segno) and overlays.
"""

import io
from collections.abc import Iterable

from django.template.loader import render_to_string

import segno
from PIL import Image, ImageOps
from pypdf import PdfReader, PdfWriter

from .constants import PDF

# Resolution assumed for an image that does not record one: a common scanner
# setting, and the one that gives an A4 page for an A4 scan.
DEFAULT_DPI = 200


def qr_data_uri(text: str) -> str:
    """Return an SVG QR code of ``text`` as a data: URI for an <img>."""
    return segno.make(text, error="m").svg_data_uri(scale=4, border=2)


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """Render ``html`` to PDF bytes with WeasyPrint."""
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url).write_pdf()


def render_pdf(template: str, context: dict) -> bytes:
    return html_to_pdf(render_to_string(template, context))


def _image_to_pdf(data: bytes) -> bytes:
    """Return a PDF with one page per frame of the image in ``data``."""
    pages: list[Image.Image] = []
    with Image.open(io.BytesIO(data)) as image:
        dpi = image.info.get("dpi") or (DEFAULT_DPI, DEFAULT_DPI)
        resolution = float(dpi[0]) if dpi and float(dpi[0]) >= 50 else DEFAULT_DPI
        for index in range(getattr(image, "n_frames", 1)):
            image.seek(index)
            frame = ImageOps.exif_transpose(image)
            if frame.mode in ("RGBA", "LA", "P", "PA"):
                background = Image.new("RGB", frame.size, "white")
                rgba = frame.convert("RGBA")
                background.paste(rgba, mask=rgba.getchannel("A"))
                frame = background
            elif frame.mode not in ("1", "L", "RGB", "CMYK"):
                frame = frame.convert("RGB")
            pages.append(frame.copy())
    out = io.BytesIO()
    pages[0].save(
        out,
        format="PDF",
        resolution=resolution,
        save_all=True,
        append_images=pages[1:],
    )
    return out.getvalue()


def assemble(parts: Iterable[tuple[str, bytes]]) -> bytes:
    """
    Return one PDF made of ``parts`` (content type, bytes) in the given order:
    each image becomes a page (every frame of a TIFF), each PDF keeps its pages.
    """
    writer = PdfWriter()
    for content_type, data in parts:
        pdf = data if content_type == PDF else _image_to_pdf(data)
        writer.append(PdfReader(io.BytesIO(pdf)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    """Return the (width, height) in points of every page."""
    return [
        (float(p.mediabox.width), float(p.mediabox.height))
        for p in PdfReader(io.BytesIO(pdf)).pages
    ]


def overlay(
    pdf: bytes, stamps: dict[int, bytes], *, append: bytes | None = None
) -> bytes:
    """
    Return ``pdf`` with the one-page PDF ``stamps[i]`` drawn over page ``i``,
    and the pages of ``append`` added at the end.
    """
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    for index, stamp in stamps.items():
        writer.pages[index].merge_page(PdfReader(io.BytesIO(stamp)).pages[0])
    if append is not None:
        writer.append(PdfReader(io.BytesIO(append)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
