"""
Load the national procedure catalogue (data/vn-tthc-catalog/) into the catalog.

Each record becomes a Procedure (by its national code), its Sector and its
version 1. Version 1 is published when the record has a usable duration, and
is a draft otherwise, with the reason in ``import_notes``. No record is
dropped silently: a record that cannot be imported at all (no code, broken
JSON, a code already imported from a newer source) is reported as rejected.

Re-running updates in place. The importer owns version 1 only, and only when
it created it (``import_source`` set): versions an administrator made, and
every version > 1, are left alone, and so are steps and inter-agency
participants, which the national catalogue does not have. An administrator
who wants to change an imported procedure creates version 2 with
``version_create_draft``.

Decisions on ambiguous data are in ``parsing`` (durations, fees) and here:

- A code in both files: the CSDLQG 2026 record (the national database,
  newer) wins; the BQP 2025 record is reported as superseded.
- The legal duration is the counter's (``parsing.choose_duration``).
- ``online_level`` is "partial" when online is a channel: the catalogue does
  not say whether the whole procedure can be done online.
"""

import csv
import gzip
import hashlib
import json
import time as _time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from motcua.audit.models import AuditEvent
from motcua.audit.services import audit_record
from motcua.core.text import fold, normalize_name

from . import parsing
from .constants import CopyType, FeeStage, OnlineLevel, VersionStatus
from .models import (
    Component,
    FeeItem,
    Procedure,
    ProcedureVersion,
    ResultType,
    Sector,
    StepTemplate,
)
from .parsing import (
    CHANNEL_ORDER,
    DURATION_PROBLEM_LABELS,
    Confidence,
    FeeSpec,
    ParsedComponent,
    clean_text,
)

SOURCE_CSDLQG = "csdlqg-2026"
SOURCE_BQP = "bqp-2025"
DEFAULT_FILES = {
    SOURCE_CSDLQG: "procedures_csdlqg_2026.jsonl.gz",
    SOURCE_BQP: "procedures_bqp_structured_2025.jsonl.gz",
}
# Earlier sources win when a code is in two of them (the national database
# snapshot of 2026 is newer than the Ministry of Defence export of 2025).
SOURCE_PRIORITY = (SOURCE_CSDLQG, SOURCE_BQP)

# The CSDLQG file names the issuing ministry by the scraper's folder.
ISSUING_BODIES = {
    "bo-tai-chinh": "Bộ Tài chính",
    "bo-nong-nghiep-mt": "Bộ Nông nghiệp và Môi trường",
    "bo-xay-dung": "Bộ Xây dựng",
    "bo-cong-an": "Bộ Công an",
    "bo-tu-phap": "Bộ Tư pháp",
    "ngan-hang-nha-nuoc": "Ngân hàng Nhà nước Việt Nam",
    "toa-an-nhan-dan": "Tòa án nhân dân tối cao",
}
BQP_ISSUING_BODY = "Bộ Quốc phòng"

# Reasons a version stays a draft although its duration is usable.
OTHER_VERSION_PUBLISHED = "other_version_published"
PROVINCE_USES_WITHOUT_STEPS = "province_uses_without_steps"
REASON_LABELS: dict[str, str] = {
    **{str(k): v for k, v in DURATION_PROBLEM_LABELS.items()},
    OTHER_VERSION_PUBLISHED: "thủ tục đã có phiên bản khác đang công bố",
    PROVINCE_USES_WITHOUT_STEPS: "tỉnh đang dùng thủ tục nhưng phiên bản chưa có bước xử lý",
}

