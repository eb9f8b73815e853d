"""
Excel workbooks (openpyxl) of every supervision table, in the layout of the
provincial 766 progress report (legal-spec §9.3): a title block naming the
report, the unit and the period, two header rows (the block, then the
column), one row per unit, a total row.

Pure presentation of what the selectors return; no queries here except
reading the querysets handed in.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from motcua.core.calendar import LOCAL_TZ

_THIN = Side(style="thin", color="98A2B0")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="E6EDF6")
_TOTAL_FILL = PatternFill("solid", fgColor="EEF1F4")
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_WRAP = Alignment(vertical="top", wrap_text=True)
FORMATS = {
    "int": "#,##0",
    "dec": "#,##0.00",
    "pct": "0.00",
    "text": "@",
    "date": "dd/mm/yyyy hh:mm",
}


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    group: str = ""
    kind: str = "int"
    width: int = 12


def _cell_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        # Excel has no time zones: write the Hanoi wall clock.
        return value.astimezone(LOCAL_TZ).replace(tzinfo=None)
    return value


def write_table(
    ws: Worksheet,
    *,
    title: str,
    subtitle_lines: list[str],
    columns: list[Column],
    rows: list[list[Any]],
    total: list[Any] | None = None,
) -> None:
    """Write a titled table with grouped headers onto ``ws``."""
    ws.append([title])
    ws.cell(row=1, column=1).font = _TITLE
    for line in subtitle_lines:
        ws.append([line])
    ws.append([])
    header_row = ws.max_row + 1
    has_groups = any(c.group for c in columns)
    # Group row, merged across each run of columns of the same group.
    col = 1
    while col <= len(columns):
        group = columns[col - 1].group
        end = col
        while end < len(columns) and group and columns[end].group == group:
            end += 1
        cell = ws.cell(
            row=header_row, column=col, value=group or columns[col - 1].header
        )
        if has_groups and not group:
            ws.merge_cells(
                start_row=header_row,
                start_column=col,
                end_row=header_row + 1,
                end_column=col,
            )
        elif end > col:
            ws.merge_cells(
                start_row=header_row,
                start_column=col,
                end_row=header_row,
                end_column=end,
            )
        cell.font, cell.alignment, cell.fill = _BOLD, _CENTER, _HEADER_FILL
        col = end + 1
    if has_groups:
        for index, column in enumerate(columns, start=1):
            cell = ws.cell(row=header_row + 1, column=index)
            if column.group:
                cell.value = column.header
            cell.font, cell.alignment, cell.fill = _BOLD, _CENTER, _HEADER_FILL
    last_header = header_row + (1 if has_groups else 0)
    for r in range(header_row, last_header + 1):
        for c in range(1, len(columns) + 1):
            ws.cell(row=r, column=c).border = _BORDER
    for values in rows + ([total] if total else []):
        ws.append([_cell_value(v) for v in values])
        current = ws.max_row
        for index, column in enumerate(columns, start=1):
            cell = ws.cell(row=current, column=index)
            cell.border = _BORDER
            cell.number_format = FORMATS[column.kind]
            if column.kind == "text":
                cell.alignment = _WRAP
            if total and values is total:
                cell.font, cell.fill = _BOLD, _TOTAL_FILL
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.freeze_panes = ws.cell(row=last_header + 1, column=3 if len(columns) > 2 else 1)


def _subtitle(scope_label: str, period_label: str) -> list[str]:
    return [
        f"{_('Đơn vị')}: {scope_label}",
        f"{_('Kỳ báo cáo')}: {period_label}",
        f"{_('Lập lúc')}: {timezone.localtime():%d/%m/%Y %H:%M}",
    ]


def to_bytes(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _new(title: str) -> tuple[Workbook, Worksheet]:
    workbook = Workbook()
    ws = workbook.active
    ws.title = title[:31]
    return workbook, ws


# -- the 766 progress table ----------------------------------------------------


def statistics_columns(group_label: str) -> list[Column]:
    received, done, running, paused = (
        _("Tiếp nhận"),
        _("Đã xử lý"),
        _("Đang xử lý (cuối kỳ)"),
        _("Tạm dừng (cuối kỳ)"),
    )
    return [
        Column(_("STT"), width=6),
        Column(group_label, kind="text", width=40),
        Column(_("Tổng số"), received),
        Column(_("Kỳ trước chuyển qua"), received),
        Column(_("Trực tuyến"), received),
        Column(_("Trực tiếp"), received),
        Column(_("Bưu chính công ích"), received),
        Column(_("Tổng số"), done),
        Column(_("Trước hạn"), done),
        Column(_("Đúng hạn"), done),
        Column(_("Quá hạn"), done),
        Column(_("Tỷ lệ đúng hạn (%)"), done, kind="pct"),
        Column(_("Trong đó: dừng xử lý"), done),
        Column(_("Trong hạn"), running),
        Column(_("Quá hạn"), running),
        Column(_("Chờ bổ sung"), paused),
        Column(_("Chờ nghĩa vụ tài chính"), paused),
        Column(_("Trong hạn"), paused),
        Column(_("Quá hạn"), paused),
        Column(_("Thời gian xử lý TB (ngày làm việc)"), kind="dec", width=16),
    ]


def statistics_values(row, number: Any = "") -> list[Any]:
    c = row.counts
    return [
        number,
        row.label,
        c.get("total", 0),
        c.get("carried_over", 0),
        c.get("received_online", 0),
        c.get("received_counter", 0),
        c.get("received_post", 0),
        c.get("finished", 0),
        c.get("early", 0),
        c.get("on_time", 0),
        c.get("late", 0),
        row.on_time_rate,
        c.get("stopped", 0),
        c.get("open_in_time", 0),
        c.get("open_overdue", 0),
        c.get("paused_supplement", 0),
        c.get("paused_payment", 0),
        c.get("paused_in_time", 0),
        c.get("paused_overdue", 0),
        row.avg_processing_days,
    ]


def statistics_workbook(
    *, rows, total, group_label: str, scope_label: str, period_label: str
) -> Workbook:
    """The progress report of legal-spec §9.3, one row per unit, sector or procedure."""
    workbook, ws = _new(_("Tiến độ giải quyết"))
    write_table(
        ws,
        title=_("BÁO CÁO TÌNH HÌNH TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH"),
        subtitle_lines=_subtitle(scope_label, period_label),
        columns=statistics_columns(group_label),
        rows=[statistics_values(r, i) for i, r in enumerate(rows, start=1)],
        total=statistics_values(total, ""),
    )
    return workbook


def dossiers_workbook(
    *, dossiers, cell_label: str, scope_label: str, period_label: str
) -> Workbook:
    """The dossiers behind one figure."""
    workbook, ws = _new(_("Danh sách hồ sơ"))
    columns = [
        Column(_("STT"), width=6),
        Column(_("Mã hồ sơ"), kind="text", width=30),
        Column(_("Thủ tục"), kind="text", width=40),
        Column(_("Người nộp"), kind="text", width=24),
        Column(_("Nơi tiếp nhận"), kind="text", width=28),
        Column(_("Cơ quan giải quyết"), kind="text", width=28),
        Column(_("Tiếp nhận"), kind="date", width=17),
        Column(_("Hẹn trả"), kind="date", width=17),
        Column(_("Kết thúc xử lý"), kind="date", width=17),
        Column(_("Trạng thái"), kind="text", width=20),
        Column(_("Kết quả"), kind="text", width=12),
    ]
    rows = [
        [
            i,
            d.code,
            d.procedure_version.procedure.name,
            d.applicant_name,
            str(d.receiving_centre),
            str(d.competent_agency),
            d.received_at,
            d.due_at,
            d.finished_at,
            d.get_status_display(),
            d.get_timeliness_display() if d.timeliness else "",
        ]
        for i, d in enumerate(dossiers, start=1)
    ]
    write_table(
        ws,
        title=f"{_('DANH SÁCH HỒ SƠ')}: {cell_label}",
        subtitle_lines=_subtitle(scope_label, period_label),
        columns=columns,
        rows=rows,
    )
    return workbook


def flow_workbook(*, matrix, scope_label: str, period_label: str) -> Workbook:
    """The boundary-free flow: receiving centre × competent agency."""
    workbook, ws = _new(_("Phi địa giới"))
    columns = [
        Column(_("STT"), width=6),
        Column(_("Nơi tiếp nhận"), kind="text", width=36),
    ]
    columns += [
        Column(name, _("Cơ quan giải quyết"), width=14) for _pk, name in matrix.agencies
    ]
    columns.append(Column(_("Tổng số"), width=10))
    rows = [
        [i, centre[1], *[count for _a, count in cells], row_total]
        for i, (centre, cells, row_total) in enumerate(matrix.rows(), start=1)
    ]
    write_table(
        ws,
        title=_("HỒ SƠ TIẾP NHẬN KHÔNG PHỤ THUỘC ĐỊA GIỚI HÀNH CHÍNH"),
        subtitle_lines=_subtitle(scope_label, period_label),
        columns=columns,
        rows=rows,
        total=["", _("Tổng cộng"), *matrix.column_totals(), matrix.total],
    )
    return workbook


# -- Decision 766 ---------------------------------------------------------------


def _indicator_rows(index) -> list[list[Any]]:
    return [
        [
            i.number,
            i.name,
            i.group_label,
            i.numerator,
            i.denominator,
            i.ratio_percent,
            i.target * 100 if i.target else None,
            i.score,
            i.max_score,
            i.status_label,
            i.note,
        ]
        for i in index.indicators
    ]


_INDICATOR_COLUMNS = [
    ("STT", "text", 7),
    ("Chỉ số", "text", 44),
    ("Nhóm", "text", 22),
    ("Tử số", "dec", 10),
    ("Mẫu số", "int", 10),
    ("Tỷ lệ (%)", "pct", 10),
    ("Chỉ tiêu (%)", "pct", 10),
    ("Điểm", "dec", 9),
    ("Điểm tối đa", "dec", 9),
    ("Tình trạng", "text", 22),
    ("Ghi chú chất lượng dữ liệu", "text", 60),
]


def index_workbook(*, province, units, scope_label: str, period_label: str) -> Workbook:
    """The 766 index: a summary by unit, the scope's detail, and each unit's detail."""
    workbook, ws = _new(_("Tổng hợp"))
    groups = [g.label for g in province.groups()]
    columns = [Column(_("STT"), width=6), Column(_("Đơn vị"), kind="text", width=36)]
    columns += [
        Column(label, _("Điểm theo nhóm"), kind="dec", width=14) for label in groups
    ]
    columns += [
        Column(_("Tổng điểm"), kind="dec", width=10),
        Column(_("Điểm tối đa đo được"), kind="dec", width=12),
        Column(_("Quy đổi thang 100"), kind="dec", width=12),
    ]

    def summary(index, number):
        return [
            number,
            index.label,
            *[g.score for g in index.groups()],
            index.total,
            index.measured_max,
            index.normalized,
        ]

    write_table(
        ws,
        title=_("BỘ CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP (QUYẾT ĐỊNH 766/QĐ-TTg)"),
        subtitle_lines=_subtitle(scope_label, period_label),
        columns=columns,
        rows=[summary(u, i) for i, u in enumerate(units, start=1)],
        total=summary(province, ""),
    )
    detail = workbook.create_sheet(_("Chi tiết")[:31])
    write_table(
        detail,
        title=f"{_('CHI TIẾT CHỈ SỐ')}: {province.label}",
        subtitle_lines=_subtitle(scope_label, period_label),
        columns=[Column(_(h), kind=k, width=w) for h, k, w in _INDICATOR_COLUMNS],
        rows=_indicator_rows(province),
    )
    long = workbook.create_sheet(_("Theo đơn vị")[:31])
    write_table(
        long,
        title=_("CHỈ SỐ THEO ĐƠN VỊ"),
        subtitle_lines=_subtitle(scope_label, period_label),
        columns=[Column(_("Đơn vị"), kind="text", width=32)]
        + [Column(_(h), kind=k, width=w) for h, k, w in _INDICATOR_COLUMNS],
        rows=[[u.label, *row] for u in units for row in _indicator_rows(u)],
    )
    return workbook


# -- rankings, ledger, warnings ---------------------------------------------


def rankings_workbook(
    *, agencies, officers, scope_label: str, period_label: str
) -> Workbook:
    workbook, ws = _new(_("Xếp hạng đơn vị"))

    def rank(row, measure):
        value = row.ranks.get(measure)
        return value if value is not None else _("chưa đủ mẫu")

    write_table(
        ws,
        title=_("XẾP HẠNG CÁC CƠ QUAN, ĐƠN VỊ"),
        subtitle_lines=_subtitle(scope_label, period_label),
        columns=[
            Column(_("Đơn vị"), kind="text", width=36),
            Column(_("Tỷ lệ đúng hạn (%)"), _("Đúng hạn"), kind="pct", width=12),
            Column(_("Số hồ sơ"), _("Đúng hạn"), width=10),
            Column(_("Hạng"), _("Đúng hạn"), kind="text", width=10),
            Column(_("Phút trễ do đơn vị"), _("Sổ trễ hạn"), width=12),
            Column(_("Hạng"), _("Sổ trễ hạn"), kind="text", width=10),
            Column(_("Mức hài lòng (1–5)"), _("Hài lòng"), kind="dec", width=12),
            Column(_("Số phiếu"), _("Hài lòng"), width=10),
            Column(_("Hạng"), _("Hài lòng"), kind="text", width=10),
            Column(_("Điểm 766 (thang 100)"), _("Chỉ số 766"), kind="dec", width=12),
            Column(_("Hạng"), _("Chỉ số 766"), kind="text", width=10),
        ],
        rows=[
            [
                r.label,
                r.values.get("on_time_rate"),
                r.samples.get("on_time_rate", 0),
                rank(r, "on_time_rate"),
                r.values.get("ledger_minutes"),
                rank(r, "ledger_minutes"),
                r.values.get("satisfaction"),
                r.samples.get("satisfaction", 0),
                rank(r, "satisfaction"),
                r.values.get("index_766"),
                rank(r, "index_766"),
            ]
            for r in agencies
        ],
    )
    staff = workbook.create_sheet(_("Xếp hạng cán bộ")[:31])
    write_table(
        staff,
        title=_("XẾP HẠNG CÁN BỘ, CÔNG CHỨC"),
        subtitle_lines=_subtitle(scope_label, period_label),
        columns=[
            Column(_("Cán bộ"), kind="text", width=26),
            Column(_("Đơn vị"), kind="text", width=30),
            Column(_("Bước xử lý"), _("Đúng hạn"), width=10),
            Column(_("Tỷ lệ (%)"), _("Đúng hạn"), kind="pct", width=10),
            Column(_("Hạng"), _("Đúng hạn"), kind="text", width=10),
            Column(_("Phút trễ"), _("Sổ trễ hạn"), width=10),
            Column(_("Vi phạm"), _("Sổ trễ hạn"), width=10),
            Column(_("Mức hài lòng"), _("Hài lòng"), kind="dec", width=10),
            Column(_("Số phiếu"), _("Hài lòng"), width=10),
            Column(_("Hạng"), _("Hài lòng"), kind="text", width=10),
            Column(_("Điểm TT 01/2018 (tối đa 10)"), kind="dec", width=14),
        ],
        rows=[
            [
                r.label,
                r.unit,
                r.values.get("steps", 0),
                r.values.get("on_time_rate"),
                rank(r, "on_time_rate"),
                r.values.get("ledger_minutes", 0),
                r.values.get("breaches", 0),
                r.values.get("satisfaction"),
                r.samples.get("satisfaction", 0),
                rank(r, "satisfaction"),
                r.values.get("tt01_total"),
            ]
            for r in officers
        ],
    )
    return workbook


def ledger_workbook(
    *, report, names: dict[int, str], scope_label: str, period_label: str
) -> Workbook:
    workbook, ws = _new(_("Sổ trễ hạn"))
    minutes = [
        Column(_("Phút trễ"), width=12),
        Column(_("Số hồ sơ"), width=10),
        Column(_("Vi phạm"), width=10),
    ]
    write_table(
        ws,
        title=_("SỔ THEO DÕI TRÁCH NHIỆM TRỄ HẠN THEO ĐƠN VỊ"),
        subtitle_lines=_subtitle(scope_label, period_label),
        columns=[Column(_("Đơn vị"), kind="text", width=40), *minutes],
        rows=[
            [t.label, t.over_minutes, t.dossier_count, t.breaches]
            for t in report.agencies
        ],
    )
    staff = workbook.create_sheet(_("Theo cán bộ")[:31])
    write_table(
        staff,
        title=_("SỔ THEO DÕI TRÁCH NHIỆM TRỄ HẠN THEO CÁN BỘ"),
        subtitle_lines=_subtitle(scope_label, period_label),
        columns=[Column(_("Cán bộ"), kind="text", width=30), *minutes],
        rows=[
            [t.label, t.over_minutes, t.dossier_count, t.breaches]
            for t in report.officers
        ],
    )
    detail = workbook.create_sheet(_("Chi tiết hồ sơ")[:31])
    write_table(
        detail,
        title=_("CHI TIẾT THỜI GIAN GIỮ HỒ SƠ"),
        subtitle_lines=_subtitle(scope_label, period_label),
        columns=[
            Column(_("Mã hồ sơ"), kind="text", width=30),
            Column(_("Trễ (phút)"), width=10),
            Column(_("Nội dung"), kind="text", width=36),
            Column(_("Đơn vị"), kind="text", width=30),
            Column(_("Cán bộ"), kind="text", width=24),
            Column(_("Được giao (phút)"), width=12),
            Column(_("Đã giữ (phút)"), width=12),
            Column(_("Vượt (phút)"), width=12),
        ],
        rows=[
            [
                d.code,
                d.late_minutes,
                e.label,
                names.get(("agency", e.agency_id), ""),
                names.get(("user", e.officer_id), "") if e.officer_id else "",
                e.allotted,
                e.held,
                e.over,
            ]
            for d in report.dossiers
            for e in d.entries
        ],
    )
    return workbook


def warnings_workbook(
    *, assessments, labels: dict[str, str], scope_label: str
) -> Workbook:
    workbook, ws = _new(_("Cảnh báo sớm"))
    write_table(
        ws,
        title=_("HỒ SƠ CÓ NGUY CƠ TRỄ HẠN"),
        subtitle_lines=_subtitle(scope_label, f"{timezone.localtime():%d/%m/%Y %H:%M}"),
        columns=[
            Column(_("Mã hồ sơ"), kind="text", width=30),
            Column(_("Thủ tục"), kind="text", width=36),
            Column(_("Mức cảnh báo"), kind="text", width=14),
            Column(_("Hẹn trả"), kind="date", width=17),
            Column(_("Còn lại (giờ làm việc)"), kind="dec", width=12),
            Column(_("Dự kiến cần (giờ làm việc)"), kind="dec", width=12),
            Column(_("Dự kiến xong"), kind="date", width=17),
            Column(_("Bước đang xử lý"), kind="text", width=36),
            Column(_("Nên xin lỗi, gia hạn trước"), kind="date", width=17),
        ],
        rows=[
            [
                a.dossier.code,
                a.dossier.procedure_version.name,
                labels.get(a.level, a.level),
                a.dossier.due_at,
                Decimal(a.remaining_minutes) / 60,
                Decimal(a.expected_minutes) / 60,
                a.predicted_finish,
                "; ".join(f"{f.step.name} ({f.step.agency})" for f in a.active),
                a.extend_before if a.suggest_extension else None,
            ]
            for a in assessments
        ],
    )
    return workbook


# -- periodic reports -----------------------------------------------------------


def staff_sheet_workbook(sheet) -> Workbook:
    """The monthly staff sheet (Decree 118 Art.9(3))."""
    workbook, ws = _new(_("Cán bộ"))
    write_table(
        ws,
        title=_("BẢNG THEO DÕI CÁN BỘ, CÔNG CHỨC LÀM VIỆC TẠI BỘ PHẬN MỘT CỬA"),
        subtitle_lines=_subtitle(sheet.agency.name, sheet.period.label),
        columns=[
            Column(_("STT"), width=6),
            Column(_("Họ và tên"), kind="text", width=26),
            Column(_("Vai trò"), kind="text", width=20),
            Column(_("Cơ quan cử"), kind="text", width=24),
            Column(_("Hồ sơ tiếp nhận"), width=10),
            Column(_("Số bước"), _("Giải quyết"), width=9),
            Column(_("Trước hạn"), _("Giải quyết"), width=9),
            Column(_("Đúng hạn"), _("Giải quyết"), width=9),
            Column(_("Quá hạn"), _("Giải quyết"), width=9),
            Column(_("Thời gian dùng (giờ)"), _("Giải quyết"), kind="dec", width=11),
            Column(
                _("Thời gian được giao (giờ)"), _("Giải quyết"), kind="dec", width=11
            ),
            Column(_("Phút trễ"), _("Trách nhiệm trễ hạn"), width=10),
            Column(_("Vi phạm"), _("Trách nhiệm trễ hạn"), width=10),
            Column(_("Số phiếu"), _("Đánh giá của người dân"), width=9),
            Column(
                _("Mức hài lòng (1–5)"),
                _("Đánh giá của người dân"),
                kind="dec",
                width=11,
            ),
            Column(
                _("Hài lòng (%)"), _("Đánh giá của người dân"), kind="pct", width=10
            ),
            Column(
                _("Điểm TT 01/2018"), _("Đánh giá của người dân"), kind="dec", width=11
            ),
            Column(_("Xếp loại"), kind="text", width=26),
        ],
        rows=[
            [
                i,
                r.name,
                r.role,
                r.seconded_from,
                r.received,
                r.steps.steps,
                r.steps.early,
                r.steps.on_time,
                r.steps.late,
                Decimal(r.steps.used_minutes) / 60,
                Decimal(r.steps.allotted_minutes) / 60,
                r.ledger_minutes,
                r.breaches,
                r.satisfaction.ratings,
                r.satisfaction.mean_level,
                r.satisfaction.satisfied_rate,
                r.tt01_total,
                r.tt01_band,
            ]
            for i, r in enumerate(sheet.rows, start=1)
        ],
    )
    return workbook


def agency_pack_workbook(pack) -> Workbook:
    """The quarterly agency pack (Decree 118 Art.9(2)), one sheet per part."""
    workbook, ws = _new(_("Tiến độ"))
    rows, total = pack.as_competent
    write_table(
        ws,
        title=_("TÌNH HÌNH GIẢI QUYẾT HỒ SƠ THEO LĨNH VỰC"),
        subtitle_lines=_subtitle(pack.agency.name, pack.period.label),
        columns=statistics_columns(_("Lĩnh vực")),
        rows=[statistics_values(r, i) for i, r in enumerate(rows, start=1)],
        total=statistics_values(total, ""),
    )
    received_rows, received_total = pack.as_centre
    if received_rows:
        centre = workbook.create_sheet(_("Hồ sơ tiếp nhận")[:31])
        write_table(
            centre,
            title=_("HỒ SƠ TIẾP NHẬN THEO CƠ QUAN GIẢI QUYẾT"),
            subtitle_lines=_subtitle(pack.agency.name, pack.period.label),
            columns=statistics_columns(_("Cơ quan giải quyết")),
            rows=[
                statistics_values(r, i) for i, r in enumerate(received_rows, start=1)
            ],
            total=statistics_values(received_total, ""),
        )
    index = workbook.create_sheet(_("Chỉ số 766")[:31])
    write_table(
        index,
        title=_("CHỈ SỐ PHỤC VỤ (QUYẾT ĐỊNH 766/QĐ-TTg)"),
        subtitle_lines=_subtitle(pack.agency.name, pack.period.label),
        columns=[Column(_(h), kind=k, width=w) for h, k, w in _INDICATOR_COLUMNS],
        rows=_indicator_rows(pack.index),
        total=[
            "",
            _("Tổng điểm"),
            "",
            None,
            None,
            None,
            None,
            pack.index.total,
            pack.index.max_total,
            "",
            "",
        ],
    )
    criteria = workbook.create_sheet(_("Hài lòng")[:31])
    write_table(
        criteria,
        title=_("ĐÁNH GIÁ CỦA NGƯỜI DÂN THEO TIÊU CHÍ (NGHỊ ĐỊNH 118/2025 ĐIỀU 33)"),
        subtitle_lines=[
            *_subtitle(pack.agency.name, pack.period.label),
            f"{_('Số phiếu được tính')}: {pack.satisfaction.ratings}; "
            f"{_('xin lỗi và gia hạn trong kỳ')}: {pack.extensions}",
        ],
        columns=[
            Column(_("Tiêu chí"), kind="text", width=6),
            Column(_("Nội dung"), kind="text", width=56),
            Column(_("Số câu trả lời"), width=12),
            Column(_("Mức trung bình (1–5)"), kind="dec", width=14),
            Column(_("Điểm TT 01/2018 (0–2)"), kind="dec", width=14),
        ],
        rows=[
            [c.criterion, c.label, c.answers, c.mean_level, c.tt01]
            for c in pack.criteria
        ],
    )
    ledger = workbook.create_sheet(_("Trễ hạn")[:31])
    write_table(
        ledger,
        title=_("HỒ SƠ TRỄ HẠN VÀ THỜI GIAN GIỮ HỒ SƠ"),
        subtitle_lines=_subtitle(pack.agency.name, pack.period.label),
        columns=[
            Column(_("Mã hồ sơ"), kind="text", width=30),
            Column(_("Trễ (phút)"), width=10),
            Column(_("Vượt do đơn vị (phút)"), width=14),
            Column(_("Tính quá hạn do bổ sung nhiều lần"), kind="text", width=16),
        ],
        rows=[
            [
                d.code,
                d.late_minutes,
                sum(e.over for e in d.entries if e.agency_id == pack.agency.pk),
                _("Có") if d.counted_late else "",
            ]
            for d in pack.ledger.dossiers
        ],
    )
    return workbook


def feedback_workbook(*, feedback, scope_label: str) -> Workbook:
    """PAKN with their deadlines (no contact details of the senders)."""
    workbook, ws = _new(_("Phản ánh, kiến nghị"))
    write_table(
        ws,
        title=_("PHẢN ÁNH, KIẾN NGHỊ VÀ KẾT QUẢ XỬ LÝ"),
        subtitle_lines=_subtitle(scope_label, f"{timezone.localtime():%d/%m/%Y}"),
        columns=[
            Column(_("Mã"), kind="text", width=18),
            Column(_("Tiêu đề"), kind="text", width=40),
            Column(_("Phân loại"), kind="text", width=22),
            Column(_("Đơn vị xử lý"), kind="text", width=28),
            Column(_("Tình trạng"), kind="text", width=18),
            Column(_("Tiếp nhận"), kind="date", width=17),
            Column(_("Hạn trả lời"), kind="date", width=17),
            Column(_("Trả lời lúc"), kind="date", width=17),
            Column(_("Công khai lúc"), kind="date", width=17),
            Column(_("Hài lòng"), kind="text", width=10),
        ],
        rows=[
            [
                f.code,
                f.title,
                f.get_category_display(),
                str(f.agency or ""),
                f.get_status_display(),
                f.submitted_at,
                f.answer_due_at,
                f.answered_at,
                f.published_at,
                ""
                if f.citizen_satisfied is None
                else (_("Có") if f.citizen_satisfied else _("Không")),
            ]
            for f in feedback
        ],
    )
    return workbook
