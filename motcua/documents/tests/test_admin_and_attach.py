"""The read-only admin, plain attachments and the orphan report."""

import io

from django.core.management import call_command
from django.urls import reverse

import pytest

from motcua.accounts.models import User
from motcua.documents.constants import DossierFileKind, FileKind
from motcua.documents.models import DossierFile
from motcua.documents.services import dossier_file_attach

from .conftest import files_on_disk, pdf_bytes, receive

pytestmark = pytest.mark.django_db


def test_uploads_and_signed_forms_are_attached_to_the_dossier(province):
    dossier = receive(province)
    component = dossier.components.first()
    row = dossier_file_attach(
        dossier,
        ("to-khai.pdf", pdf_bytes(300)),
        actor=province.users["reception_a"],
        component=component,
    )
    assert row.kind == DossierFileKind.UPLOAD and row.name == component.name
    assert row.file.kind == FileKind.UPLOAD and row.page_count == 1
    form = dossier_file_attach(
        dossier,
        ("mau-01.pdf", pdf_bytes(595)),
        actor=province.users["reception_a"],
        kind=DossierFileKind.FORM,
        name="Mẫu 01 – Giấy tiếp nhận hồ sơ",
    )
    assert form.file.kind == FileKind.FORM and form.component is None
    assert DossierFile.objects.filter(dossier=dossier).count() == 2


def test_the_admin_lists_files_results_and_the_store_read_only(province, client):
    admin = User.objects.create_superuser("quantri", password="x")
    client.force_login(admin)
    dossier = receive(province)
    dossier_file_attach(dossier, ("a.pdf", pdf_bytes(300)), actor=admin)
    for model in ("storedfile", "dossierfile", "resultdocument", "storeentry"):
        url = reverse(f"admin:documents_{model}_changelist")
        assert client.get(url).status_code == 200
        assert client.get(reverse(f"admin:documents_{model}_add")).status_code == 403


def test_orphaned_files_are_reported_and_deleted(media, db):
    stray = media / "documents" / "00" / "00" / "stray.pdf"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"%PDF-")
    out = io.StringIO()
    call_command("documents-orphans", stdout=out)
    assert "documents/00/00/stray.pdf" in out.getvalue() and stray.exists()
    call_command("documents-orphans", "--delete", stdout=io.StringIO())
    assert files_on_disk(media) == []
