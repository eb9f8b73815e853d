"""The demo's scripted story and its counter scans, through the real services."""

from datetime import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from motcua.catalog.constants import DurationUnit
from motcua.catalog.models import Procedure, ProcedureVersion, Sector
from motcua.core.calendar import LOCAL_TZ
from motcua.demo.catalog import build_catalog
from motcua.demo.scans import scan_pages
from motcua.demo.showcase import (
    APPLICANT,
    MARITAL_STATUS,
    MARRIAGE,
    RESIDENCE,
    build_showcase,
    showcase_lines,
)
from motcua.demo.structure import build_structure
from motcua.documents.constants import DossierFileKind
from motcua.documents.models import DossierFile, ResultDocument, StoreEntry
from motcua.dossiers.constants import ComponentSource
from motcua.dossiers.constants import DossierStatus as S
from motcua.payments.access import may_pay_online

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 13, 16, 0, tzinfo=LOCAL_TZ)


@pytest.fixture(autouse=True)
def isolated_files(settings, tmp_path):
    """
    Own media and demo CA: the demo's officers share usernames with the test
    province's, and their certificates must not be found by other tests.
    """
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MOTCUA_DEMO_CA_DIR = tmp_path / "demo-ca"


def imported(code: str, name: str, channels: list[str]) -> None:
    """The national record as import-catalog leaves it: version 1, no template."""
    sector, _ = Sector.objects.get_or_create(code="test", defaults={"name": "Test"})
    procedure = Procedure.objects.create(code=code, name=name, sector=sector)
    ProcedureVersion.objects.create(
        procedure=procedure,
        number=1,
        name=name,
        duration_value=Decimal(3),
        duration_unit=DurationUnit.WORKING_DAYS,
        channels=channels,
    )


@pytest.fixture
def story():
    imported(MARITAL_STATUS, "Cấp Giấy xác nhận tình trạng hôn nhân", ["counter"])
    imported(MARRIAGE, "Đăng ký kết hôn", ["counter"])
    imported(RESIDENCE, "Đăng ký thường trú", ["counter", "online"])
    demo = build_structure()
    catalog = build_catalog(demo)
    return build_showcase(demo, catalog, now=NOW)


def test_the_papers_are_scanned_signed_and_the_result_filed_in_her_store(story):
    first = story.dossiers[MARITAL_STATUS]
    first.refresh_from_db()
    assert first.status == S.RETURNED
    scans = DossierFile.objects.filter(dossier=first, kind=DossierFileKind.SCAN)
    assert scans.count() == 1 and story.scanned == 2
    scan = scans.get()
    assert scan.file.signed and scan.page_count == scan.paper_pages == 2
    assert scan.signer_label  # the reception officer's personal signature
    result = ResultDocument.objects.get(dossier=first)
    assert result.code == f"{APPLICANT['id_number']}-KQ.HT.XNHN"
    assert StoreEntry.objects.filter(document_code=result.code).exists()


def test_her_second_dossier_reuses_the_first_result_without_an_upload(story):
    result = ResultDocument.objects.get(dossier=story.dossiers[MARITAL_STATUS])
    second = story.dossiers[MARRIAGE]
    second.refresh_from_db()
    assert second.status == S.IN_PROGRESS
    reused = second.components.get(source=ComponentSource.REUSED)
    assert reused.reuse_reference == result.code and reused.is_digitized
    row = DossierFile.objects.get(dossier=second, kind=DossierFileKind.REUSED)
    assert row.file == result.file  # the same stored file, nothing uploaded
    assert story.reused == 1


def test_her_residence_dossier_waits_for_online_payment(story):
    dossier = story.dossiers[RESIDENCE]
    dossier.refresh_from_db()
    assert dossier.status == S.AWAITING_PAYMENT and may_pay_online(dossier)
    lines = showcase_lines()
    assert APPLICANT["name"] in lines[0]
    assert any(dossier.code in line and dossier.lookup_secret in line for line in lines)


def test_scanned_pages_are_deterministic():
    paper = SimpleNamespace(name="Tờ khai đăng ký kết hôn", paper_count=2)
    dossier = SimpleNamespace(
        applicant_name="Trần Thị Minh Thư",
        applicant_address="Xã An Hòa",
        code="004.01.01.H99-260313-0001",
        procedure_version=SimpleNamespace(name="Đăng ký kết hôn"),
    )
    first, second = scan_pages(dossier, paper), scan_pages(dossier, paper)
    assert [name for name, _ in first] == ["trang-1.png", "trang-2.png"]
    assert first == second and first[0][1].startswith(b"\x89PNG")
