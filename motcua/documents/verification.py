"""
Verify the signatures of a PDF with pyHanko's validation API: integrity,
cryptographic validity, a chain to a trusted root, and what was added after
signing. No database here; ``services.document_verify`` adds the lookup of
the document code.
"""

import hashlib
import io
import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


@dataclass
class SignatureCheck:
    field_name: str
    signer: str
    signer_subject: str
    signed_at: datetime | None
    timestamp: datetime | None
    intact: bool
    valid: bool
    trusted: bool
    covers_whole_file: bool
    modification: str
    is_timestamp: bool
    revision_sha256: str
    ok: bool
    problem: str = ""


@dataclass
class VerificationReport:
    sha256: str
    ok: bool
    reason: str
    signatures: list[SignatureCheck] = field(default_factory=list)

    @property
    def revision_hashes(self) -> list[str]:
        """SHA-256 of each signed revision, last first (to find the stored file)."""
        return [s.revision_sha256 for s in reversed(self.signatures)]


def _common_name(cert) -> str:
    try:
        return str(
            cert.subject.native.get("common_name") or cert.subject.human_friendly
        )
    except Exception:  # a malformed name must not stop the report
        return "?"


def _check(embedded, data: bytes, context, *, last: bool) -> SignatureCheck:
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    is_timestamp = embedded.sig_object_type == "/DocTimeStamp"
    byte_range = list(embedded.sig_object.get("/ByteRange", [0, 0, 0, 0]))
    revision_end = int(byte_range[2]) + int(byte_range[3])
    revision_sha256 = hashlib.sha256(data[:revision_end]).hexdigest()
    field_name = str(embedded.field_name or "")
    status: Any
    try:
        if is_timestamp:
            status = validate_pdf_timestamp(embedded, validation_context=context)
        else:
            status = validate_pdf_signature(embedded, signer_validation_context=context)
    except Exception as error:
        logger.info("Validation error on %s: %s", field_name, error)
        return SignatureCheck(
            field_name=field_name,
            signer="?",
            signer_subject="",
            signed_at=None,
            timestamp=None,
            intact=False,
            valid=False,
            trusted=False,
            covers_whole_file=False,
            modification="",
            is_timestamp=is_timestamp,
            revision_sha256=revision_sha256,
            ok=False,
            problem=_("Chữ ký “%(field)s” không đọc được: %(error)s")
            % {"field": field_name, "error": error},
        )
    cert = status.signing_cert
    coverage = status.coverage
    level = status.modification_level
    # After the last signature only archival updates (DSS, document
    # timestamps) may follow; after an earlier one, later signatures too.
    allowed = ModificationLevel.LTA_UPDATES if last else ModificationLevel.FORM_FILLING
    modified_after = level is not None and level > allowed
    problem = ""
    if not status.intact:
        problem = _(
            "Chữ ký “%(field)s” không còn toàn vẹn: nội dung tệp đã bị thay đổi sau khi ký."
        )
    elif not status.valid:
        problem = _("Chữ ký “%(field)s” không hợp lệ về mật mã.")
    elif not status.trusted:
        problem = _(
            "Chứng thư số của chữ ký “%(field)s” (%(signer)s) không thuộc tổ chức cung cấp dịch vụ chứng thực tin cậy."
        )
    elif coverage is None or coverage < SignatureCoverageLevel.ENTIRE_REVISION:
        problem = _("Chữ ký “%(field)s” không bao trùm toàn bộ tài liệu đã ký.")
    elif modified_after:
        problem = _("Tài liệu đã bị thêm, sửa nội dung sau chữ ký “%(field)s”.")
    elif not status.bottom_line:
        problem = _("Chữ ký “%(field)s” không đạt yêu cầu kiểm tra.")
    signed_at = getattr(status, "signer_reported_dt", None)
    timestamp_status = getattr(status, "timestamp_validity", None)
    timestamp = (
        status.timestamp
        if is_timestamp
        else (timestamp_status.timestamp if timestamp_status is not None else None)
    )
    return SignatureCheck(
        field_name=field_name,
        signer=_common_name(cert),
        signer_subject=cert.subject.human_friendly if cert is not None else "",
        signed_at=signed_at or timestamp,
        timestamp=timestamp,
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=bool(status.trusted),
        covers_whole_file=coverage == SignatureCoverageLevel.ENTIRE_FILE,
        modification=level.name.lower() if level is not None else "",
        is_timestamp=is_timestamp,
        revision_sha256=revision_sha256,
        ok=not problem,
        problem=problem % {"field": field_name, "signer": _common_name(cert)}
        if problem
        else "",
    )


def pdf_verify(data: bytes, *, trust_roots: list) -> VerificationReport:
    """
    Verify every signature of the PDF ``data`` against ``trust_roots``.

    The report is ok when the PDF has at least one signature and every
    signature is intact, valid, chains to a trusted root and was not followed
    by changes other than later signatures or archival data.
    """
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko_certvalidator import ValidationContext

    sha256 = hashlib.sha256(data).hexdigest()
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception as error:
        return VerificationReport(
            sha256,
            False,
            _("Không đọc được tệp PDF (%(error)s).") % {"error": error},
        )
    if not embedded:
        return VerificationReport(sha256, False, _("Tệp không có chữ ký số."))
    # No network: revocation is checked from what the file embeds (soft-fail).
    context = ValidationContext(trust_roots=list(trust_roots), allow_fetching=False)
    checks = [
        _check(sig, data, context, last=index == len(embedded) - 1)
        for index, sig in enumerate(embedded)
    ]
    problems = [c.problem for c in checks if not c.ok]
    if problems:
        return VerificationReport(sha256, False, " ".join(problems), checks)
    return VerificationReport(
        sha256,
        True,
        _("Tất cả %(count)s chữ ký số hợp lệ, toàn vẹn và được chứng thực tin cậy.")
        % {"count": len(checks)},
        checks,
    )
