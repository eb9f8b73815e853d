"""
The catalogue importer on the real files of data/vn-tthc-catalog/, imported
once for the whole module, and a second time to check that nothing changes.
"""

from decimal import Decimal

from django.db import transaction

import pytest

from motcua.audit.models import AuditLog
from motcua.catalog.constants import DurationUnit, VersionStatus
from motcua.catalog.importers import SOURCE_BQP, SOURCE_CSDLQG, catalog_import
from motcua.catalog.models import (
    Component,
    FeeItem,
    Procedure,
    ProcedureVersion,
    ResultType,
    Sector,
)
from motcua.catalog.selectors import fees_for, procedure_search


@pytest.fixture(scope="module")
def real_import(django_db_setup, django_db_blocker):
    """Import the real files twice; yield both reports and the row ids after each."""
    with django_db_blocker.unblock():
        first = catalog_import()
        ids_after_first = _child_ids()
        second = catalog_import()
        yield first, second, ids_after_first, _child_ids()
        with transaction.atomic():
            for model in (
                Component,
                FeeItem,
                ResultType,
                ProcedureVersion,
                Procedure,
                Sector,
            ):
                model.objects.all().delete()
            AuditLog.objects.all().delete()


def _child_ids():
    return (
        set(Component.objects.values_list("pk", flat=True)),
        set(FeeItem.objects.values_list("pk", flat=True)),
        set(ResultType.objects.values_list("pk", flat=True)),
        set(ProcedureVersion.objects.values_list("pk", "updated_at")),
    )


@pytest.mark.django_db
def test_every_record_is_read_and_published_or_drafted(real_import):
    first, _, _, _ = real_import

    assert dict(first.read) == {SOURCE_CSDLQG: 2642, SOURCE_BQP: 207}
    assert first.total == 2849
    assert first.published + first.drafted == 2849
    assert (first.retired, first.kept, sum(first.rejected.values())) == (0, 0, 0)
    assert first.published == 2439
    assert dict(first.draft_reasons) == {
        "placeholder_one": 223,
        "no_duration": 139,
        "glued_to_fee": 22,
        "not_regulated": 15,
        "unparsed": 8,
        "zero_without_unit": 2,
        "no_channels": 1,
    }
    assert sum(first.draft_reasons.values()) == first.drafted
    assert len(first.rows) == first.drafted
    assert first.created == 2849
    assert first.seconds < 60
    assert ProcedureVersion.objects.count() == Procedure.objects.count() == 2849
    assert (
        ProcedureVersion.objects.filter(status=VersionStatus.PUBLISHED).count() == 2439
    )


@pytest.mark.django_db
def test_a_second_run_changes_nothing(real_import):
    first, second, ids_after_first, ids_after_second = real_import

    assert (second.published, second.drafted) == (first.published, first.drafted)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 2849)
    assert second.sectors_created == 0
    # Same rows, same ids: nothing deleted and re-created, no version touched.
    assert ids_after_second == ids_after_first
    assert Sector.objects.count() == first.sectors_created


@pytest.mark.django_db
def test_permanent_residence_registration(real_import):
    """1.004222 Đăng ký thường trú: 7 working days, 20.000 đ counter, 10.000 đ online."""
    version = ProcedureVersion.objects.select_related("procedure__sector").get(
        procedure__code="1.004222", number=1
    )

    assert version.status == VersionStatus.PUBLISHED
    assert (version.duration_value, version.duration_unit) == (
        Decimal(7),
        DurationUnit.WORKING_DAYS,
    )
    assert version.duration_label == "7 ngày làm việc"
    assert version.channels == ["counter", "online"]
    assert version.levels == ["commune"]
    assert version.procedure.sector.name == "Đăng ký, quản lý cư trú"
    assert version.procedure.issuing_body == "Bộ Công an"
    assert version.decision_number == "1523/QĐ-BCA-C06"
    assert version.import_source == SOURCE_CSDLQG
    assert version.source_url.startswith("https://dichvucong.gov.vn/")
    assert [f.amount for f in fees_for(version, "counter")] == [Decimal(20000)]
    assert [f.amount for f in fees_for(version, "online")] == [Decimal(10000)]
    assert fees_for(version, "post") == []
    assert sorted(version.result_types.values_list("code", flat=True)) == [
        "KQ.G01.000064",
        "KQ.G01.000065",
        "KQ.G01.000066",
        "KQ.G01.000067",
    ]
    # The document table is cut short in the source: kept as text, no components.
    assert not version.components.exists()
    assert version.components_text.startswith("Đăng ký thường trú vào chỗ ở hợp pháp")
    assert "cắt ngắn" in version.import_notes


@pytest.mark.django_db
def test_birth_registration_is_immediate_with_a_cutoff(real_import):
    """1.001193: the portal says "1"; the text says same day, 15:00 cut-off."""
    version = ProcedureVersion.objects.get(procedure__code="1.001193")

    assert version.status == VersionStatus.PUBLISHED
    assert version.duration_unit == DurationUnit.IMMEDIATE
    assert version.duration_value is None
    assert version.cutoff_time.isoformat() == "15:00:00"
    assert "trong ngày" in version.import_notes


@pytest.mark.django_db
def test_a_record_without_duration_is_a_draft_with_its_reason(real_import):
    """1.001612 Đăng ký thành lập hộ kinh doanh: no time on the portal."""
    version = ProcedureVersion.objects.get(procedure__code="1.001612")

    assert version.status == VersionStatus.DRAFT
    assert version.published_at is None
    assert version.import_notes.startswith("Chưa công bố: không có thời hạn")
    assert "(no_duration)" in version.import_notes
    assert "Hội đồng nhân dân" in version.import_notes
    assert version.duration_text.count("Không có thông tin") == 3


@pytest.mark.django_db
def test_ministry_of_defence_tables(real_import):
    """BQP 1.013124: 30 working days, two documents from the real table."""
    version = ProcedureVersion.objects.get(procedure__code="1.013124")

    assert version.import_source == SOURCE_BQP
    assert version.procedure.issuing_body == "Bộ Quốc phòng"
    assert version.decision_number == "6225/QĐ-BQP"
    assert (version.status, version.duration_value, version.duration_unit) == (
        VersionStatus.PUBLISHED,
        Decimal(30),
        DurationUnit.WORKING_DAYS,
    )
    components = list(version.components.order_by("order"))
    assert len(components) == 2
    assert components[1].note == "mẫu: 5-PHLCII.doc"
    assert version.legal_basis.startswith("- Quyết định số 12/2021/QĐ-TTg")


@pytest.mark.django_db
def test_bulk_paths_fill_the_search_keys(real_import):
    assert not Procedure.objects.filter(search_name="").exists()
    assert not Sector.objects.filter(search_name="").exists()
    assert not Procedure.objects.filter(sector__isnull=True).exists()
    assert [p.code for p in procedure_search("dang ky khai sinh", limit=1)] == [
        "1.001193"
    ]
    assert [p.code for p in procedure_search("dang ky thuong tru", limit=1)] == [
        "1.004222"
    ]


@pytest.mark.django_db
def test_each_run_is_audited(real_import):
    rows = AuditLog.objects.filter(
        event_type="catalog_publish", target_type="catalog.import"
    )

    assert rows.count() == 2
    assert rows.first().extra_data["read"] == {SOURCE_CSDLQG: 2642, SOURCE_BQP: 207}