# Reasons a record is not imported at all.
INVALID_JSON = "invalid_json"
NO_CODE = "no_code"
CODE_TOO_LONG = "code_too_long"
NOT_AN_OBJECT = "not_an_object"
SUPERSEDED = "superseded"
DUPLICATE_IN_SOURCE = "duplicate_in_source"
KEPT_ADMIN_VERSION = "kept_admin_version"
REJECTION_LABELS = {
    INVALID_JSON: "dòng không phải JSON hợp lệ",
    NO_CODE: "không có mã thủ tục",
    CODE_TOO_LONG: "mã thủ tục dài quá 32 ký tự",
    NOT_AN_OBJECT: "bản ghi không phải đối tượng JSON",
    SUPERSEDED: "đã nhập từ nguồn mới hơn (CSDLQG 2026)",
    DUPLICATE_IN_SOURCE: "trùng mã với bản ghi trước trong cùng tệp",
    KEPT_ADMIN_VERSION: "phiên bản 1 do quản trị viên tạo: giữ nguyên",
}

# ProcedureVersion fields the importer writes (besides status and dates).
VERSION_FIELDS = (
    "name",
    "decision_number",
    "levels",
    "procedure_type",
    "competent_agency_text",
    "implementing_agency_text",
    "applicant_types",
    "channels",
    "online_level",
    "duration_value",
    "duration_unit",
    "cutoff_time",
    "duration_text",
    "conditions",
    "legal_basis",
    "result_text",
    "steps_text",
    "components_text",
    "fees_text",
    "source_url",
    "import_source",
    "import_notes",
)


def sector_code(name: str) -> str:
    """
    Return the code of a sector named ``name``: its name folded into a slug
    ("Hộ tịch" → "ho-tich"), shortened with a hash suffix past 64 characters,
    so that "Hộ Tịch" and "Hộ tịch" are one sector.
    """
    slug = slugify(fold(name)) or "khac"
    if len(slug) <= 64:
        return slug
    digest = hashlib.sha1(slug.encode(), usedforsecurity=False).hexdigest()[:8]
    return f"{slug[:55].rstrip('-')}-{digest}"


@dataclass
class ImportRecord:
    """One procedure of a source, mapped to the catalog's fields."""

    source: str
    line: int
    code: str
    name: str
    sector_name: str
    issuing_body: str
    version: dict[str, Any]
    components: list[ParsedComponent] = field(default_factory=list)
    fees: list[FeeSpec] = field(default_factory=list)
    results: list[tuple[str, str]] = field(default_factory=list)
    problem: str | None = None  # why the version cannot be published
    confidence: Confidence | None = None

    @property
    def publishable(self) -> bool:
        return self.problem is None


@dataclass(frozen=True)
class Rejection:
    source: str
    line: int
    code: str
    name: str
    reason: str
    detail: str = ""


def _fit(value: str, length: int, label: str, notes: list[str]) -> str:
    if len(value) <= length:
        return value
    notes.append(f"{label} dài {len(value)} ký tự, cắt còn {length}.")
    return value[: length - 1] + "…"


def _version_fields(
    *,
    source: str,
    name: str,
    rows: Sequence[parsing.ChannelRow],
    context: str,
    notes: list[str],
    **texts: str,
) -> tuple[dict[str, Any], str | None, Confidence | None]:
    """Return the version's fields, its problem and the duration's confidence."""
    choice = parsing.choose_duration(rows, context)
    duration = choice.duration
    channels = [c.value for c in CHANNEL_ORDER if any(r.channel == c for r in rows)]
    unknown_channels = parsing.unique(r.channel_text for r in rows if r.channel is None)
    if unknown_channels:
        notes.append(f"Cách thức nộp không xác định: {', '.join(unknown_channels)}.")
    if choice.problem is not None:
        notes.insert(
            0,
            f"Chưa công bố: {DURATION_PROBLEM_LABELS[choice.problem]} ({choice.problem}).",
        )
    notes.extend(choice.notes)
    cutoff = parsing.parse_cutoff(
        texts.get("steps_text"), *(row.description for row in rows)
    )
    fields = {
        "name": name,
        "channels": channels,
        "online_level": OnlineLevel.PARTIAL
        if "online" in channels
        else OnlineLevel.NONE,
        "duration_value": duration.value
        if duration and duration.unit != "immediate"
        else None,
        "duration_unit": duration.unit.value if duration and duration.unit else "",
        "cutoff_time": cutoff,
        "duration_text": choice.text,
        "import_source": source,
        **texts,
    }
    return fields, choice.problem, duration.confidence if duration else None


