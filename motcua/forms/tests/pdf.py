"""Read back a rendered PDF: page sizes, text, embedded fonts."""

import unicodedata
from dataclasses import dataclass
from io import BytesIO

from pypdf import PdfReader

A5 = (419.53, 595.28)
A4_LANDSCAPE = (841.89, 595.28)


@dataclass
class ReadPdf:
    pages: list[tuple[float, float]]
    page_texts: list[str]
    fonts: set[str]

    @property
    def text(self) -> str:
        # Lines break anywhere in a form; compare on single spaces.
        return " ".join(" ".join(self.page_texts).split())

    @property
    def squeezed(self) -> str:
        # Codes and URLs may wrap inside a table cell.
        return "".join(self.text.split())


def read_pdf(data: bytes) -> ReadPdf:
    assert data.startswith(b"%PDF-")
    reader = PdfReader(BytesIO(data))
    fonts = set()
    for page in reader.pages:
        for ref in page["/Resources"].get("/Font", {}).values():
            # Subset fonts are named ABCDEF+Name.
            fonts.add(str(ref.get_object()["/BaseFont"]).split("+", 1)[-1])
    return ReadPdf(
        pages=[
            (round(float(p.mediabox.width), 2), round(float(p.mediabox.height), 2))
            for p in reader.pages
        ],
        page_texts=[
            unicodedata.normalize("NFC", p.extract_text()) for p in reader.pages
        ],
        fonts=fonts,
    )
