"""
The province's review report of a round: Word (python-docx) and Excel
(openpyxl, with supervision's table writer). Two parts: the candidates the
dossiers of the year point at, with their evidence, and the proposals with
their compliance cost before and after and their status.

Pure presentation of what the selectors return; no queries here.
"""

from collections.abc import Sequence
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from docx import Document
from docx.shared import Pt
from openpyxl import Workbook

from motcua.supervision.exports import Column, to_bytes, write_table

from .models import Proposal, ReviewRound
from .selectors.candidates import Candidate


def _money(value: Any) -> str:
    return f"{Decimal(value):,.0f}".replace(",", ".")


def _num(value: Any) -> str:
    return "—" if value is None else str(value)


def _candidate_values(c: Candidate) -> list[Any]:
    return [
        c.rank if c.rank is not None else "",
        f"{c.code} – {c.name}",
        c.received,
        c.supplement_rate,
        c.electronic_rate,
        c.late_rate,
        c.avg_days,
        c.legal_days,
        c.ratings,
        c.dissatisfied,
        c.feedback,
        c.score,
        "; ".join(f"{s.label}: {s.detail}" for s in c.signals),
    ]


CANDIDATE_COLUMNS = [
    (_l("Hạng"), "int", 6),
    (_l("Thủ tục"), "text", 48),
    (_l("Hồ sơ tiếp nhận"), "int", 10),
    (_l("Tỷ lệ phải bổ sung (%)"), "pct", 10),
    (_l("Tỷ lệ giấy tờ lấy từ dữ liệu (%)"), "pct", 12),
    (_l("Tỷ lệ trễ hạn (%)"), "pct", 10),
    (_l("Thời gian thực tế TB (ngày làm việc)"), "dec", 12),
    (_l("Thời hạn quy định (ngày làm việc)"), "dec", 12),
    (_l("Phiếu đánh giá"), "int", 9),
    (_l("Không hài lòng"), "int", 9),
    (_l("Phản ánh, kiến nghị"), "int", 9),
    (_l("Điểm"), "dec", 8),
    (_l("Bằng chứng"), "text", 70),
]


def _proposal_values(p: Proposal) -> list[Any]:
    return [
        f"{p.procedure.code} – {p.procedure.name}",
        p.get_kind_display(),
        p.description,
        p.cost_before.get("yearly_dossiers", 0),
        Decimal(p.cost_before.get("per_dossier", "0")),
        Decimal(p.cost_after.get("per_dossier", "0")),
        Decimal(p.cost_before.get("yearly", "0")),
        Decimal(p.cost_after.get("yearly", "0")),
        p.yearly_saving,
        p.get_status_display(),
        p.adoption_note or p.decision_note,
    ]


PROPOSAL_COLUMNS = [
    (_l("Thủ tục"), "text", 40),
    (_l("Phương án"), "text", 22),
    (_l("Nội dung"), "text", 40),
    (_l("Số hồ sơ/năm"), "int", 10),
    (_l("Chi phí/hồ sơ hiện tại (đồng)"), "int", 14),
    (_l("Chi phí/hồ sơ sau đơn giản hóa (đồng)"), "int", 14),
    (_l("Chi phí/năm hiện tại (đồng)"), "int", 16),
    (_l("Chi phí/năm sau đơn giản hóa (đồng)"), "int", 16),
    (_l("Tiết kiệm/năm (đồng)"), "int", 16),
    (_l("Tình trạng"), "text", 14),
    (_l("Ghi chú"), "text", 40),
]


def _columns(spec) -> list[Column]:
    return [Column(str(header), kind=kind, width=width) for header, kind, width in spec]


def _subtitle(review_round: ReviewRound, province: str) -> list[str]:
    return [
        f"{_('Đơn vị')}: {province}",
        f"{_('Năm rà soát')}: {review_round.year}",
        f"{_('Lập lúc')}: {timezone.localtime():%d/%m/%Y %H:%M}",
    ]


