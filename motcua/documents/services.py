"""
Write services of the documents app: the file store, scanning at reception,
signed e-results and certified e-copies, the personal data store (Kho) and
its reuse, and the personal-data access log of downloads.

Files are validated before anything is written; a service that fails after
writing a file removes it again, so a refusal leaves no row and no file.
(A file written by a service that succeeded inside a caller's transaction
that later rolls back stays on disk, unreferenced and harmless; see
``stored_files_orphaned``.)
"""

import contextlib
import contextvars
import hashlib
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _

from motcua.accounts.constants import Role
from motcua.accounts.models import StaffMembership
from motcua.audit.models import AccessPurpose, AuditEvent, DataAccessLog
from motcua.audit.services import access_record, audit_record
from motcua.catalog.constants import DataSource
from motcua.core.exceptions import (
    Conflict,
    DomainError,
    NotFound,
    PermissionDenied,
    RuleViolation,
    ValidationFailed,
)
from motcua.core.sequences import sequence_next
from motcua.core.text import fold
from motcua.dossiers.access import access_dossier_for_staff, may_act, may_receive_at
from motcua.dossiers.constants import (
    FINAL_STATUSES,
    ComponentSource,
    DossierAction,
    DossierStatus,
)
from motcua.dossiers.constants import (
    ResultKind as DossierResultKind,
)
from motcua.dossiers.models import Dossier, DossierComponent
from motcua.units.models import Agency

from . import pdf as pdf_tools
from .constants import (
    CERTIFIED_COPY_RESULT_TYPE,
    NATIONAL_DATABASE_SOURCES,
    PDF,
    STORED_EXTENSION,
    DossierFileKind,
    FileKind,
    ResultKind,
    StoreSource,
    SupersedeReason,
)
from .models import DossierFile, ResultDocument, StoredFile, StoreEntry
from .signing import sign_pdf, signer_for_agency, signer_for_officer
from .validation import FileInfo, FileRefused, inspect_file, max_bytes, max_pages

# An upload is bytes, a (name, bytes) pair, or a Django File / UploadedFile.
Upload = bytes | tuple[str, bytes] | File


class FileCorrupted(DomainError):
    code = "file_corrupted"
    status = 500
    default_message = _("Tệp lưu trữ không còn khớp với mã băm; đã báo quản trị.")


# ---------------------------------------------------------------- file store

_written: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "motcua_documents_written", default=None
)


@contextlib.contextmanager
def _files_removed_on_error() -> Iterator[None]:
    """Remove the files written inside the block if it raises (outermost block only)."""
    if _written.get() is not None:
        yield
        return
    written: list[str] = []
    token = _written.set(written)
    try:
        yield
    except BaseException:
        for name in written:
            with contextlib.suppress(Exception):
                default_storage.delete(name)
        raise
    finally:
        _written.reset(token)


def _read_upload(upload: Upload) -> tuple[bytes, str, str | None]:
    """Return (bytes, file name, declared content type), refusing oversize early."""
    if isinstance(upload, bytes | bytearray):
        return bytes(upload), "", None
    if isinstance(upload, tuple):
        name, data = upload
        return bytes(data), os.path.basename(name or ""), None
    limit = max_bytes()
    too_large = FileRefused(
        _("Tệp quá lớn; dung lượng tối đa là %(limit)s MB.")
        % {"limit": f"{limit / 1048576:g}"},
        code="file_too_large",
        extra={"limit": limit},
    )
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise too_large
    chunks: list[bytes] = []
    total = 0
    if hasattr(upload, "seek"):
        with contextlib.suppress(Exception):
            upload.seek(0)
    for chunk in upload.chunks():
        total += len(chunk)
        if total > limit:
            raise too_large
        chunks.append(chunk)
    return (
        b"".join(chunks),
        os.path.basename(getattr(upload, "name", "") or ""),
        getattr(upload, "content_type", None),
    )


def _storage_name(sha256: str, content_type: str) -> str:
    return f"documents/{sha256[:2]}/{sha256[2:4]}/{sha256}.{STORED_EXTENSION[content_type]}"


def _stored_hash(name: str) -> str | None:
    try:
        with default_storage.open(name, "rb") as handle:
            digest = hashlib.sha256()
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
            return digest.hexdigest()
    except OSError:
        return None


def _store(
    data: bytes,
    info: FileInfo,
    *,
    original_name: str,
    actor: Any,
    kind: str,
    signed: bool = False,
) -> StoredFile:
    """Write ``data`` (already validated) once under its hash; return its row."""
    sha256 = hashlib.sha256(data).hexdigest()
    existing = StoredFile.objects.filter(sha256=sha256).first()
    if existing is not None:
        if signed and not existing.signed:
            existing.signed = True
            existing.save(update_fields=["signed"])
        return existing
    name = _storage_name(sha256, info.content_type)
    written = False
    if _stored_hash(name) == sha256:
        saved = name  # left by an earlier attempt; same bytes
    else:
        saved = default_storage.save(name, ContentFile(data))
        written = True
        tracker = _written.get()
        if tracker is not None:
            tracker.append(saved)
    try:
        with transaction.atomic():
            return StoredFile.objects.create(
                sha256=sha256,
                size=len(data),
                content_type=info.content_type,
                original_name=original_name[:255],
                page_count=info.page_count,
                storage_name=saved,
                kind=kind,
                signed=signed,
                created_by=actor if getattr(actor, "pk", None) else None,
            )
    except IntegrityError:
        # The same content stored at the same moment by another request.
        row = StoredFile.objects.get(sha256=sha256)
        if written and saved != row.storage_name:
            default_storage.delete(saved)
        return row


