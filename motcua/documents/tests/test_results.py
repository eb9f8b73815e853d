"""Signed e-results, corrections, the personal data store and reuse."""

import io

import pytest
import time_machine
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from motcua.audit.models import AuditEvent, AuditLog
from motcua.core.exceptions import (
    Conflict,
    PermissionDenied,
    RuleViolation,
    ValidationFailed,
)
from motcua.documents.constants import ResultKind, StoreSource
from motcua.documents.models import ResultDocument, StoreEntry
from motcua.documents.services import (
    certified_copy_issue,
    component_reuse,
    dossier_components_reuse_from_store,
    result_correct,
    result_issue,
    result_require_signed,
    store_entry_record,
    store_find_for_component,
    stored_file_read,
)
from motcua.documents.signing import trust_roots
from motcua.dossiers.constants import ComponentSource
from motcua.dossiers.constants import DossierAction as A
from motcua.dossiers.constants import DossierStatus as S

from .conftest import (
    RESIDENCE_RESULT,
    act,
    at,
    image_bytes,
    pdf_bytes,
    ready_for_result,
    receive,
)

pytestmark = pytest.mark.django_db


def issue(p, dossier, **kwargs):
    with time_machine.travel(at(2026, 3, 3, 9, 0), tick=False):
        return result_issue(
            dossier,
            actor=kwargs.pop("actor", p.users["police_lead_a"]),
            result_type_code=kwargs.pop("result_type_code", RESIDENCE_RESULT),
            fields=kwargs.pop(
                "fields", {"trich_yeu": "Đăng ký thường trú tại số 12 Lê Lợi"}
            ),
            **kwargs,
        )


def pyhanko_status(data: bytes):
    signature = PdfFileReader(io.BytesIO(data)).embedded_signatures[0]
    return validate_pdf_signature(
        signature, ValidationContext(trust_roots=trust_roots())
    )


def text_of(data: bytes) -> str:
    """The text of every page, without whitespace (lines wrap anywhere)."""
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return "".join(text.split())


class TestIssue:
    def test_a_result_is_rendered_signed_by_the_agency_and_filed_in_the_store(
        self, province
    ):
        dossier = ready_for_result(province)
        document = issue(province, dossier)
        assert document.code == f"001099012345-{RESIDENCE_RESULT}"
        assert document.version == 1 and document.is_current
        assert document.ma_loai_giay_to == RESIDENCE_RESULT
        assert document.so_dinh_danh == "001099012345"
        assert document.ten_giay_to == "Xác nhận thông tin về cư trú"
        assert document.ho_ten == "Nguyễn Văn An"
        assert document.issuing_agency == province.police_a
        assert document.signer_label == "Công an xã An Hòa"
        assert document.signer_plugin == "demo"
        assert document.file.signed and document.file.content_type == "application/pdf"
        data = stored_file_read(document.file)
        status = pyhanko_status(data)
        assert status.intact and status.valid and status.trusted and status.bottom_line
        assert status.signing_cert.subject.native["common_name"] == "Công an xã An Hòa"
        text = text_of(data)
        assert document.code in text
        assert f"http://127.0.0.1:8000/verify/{document.code}" in text
        entry = StoreEntry.objects.get(result_document=document)
        assert (entry.id_number, entry.document_code, entry.source) == (
            "001099012345",
            document.code,
            StoreSource.RESULT,
        )
        assert AuditLog.objects.filter(
            event_type=AuditEvent.DOCUMENT_SIGN, target_id=str(document.pk)
        ).exists()
        assert result_require_signed(dossier) == [document]

    def test_the_dossier_resolves_after_the_result_is_signed(self, province):
        dossier = ready_for_result(province)
        with pytest.raises(RuleViolation) as error:
            result_require_signed(dossier)
        assert error.value.code == "result_not_signed"
        issue(province, dossier)
        dossier = act(province, dossier, A.RESOLVE, "police_lead_a", at(2026, 3, 3, 10))
        assert dossier.status == S.RESOLVED

    def test_a_given_pdf_gets_the_qr_code_and_the_signature(self, province):
        dossier = ready_for_result(province)
        document = issue(province, dossier, pdf_bytes=pdf_bytes(595, height=842))
        data = stored_file_read(document.file)
        assert pyhanko_status(data).bottom_line
        assert document.code in text_of(data)

    def test_a_scripted_pdf_is_not_signed(self, province, media):
        from .conftest import files_on_disk, scripted_pdf

        dossier = ready_for_result(province)
        with pytest.raises(ValidationFailed) as error:
            issue(province, dossier, pdf_bytes=scripted_pdf("open_action"))
        assert error.value.code == "pdf_active_content"
        assert not ResultDocument.objects.exists()
        assert files_on_disk(media) == []

    def test_only_a_leader_of_the_agency_issues_results(self, province):
        dossier = ready_for_result(province)
        for who in ("police_a", "leader_b", "reception_a"):
            with pytest.raises(PermissionDenied):
                issue(province, dossier, actor=province.users[who])
        assert not ResultDocument.objects.exists()

    def test_the_result_type_must_be_the_procedures(self, province):
        dossier = ready_for_result(province)
        with pytest.raises(ValidationFailed) as error:
            issue(province, dossier, result_type_code="KQ-KHAC")
        assert error.value.code == "result_type_unknown"

    def test_structured_fields_are_checked(self, province):
        dossier = ready_for_result(province)
        with pytest.raises(ValidationFailed) as error:
            issue(
                province,
                dossier,
                fields={"thoi_han_hieu_luc": "31/02/2030", "mau_sac": "đỏ"},
            )
        assert error.value.code == "result_field_unknown"
        with pytest.raises(ValidationFailed) as error:
            issue(province, dossier, fields={"thoi_han_hieu_luc": "2030-02-31"})
        assert error.value.extra["fields"].keys() == {"thoi_han_hieu_luc"}
        document = issue(
            province,
            dossier,
            fields={"thoi_han_hieu_luc": "2031-12-31", "pham_vi_hieu_luc": "Toàn quốc"},
        )
        assert str(document.thoi_han_hieu_luc) == "2031-12-31"
        assert document.pham_vi_hieu_luc == "Toàn quốc"

    def test_a_second_result_of_the_same_type_needs_a_correction(self, province):
        dossier = ready_for_result(province)
        issue(province, dossier)
        with pytest.raises(RuleViolation) as error:
            issue(province, dossier)
        assert error.value.code == "result_already_issued"

    def test_a_reissue_to_the_same_holder_supersedes_with_a_version_suffix(
        self, province
    ):
        first = issue(province, ready_for_result(province))
        later = ready_for_result(
            province, receive(province, when=at(2026, 3, 2, 10, 0))
        )
        second = issue(province, later)
        first.refresh_from_db()
        assert second.code == f"{first.code}_V2" and second.version == 2
        assert first.superseded_by == second and first.supersede_reason == "reissue"