def _finish(
    record: ImportRecord, notes: list[str], levels_text: str, fee_notes: list[str]
) -> ImportRecord:
    levels, unknown = parsing.parse_levels(levels_text)
    if unknown:
        notes.append(f"Cấp thực hiện không xác định: {', '.join(unknown)}.")
    notes.extend(fee_notes)
    record.version["levels"] = levels
    record.version["import_notes"] = "\n".join(parsing.unique(notes))
    return record


def record_from_csdlqg(raw: dict[str, Any], line: int = 0) -> ImportRecord:
    """Map one record of procedures_csdlqg_2026.jsonl (pure)."""
    notes: list[str] = []
    code = normalize_name(_text(raw.get("ma_thu_tuc")))
    name = _fit(
        normalize_name(_text(raw.get("ten_thu_tuc"))) or code,
        1500,
        "Tên thủ tục",
        notes,
    )
    rows = [
        parsing.parse_csdlqg_row(row)
        for row in _list(raw.get("submission_channels"))
        if isinstance(row, dict)
    ]
    steps_text = clean_text(raw.get("trinh_tu_thuc_hien_raw"))
    method_text = str(raw.get("cach_thuc_thuc_hien_raw") or "")
    agency_extra = [
        f"{label}: {value}"
        for label, key in (
            ("Cơ quan được ủy quyền", "co_quan_duoc_uy_quyen"),
            ("Cơ quan phối hợp", "co_quan_phoi_hop"),
            ("Địa chỉ tiếp nhận", "dia_chi_tiep_nhan"),
        )
        if (value := clean_text(raw.get(key)))
    ]
    results, result_text = parsing.parse_results(str(raw.get("ket_qua_xu_ly") or ""))
    components = parsing.parse_components_table(
        str(raw.get("thanh_phan_ho_so_raw") or "")
    )
    notes_components = list(components.notes)
    fees, fee_notes = parsing.plan_fee_items(rows)
    fields, problem, confidence = _version_fields(
        source=SOURCE_CSDLQG,
        name=name,
        rows=rows,
        context=f"{steps_text} {method_text}",
        notes=notes,
        decision_number=_fit(
            clean_text(raw.get("so_quyet_dinh")), 128, "Số quyết định", notes
        ),
        procedure_type=_fit(
            clean_text(raw.get("loai_thu_tuc")), 128, "Loại thủ tục", notes
        ),
        competent_agency_text=clean_text(raw.get("co_quan_co_tham_quyen")),
        implementing_agency_text="\n".join(
            [clean_text(raw.get("co_quan_thuc_hien")), *agency_extra]
        ).strip(),
        applicant_types=_fit(
            clean_text(raw.get("doi_tuong_thuc_hien")), 500, "Đối tượng", notes
        ),
        conditions=clean_text(raw.get("yeu_cau_dieu_kien")),
        legal_basis=clean_text(raw.get("can_cu_phap_ly_raw")),
        result_text=clean_text(result_text),
        steps_text=steps_text,
        components_text=clean_text(raw.get("thanh_phan_ho_so_raw")),
        fees_text="\n".join(
            parsing.unique(
                f"{r.get('channel')}: {r.get('fee_and_note_raw')}"
                for r in _list(raw.get("submission_channels"))
                if isinstance(r, dict) and r.get("fee_and_note_raw")
            )
        ),
        source_url=_url(raw.get("detail_url"), notes),
    )
    notes.extend(notes_components)
    source_group = str(raw.get("source_group") or "")
    record = ImportRecord(
        source=SOURCE_CSDLQG,
        line=line,
        code=code,
        name=name,
        sector_name=_sector_name(raw.get("linh_vuc")),
        issuing_body=ISSUING_BODIES.get(source_group, source_group)[:255],
        version=fields,
        components=list(components.components),
        fees=fees,
        results=results,
        problem=problem,
        confidence=confidence,
    )
    return _finish(record, notes, str(raw.get("cap_thuc_hien") or ""), fee_notes)