def stored_file_create(
    upload: Upload,
    *,
    actor: Any,
    kind: str = FileKind.UPLOAD,
    name: str | None = None,
) -> StoredFile:
    """
    Validate ``upload`` by its content and store it; return the stored file.

    Raise FileRefused (a ValidationFailed with a stable code) if the type,
    size, page count or content is not acceptable; nothing is written then.
    The same content sent twice is stored once.
    """
    data, original_name, declared = _read_upload(upload)
    original_name = name or original_name
    info = inspect_file(data, name=original_name, declared_type=declared)
    with _files_removed_on_error():
        return _store(data, info, original_name=original_name, actor=actor, kind=kind)


def stored_file_read(stored_file: StoredFile) -> bytes:
    """Return the bytes of ``stored_file``; raise FileCorrupted if they changed."""
    try:
        with default_storage.open(stored_file.storage_name, "rb") as handle:
            data = handle.read()
    except OSError:
        raise FileCorrupted(
            _("Không tìm thấy tệp trong kho lưu trữ."), code="file_missing"
        ) from None
    if hashlib.sha256(data).hexdigest() != stored_file.sha256:
        raise FileCorrupted()
    return data


def stored_files_orphaned() -> list[str]:
    """
    Return the names of files in the store that no row refers to (left by a
    transaction rolled back after a file was written). Local disk only.
    """
    root = os.path.join(settings.MEDIA_ROOT, "documents")
    if not os.path.isdir(root):
        return []
    known = set(StoredFile.objects.values_list("storage_name", flat=True))
    found = []
    for directory, _dirs, names in os.walk(root):
        for file_name in names:
            relative = os.path.relpath(
                os.path.join(directory, file_name), settings.MEDIA_ROOT
            ).replace(os.sep, "/")
            if relative not in known:
                found.append(relative)
    return sorted(found)


# ------------------------------------------------------------ access and log


def _actor_agency(user: Any, dossier: Dossier) -> Agency | None:
    """The unit in whose name ``user`` works on ``dossier`` (for the access log)."""
    memberships = list(
        StaffMembership.objects.active()
        .filter(user_id=getattr(user, "pk", None))
        .select_related("agency")
    )
    if not memberships:
        return None
    involved = {dossier.receiving_centre_id, dossier.competent_agency_id}
    involved |= set(dossier.steps.values_list("agency_id", flat=True))
    for membership in memberships:
        if membership.agency_id in involved:
            return membership.agency
    return memberships[0].agency


def access_log_record(
    dossier: Dossier,
    *,
    actor: Any,
    what: str,
    purpose: str = AccessPurpose.PROCESSING,
    ip_address: str | None = None,
) -> DataAccessLog:
    """
    Record that staff ``actor`` viewed or downloaded personal data of
    ``dossier``'s applicant, with the unit they act for. Shown to the applicant
    (``selectors.access_log_for_citizen``).
    """
    return access_record(
        actor=actor,
        subject_id_number=dossier.applicant_id_number,
        what=what,
        purpose=purpose,
        dossier=dossier,
        agency=_actor_agency(actor, dossier),
        ip_address=ip_address,
    )


@dataclass(frozen=True)
class Download:
    file: StoredFile
    data: bytes
    filename: str


def dossier_file_download(
    user: Any, *, dossier_id: int, file_id: int, ip_address: str | None = None
) -> Download:
    """
    Return a file of a dossier for ``user`` to download, and log the access.

    Raise NotFound (the same error) for a dossier the user may not see, a file
    that is not the dossier's, or a missing one, so that ids cannot be probed.
    """
    dossier = access_dossier_for_staff(user, pk=dossier_id)
    link = (
        DossierFile.objects.filter(dossier=dossier, file_id=file_id)
        .select_related("file")
        .first()
    )
    stored: StoredFile | None = None
    if link is not None:
        stored, label = link.file, link.name
    else:
        result = (
            ResultDocument.objects.filter(dossier=dossier, file_id=file_id)
            .select_related("file")
            .first()
        )
        if result is not None:
            stored, label = result.file, result.code
    if stored is None:
        raise NotFound(_("Không tìm thấy tệp."), code="file_not_found")
    data = stored_file_read(stored)
    access_log_record(
        dossier,
        actor=user,
        what=f"Tải tệp: {label}",
        purpose=AccessPurpose.DOWNLOAD,
        ip_address=ip_address,
    )
    extension = STORED_EXTENSION.get(stored.content_type, "bin")
    base = stored.original_name or f"{_slug(label)}.{extension}"
    return Download(file=stored, data=data, filename=base)


# ------------------------------------------------------------------ scanning


def _slug(text: str, limit: int = 60) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")[:limit] or "tep"


_NOT_SCANNABLE: dict[str, Any] = {
    ComponentSource.PRESENTED: _(
        "Giấy tờ chỉ xuất trình không phải số hóa (Thông tư 03/2025/TT-VPCP Điều 5(2)(b))."
    ),
    ComponentSource.UPLOADED: _(
        "Thành phần đã nộp dưới dạng điện tử, không phải số hóa (Thông tư 03/2025/TT-VPCP Điều 5(2)(a))."
    ),
    ComponentSource.REUSED: _("Thành phần đã được tái sử dụng từ Kho dữ liệu."),
    ComponentSource.NATIONAL_DATABASE: _(
        "Thành phần đã được khai thác từ cơ sở dữ liệu quốc gia."
    ),
}


def _check_open(dossier: Dossier) -> None:
    if dossier.status in FINAL_STATUSES or dossier.status == DossierStatus.RESOLVED:
        raise RuleViolation(
            _("Hồ sơ đã kết thúc; không thay đổi được thành phần hồ sơ."),
            code="dossier_closed",
        )