class TestCorrection:
    def test_a_correction_is_a_new_signed_document_that_supersedes(self, province):
        dossier = ready_for_result(province)
        original = issue(province, dossier)
        with time_machine.travel(at(2026, 3, 4, 9, 0), tick=False):
            corrected = result_correct(
                original,
                actor=province.users["police_lead_a"],
                note="Sửa địa chỉ: số 12 thành số 21",
                fields={"trich_yeu": "Đăng ký thường trú tại số 21 Lê Lợi"},
            )
        original.refresh_from_db()
        assert corrected.code == f"{original.code}_V2"
        assert original.superseded_by == corrected
        assert original.supersede_reason == "correction"
        assert original.superseded_at is not None
        assert original.file.signed  # the old signed file is kept as it was
        assert pyhanko_status(stored_file_read(corrected.file)).bottom_line
        assert "Sửađịachỉ" in text_of(stored_file_read(corrected.file))
        entries = dict(StoreEntry.objects.values_list("document_code", "is_current"))
        assert entries == {original.code: False, corrected.code: True}
        with pytest.raises(Conflict):
            result_correct(original, actor=province.users["police_lead_a"], note="x")

    def test_the_holder_cannot_be_changed_by_a_correction(self, province):
        original = issue(province, ready_for_result(province))
        with pytest.raises(ValidationFailed) as error:
            result_correct(
                original,
                actor=province.users["police_lead_a"],
                note="x",
                fields={"so_dinh_danh": "001099099999"},
            )
        assert error.value.code == "result_holder_fixed"