def record_from_bqp(raw: dict[str, Any], line: int = 0) -> ImportRecord:
    """Map one record of procedures_bqp_structured_2025.jsonl (pure)."""
    notes: list[str] = []
    metadata = _mapping(raw.get("metadata"))
    content = _mapping(raw.get("content"))
    tables = _mapping(raw.get("tables"))
    code = normalize_name(_text(metadata.get("mã_thủ_tục") or raw.get("thu_tuc_id")))
    name = _fit(
        normalize_name(_text(metadata.get("tên_thủ_tục"))) or code,
        1500,
        "Tên thủ tục",
        notes,
    )
    rows = [
        parsing.parse_bqp_row(row)
        for row in _list(tables.get("hinh_thuc_nop"))
        if isinstance(row, dict)
    ]
    components = [
        component
        for row in _list(tables.get("thanh_phan_ho_so"))
        if isinstance(row, dict) and (component := parsing.parse_bqp_component(row))
    ]
    legal_basis = _bqp_legal_basis(_list(tables.get("can_cu_phap_ly")))
    steps_text = clean_text(content.get("trình_tự_thực_hiện"))
    results, result_text = parsing.parse_results(
        str(content.get("kết_quả_thực_hiện") or "")
    )
    decision = clean_text(metadata.get("số_quyết_định"))
    decision = decision.removeprefix("Quyết định số").strip()
    fees, fee_notes = parsing.plan_fee_items(rows)
    fields, problem, confidence = _version_fields(
        source=SOURCE_BQP,
        name=name,
        rows=rows,
        context=f"{steps_text} {clean_text(content.get('cách_thức_thực_hiện'))}",
        notes=notes,
        decision_number=_fit(decision, 128, "Số quyết định", notes),
        procedure_type=_fit(
            clean_text(metadata.get("loại_thủ_tục")), 128, "Loại thủ tục", notes
        ),
        competent_agency_text=clean_text(content.get("cơ_quan_có_thẩm_quyền")),
        implementing_agency_text="\n".join(
            x
            for x in (
                clean_text(content.get("cơ_quan_thực_hiện")),
                _labelled(
                    "Cơ quan được ủy quyền", content.get("cơ_quan_được_ủy_quyền")
                ),
                _labelled("Cơ quan phối hợp", content.get("cơ_quan_phối_hợp")),
                _labelled("Địa chỉ tiếp nhận", content.get("địa_chỉ_tiếp_nhận_hs")),
            )
            if x
        ),
        applicant_types=_fit(
            clean_text(content.get("đối_tượng_thực_hiện")), 500, "Đối tượng", notes
        ),
        conditions=clean_text(content.get("yêu_cầu_điều_kiện_thực_hiện")),
        legal_basis=legal_basis,
        result_text=clean_text(result_text),
        steps_text=steps_text,
        components_text="\n".join(
            f"- {c.name} ({c.count} {c.copy_type.label.lower()})" for c in components
        ),
        fees_text="\n".join(
            parsing.unique(
                f"{r.get('hinh_thuc')}: {r.get('phi_le_phi')}"
                for r in _list(tables.get("hinh_thuc_nop"))
                if isinstance(r, dict) and r.get("phi_le_phi")
            )
        ),
        source_url="",
    )
    record = ImportRecord(
        source=SOURCE_BQP,
        line=line,
        code=code,
        name=name,
        sector_name=_sector_name(metadata.get("lĩnh_vực")),
        issuing_body=BQP_ISSUING_BODY,
        version=fields,
        components=components,
        fees=fees,
        results=results,
        problem=problem,
        confidence=confidence,
    )
    return _finish(record, notes, str(metadata.get("cấp_thực_hiện") or ""), fee_notes)


def _bqp_legal_basis(rows: list[Any]) -> str:
    """Write the legal-basis table as "- <title> (<issuer>, <date>)" lines."""
    lines = []
    for row in rows:
        if not isinstance(row, dict):
            continue
        title = normalize_name(_text(row.get("trich_yeu") or row.get("so_ky_hieu")))
        origin = ", ".join(
            x
            for x in (
                normalize_name(_text(row.get("co_quan_ban_hanh"))),
                normalize_name(_text(row.get("ngay_ban_hanh"))),
            )
            if x
        )
        if title:
            lines.append(f"- {title} ({origin})" if origin else f"- {title}")
    return "\n".join(lines)


