"""
Validate an uploaded file by its content: type from magic bytes, size, page
count, damage, and active content in PDFs. Pure: no database, no storage.

Every refusal is a ``FileRefused`` with a stable ``code`` and a Vietnamese
message, so the counter screen, the API and the portal connector show the
same reason.
"""

import contextlib
import io
import os
import threading
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from PIL import Image, ImageFile

from motcua.core.exceptions import ValidationFailed

from .constants import ALLOWED_TYPES, EXTENSIONS, JPEG, PDF, PNG, TIFF


class FileRefused(ValidationFailed):
    code = "file_refused"
    default_message = _("Tệp không được chấp nhận.")


@dataclass(frozen=True, slots=True)
class FileInfo:
    content_type: str
    page_count: int
    size: int


# Magic numbers of the accepted types (ISO 32000 §7.5.2, JFIF, PNG, TIFF 6.0).
_MAGIC = (
    (b"%PDF-", PDF),
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"II*\x00", TIFF),
    (b"MM\x00*", TIFF),
)
# Keys that make a PDF run code or act on its own when opened: JavaScript
# (/JS, /JavaScript), additional actions (/AA) and launching programs.
_ACTIVE_KEYS = frozenset({"/JS", "/JavaScript", "/AA"})
_ACTIVE_ACTIONS = frozenset({"/JavaScript", "/Launch"})
# A scan of 200 A4 pages at 600 dpi stays far below this; a decompression
# bomb does not.
_MAX_PIXELS = 120_000_000


def max_bytes() -> int:
    return int(getattr(settings, "MOTCUA_UPLOAD_MAX_BYTES", 20 * 1024 * 1024))


def max_pages() -> int:
    return int(getattr(settings, "MOTCUA_UPLOAD_MAX_PAGES", 200))


def detect_type(data: bytes) -> str | None:
    """Return the content type of ``data`` from its first bytes, or None."""
    for magic, content_type in _MAGIC:
        if data.startswith(magic):
            return content_type
    return None


def claimed_type(name: str, declared: str | None = None) -> str | None:
    """
    Return the type the sender claims: from the name's extension, else from a
    declared content type that is one of ours. None when nothing is claimed.
    """
    extension = os.path.splitext(name or "")[1].lower()
    # An unknown extension ("Tờ khai v1.2") claims nothing; the content decides.
    if extension in EXTENSIONS:
        return EXTENSIONS[extension]
    if declared in ALLOWED_TYPES:
        return declared
    return None


def _refuse(message, code: str, **extra) -> FileRefused:
    return FileRefused(message, code=code, extra=extra)


def inspect_file(
    data: bytes, *, name: str = "", declared_type: str | None = None
) -> FileInfo:
    """
    Return what ``data`` is, or raise FileRefused saying why it is refused.

    The type is read from the content; a name or declared type that says
    otherwise (an .exe renamed .pdf, an HTML page named .jpg) is refused.
    """
    size = len(data)
    if size == 0:
        raise _refuse(_("Tệp rỗng."), "file_empty")
    if size > max_bytes():
        raise _refuse(
            _("Tệp quá lớn (%(size)s MB); dung lượng tối đa là %(limit)s MB.")
            % {
                "size": f"{size / 1048576:.1f}",
                "limit": f"{max_bytes() / 1048576:g}",
            },
            "file_too_large",
            size=size,
            limit=max_bytes(),
        )
    detected = detect_type(data)
    claimed = claimed_type(name, declared_type)
    if detected is None:
        if claimed in ALLOWED_TYPES:
            raise _refuse(
                _(
                    "Nội dung tệp không phải là %(claimed)s như tên tệp cho biết; tệp bị từ chối."
                )
                % {"claimed": _type_label(claimed)},
                "file_type_mismatch",
                claimed=claimed,
            )
        raise _refuse(
            _("Chỉ chấp nhận tệp PDF, JPEG, PNG hoặc TIFF."),
            "file_type_not_allowed",
        )
    if claimed is not None and claimed != detected:
        raise _refuse(
            _(
                "Tên tệp cho biết %(claimed)s nhưng nội dung là %(detected)s; tệp bị từ chối."
            )
            % {"claimed": _type_label(claimed), "detected": _type_label(detected)},
            "file_type_mismatch",
            claimed=claimed,
            detected=detected,
        )
    pages = _pdf_pages(data) if detected == PDF else _image_pages(data, detected)
    if pages > max_pages():
        raise _refuse(
            _("Tệp có %(pages)s trang, vượt quá giới hạn %(limit)s trang.")
            % {"pages": pages, "limit": max_pages()},
            "too_many_pages",
            pages=pages,
            limit=max_pages(),
        )
    return FileInfo(content_type=detected, page_count=pages, size=size)