class TestReuse:
    def test_a_second_dossier_of_the_applicant_reuses_the_first_result(
        self, province, media
    ):
        first = issue(province, ready_for_result(province))
        files_before = sorted(p.name for p in media.rglob("*") if p.is_file())
        birth = receive(province, "birth", when=at(2026, 3, 5, 9, 0))
        component = birth.components.get(component__result_type_code=RESIDENCE_RESULT)
        entry = store_find_for_component("001099012345", component.component)
        assert entry is not None and entry.document_code == first.code
        with time_machine.travel(at(2026, 3, 5, 9, 5), tick=False):
            row = component_reuse(component, entry, actor=province.users["reception_a"])
        component.refresh_from_db()
        assert component.source == ComponentSource.REUSED
        assert component.is_reused and component.is_digitized
        assert component.reuse_reference == first.code
        assert row.store_entry == entry and row.file == first.file
        assert row.reference == first.code
        # Nothing was uploaded: the store holds the same files as before.
        assert sorted(p.name for p in media.rglob("*") if p.is_file()) == files_before

    def test_reception_reuses_every_component_the_store_satisfies(self, province):
        issue(province, ready_for_result(province))
        birth = receive(province, "birth")
        rows = dossier_components_reuse_from_store(
            birth, actor=province.users["reception_a"]
        )
        assert [r.component.component.result_type_code for r in rows] == [
            RESIDENCE_RESULT
        ]

    def test_another_persons_store_is_not_used(self, province):
        issue(province, ready_for_result(province))
        birth = receive(province, "birth", applicant={"id_number": "001099054321"})
        entry = StoreEntry.objects.get()
        component = birth.components.first()
        with pytest.raises(RuleViolation) as error:
            component_reuse(component, entry, actor=province.users["reception_a"])
        assert error.value.code == "store_entry_not_applicants"
        assert store_find_for_component("001099054321", component.component) is None

    def test_a_superseded_or_expired_document_is_not_reused(self, province):
        original = issue(province, ready_for_result(province))
        with time_machine.travel(at(2026, 3, 4, 9, 0), tick=False):
            result_correct(original, actor=province.users["police_lead_a"], note="x")
        birth = receive(province, "birth", when=at(2026, 3, 5, 9, 0))
        component = birth.components.get(component__result_type_code=RESIDENCE_RESULT)
        old = StoreEntry.objects.get(document_code=original.code)
        with pytest.raises(RuleViolation) as error:
            component_reuse(component, old, actor=province.users["reception_a"])
        assert error.value.code == "store_entry_not_valid"
        found = store_find_for_component("001099012345", component.component)
        assert found.document_code == f"{original.code}_V2"

    def test_documents_from_a_national_database_are_reused_with_their_source(
        self, province
    ):
        entry = store_entry_record(
            id_number="001099012345",
            source=StoreSource.CIVIL_STATUS,
            document_code="KH-2020-000123",
            ma_loai_giay_to="KQ-KET-HON",
            ten_giay_to="Giấy chứng nhận kết hôn",
        )
        birth = receive(province, "birth")
        component = birth.components.get(component__result_type_code="KQ-KET-HON")
        assert store_find_for_component("001099012345", component.component) == entry
        row = component_reuse(component, entry, actor=province.users["reception_a"])
        component.refresh_from_db()
        assert component.source == ComponentSource.NATIONAL_DATABASE
        assert component.reuse_reference == "KH-2020-000123"
        assert row.file is None and row.store_entry == entry


class TestCertifiedCopy:
    def test_a_certified_copy_is_stamped_certified_signed_and_stored(self, province):
        dossier = receive(province, "birth")
        original = [
            ("trang-1.png", image_bytes(400, 560)),
            ("trang-2.jpg", image_bytes(400, 560, fmt="JPEG")),
        ]
        with time_machine.travel(at(2026, 3, 2, 10, 0), tick=False):
            first = certified_copy_issue(
                dossier,
                original=original,
                actor=province.users["leader_a"],
                document_name="Bằng tốt nghiệp trung học phổ thông",
            )
            second = certified_copy_issue(
                dossier,
                original=original,
                actor=province.users["leader_a"],
                document_name="Bằng tốt nghiệp trung học phổ thông",
            )
        assert first.kind == ResultKind.CERTIFIED_COPY
        assert first.code != second.code
        assert first.code == "001099012345-KQ-BAN-SAO-CHUNG-THUC-2026000001"
        data = stored_file_read(first.file)
        assert pyhanko_status(data).bottom_line
        assert first.file.page_count == 3  # two pages and the certification page
        text = text_of(data)
        assert "BẢNSAOĐIỆNTỬCHỨNGTHỰCTỪBẢNCHÍNH" in text
        assert "1/2026/SCT/BSĐT" in text
        assert StoreEntry.objects.filter(result_document=first).exists()

    def test_only_the_agency_leader_certifies(self, province):
        dossier = receive(province, "birth")
        with pytest.raises(PermissionDenied):
            certified_copy_issue(
                dossier,
                original=pdf_bytes(595),
                actor=province.users["processing_a"],
                document_name="Bằng",
            )
