"""The file store: validation by content, refusals that leave nothing, immutability."""

from django.core.files.uploadedfile import SimpleUploadedFile

import pytest

from motcua.documents.constants import FileKind
from motcua.documents.models import FileImmutable, StoredFile
from motcua.documents.services import (
    FileCorrupted,
    stored_file_create,
    stored_file_read,
    stored_files_orphaned,
)
from motcua.documents.validation import FileRefused, inspect_file

from .conftest import (
    encrypted_pdf,
    files_on_disk,
    image_bytes,
    pdf_bytes,
    scripted_pdf,
    tiff_frames,
)

pytestmark = pytest.mark.django_db

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


class TestAccepted:
    @pytest.mark.parametrize(
        ("name", "data", "content_type", "pages"),
        [
            ("to-khai.pdf", pdf_bytes(300, 310, 320), "application/pdf", 3),
            ("anh.jpg", image_bytes(120, fmt="JPEG"), "image/jpeg", 1),
            ("anh.jpeg", image_bytes(120, fmt="JPEG"), "image/jpeg", 1),
            ("anh.png", image_bytes(120), "image/png", 1),
            ("quet.tif", tiff_frames(100, 110, 120), "image/tiff", 3),
            ("khong-duoi", pdf_bytes(300), "application/pdf", 1),
            ("Tờ khai v1.2", pdf_bytes(300), "application/pdf", 1),
        ],
    )
    def test_allowed_types_are_stored_by_content_with_their_pages(
        self, name, data, content_type, pages, media
    ):
        stored = stored_file_create(upload(name, data), actor=None)
        assert stored.content_type == content_type
        assert stored.page_count == pages and stored.size == len(data)
        assert stored.original_name == name
        assert stored_file_read(stored) == data
        assert stored.storage_name.startswith(f"documents/{stored.sha256[:2]}/")
        assert len(files_on_disk(media)) == 1

    def test_the_same_content_is_stored_once(self, media):
        data = pdf_bytes(300)
        first = stored_file_create(("a.pdf", data), actor=None)
        second = stored_file_create(("b.pdf", data), actor=None)
        assert first == second and StoredFile.objects.count() == 1
        assert len(files_on_disk(media)) == 1