def component_scan_attach(
    dossier_component: DossierComponent,
    files: Iterable[Upload],
    *,
    actor: Any,
    paper_pages: int | None = None,
    page_mismatch_note: str = "",
) -> DossierFile:
    """
    Digitize a paper component at reception: assemble ``files`` (images or
    PDFs, in the given order) into one PDF, check its pages against the paper,
    sign it with the receiving officer's personal signature, attach it and mark
    the component scanned and digitized (Decree 118 Art.17(1)(c)).

    Page rule (Circular 01/2023/TT-VPCP Art.8(1)(a),(c),(d)), compared with
    ``paper_pages`` or else the component's paper count:
    fewer scanned pages than paper pages is refused (an original was not
    scanned); more is allowed only with ``page_mismatch_note`` saying why
    (e.g. a page with a sticky note scanned twice).
    """
    files = list(files)
    dossier = dossier_component.dossier
    if not may_receive_at(actor, dossier.receiving_centre_id):
        raise PermissionDenied(
            _("Chỉ cán bộ tiếp nhận của nơi nhận hồ sơ được số hóa thành phần hồ sơ."),
            code="scan_not_permitted",
        )
    _check_open(dossier)
    if dossier_component.source in _NOT_SCANNABLE:
        raise RuleViolation(
            _NOT_SCANNABLE[dossier_component.source], code="component_not_scannable"
        )
    if not files:
        raise ValidationFailed(
            _("Chưa có trang nào được quét."), code="scan_files_required"
        )
    parts = []
    for upload in files:
        data, name, declared = _read_upload(upload)
        info = inspect_file(data, name=name, declared_type=declared)
        parts.append((info.content_type, data))
    assembled = pdf_tools.assemble(parts)
    pages = pdf_tools.page_count(assembled)
    if pages > max_pages():
        raise FileRefused(
            _("Bản số hóa có %(pages)s trang, vượt quá giới hạn %(limit)s trang.")
            % {"pages": pages, "limit": max_pages()},
            code="too_many_pages",
        )
    expected = paper_pages if paper_pages is not None else dossier_component.paper_count
    if not expected or expected < 0:
        raise ValidationFailed(
            _("Nhập số trang giấy của thành phần để đối chiếu với bản số hóa."),
            code="paper_pages_required",
        )
    note = (page_mismatch_note or "").strip()
    if pages < expected:
        raise RuleViolation(
            _(
                "Bản số hóa có %(scanned)s trang, ít hơn %(paper)s trang giấy: phải quét đủ mọi trang."
            )
            % {"scanned": pages, "paper": expected},
            code="scan_pages_missing",
            extra={"scanned": pages, "paper": expected},
        )
    if pages > expected and not note:
        raise RuleViolation(
            _(
                "Bản số hóa có %(scanned)s trang, nhiều hơn %(paper)s trang giấy; "
                "hãy xác nhận và ghi lý do (ví dụ trang có ghi chú được quét hai lần)."
            )
            % {"scanned": pages, "paper": expected},
            code="scan_page_count_mismatch",
            extra={"scanned": pages, "paper": expected},
        )
    centre = dossier.receiving_centre
    identity = signer_for_officer(actor, agency=centre)
    try:
        signed = sign_pdf(
            assembled,
            signer=identity,
            reason="Số hóa từ bản giấy; cán bộ tiếp nhận chịu trách nhiệm về tính đầy đủ, "
            "toàn vẹn, chính xác (Nghị định 118/2025/NĐ-CP Điều 17(1)(c))",
            location=centre.name,
            field_name=f"SoHoa-{dossier_component.pk}",
        )
    finally:
        identity.release()
    today = timezone.localdate()
    file_name = f"{dossier.code or f'HS{dossier.pk}'}_{today:%Y%m%d}_{_slug(dossier_component.name)}.pdf"
    with _files_removed_on_error(), transaction.atomic():
        component = DossierComponent.objects.select_for_update().get(
            pk=dossier_component.pk
        )
        if component.source in _NOT_SCANNABLE:
            raise Conflict(code="component_changed")
        stored = _store(
            signed,
            FileInfo(PDF, pages, len(signed)),
            original_name=file_name,
            actor=actor,
            kind=FileKind.SCAN,
            signed=True,
        )
        DossierFile.objects.filter(component=component, is_current=True).update(
            is_current=False
        )
        row = DossierFile.objects.create(
            dossier=dossier,
            component=component,
            name=component.name[:500],
            file=stored,
            kind=DossierFileKind.SCAN,
            page_count=pages,
            paper_pages=expected,
            page_mismatch_note=note[:255] if pages != expected else "",
            signer_label=identity.label,
            attached_by=actor,
        )
        # TODO(dossiers-hook): call a dossiers service for this update once one exists.
        component.source = ComponentSource.SCANNED
        component.is_digitized = True
        component.page_count = pages
        component.save(update_fields=["source", "is_digitized", "page_count"])
        audit_record(
            event_type=AuditEvent.DOCUMENT_SIGN,
            actor=actor,
            target=row,
            extra={
                "action": "component_scan",
                "dossier": dossier.pk,
                "component": component.pk,
                "sha256": stored.sha256,
                "pages": pages,
                "paper_pages": expected,
                "signer": identity.label,
            },
        )
    dossier_component.refresh_from_db()
    return row