def review_workbook(
    *,
    review_round: ReviewRound,
    candidates: Sequence[Candidate],
    proposals: Sequence[Proposal],
    province: str,
) -> bytes:
    """Return the report as an .xlsx file: candidates, then proposals."""
    workbook = Workbook()
    ws = workbook.active
    ws.title = _("Thủ tục cần rà soát")[:31]
    write_table(
        ws,
        title=_("Thủ tục hành chính đề nghị đơn giản hóa theo dữ liệu hồ sơ"),
        subtitle_lines=_subtitle(review_round, province),
        columns=_columns(CANDIDATE_COLUMNS),
        rows=[_candidate_values(c) for c in candidates],
    )
    ws = workbook.create_sheet(_("Phương án")[:31])
    saving = sum((p.yearly_saving for p in proposals), Decimal(0))
    write_table(
        ws,
        title=_("Phương án đơn giản hóa và chi phí tuân thủ"),
        subtitle_lines=_subtitle(review_round, province),
        columns=_columns(PROPOSAL_COLUMNS),
        rows=[_proposal_values(p) for p in proposals],
        total=[_("Tổng cộng"), "", "", "", "", "", "", "", saving, "", ""],
    )
    return to_bytes(workbook)


def review_document(
    *,
    review_round: ReviewRound,
    candidates: Sequence[Candidate],
    proposals: Sequence[Proposal],
    province: str,
    hourly_wage: Decimal | None,
) -> bytes:
    """Return the report as a .docx file."""
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    document.add_paragraph(province.upper())
    document.add_heading(
        _("BÁO CÁO KẾT QUẢ RÀ SOÁT, ĐÁNH GIÁ THỦ TỤC HÀNH CHÍNH NĂM %(year)s")
        % {"year": review_round.year},
        level=1,
    )
    document.add_paragraph(review_round.title)
    document.add_heading(_("I. Thủ tục cần rà soát theo dữ liệu hồ sơ"), level=2)
    ranked = [c for c in candidates if c.rank is not None]
    document.add_paragraph(
        _(
            "%(ranked)s thủ tục có đủ số liệu được xếp hạng; %(rest)s thủ tục có dưới số hồ sơ tối thiểu."
        )
        % {"ranked": len(ranked), "rest": len(candidates) - len(ranked)}
    )
    table = document.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells,
        [_("Hạng"), _("Thủ tục"), _("Hồ sơ"), _("Điểm"), _("Bằng chứng")],
        strict=True,
    ):
        cell.text = text
    for c in ranked:
        cells = table.add_row().cells
        cells[0].text = str(c.rank)
        cells[1].text = f"{c.code} – {c.name}"
        cells[2].text = str(c.received)
        cells[3].text = str(c.score)
        cells[4].text = "; ".join(f"{s.label}: {s.detail}" for s in c.signals)
    document.add_heading(_("II. Phương án đơn giản hóa"), level=2)
    if hourly_wage is not None:
        document.add_paragraph(
            _(
                "Chi phí tuân thủ tính theo mô hình chi phí chuẩn: (thời gian × thu nhập bình quân %(wage)s đồng/giờ + phí, lệ phí + chi phí khác) × số hồ sơ một năm."
            )
            % {"wage": _money(hourly_wage)}
        )
    table = document.add_table(rows=1, cols=6)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells,
        [
            _("Thủ tục"),
            _("Phương án"),
            _("Chi phí/năm hiện tại (đồng)"),
            _("Chi phí/năm sau đơn giản hóa (đồng)"),
            _("Tiết kiệm/năm (đồng)"),
            _("Tình trạng"),
        ],
        strict=True,
    ):
        cell.text = text
    for p in proposals:
        cells = table.add_row().cells
        cells[0].text = f"{p.procedure.code} – {p.procedure.name}"
        cells[1].text = f"{p.get_kind_display()}: {p.description}"
        cells[2].text = _money(p.cost_before.get("yearly", "0"))
        cells[3].text = _money(p.cost_after.get("yearly", "0"))
        cells[4].text = _money(p.yearly_saving)
        cells[5].text = str(p.get_status_display())
    total = sum((p.yearly_saving for p in proposals), Decimal(0))
    adopted = sum(
        (p.yearly_saving for p in proposals if p.status == "adopted"), Decimal(0)
    )
    document.add_paragraph(
        _(
            "Tổng chi phí tiết kiệm mỗi năm của các phương án: %(total)s đồng; của các phương án đã thực thi: %(adopted)s đồng."
        )
        % {"total": _money(total), "adopted": _money(adopted)}
    )
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