class TestRefused:
    @pytest.mark.parametrize(
        ("name", "data", "code"),
        [
            ("empty.pdf", b"", "file_empty"),
            ("virus.pdf", EXE, "file_type_mismatch"),
            ("virus.exe", EXE, "file_type_not_allowed"),
            ("trang.jpg", HTML, "file_type_mismatch"),
            ("trang.html", HTML, "file_type_not_allowed"),
            ("anh.jpg", image_bytes(100), "file_type_mismatch"),  # a PNG
            ("to-khai.png", pdf_bytes(300), "file_type_mismatch"),
            ("cat-ngang.pdf", pdf_bytes(300, 300)[:-200], "file_damaged"),
            ("cat-ngang.jpg", image_bytes(400, 400, fmt="JPEG")[:-300], "file_damaged"),
            ("cat-ngang.png", image_bytes(400, 400)[:300], "file_damaged"),
            ("open-action.pdf", scripted_pdf("open_action"), "pdf_active_content"),
            ("page-aa.pdf", scripted_pdf("page_aa"), "pdf_active_content"),
            ("names.pdf", scripted_pdf("names"), "pdf_active_content"),
            ("khoa.pdf", encrypted_pdf(), "pdf_encrypted"),
        ],
    )
    def test_refusals_have_a_stable_code_a_message_and_leave_nothing(
        self, name, data, code, media
    ):
        with pytest.raises(FileRefused) as error:
            stored_file_create(upload(name, data), actor=None)
        assert error.value.code == code
        assert error.value.status == 422
        assert str(error.value.message)  # a Vietnamese sentence for the counter
        assert StoredFile.objects.count() == 0
        assert files_on_disk(media) == []

    @pytest.mark.parametrize(
        ("name", "data"),
        [
            ("a.jpg", image_bytes(400, 400, fmt="JPEG")[:-300]),
            ("a.png", image_bytes(400, 400)[:300]),
            ("a.tif", tiff_frames(400, 400)[:5000]),
        ],
    )
    def test_truncated_images_are_refused_even_after_weasyprint_loads(self, name, data):
        import weasyprint  # noqa: F401  (it makes Pillow lenient for the process)

        with pytest.raises(FileRefused) as error:
            inspect_file(data, name=name)
        assert error.value.code == "file_damaged"

    def test_messages_are_in_vietnamese(self):
        with pytest.raises(FileRefused) as error:
            inspect_file(scripted_pdf("open_action"), name="x.pdf")
        assert "JavaScript" in str(error.value.message)
        assert "từ chối" in str(error.value.message)
        with pytest.raises(FileRefused) as error:
            inspect_file(EXE, name="x.pdf")
        assert "Nội dung tệp không phải là PDF" in str(error.value.message)

    def test_oversized_files_are_refused_before_reading_them(self, settings, media):
        settings.MOTCUA_UPLOAD_MAX_BYTES = 1000
        big = upload("lon.pdf", pdf_bytes(300) + b"%" * 2000)
        with pytest.raises(FileRefused) as error:
            stored_file_create(big, actor=None)
        assert error.value.code == "file_too_large"
        with pytest.raises(FileRefused) as error:
            stored_file_create(("lon.pdf", b"%PDF-" + b"0" * 1200), actor=None)
        assert error.value.code == "file_too_large"
        assert StoredFile.objects.count() == 0 and files_on_disk(media) == []

    def test_too_many_pages_are_refused(self, settings, media):
        settings.MOTCUA_UPLOAD_MAX_PAGES = 2
        for name, data in (
            ("ba-trang.pdf", pdf_bytes(300, 300, 300)),
            ("ba-trang.tif", tiff_frames(90, 90, 90)),
        ):
            with pytest.raises(FileRefused) as error:
                stored_file_create((name, data), actor=None)
            assert error.value.code == "too_many_pages"
        assert StoredFile.objects.count() == 0 and files_on_disk(media) == []

    def test_a_declared_type_that_contradicts_the_content_is_refused(self):
        with pytest.raises(FileRefused) as error:
            inspect_file(image_bytes(50), declared_type="application/pdf")
        assert error.value.code == "file_type_mismatch"


class TestImmutable:
    def test_content_never_changes_and_signed_files_are_never_deleted(self):
        stored = stored_file_create(("a.pdf", pdf_bytes(300)), actor=None)
        stored.sha256 = "0" * 64
        with pytest.raises(FileImmutable):
            stored.save()
        stored.refresh_from_db()
        stored.signed = True
        stored.save(update_fields=["signed"])  # signing is the one change allowed
        stored.signed = False
        with pytest.raises(FileImmutable):
            stored.save()
        stored.refresh_from_db()
        stored.storage_name = "documents/other.pdf"
        with pytest.raises(FileImmutable):
            stored.save()
        stored.refresh_from_db()
        with pytest.raises(FileImmutable):
            stored.delete()
        assert StoredFile.objects.filter(pk=stored.pk, signed=True).exists()

    def test_a_file_changed_on_disk_is_not_served(self, media):
        stored = stored_file_create(("a.pdf", pdf_bytes(300)), actor=None)
        path = media / stored.storage_name
        path.write_bytes(path.read_bytes().replace(b"300", b"301"))
        with pytest.raises(FileCorrupted):
            stored_file_read(stored)

    def test_orphans_are_listed(self, media):
        stored_file_create(("a.pdf", pdf_bytes(300)), actor=None)
        stray = media / "documents" / "ab" / "cd" / "stray.pdf"
        stray.parent.mkdir(parents=True)
        stray.write_bytes(b"%PDF-")
        assert stored_files_orphaned() == ["documents/ab/cd/stray.pdf"]

    def test_kind_and_creator_are_recorded(self, province):
        officer = province.users["reception_a"]
        stored = stored_file_create(
            ("a.pdf", pdf_bytes(300)),
            actor=officer,
            kind=FileKind.FORM,
        )
        assert stored.created_by == officer and stored.kind == FileKind.FORM