def dossier_file_attach(
    dossier: Dossier,
    upload: Upload,
    *,
    actor: Any,
    component: DossierComponent | None = None,
    kind: str = DossierFileKind.UPLOAD,
    name: str = "",
) -> DossierFile:
    """
    Attach an uploaded file (an online component, a signed form) to ``dossier``.
    The file is validated by content; it is not signed here.
    """
    if component is not None and component.dossier_id != dossier.pk:
        raise ValidationFailed(
            _("Thành phần không thuộc hồ sơ này."), code="component_unknown"
        )
    with _files_removed_on_error(), transaction.atomic():
        stored = stored_file_create(
            upload,
            actor=actor,
            kind=FileKind.FORM if kind == DossierFileKind.FORM else FileKind.UPLOAD,
        )
        if component is not None:
            DossierFile.objects.filter(component=component, is_current=True).update(
                is_current=False
            )
        return DossierFile.objects.create(
            dossier=dossier,
            component=component,
            name=(name or (component.name if component else stored.original_name))[
                :500
            ],
            file=stored,
            kind=kind,
            page_count=stored.page_count,
            attached_by=actor if getattr(actor, "pk", None) else None,
        )


def components_not_digitized(dossier: Dossier) -> list[DossierComponent]:
    """
    Return the paper components of ``dossier`` not yet scanned: what the
    reception officer must still digitize (Decree 118 Art.17(1)(c)); presented
    documents and reused data are not scanned (Circular 03/2025 Art.5(2)).
    """
    return list(
        dossier.components.filter(source=ComponentSource.PAPER, is_digitized=False)
    )


# ----------------------------------------------------------------- e-results


def document_code(so_dinh_danh: str, result_type_code: str) -> str:
    """
    Return the document code of Decree 118 Art.22(4): the holder's personal or
    organisation id number and the result-type code, joined by "-".
    """
    return f"{so_dinh_danh}-{result_type_code}"


def versioned_code(base_code: str, version: int) -> str:
    """Return ``base_code`` for the first version, ``base_code_V<n>`` after."""
    return base_code if version == 1 else f"{base_code}_V{version}"


def verify_url(code: str) -> str:
    """The public verification address printed as a QR code on every e-result."""
    return settings.SITE_URL.rstrip("/") + reverse("verify:document", args=[code])


_FIELDS = (
    "ma_loai_giay_to",
    "so_dinh_danh",
    "ho_ten",
    "ten_giay_to",
    "trich_yeu",
    "thoi_han_hieu_luc",
    "pham_vi_hieu_luc",
)
_ID_NUMBER = re.compile(r"^[0-9A-Za-z][0-9A-Za-z-]{5,31}$")
_ISSUABLE = frozenset(
    {DossierStatus.RECEIVED, DossierStatus.IN_PROGRESS, DossierStatus.RESOLVED}
)
_LEADER_ROLES = frozenset({Role.AGENCY_LEADER, Role.DIVISION_HEAD})


def _result_type_names(dossier: Dossier) -> dict[str, str]:
    version = dossier.procedure_version
    names = {rt.code: rt.name for rt in version.result_types.all()}
    for participant in version.participants.all():
        if participant.result_type_code:
            names.setdefault(participant.result_type_code, participant.work)
    return names


def _clean_fields(
    dossier: Dossier, result_type_code: str, fields: dict[str, Any], default_name: str
) -> dict[str, Any]:
    """Validate the structured fields of Decree 118 Art.19(2); fill defaults."""
    unknown = sorted(set(fields) - set(_FIELDS))
    if unknown:
        raise ValidationFailed(
            _("Trường dữ liệu không hợp lệ: %(fields)s.")
            % {"fields": ", ".join(unknown)},
            code="result_field_unknown",
            extra={"fields": unknown},
        )
    errors: dict[str, str] = {}
    if fields.get("ma_loai_giay_to") not in (None, "", result_type_code):
        errors["ma_loai_giay_to"] = str(_("Mã loại giấy tờ khác mã loại kết quả."))
    id_number = re.sub(
        r"\s+", "", str(fields.get("so_dinh_danh") or dossier.applicant_id_number)
    )
    if not _ID_NUMBER.match(id_number):
        errors["so_dinh_danh"] = str(
            _("Cần số định danh cá nhân hoặc mã số tổ chức để cấp mã số giấy tờ.")
        )
    name = str(fields.get("ten_giay_to") or default_name).strip()
    if not name:
        errors["ten_giay_to"] = str(_("Tên giấy tờ là bắt buộc."))
    validity = fields.get("thoi_han_hieu_luc")
    if isinstance(validity, str):
        text = validity.strip()
        try:
            validity = parse_date(text) if text else None
        except ValueError:
            validity = None
        if validity is None and text:
            errors["thoi_han_hieu_luc"] = str(_("Thời hạn hiệu lực không hợp lệ."))
    elif validity is not None and not isinstance(validity, date):
        errors["thoi_han_hieu_luc"] = str(_("Thời hạn hiệu lực không hợp lệ."))
    if errors:
        raise ValidationFailed(
            _("Dữ liệu kết quả chưa hợp lệ."),
            code="result_fields_invalid",
            extra={"fields": errors},
        )
    return {
        "ma_loai_giay_to": result_type_code,
        "so_dinh_danh": id_number,
        "ho_ten": str(fields.get("ho_ten") or dossier.applicant_name)[:255],
        "ten_giay_to": name[:500],
        "trich_yeu": str(
            fields.get("trich_yeu") or dossier.result_summary or dossier.summary
        ),
        "thoi_han_hieu_luc": validity,
        "pham_vi_hieu_luc": str(fields.get("pham_vi_hieu_luc") or "")[:255],
    }