def _text(value: Any) -> str:
    """Return a field as text whatever JSON put there (None becomes "")."""
    return "" if value is None else str(value)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _labelled(label: str, value: Any) -> str:
    text = clean_text(value)
    return f"{label}: {text}" if text else ""


def _sector_name(value: Any) -> str:
    return normalize_name(clean_text(value))[:255] or "Chưa phân loại"


def _url(value: Any, notes: list[str]) -> str:
    url = str(value or "").strip()
    if url and not url.startswith(("http://", "https://")):
        notes.append(f"Địa chỉ nguồn không hợp lệ: «{url[:80]}».")
        return ""
    return _fit(url, 500, "Địa chỉ nguồn", notes)


MAPPERS = {SOURCE_CSDLQG: record_from_csdlqg, SOURCE_BQP: record_from_bqp}


def read_source(source: str, path: Path) -> Iterator[ImportRecord | Rejection]:
    """
    Yield the records of a JSONL file (gzipped when it ends in .gz), mapped,
    or a Rejection for a line that cannot become a procedure.
    """
    mapper = MAPPERS[source]
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
            except ValueError as error:
                yield Rejection(source, number, "", "", INVALID_JSON, str(error)[:200])
                continue
            if not isinstance(raw, dict):
                yield Rejection(source, number, "", "", NOT_AN_OBJECT)
                continue
            record = mapper(raw, number)
            if not record.code:
                yield Rejection(source, number, "", record.name, NO_CODE)
            elif len(record.code) > 32:
                yield Rejection(
                    source, number, record.code[:64], record.name, CODE_TOO_LONG
                )
            else:
                yield record


@dataclass
class ReportRow:
    source: str
    line: int
    code: str
    name: str
    status: str
    reason: str
    reason_label: str
    notes: str = ""


@dataclass
class ImportReport:
    read: Counter[str] = field(default_factory=Counter)
    published: int = 0
    drafted: int = 0
    retired: int = 0  # version 1 kept retired: a later version replaced it
    kept: int = 0  # version 1 made by an administrator: not touched
    draft_reasons: Counter[str] = field(default_factory=Counter)
    rejected: Counter[str] = field(default_factory=Counter)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    assumed_unit: int = 0
    confirmed_unit: int = 0
    sectors_created: int = 0
    rows: list[ReportRow] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.read.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "read": dict(self.read),
            "published": self.published,
            "drafted": self.drafted,
            "retired": self.retired,
            "kept": self.kept,
            "draft_reasons": dict(self.draft_reasons),
            "rejected": dict(self.rejected),
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }

    def write_csv(self, path: Path) -> None:
        """Write one row per record that is not published (drafts, rejections)."""
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(
                [
                    "source",
                    "line",
                    "code",
                    "name",
                    "status",
                    "reason",
                    "reason_label",
                    "notes",
                ]
            )
            for row in self.rows:
                writer.writerow(
                    [
                        row.source,
                        row.line,
                        row.code,
                        row.name,
                        row.status,
                        row.reason,
                        row.reason_label,
                        row.notes,
                    ]
                )


def default_sources(data_dir: Path | None = None) -> list[tuple[str, Path]]:
    folder = Path(data_dir or settings.DATA_DIR) / "vn-tthc-catalog"
    return [(source, folder / DEFAULT_FILES[source]) for source in SOURCE_PRIORITY]


