"""QR codes for the forms: SVG data URIs drawn by segno (no native dependency)."""

import segno


def qr_svg_data_uri(payload: str, *, scale: int = 4) -> str:
    """
    Return ``payload`` as a QR code in an SVG data URI, ready for ``<img src>``.

    Error correction M survives a crease or a stamp on a paper receipt; the
    quiet zone is the standard 4 modules (ISO/IEC 18004).
    """
    qr = segno.make_qr(payload, error="m")
    return qr.svg_data_uri(scale=scale, border=4, omitsize=False)