def _may_sign_for(actor: Any, dossier: Dossier, agency: Agency) -> bool:
    """A leader of the signing agency (or of a unit above it) issues its results."""
    if agency.pk == dossier.competent_agency_id:
        return may_act(actor, DossierAction.RESOLVE, dossier)
    if getattr(actor, "is_superuser", False):
        return True
    units = set()
    unit: Agency | None = agency
    while unit is not None and unit.pk not in units:
        units.add(unit.pk)
        unit = unit.parent
    return (
        StaffMembership.objects.active()
        .filter(user_id=getattr(actor, "pk", None), agency_id__in=units)
        .filter(role__in=_LEADER_ROLES)
        .exists()
    )


@dataclass
class _Plan:
    dossier: Dossier
    agency: Agency
    kind: str
    fields: dict[str, Any]
    base_code: str
    version: int
    code: str
    previous: ResultDocument | None
    reason: str  # supersede reason for ``previous``
    note: str = ""


def _plan(
    dossier: Dossier,
    *,
    actor: Any,
    agency: Agency,
    fields: dict[str, Any],
    base_code: str,
    kind: str,
    replacing: ResultDocument | None = None,
    reason: str = SupersedeReason.REISSUE,
    note: str = "",
) -> _Plan:
    if not _may_sign_for(actor, dossier, agency):
        raise PermissionDenied(
            _("Chỉ lãnh đạo cơ quan có thẩm quyền được ký ban hành kết quả."),
            code="result_not_permitted",
        )
    current = (
        ResultDocument.objects.filter(base_code=base_code, superseded_at__isnull=True)
        .order_by("-version")
        .first()
    )
    if replacing is not None and current != replacing:
        raise Conflict(
            _("Văn bản đã được đính chính hoặc thay thế; vui lòng tải lại."),
            code="result_superseded",
        )
    latest = (
        ResultDocument.objects.filter(base_code=base_code).aggregate(v=Max("version"))[
            "v"
        ]
        or 0
    )
    version = latest + 1
    return _Plan(
        dossier=dossier,
        agency=agency,
        kind=kind,
        fields=fields,
        base_code=base_code,
        version=version,
        code=versioned_code(base_code, version),
        previous=current,
        reason=reason,
        note=note,
    )


def _province_name() -> str:
    from motcua.units.constants import UnitLevel
    from motcua.units.models import AdministrativeUnit

    unit = (
        AdministrativeUnit.objects.filter(
            level=UnitLevel.PROVINCE, code=settings.MOTCUA_PROVINCE_CODE
        )
        .order_by("-valid_from")
        .first()
    )
    return unit.name if unit is not None else ""


def _result_context(plan: _Plan, **extra: Any) -> dict[str, Any]:
    url = verify_url(plan.code)
    return {
        "agency": plan.agency,
        "dossier": plan.dossier,
        "fields": plan.fields,
        "code": plan.code,
        "version": plan.version,
        "verify_url": url,
        "qr": pdf_tools.qr_data_uri(url),
        "issued_on": timezone.localdate(),
        "province": _province_name(),
        **extra,
    }


def _with_qr(content: bytes, plan: _Plan) -> bytes:
    """Draw the verification QR code over the bottom right of the first page."""
    width, height = pdf_tools.page_sizes(content)[0]
    stamp = pdf_tools.render_pdf(
        "documents/pdf/qr_stamp.html",
        _result_context(plan, page_width=width, page_height=height),
    )
    return pdf_tools.overlay(content, {0: stamp})


def _sign_for_agency(content: bytes, plan: _Plan, *, field_name: str) -> tuple:
    identity = signer_for_agency(plan.agency)
    try:
        signed = sign_pdf(
            content,
            signer=identity,
            reason=f"Ký ban hành {plan.fields['ten_giay_to']} – mã số giấy tờ {plan.code}",
            location=plan.agency.name,
            field_name=field_name,
        )
    finally:
        identity.release()
    return signed, identity


def _issue(plan: _Plan, signed: bytes, identity: Any, *, actor: Any) -> ResultDocument:
    """Store the signed PDF, record the document and file it in the Kho."""
    with _files_removed_on_error(), transaction.atomic():
        dossier = Dossier.objects.select_for_update().get(pk=plan.dossier.pk)
        if dossier.status not in _ISSUABLE:
            raise Conflict(
                _("Hồ sơ vừa chuyển sang trạng thái “%(status)s”; không ban hành được.")
                % {"status": dossier.get_status_display()},
                code="result_not_allowed",
            )
        current = (
            ResultDocument.objects.select_for_update()
            .filter(base_code=plan.base_code, superseded_at__isnull=True)
            .first()
        )
        if (
            current != plan.previous
            or ResultDocument.objects.filter(code=plan.code).exists()
        ):
            raise Conflict(
                _("Một kết quả khác vừa được ban hành với cùng mã; vui lòng thử lại."),
                code="result_code_taken",
            )
        stored = _store(
            signed,
            FileInfo(PDF, pdf_tools.page_count(signed), len(signed)),
            original_name=f"{plan.code}.pdf",
            actor=actor,
            kind=FileKind.CERTIFIED_COPY
            if plan.kind == ResultKind.CERTIFIED_COPY
            else FileKind.RESULT,
            signed=True,
        )
        now = timezone.now()
        if current is not None:
            current.superseded_at = now
            current.supersede_reason = plan.reason
            current.supersede_note = plan.note
            current.save(
                update_fields=["superseded_at", "supersede_reason", "supersede_note"]
            )
        document = ResultDocument.objects.create(
            dossier=plan.dossier,
            kind=plan.kind,
            issuing_agency=plan.agency,
            base_code=plan.base_code,
            version=plan.version,
            code=plan.code,
            file=stored,
            signer_label=identity.label,
            signer_plugin=identity.plugin_id,
            signed_at=now,
            issued_by=actor if getattr(actor, "pk", None) else None,
            **plan.fields,
        )
        if current is not None:
            current.superseded_by = document
            current.save(update_fields=["superseded_by"])
            StoreEntry.objects.filter(result_document=current).update(is_current=False)
        StoreEntry.objects.create(
            id_number=document.so_dinh_danh,
            owner_name=document.ho_ten,
            document_code=document.code,
            ma_loai_giay_to=document.ma_loai_giay_to,
            ten_giay_to=document.ten_giay_to,
            trich_yeu=document.trich_yeu,
            thoi_han_hieu_luc=document.thoi_han_hieu_luc,
            pham_vi_hieu_luc=document.pham_vi_hieu_luc,
            source=StoreSource.RESULT,
            result_document=document,
            file=stored,
            data={"dossier_code": plan.dossier.code or "", "agency": plan.agency.name},
        )
        audit_record(
            event_type=AuditEvent.DOCUMENT_SIGN,
            actor=actor,
            target=document,
            extra={
                "action": plan.kind,
                "code": document.code,
                "dossier": plan.dossier.pk,
                "sha256": stored.sha256,
                "signer": identity.label,
                "plugin": identity.plugin_id,
                "supersedes": current.code if current is not None else "",
            },
        )
        return document