def catalog_import(
    sources: Sequence[tuple[str, Path]] | None = None,
    *,
    actor: Any = None,
    dry_run: bool = False,
) -> ImportReport:
    """
    Import the catalogue files ``sources`` ((source name, path) pairs, by
    default both files of DATA_DIR/vn-tthc-catalog) and return the report.

    Everything happens in one transaction; ``dry_run`` rolls it back.
    """
    started = _time.monotonic()
    report = ImportReport()
    records: dict[str, ImportRecord] = {}
    for source, path in sources or default_sources():
        for item in read_source(source, path):
            report.read[source] += 1
            if isinstance(item, Rejection):
                _reject(report, item)
            elif item.code in records:
                reason = (
                    DUPLICATE_IN_SOURCE
                    if records[item.code].source == item.source
                    else SUPERSEDED
                )
                _reject(
                    report,
                    Rejection(
                        item.source,
                        item.line,
                        item.code,
                        item.name,
                        reason,
                        f"{records[item.code].source} dòng {records[item.code].line}",
                    ),
                )
            else:
                records[item.code] = item
    with transaction.atomic():
        _write(list(records.values()), report)
        audit_record(
            event_type=AuditEvent.CATALOG_PUBLISH,
            actor=actor,
            target_type="catalog.import",
            target_id=",".join(source for source, _ in sources or default_sources())[
                :64
            ],
            extra=report.as_dict(),
        )
        if dry_run:
            transaction.set_rollback(True)
    report.seconds = _time.monotonic() - started
    return report


def _reject(report: ImportReport, rejection: Rejection) -> None:
    report.rejected[rejection.reason] += 1
    report.rows.append(
        ReportRow(
            source=rejection.source,
            line=rejection.line,
            code=rejection.code,
            name=rejection.name,
            status="rejected",
            reason=rejection.reason,
            reason_label=REJECTION_LABELS[rejection.reason],
            notes=rejection.detail,
        )
    )


def _write(records: list[ImportRecord], report: ImportReport) -> None:
    now = timezone.now()
    sector_ids = _ensure_sectors(records, report)
    procedure_ids = _ensure_procedures(records, sector_ids, now)
    ids = list(procedure_ids.values())
    existing = {
        v.procedure_id: v
        for v in ProcedureVersion.objects.filter(procedure_id__in=ids, number=1)
    }
    other_published = set(
        ProcedureVersion.objects.filter(
            procedure_id__in=ids, status=VersionStatus.PUBLISHED
        )
        .exclude(number=1)
        .values_list("procedure_id", flat=True)
    )
    used_by_province = set(
        Procedure.agencies.through.objects.filter(procedure_id__in=ids).values_list(
            "procedure_id", flat=True
        )
    )
    with_steps = set(
        StepTemplate.objects.filter(
            version_id__in=[v.pk for v in existing.values()]
        ).values_list("version_id", flat=True)
    )
    to_create: list[ProcedureVersion] = []
    to_update: list[ProcedureVersion] = []
    owned: list[tuple[ProcedureVersion, ImportRecord]] = []
    for record in records:
        procedure_id = procedure_ids[record.code]
        version = existing.get(procedure_id)
        if version is not None and not version.import_source:
            _keep(report, record, version)
            continue
        reason = record.problem
        if reason is None and procedure_id in other_published:
            reason = OTHER_VERSION_PUBLISHED
        if (
            reason is None
            and procedure_id in used_by_province
            and (version is None or version.pk not in with_steps)
        ):
            # version_publish would refuse it: the province needs steps.
            reason = PROVINCE_USES_WITHOUT_STEPS
        is_new = version is None
        if version is None:
            version = ProcedureVersion(procedure_id=procedure_id, number=1)
        status = _next_status(version, reason)
        values = dict(record.version)
        if status == VersionStatus.DRAFT and reason and reason != record.problem:
            values["import_notes"] = (
                f"Chưa công bố: {REASON_LABELS[reason]} ({reason}).\n"
                f"{values['import_notes']}"
            ).strip()
        changed = _assign(version, values)
        if status != version.status:
            version.status = status
            changed = True
        if status == VersionStatus.PUBLISHED and version.published_at is None:
            version.published_at = now
            version.valid_from = version.valid_from or timezone.localdate()
            changed = True
        if status == VersionStatus.DRAFT and version.published_at is not None:
            version.published_at = None
            changed = True
        if is_new:
            to_create.append(version)
        elif changed:
            version.updated_at = now
            to_update.append(version)
        else:
            report.unchanged += 1
        owned.append((version, record))
        _count(report, record, version, reason)
    ProcedureVersion.objects.bulk_create(to_create, batch_size=500)
    if any(v.pk is None for v in to_create):  # pragma: no cover - old SQLite
        pks = dict(
            ProcedureVersion.objects.filter(
                procedure_id__in=[v.procedure_id for v in to_create], number=1
            ).values_list("procedure_id", "pk")
        )
        for version in to_create:
            version.pk = pks[version.procedure_id]
    ProcedureVersion.objects.bulk_update(
        to_update,
        [*VERSION_FIELDS, "status", "published_at", "valid_from", "updated_at"],
        batch_size=500,
    )
    report.created += len(to_create)
    report.updated += len(to_update)
    _write_children(owned, {v.pk for v in to_create})


