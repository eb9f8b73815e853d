from decimal import Decimal
from io import BytesIO

from django.urls import reverse

import pytest
from docx import Document
from openpyxl import load_workbook

from motcua.audit.models import AuditEvent, AuditLog
from motcua.review.constants import ProposalKind, ProposalStatus
from motcua.review.models import Proposal, ReviewRound
from motcua.review.services import proposal_create, review_round_open

pytestmark = pytest.mark.django_db


def _login(client, province, who):
    client.force_login(province.users[who])
    return client


def test_candidates_page_shows_the_evidence(client, march, april_15):
    p = march.p
    html = (
        _login(client, p, "supervisor")
        .get(reverse("staff:review"), {"period": "month:2026-03"})
        .text
    )

    assert "1.004222" in html
    assert "Trễ hạn nhiều" in html
    assert "20.0% hồ sơ trễ hạn, chậm nhất ở bước: Thẩm định, xác minh" in html
    assert "Giấy tờ nhà nước đã có dữ liệu" in html  # the birth registrations
    assert 'href="/staff/review/"' in html  # the navigation link


def test_review_pages_refuse_officers_without_a_supervising_role(client, province):
    _login(client, province, "processing_a")

    assert client.get(reverse("staff:review")).status_code == 403
    assert client.get(reverse("staff:review-rounds")).status_code == 403
    assert 'href="/staff/review/"' not in client.get(reverse("staff:home")).text


def test_procedure_page_drills_down_to_the_dossiers(client, march, april_15):
    p, d = march.p, march.d
    url = reverse(
        "staff:review-procedure", args=[p.procedures["residence"].procedure_id]
    )
    _login(client, p, "centre_head_a")

    supplement = client.get(url, {"period": "month:2026-03"}).text
    late = client.get(url, {"period": "month:2026-03", "show": "late"}).text

    for name in ("D9", "D12", "D13"):
        assert d[name].code in supplement
    assert d["D1"].code not in supplement
    assert d["D8"].code in late and d["D9"].code in late
    assert d["D1"].code not in late
    assert "Giấy tờ chứng minh chỗ ở hợp pháp: 1" in supplement
    assert client.get(url, {"show": "nonsense"}).status_code == 404


def test_proposing_deciding_and_adopting_through_the_pages(
    client, march, costs, april_15
):
    p = march.p
    residence = p.procedures["residence"]
    _login(client, p, "supervisor")
    response = client.post(reverse("staff:review-rounds"), {"year": "2026"})
    review_round = ReviewRound.objects.get(year=2026)
    assert response["Location"] == reverse("staff:review-round", args=[review_round.pk])

    page = client.get(
        reverse("staff:review-procedure", args=[residence.procedure_id]),
        {"period": "year:2026"},
    ).text
    assert "Đề xuất phương án đơn giản hóa" in page
    assert "3,5" in page or "3.5" in page  # the hours of the cost items
    client.post(
        reverse("staff:review-propose", args=[review_round.pk, residence.procedure_id]),
        {
            "kind": ProposalKind.SHORTEN_DURATION,
            "description": "Rút còn 6 ngày",
            "new_duration_value": "6",
            "hours_saved": "1",
        },
    )
    proposal = Proposal.objects.get()
    client.post(
        reverse("staff:review-proposal-act", args=[proposal.pk]), {"action": "approve"}
    )
    client.post(
        reverse("staff:review-proposal-act", args=[proposal.pk]), {"action": "adopt"}
    )

    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ADOPTED
    assert proposal.adopted_version.number == 2
    html = client.get(reverse("staff:review-round", args=[review_round.pk])).text
    assert "Đã công bố phiên bản 2." in html


def test_a_commune_head_cannot_decide_through_the_pages(client, march, costs, april_15):
    p = march.p
    review_round = review_round_open(year=2026, title="", actor=p.users["supervisor"])
    proposal = proposal_create(
        review_round=review_round,
        procedure=p.procedures["residence"].procedure,
        kind=ProposalKind.REMOVE,
        description="Bãi bỏ",
        actor=p.users["centre_head_a"],
    )
    _login(client, p, "centre_head_a")

    client.post(
        reverse("staff:review-proposal-act", args=[proposal.pk]), {"action": "approve"}
    )
    client.post(reverse("staff:review-rounds"), {"year": "2027"})

    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED
    assert not ReviewRound.objects.filter(year=2027).exists()


def test_report_exports_open_and_hold_the_figures(client, march, costs, april_15):
    p = march.p
    review_round = review_round_open(year=2026, title="", actor=p.users["supervisor"])
    proposal = proposal_create(
        review_round=review_round,
        procedure=p.procedures["residence"].procedure,
        kind=ProposalKind.SHORTEN_DURATION,
        description="Rút còn 6 ngày",
        new_duration_value="6",
        hours_saved="1",
        actor=p.users["supervisor"],
    )
    _login(client, p, "supervisor")
    url = reverse("staff:review-round", args=[review_round.pk])

    xlsx = client.get(url, {"format": "xlsx"})
    docx = client.get(url, {"format": "docx"})

    workbook = load_workbook(BytesIO(xlsx.content))
    first, second = workbook.worksheets
    candidates = [row for row in first.iter_rows(values_only=True) if row[0] == 1]
    assert candidates and str(candidates[0][1]).startswith("1.004222")
    proposals = list(second.iter_rows(values_only=True))
    row = next(r for r in proposals if r[0] and str(r[0]).startswith("1.004222"))
    assert row[3] == 53  # dossiers a year
    assert Decimal(str(row[8])) == proposal.yearly_saving == 60000 * 53
    text = "\n".join(
        [para.text for para in Document(BytesIO(docx.content)).paragraphs]
        + [
            cell.text
            for table in Document(BytesIO(docx.content)).tables
            for r in table.rows
            for cell in r.cells
        ]
    )
    assert "BÁO CÁO KẾT QUẢ RÀ SOÁT, ĐÁNH GIÁ THỦ TỤC HÀNH CHÍNH NĂM 2026" in text
    assert "3.180.000" in text  # 60,000 đ × 53 dossiers
    assert "60.000 đồng/giờ" in text
    assert (
        AuditLog.objects.filter(
            event_type=AuditEvent.EXPORT, target_id=str(review_round.pk)
        ).count()
        == 2
    )