def result_issue(
    dossier: Dossier,
    *,
    actor: Any,
    result_type_code: str,
    fields: dict[str, Any] | None = None,
    pdf_bytes: bytes | None = None,
    agency: Agency | None = None,
) -> ResultDocument:
    """
    Issue the signed e-result of ``dossier`` (Decree 118 Art.22): render a
    result PDF (or take ``pdf_bytes``), print the verification QR code on it,
    sign it with the competent agency's signer (or ``agency``'s, for a
    participant of an inter-agency procedure) and file it in the holder's
    personal data store under its document code.

    A current document of the same code issued earlier (a re-issue of the
    same paper to the same holder) is superseded and the new one takes the
    next version suffix.
    """
    fields = dict(fields or {})
    agency = agency or dossier.competent_agency
    if dossier.status not in _ISSUABLE:
        raise RuleViolation(
            _("Không ban hành kết quả khi hồ sơ ở trạng thái “%(status)s”.")
            % {"status": dossier.get_status_display()},
            code="result_not_allowed",
        )
    names = _result_type_names(dossier)
    if result_type_code not in names:
        raise ValidationFailed(
            _("Mã loại kết quả không thuộc thủ tục của hồ sơ."),
            code="result_type_unknown",
            extra={"allowed": sorted(names)},
        )
    if ResultDocument.objects.filter(
        dossier=dossier, ma_loai_giay_to=result_type_code, superseded_at__isnull=True
    ).exists():
        raise RuleViolation(
            _("Hồ sơ đã có kết quả loại này; sai sót thì dùng đính chính."),
            code="result_already_issued",
        )
    cleaned = _clean_fields(dossier, result_type_code, fields, names[result_type_code])
    plan = _plan(
        dossier,
        actor=actor,
        agency=agency,
        fields=cleaned,
        base_code=document_code(cleaned["so_dinh_danh"], result_type_code),
        kind=ResultKind.RESULT,
    )
    content = _result_content(plan, pdf_bytes)
    signed, identity = _sign_for_agency(content, plan, field_name="KetQua")
    return _issue(plan, signed, identity, actor=actor)


def _result_content(plan: _Plan, pdf_bytes: bytes | None) -> bytes:
    if pdf_bytes is None:
        return pdf_tools.render_pdf("documents/pdf/result.html", _result_context(plan))
    info = inspect_file(pdf_bytes, name="ket-qua.pdf")
    if info.content_type != PDF:
        raise FileRefused(_("Kết quả phải là tệp PDF."), code="file_type_mismatch")
    return _with_qr(pdf_bytes, plan)


def result_correct(
    document: ResultDocument,
    *,
    actor: Any,
    note: str,
    fields: dict[str, Any] | None = None,
    pdf_bytes: bytes | None = None,
) -> ResultDocument:
    """
    Correct an e-result (Decree 118 Art.23(1)): issue a new signed document
    with the next version suffix; the old one stays, pointing to the new one.
    """
    note = (note or "").strip()
    if not note:
        raise ValidationFailed(
            _("Phải ghi nội dung đính chính."), code="correction_note_required"
        )
    if not document.is_current:
        raise Conflict(
            _("Văn bản này đã được đính chính hoặc thay thế."),
            code="result_superseded",
        )
    dossier = document.dossier
    base = {f: getattr(document, f) for f in _FIELDS}
    changes = dict(fields or {})
    if changes.get("so_dinh_danh", base["so_dinh_danh"]) != base["so_dinh_danh"]:
        raise ValidationFailed(
            _("Không đính chính số định danh; hãy thu hồi và cấp kết quả mới."),
            code="result_holder_fixed",
        )
    cleaned = _clean_fields(
        dossier, document.ma_loai_giay_to, {**base, **changes}, base["ten_giay_to"]
    )
    plan = _plan(
        dossier,
        actor=actor,
        agency=document.issuing_agency,
        fields=cleaned,
        base_code=document.base_code,
        kind=document.kind,
        replacing=document,
        reason=SupersedeReason.CORRECTION,
        note=note,
    )
    if pdf_bytes is None:
        content = pdf_tools.render_pdf(
            "documents/pdf/result.html",
            _result_context(plan, corrects=document, correction_note=note),
        )
    else:
        content = _result_content(plan, pdf_bytes)
    signed, identity = _sign_for_agency(content, plan, field_name="KetQua")
    return _issue(plan, signed, identity, actor=actor)


