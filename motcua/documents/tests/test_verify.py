"""The public /verify/ page and the verify-pdf and result-pdf commands."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

import pytest
import time_machine
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from motcua.documents.services import result_correct, result_issue, stored_file_read
from motcua.documents.signing import demo_ca
from motcua.documents.verification import pdf_verify
from motcua.dossiers.constants import DossierAction as A

from .conftest import RESIDENCE_RESULT, act, at, pdf_bytes, ready_for_result

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(province):
    dossier = ready_for_result(province)
    with time_machine.travel(at(2026, 3, 3, 9, 0), tick=False):
        return result_issue(
            dossier,
            actor=province.users["police_lead_a"],
            result_type_code=RESIDENCE_RESULT,
        )


def flip_one_byte(data: bytes) -> bytes:
    """Change one byte inside the first content stream (covered by the signature)."""
    position = data.index(b"stream") + 40
    changed = bytearray(data)
    changed[position] ^= 0x01
    return bytes(changed)


def run(*args):
    out = io.StringIO()
    try:
        call_command(*args, stdout=out)
    except SystemExit as exit_:
        return exit_.code, out.getvalue()
    return 0, out.getvalue()


def other_root(tmp_path):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "Khác Root CA")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(demo_ca.NOT_BEFORE)
        .not_valid_after(demo_ca.ROOT_NOT_AFTER)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    path = tmp_path / "other.pem"
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return path


class TestVerifyPdfCommand:
    def test_a_signed_result_passes(self, document, tmp_path):
        path = tmp_path / "ket-qua.pdf"
        path.write_bytes(stored_file_read(document.file))
        code, output = run("verify-pdf", str(path))
        assert code == 0, output
        assert "HỢP LỆ" in output and "Công an xã An Hòa" in output
        assert f"Mã số giấy tờ: {document.code}" in output

    def test_one_changed_byte_fails_with_a_clear_reason(self, document, tmp_path):
        path = tmp_path / "sua.pdf"
        path.write_bytes(flip_one_byte(stored_file_read(document.file)))
        code, output = run("verify-pdf", str(path))
        assert code == 1
        assert "KHÔNG HỢP LỆ" in output
        assert "không còn toàn vẹn" in output
        assert "đã bị thay đổi sau khi ký" in output

    def test_an_untrusted_root_fails(self, document, tmp_path):
        path = tmp_path / "ket-qua.pdf"
        path.write_bytes(stored_file_read(document.file))
        root = other_root(tmp_path)
        code, output = run(
            "verify-pdf", str(path), "--trust-root", str(root), "--only-given-roots"
        )
        assert code == 1 and "tin cậy" in output
        code, _output = run("verify-pdf", str(path), "--trust-root", str(root))
        assert code == 0

    def test_an_unsigned_or_unreadable_file_fails(self, tmp_path):
        path = tmp_path / "chua-ky.pdf"
        path.write_bytes(pdf_bytes(300))
        code, output = run("verify-pdf", str(path))
        assert code == 1 and "không có chữ ký số" in output
        code, output = run("verify-pdf", str(tmp_path / "khong-co.pdf"))
        assert code == 1 and "không đọc được" in output

    def test_content_appended_after_signing_fails(self, document):
        from pypdf import PdfWriter

        signed = stored_file_read(document.file)
        writer = PdfWriter(io.BytesIO(signed), incremental=True)
        writer.add_blank_page(width=300, height=300)
        out = io.BytesIO()
        writer.write(out)
        report = pdf_verify(out.getvalue(), trust_roots=demo_roots())
        assert not report.ok
        assert "sau chữ ký" in report.reason


def demo_roots():
    from motcua.documents.signing import trust_roots

    return trust_roots()


class TestResultPdfCommand:
    def test_the_signed_result_of_a_resolved_dossier_is_written(
        self, province, document, tmp_path
    ):
        dossier = act(
            province, document.dossier, A.RESOLVE, "police_lead_a", at(2026, 3, 3, 10)
        )
        path = tmp_path / "out.pdf"
        code, output = run("result-pdf", dossier.code, "-o", str(path))
        assert code == 0 and document.code in output
        assert path.read_bytes() == stored_file_read(document.file)

    def test_a_dossier_not_resolved_has_no_result_to_write(self, document, tmp_path):
        with pytest.raises(CommandError, match="chưa giải quyết xong"):
            call_command("result-pdf", document.dossier.code, "-o", str(tmp_path / "x"))
        with pytest.raises(CommandError, match="Không có hồ sơ"):
            call_command("result-pdf", "000-000000-0000", "-o", str(tmp_path / "x"))


class TestVerifyPage:
    def test_the_qr_code_page_shows_the_document_and_its_signature(
        self, document, client
    ):
        response = client.get(f"/verify/{document.code}")
        assert response.status_code == 200
        page = response.content.decode()
        assert document.code in page
        assert "Công an xã An Hòa" in page
        assert "Xác nhận thông tin về cư trú" in page
        assert "Hợp lệ:" in page and "Còn nguyên vẹn" in page
        assert "đã bị thay thế" not in page
        assert "Nguyễn Văn An" not in page  # the holder's name is not published
        assert client.get(f"/verify/{document.code}/").status_code == 200

    def test_an_unknown_code_is_404(self, db, client):
        response = client.get("/verify/001099000000-KQ-KHONG-CO")
        assert response.status_code == 404
        assert "Không có văn bản nào" in response.content.decode()

    def test_a_corrected_document_says_it_was_superseded(
        self, province, document, client
    ):
        with time_machine.travel(at(2026, 3, 4, 9, 0), tick=False):
            corrected = result_correct(
                document, actor=province.users["police_lead_a"], note="Sửa trích yếu"
            )
        page = client.get(f"/verify/{document.code}").content.decode()
        assert "đã bị thay thế (đính chính)" in page
        assert reverse("verify:document", args=[corrected.code]) in page
        page = client.get(f"/verify/{corrected.code}").content.decode()
        assert "đã bị thay thế" not in page and "Hợp lệ:" in page

    def test_an_uploaded_pdf_is_checked_and_recognised(
        self, province, document, client
    ):
        signed = stored_file_read(document.file)
        response = client.post(
            "/verify/",
            {"file": SimpleUploadedFile("ket-qua.pdf", signed, "application/pdf")},
        )
        page = response.content.decode()
        assert response.status_code == 200 and "Hợp lệ:" in page
        assert document.code in page
        with time_machine.travel(at(2026, 3, 4, 9, 0), tick=False):
            result_correct(document, actor=province.users["police_lead_a"], note="x")
        page = client.post(
            "/verify/",
            {"file": SimpleUploadedFile("ket-qua.pdf", signed, "application/pdf")},
        ).content.decode()
        assert "đã bị thay thế bởi bản đính chính" in page

    def test_a_tampered_or_unsigned_upload_is_reported(self, document, client):
        tampered = flip_one_byte(stored_file_read(document.file))
        response = client.post(
            "/verify/",
            {"file": SimpleUploadedFile("x.pdf", tampered, "application/pdf")},
        )
        page = response.content.decode()
        assert "Không hợp lệ:" in page and "không còn toàn vẹn" in page
        response = client.post(
            "/verify/", {"file": SimpleUploadedFile("x.png", b"\x89PNG\r\n\x1a\n0000")}
        )
        assert response.status_code == 422

    def test_the_form_is_shown(self, db, client):
        response = client.get("/verify/")
        assert response.status_code == 200
        assert 'enctype="multipart/form-data"' in response.content.decode()