def _next_status(version: ProcedureVersion, reason: str | None) -> str:
    if version.status == VersionStatus.RETIRED:
        # A later version replaced it: history stays as it is.
        return VersionStatus.RETIRED
    return VersionStatus.PUBLISHED if reason is None else VersionStatus.DRAFT


def _keep(
    report: ImportReport, record: ImportRecord, version: ProcedureVersion
) -> None:
    report.kept += 1
    report.rows.append(
        ReportRow(
            record.source,
            record.line,
            record.code,
            record.name,
            version.status,
            KEPT_ADMIN_VERSION,
            REJECTION_LABELS[KEPT_ADMIN_VERSION],
        )
    )


def _count(
    report: ImportReport,
    record: ImportRecord,
    version: ProcedureVersion,
    reason: str | None,
) -> None:
    if version.status == VersionStatus.PUBLISHED:
        report.published += 1
        if record.confidence == Confidence.ASSUMED:
            report.assumed_unit += 1
        elif record.confidence == Confidence.CONFIRMED:
            report.confirmed_unit += 1
        return
    if version.status == VersionStatus.RETIRED:
        report.retired += 1
        return
    report.drafted += 1
    reason = reason or "unknown"
    report.draft_reasons[reason] += 1
    report.rows.append(
        ReportRow(
            record.source,
            record.line,
            record.code,
            record.name,
            version.status,
            reason,
            REASON_LABELS.get(reason, reason),
            version.import_notes,
        )
    )


def _assign(version: ProcedureVersion, values: dict[str, Any]) -> bool:
    """Set ``values`` on ``version``; return True if anything changed."""
    changed = False
    for name in VERSION_FIELDS:
        value = values.get(name, "")
        current = getattr(version, name)
        if name == "duration_value" and value is not None:
            value = Decimal(value).quantize(Decimal("0.01"))
        if current != value:
            setattr(version, name, value)
            changed = True
    return changed


def _ensure_sectors(
    records: Iterable[ImportRecord], report: ImportReport
) -> dict[str, int]:
    names: dict[str, str] = {}
    for record in records:
        names.setdefault(sector_code(record.sector_name), record.sector_name)
    existing = set(Sector.objects.filter(code__in=names).values_list("code", flat=True))
    new = [
        Sector(code=code, name=name, search_name=fold(name))
        for code, name in names.items()
        if code not in existing
    ]
    Sector.objects.bulk_create(new, batch_size=500)
    report.sectors_created += len(new)
    return dict(Sector.objects.filter(code__in=names).values_list("code", "id"))