def result_require_signed(dossier: Dossier) -> list[ResultDocument]:
    """
    Return the current signed e-results of ``dossier``; raise RuleViolation if
    an approved dossier has none (Decree 118 Art.22(1): the result is signed).
    Meant for the ``resolve`` handler of motcua.dossiers.
    """
    documents = list(
        ResultDocument.objects.filter(
            dossier=dossier, kind=ResultKind.RESULT, superseded_at__isnull=True
        )
    )
    if not documents and dossier.result_kind != DossierResultKind.REFUSED:
        raise RuleViolation(
            _("Chưa có kết quả điện tử được ký số; hãy ban hành kết quả trước."),
            code="result_not_signed",
        )
    return documents


# ------------------------------------------------------- certified e-copies


def certified_copy_issue(
    dossier: Dossier,
    *,
    original: StoredFile | Upload | Iterable[Upload],
    actor: Any,
    document_name: str,
    agency: Agency | None = None,
    result_type_code: str = CERTIFIED_COPY_RESULT_TYPE,
) -> ResultDocument:
    """
    Issue an electronic certified copy from an original (chứng thực bản sao
    điện tử từ bản chính, Decree 45/2020 Art.10): the scanned original with a
    certification mark on every page and a certification page, signed by the
    agency and filed in the applicant's personal data store.

    Each copy has its own certification number from the agency's book, which
    makes its document code unique: ``<id>-<type>-<year><number>``.
    """
    agency = agency or dossier.competent_agency
    if dossier.status not in _ISSUABLE:
        raise RuleViolation(
            _("Không ban hành kết quả khi hồ sơ ở trạng thái “%(status)s”.")
            % {"status": dossier.get_status_display()},
            code="result_not_allowed",
        )
    if not _may_sign_for(actor, dossier, agency):
        raise PermissionDenied(
            _("Chỉ lãnh đạo cơ quan có thẩm quyền được ký chứng thực."),
            code="result_not_permitted",
        )
    if isinstance(original, StoredFile):
        parts = [(original.content_type, stored_file_read(original))]
    else:
        uploads = (
            [original]
            if isinstance(original, bytes | bytearray | tuple | File)
            else list(original)
        )
        parts = []
        for upload in uploads:
            data, name, declared = _read_upload(upload)
            info = inspect_file(data, name=name, declared_type=declared)
            parts.append((info.content_type, data))
    source = pdf_tools.assemble(parts)
    cleaned = _clean_fields(
        dossier,
        result_type_code,
        {
            "ten_giay_to": f"Bản sao điện tử chứng thực từ bản chính: {document_name}",
            "trich_yeu": document_name,
        },
        "",
    )
    today = timezone.localdate()
    # The certification book number is drawn in its own transaction: it is
    # printed in the signed copy, so it must exist before signing. A copy that
    # then fails leaves a gap in the book, like a spoiled paper copy.
    with transaction.atomic():
        number = sequence_next("certified_copy", f"{agency.pk}-{today.year}")
    certification_number = f"{number}/{today.year}/SCT/BSĐT"
    serial = f"{today.year}{number:06d}"
    plan = _plan(
        dossier,
        actor=actor,
        agency=agency,
        fields=cleaned,
        base_code=f"{document_code(cleaned['so_dinh_danh'], result_type_code)}-{serial}",
        kind=ResultKind.CERTIFIED_COPY,
    )
    context = _result_context(
        plan,
        document_name=document_name,
        certification_number=certification_number,
        page_total=pdf_tools.page_count(source),
        certifier=getattr(actor, "display_name", str(actor)),
    )
    stamps: dict[int, bytes] = {}
    rendered: dict[tuple[float, float], bytes] = {}
    for index, (width, height) in enumerate(pdf_tools.page_sizes(source)):
        key = (round(width, 1), round(height, 1))
        if key not in rendered:
            rendered[key] = pdf_tools.render_pdf(
                "documents/pdf/copy_stamp.html",
                {**context, "page_width": width, "page_height": height},
            )
        stamps[index] = rendered[key]
    certificate = pdf_tools.render_pdf("documents/pdf/copy_certificate.html", context)
    content = pdf_tools.overlay(source, stamps, append=certificate)
    signed, identity = _sign_for_agency(content, plan, field_name="ChungThuc")
    return _issue(plan, signed, identity, actor=actor)


# --------------------------------------------- personal data store and reuse


def store_entry_record(
    *,
    id_number: str,
    source: str,
    document_code: str,
    ma_loai_giay_to: str,
    ten_giay_to: str,
    owner_name: str = "",
    trich_yeu: str = "",
    thoi_han_hieu_luc: date | None = None,
    pham_vi_hieu_luc: str = "",
    file: StoredFile | None = None,
    data: dict[str, Any] | None = None,
) -> StoreEntry:
    """
    File a document obtained from a national database in the holder's store
    (or update it if the same code is already there). For the integrations.
    """
    if source not in NATIONAL_DATABASE_SOURCES:
        raise ValidationFailed(
            _("Nguồn dữ liệu không hợp lệ."), code="store_source_invalid"
        )
    if not id_number or not document_code or not ma_loai_giay_to:
        raise ValidationFailed(
            _("Thiếu số định danh, mã số giấy tờ hoặc mã loại giấy tờ."),
            code="store_entry_invalid",
        )
    entry, _created = StoreEntry.objects.update_or_create(
        id_number=id_number,
        document_code=document_code,
        defaults={
            "source": source,
            "ma_loai_giay_to": ma_loai_giay_to,
            "ten_giay_to": ten_giay_to[:500],
            "owner_name": owner_name[:255],
            "trich_yeu": trich_yeu,
            "thoi_han_hieu_luc": thoi_han_hieu_luc,
            "pham_vi_hieu_luc": pham_vi_hieu_luc[:255],
            "file": file,
            "data": data or {},
            "is_current": True,
        },
    )
    return entry