def _type_label(content_type: str | None) -> str:
    labels = {PDF: "PDF", JPEG: "ảnh JPEG", PNG: "ảnh PNG", TIFF: "ảnh TIFF"}
    return labels.get(content_type or "", content_type or "?")


def _damaged(detail: str = "") -> FileRefused:
    return _refuse(
        _("Tệp bị hỏng hoặc không đầy đủ (có thể bị cắt ngang khi tải lên)."),
        "file_damaged",
        detail=detail[:200],
    )


def _pdf_pages(data: bytes) -> int:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    # A complete PDF ends with %%EOF (ISO 32000 §7.5.5); a cut-off upload does not.
    if b"%%EOF" not in data[-2048:]:
        raise _damaged("no %%EOF at the end")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                raise _refuse(
                    _(
                        "Tệp PDF được mã hóa hoặc đặt mật khẩu; hãy gửi bản không mã hóa."
                    ),
                    "pdf_encrypted",
                )
            pages = len(reader.pages)
            found = _active_content(reader)
    except FileRefused:
        raise
    except (PdfReadError, RecursionError, Exception) as error:
        # A malformed PDF makes pypdf fail in many ways; all mean "damaged".
        raise _damaged(f"{type(error).__name__}: {error}") from None
    if found:
        raise _refuse(
            _(
                "Tệp PDF chứa mã JavaScript hoặc hành động tự động (%(keys)s); vì an toàn, tệp bị từ chối."
            )
            % {"keys": ", ".join(sorted(found))},
            "pdf_active_content",
            keys=sorted(found),
        )
    if pages < 1:
        raise _damaged("no pages")
    return pages


def _active_content(reader) -> set[str]:
    """
    Return the active-content keys found in any object reachable from the
    trailer: /JS, /JavaScript, /AA, or an action of type JavaScript or Launch
    (wherever it sits: /OpenAction, a link, a form field, the names tree).
    """
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    found: set[str] = set()
    seen: set[tuple[int, int]] = set()
    stack: list = [reader.trailer]
    visited = 0
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            ref = (item.idnum, item.generation)
            if ref in seen:
                continue
            seen.add(ref)
            item = item.get_object()
        visited += 1
        if visited > 500_000:
            raise ValueError("too many objects")
        if isinstance(item, DictionaryObject):
            for key, value in item.items():
                if key in _ACTIVE_KEYS:
                    found.add(str(key))
                if key == "/S" and value in _ACTIVE_ACTIONS:
                    found.add(f"/S {value}")
                if key != "/Parent":  # pages point back to their tree
                    stack.append(value)
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return found


_strict_lock = threading.Lock()


@contextlib.contextmanager
def _strict_decoding():
    # WeasyPrint sets Pillow's LOAD_TRUNCATED_IMAGES for the whole process on
    # import; a truncated upload must still fail here.
    with _strict_lock:
        previous = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = previous


# The last bytes of a complete file: JPEG's EOI marker, PNG's IEND chunk.
_TRAILERS = {JPEG: b"\xff\xd9", PNG: b"IEND\xaeB`\x82"}


def _image_pages(data: bytes, content_type: str) -> int:
    expected = {JPEG: "JPEG", PNG: "PNG", TIFF: "TIFF"}[content_type]
    trailer = _TRAILERS.get(content_type)
    if trailer is not None and trailer not in data.rstrip(b"\0\r\n ")[-64:]:
        raise _damaged("no end marker")
    try:
        with warnings.catch_warnings(), _strict_decoding():
            warnings.simplefilter("ignore")
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format != expected:
                    raise _damaged(f"format {image.format}")
                frames = getattr(image, "n_frames", 1)
                if frames > max_pages():
                    return frames
                for index in range(frames):
                    image.seek(index)
                    width, height = image.size
                    if width * height > _MAX_PIXELS:
                        raise _refuse(
                            _("Ảnh có độ phân giải quá lớn."), "image_too_large"
                        )
                    # Decoding every frame finds truncated or corrupt data.
                    image.load()
                return frames
    except FileRefused:
        raise
    except Exception as error:
        # Pillow reports malformed input with many exception types (OSError,
        # SyntaxError, KeyError, TypeError…); all mean the file is unusable.
        raise _damaged(f"{type(error).__name__}: {error}") from None
