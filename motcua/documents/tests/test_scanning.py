"""Scanning at reception (Decree 118 Art.17(1)(c); Circular 01/2023 Art.8)."""

import io

import pytest
import time_machine
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from motcua.audit.models import AuditEvent, AuditLog
from motcua.core.exceptions import PermissionDenied, RuleViolation, ValidationFailed
from motcua.documents import pdf as pdf_tools
from motcua.documents.constants import DossierFileKind
from motcua.documents.models import DossierFile, StoredFile
from motcua.documents.services import (
    component_scan_attach,
    components_not_digitized,
    stored_file_read,
)
from motcua.documents.signing import trust_roots
from motcua.dossiers.constants import ComponentSource

from .conftest import (
    at,
    files_on_disk,
    image_bytes,
    pdf_bytes,
    receive,
    scripted_pdf,
    tiff_frames,
)

pytestmark = pytest.mark.django_db


def scan(p, component, files, *, who="reception_a", **kwargs):
    with time_machine.travel(at(2026, 3, 2, 9, 10), tick=False):
        return component_scan_attach(component, files, actor=p.users[who], **kwargs)


def first_component(p):
    return receive(p).components.order_by("order").first()


def test_pages_are_assembled_in_the_given_order_signed_and_counted(province):
    component = first_component(province)
    files = [
        ("trang-1.png", image_bytes(500, 700)),  # 180 pt wide at 200 dpi
        ("trang-2-3.pdf", pdf_bytes(201, 202)),
        ("trang-4.jpg", image_bytes(600, 700, fmt="JPEG", dpi=(300, 300))),
        ("trang-5-6.tif", tiff_frames(400, 300)),
    ]
    row = scan(province, component, files, paper_pages=6)
    data = stored_file_read(row.file)
    widths = [round(w) for w, _h in pdf_tools.page_sizes(data)]
    assert widths == [180, 201, 202, 144, 144, 108]
    assert row.page_count == 6 and row.paper_pages == 6 and row.file.page_count == 6
    assert row.kind == DossierFileKind.SCAN and row.is_current
    assert row.file.signed and row.file.kind == "scan"
    assert row.file.original_name.startswith(component.dossier.code + "_20260302_")
    component.refresh_from_db()
    assert component.source == ComponentSource.SCANNED
    assert component.is_digitized and component.page_count == 6
    # Signed with the receiving officer's personal certificate.
    signature = PdfFileReader(io.BytesIO(data)).embedded_signatures[0]
    status = validate_pdf_signature(
        signature, ValidationContext(trust_roots=trust_roots())
    )
    assert status.bottom_line
    assert status.signing_cert.subject.native["common_name"] == "Nguyễn Thị Lan"
    assert row.signer_label == "Nguyễn Thị Lan"
    assert AuditLog.objects.filter(
        event_type=AuditEvent.DOCUMENT_SIGN, target_id=str(row.pk)
    ).exists()
    assert component not in components_not_digitized(component.dossier)


def test_fewer_scanned_pages_than_paper_pages_are_refused(province, media):
    component = first_component(province)
    with pytest.raises(RuleViolation) as error:
        scan(province, component, [("a.pdf", pdf_bytes(300, 300))], paper_pages=3)
    assert error.value.code == "scan_pages_missing"
    assert error.value.extra == {"scanned": 2, "paper": 3}
    assert not DossierFile.objects.exists() and not StoredFile.objects.exists()
    assert files_on_disk(media) == []
    component.refresh_from_db()
    assert component.source == ComponentSource.PAPER and not component.is_digitized


def test_extra_pages_need_the_officers_acknowledgement(province):
    component = first_component(province)  # one paper page in the dossier
    files = [("a.png", image_bytes(300)), ("a-ghi-chu.png", image_bytes(300))]
    with pytest.raises(RuleViolation) as error:
        scan(province, component, files)
    assert error.value.code == "scan_page_count_mismatch"
    row = scan(
        province,
        component,
        files,
        page_mismatch_note="Trang 1 có giấy ghi chú, quét hai lần",
    )
    assert row.page_count == 2 and row.paper_pages == 1
    assert row.page_mismatch_note == "Trang 1 có giấy ghi chú, quét hai lần"


def test_a_paper_count_is_needed_to_compare(province):
    component = first_component(province)
    component.paper_count = 0
    component.save(update_fields=["paper_count"])
    with pytest.raises(ValidationFailed) as error:
        scan(province, component, [("a.pdf", pdf_bytes(300))])
    assert error.value.code == "paper_pages_required"


def test_one_bad_file_refuses_the_whole_scan_and_leaves_nothing(province, media):
    component = first_component(province)
    files = [("a.pdf", pdf_bytes(300)), ("b.pdf", scripted_pdf("open_action"))]
    with pytest.raises(ValidationFailed) as error:
        scan(province, component, files, paper_pages=2)
    assert error.value.code == "pdf_active_content"
    assert not StoredFile.objects.exists() and files_on_disk(media) == []


def test_only_the_receiving_centres_staff_scan(province):
    component = first_component(province)
    for who in ("reception_b", "police_a", "processing_a"):
        with pytest.raises(PermissionDenied):
            scan(province, component, [("a.pdf", pdf_bytes(300))], who=who)


def test_presented_and_electronic_components_are_not_scanned(province):
    component = first_component(province)
    for source in (ComponentSource.PRESENTED, ComponentSource.UPLOADED):
        component.source = source
        component.save(update_fields=["source"])
        with pytest.raises(RuleViolation) as error:
            scan(province, component, [("a.pdf", pdf_bytes(300))])
        assert error.value.code == "component_not_scannable"


def test_a_rescan_replaces_the_current_file(province):
    component = first_component(province)
    first = scan(province, component, [("a.pdf", pdf_bytes(300))])
    second = scan(province, component, [("b.pdf", pdf_bytes(310))])
    first.refresh_from_db()
    assert not first.is_current and second.is_current
    assert list(component.files.filter(is_current=True)) == [second]


def test_paper_components_still_to_scan_are_listed(province):
    dossier = receive(province)
    assert len(components_not_digitized(dossier)) == dossier.components.count()