def _ensure_procedures(
    records: Sequence[ImportRecord], sector_ids: dict[str, int], now: Any
) -> dict[str, int]:
    existing = Procedure.objects.in_bulk([r.code for r in records], field_name="code")
    to_create = []
    to_update = []
    for record in records:
        values = {
            "name": record.name,
            "sector_id": sector_ids[sector_code(record.sector_name)],
            "issuing_body": record.issuing_body,
            # save() is skipped by the bulk paths: set the search key here.
            "search_name": fold(f"{record.code} {record.name}"),
        }
        procedure = existing.get(record.code)
        if procedure is None:
            to_create.append(Procedure(code=record.code, **values))
        elif any(getattr(procedure, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(procedure, key, value)
            procedure.updated_at = now
            to_update.append(procedure)
    Procedure.objects.bulk_create(to_create, batch_size=500)
    Procedure.objects.bulk_update(
        to_update,
        ["name", "sector_id", "issuing_body", "search_name", "updated_at"],
        batch_size=500,
    )
    return dict(
        Procedure.objects.filter(code__in=[r.code for r in records]).values_list(
            "code", "id"
        )
    )


def _component_rows(items: Sequence[ParsedComponent]) -> list[tuple]:
    return [
        (i, c.name, c.case, c.count, str(c.copy_type), c.note)
        for i, c in enumerate(items, start=1)
    ]


def _fee_rows(items: Sequence[FeeSpec]) -> list[tuple]:
    return sorted(
        (f.channel, str(f.kind), f.name, Decimal(f.amount), f.note) for f in items
    )


def _write_children(
    owned: Sequence[tuple[ProcedureVersion, ImportRecord]], created: set[int]
) -> None:
    """
    Replace the documents, fees and result types of the imported versions
    whose children differ from the record; leave identical ones untouched so
    that a second run changes nothing.
    """
    existing_ids = [v.pk for v, _ in owned if v.pk not in created]
    current_components: dict[int, list[tuple[Any, ...]]] = {}
    for row in (
        Component.objects.filter(version_id__in=existing_ids)
        .order_by("version_id", "order", "pk")
        .values_list(
            "version_id", "order", "name", "case", "count", "copy_type", "note"
        )
    ):
        current_components.setdefault(row[0], []).append(tuple(row[1:]))
    current_fees: dict[int, list[tuple[Any, ...]]] = {}
    for fee_row in FeeItem.objects.filter(version_id__in=existing_ids).values_list(
        "version_id", "channel", "kind", "name", "amount", "note"
    ):
        current_fees.setdefault(fee_row[0], []).append(tuple(fee_row[1:]))
    current_results: dict[int, list[tuple[Any, ...]]] = {}
    for result_row in ResultType.objects.filter(
        version_id__in=existing_ids
    ).values_list("version_id", "code", "name"):
        current_results.setdefault(result_row[0], []).append(tuple(result_row[1:]))

    replace_components, replace_fees, replace_results = [], [], []
    new_components, new_fees, new_results = [], [], []
    for version, record in owned:
        wanted = _component_rows(record.components)
        if version.pk in created or current_components.get(version.pk, []) != wanted:
            replace_components.append(version.pk)
            new_components += [
                Component(
                    version_id=version.pk,
                    order=order,
                    name=name,
                    case=case,
                    count=count,
                    copy_type=copy_type or CopyType.ORIGINAL,
                    note=note,
                )
                for order, name, case, count, copy_type, note in wanted
            ]
        fees = _fee_rows(record.fees)
        if version.pk in created or sorted(current_fees.get(version.pk, [])) != fees:
            replace_fees.append(version.pk)
            new_fees += [
                FeeItem(
                    version_id=version.pk,
                    channel=channel,
                    kind=kind,
                    name=name,
                    amount=amount,
                    stage=FeeStage.RECEPTION,
                    note=note,
                )
                for channel, kind, name, amount, note in fees
            ]
        results = list(
            dict.fromkeys((code[:64], name) for code, name in record.results)
        )
        if version.pk in created or sorted(
            current_results.get(version.pk, [])
        ) != sorted(results):
            replace_results.append(version.pk)
            new_results += [
                ResultType(version_id=version.pk, code=code, name=name)
                for code, name in results
            ]
    Component.objects.filter(version_id__in=replace_components).delete()
    FeeItem.objects.filter(version_id__in=replace_fees).delete()
    ResultType.objects.filter(version_id__in=replace_results).delete()
    Component.objects.bulk_create(new_components, batch_size=1000)
    FeeItem.objects.bulk_create(new_fees, batch_size=1000)
    ResultType.objects.bulk_create(new_results, batch_size=1000)