def store_find_for_component(id_number: str, component: Any) -> StoreEntry | None:
    """
    Return the current, unexpired document in ``id_number``'s store that
    satisfies the catalog ``component`` (its ``result_type_code``), newest
    first; None when the component names no result type or nothing matches.
    """
    code = getattr(component, "result_type_code", "") or ""
    if not id_number or not code:
        return None
    today = timezone.localdate()
    queryset = StoreEntry.objects.filter(
        id_number=id_number, ma_loai_giay_to=code, is_current=True
    ).filter(Q(thoi_han_hieu_luc__isnull=True) | Q(thoi_han_hieu_luc__gte=today))
    source = getattr(component, "reusable_source", "")
    if source and source != DataSource.PERSONAL_STORE:
        # A document from the named database, or a result issued here.
        queryset = queryset.filter(source__in=[source, StoreSource.RESULT])
    return queryset.order_by("-added_at", "-pk").first()


def _may_handle_components(actor: Any, dossier: Dossier) -> bool:
    # Reception staff at the receiving centre, or the officers who may ask for
    # a supplement (those working on the dossier) may change its components.
    return may_receive_at(actor, dossier.receiving_centre_id) or may_act(
        actor, DossierAction.REQUEST_SUPPLEMENT, dossier
    )


def component_reuse(
    dossier_component: DossierComponent, store_entry: StoreEntry, *, actor: Any
) -> DossierFile:
    """
    Take a component from the applicant's personal data store instead of
    asking for it (Decree 118 Art.5(1)(i), 17(1)(b)): mark it reused with the
    document code as reference and record where it came from; nothing is
    uploaded.
    """
    dossier = dossier_component.dossier
    if not _may_handle_components(actor, dossier):
        raise PermissionDenied(
            _("Bạn không xử lý hồ sơ này."), code="reuse_not_permitted"
        )
    _check_open(dossier)
    holders = {dossier.applicant_id_number, dossier.representative_id_number} - {""}
    if store_entry.id_number not in holders:
        raise RuleViolation(
            _("Giấy tờ này không thuộc Kho dữ liệu của người nộp hồ sơ."),
            code="store_entry_not_applicants",
        )
    if not store_entry.is_current or (
        store_entry.thoi_han_hieu_luc is not None
        and store_entry.thoi_han_hieu_luc < timezone.localdate()
    ):
        raise RuleViolation(
            _("Giấy tờ trong Kho đã hết hiệu lực hoặc đã được thay thế."),
            code="store_entry_not_valid",
        )
    wanted = getattr(dossier_component.component, "result_type_code", "") or ""
    if wanted and wanted != store_entry.ma_loai_giay_to:
        raise RuleViolation(
            _("Loại giấy tờ trong Kho không đúng loại thành phần hồ sơ yêu cầu."),
            code="store_entry_wrong_type",
        )
    national = store_entry.source in NATIONAL_DATABASE_SOURCES
    with transaction.atomic():
        component = DossierComponent.objects.select_for_update().get(
            pk=dossier_component.pk
        )
        DossierFile.objects.filter(component=component, is_current=True).update(
            is_current=False
        )
        row = DossierFile.objects.create(
            dossier=dossier,
            component=component,
            name=component.name[:500],
            file=store_entry.file,
            kind=DossierFileKind.NATIONAL_DATABASE
            if national
            else DossierFileKind.REUSED,
            store_entry=store_entry,
            reference=store_entry.document_code,
            page_count=store_entry.file.page_count if store_entry.file else None,
            attached_by=actor if getattr(actor, "pk", None) else None,
        )
        # TODO(dossiers-hook): call a dossiers service for this update once one exists.
        component.source = (
            ComponentSource.NATIONAL_DATABASE if national else ComponentSource.REUSED
        )
        component.is_reused = True
        component.is_digitized = True
        component.reuse_reference = store_entry.document_code[:128]
        component.page_count = row.page_count
        component.save(
            update_fields=[
                "source",
                "is_reused",
                "is_digitized",
                "reuse_reference",
                "page_count",
            ]
        )
        access_log_record(
            dossier,
            actor=actor,
            what=f"Khai thác Kho dữ liệu: {store_entry.document_code}",
            purpose=AccessPurpose.RECEPTION,
        )
        audit_record(
            event_type=AuditEvent.DOSSIER_ACTION,
            actor=actor,
            target=row,
            extra={
                "action": "component_reuse",
                "dossier": dossier.pk,
                "component": component.pk,
                "store_entry": store_entry.pk,
                "code": store_entry.document_code,
                "source": store_entry.source,
            },
        )
    dossier_component.refresh_from_db()
    return row


def dossier_components_reuse_from_store(
    dossier: Dossier, *, actor: Any
) -> list[DossierFile]:
    """
    Reuse every component of ``dossier`` that the applicant's store can
    satisfy and that was not provided otherwise; return what was reused.
    Meant for reception, right after the components are recorded.
    """
    reused = []
    components = dossier.components.select_related("component").filter(
        component__isnull=False, is_reused=False
    )
    for component in components:
        if component.source not in (ComponentSource.PAPER, ComponentSource.UPLOADED):
            continue
        if component.is_digitized:
            continue
        entry = store_find_for_component(
            dossier.applicant_id_number, component.component
        )
        if entry is not None:
            reused.append(component_reuse(component, entry, actor=actor))
    return reused
