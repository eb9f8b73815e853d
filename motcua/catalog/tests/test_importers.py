"""
The catalogue importer on small files written for one behaviour each, made
from real records of data/vn-tthc-catalog/.
"""

import copy
import csv
import gzip
import json
from decimal import Decimal
from functools import cache
from io import StringIO

from django.conf import settings as django_settings
from django.core.management import CommandError, call_command

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.catalog.constants import DurationUnit, VersionStatus
from motcua.catalog.importers import (
    SOURCE_BQP,
    SOURCE_CSDLQG,
    catalog_import,
    record_from_bqp,
    record_from_csdlqg,
    sector_code,
)
from motcua.catalog.models import (
    Procedure,
    ProcedureVersion,
)
from motcua.catalog.services import version_create_draft, version_publish

from .factories import AgencyFactory, ProcedureFactory, ProcedureVersionFactory

CATALOG_DIR = django_settings.DATA_DIR / "vn-tthc-catalog"


@cache
def _real_record(code: str) -> str:
    with gzip.open(CATALOG_DIR / "procedures_csdlqg_2026.jsonl.gz", "rt") as lines:
        for line in lines:
            if f'"ma_thu_tuc": "{code}"' in line:
                return line
    raise LookupError(code)


def record(code="1.004222", **changes):
    raw = json.loads(_real_record("1.004222"))
    raw["ma_thu_tuc"] = code
    raw.update(changes)
    return raw


def bqp_record(code):
    with gzip.open(
        CATALOG_DIR / "procedures_bqp_structured_2025.jsonl.gz", "rt"
    ) as lines:
        raw = json.loads(next(lines))
    raw = copy.deepcopy(raw)
    raw["thu_tuc_id"] = raw["metadata"]["mã_thủ_tục"] = code
    return raw


def write_sources(tmp_path, csdlqg=(), bqp=()):
    folder = tmp_path / "vn-tthc-catalog"
    folder.mkdir(exist_ok=True)
    files = []
    for source, name, items in (
        (SOURCE_CSDLQG, "procedures_csdlqg_2026.jsonl.gz", csdlqg),
        (SOURCE_BQP, "procedures_bqp_structured_2025.jsonl.gz", bqp),
    ):
        path = folder / name
        with gzip.open(path, "wt", encoding="utf-8") as handle:
            for item in items:
                handle.write(
                    item
                    if isinstance(item, str)
                    else json.dumps(item, ensure_ascii=False)
                )
                handle.write("\n")
        files.append((source, path))
    return files


@pytest.mark.django_db
def test_odd_lines_are_reported_not_dropped(tmp_path):
    sources = write_sources(
        tmp_path,
        csdlqg=[
            record("1.000001"),
            "{not json",
            "[1, 2]",
            "",
            record(""),
            record("9" * 40),
            record("1.000001", ten_thu_tuc="Bản ghi trùng"),
            record(
                "1.000002", submission_channels="rác", cap_thuc_hien=None, linh_vuc=""
            ),
        ],
        bqp=[bqp_record("1.000001"), {"metadata": "rác"}],
    )

    report = catalog_import(sources)

    assert dict(report.read) == {SOURCE_CSDLQG: 7, SOURCE_BQP: 2}
    assert dict(report.rejected) == {
        "invalid_json": 1,
        "not_an_object": 1,
        "no_code": 2,
        "code_too_long": 1,
        "duplicate_in_source": 1,
        "superseded": 1,
    }
    assert (report.published, report.drafted) == (1, 1)
    assert (
        report.published + report.drafted + sum(report.rejected.values())
        == report.total
    )
    assert report.draft_reasons == {"no_channels": 1}
    odd = ProcedureVersion.objects.get(procedure__code="1.000002")
    assert odd.procedure.sector.name == "Chưa phân loại"
    assert odd.levels == []
    # The first record of a code wins, from the newer source.
    assert Procedure.objects.get(code="1.000001").name == "Đăng ký thường trú"


@pytest.mark.django_db
def test_re_import_follows_the_data(tmp_path):
    """A changed record updates version 1 in place; a lost duration unpublishes it."""
    catalog_import(write_sources(tmp_path, csdlqg=[record("1.000001")]))
    version = ProcedureVersion.objects.get()
    fee_ids = set(version.fees.values_list("pk", flat=True))
    assert version.status == VersionStatus.PUBLISHED

    changed = record("1.000001", ten_thu_tuc="Đăng ký thường trú (sửa)")
    for row in changed["submission_channels"]:
        row.update(time_value="", time_unit="")
        row["fee_and_note_raw"] = "Không có thông tin" + row["fee_and_note_raw"]
    report = catalog_import(write_sources(tmp_path, csdlqg=[changed]))

    version.refresh_from_db()
    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    assert version.name == version.procedure.name == "Đăng ký thường trú (sửa)"
    assert version.procedure.search_name == "1.000001 dang ky thuong tru (sua)"
    assert version.status == VersionStatus.DRAFT
    assert version.published_at is None
    assert version.duration_unit == ""
    # The fees did not change: their rows are the same.
    assert set(version.fees.values_list("pk", flat=True)) == fee_ids


@pytest.mark.django_db
def test_versions_made_by_an_administrator_are_left_alone(tmp_path):
    procedure = ProcedureFactory(code="1.000001", name="Tên do quản trị viên đặt")
    ProcedureVersionFactory(
        procedure=procedure, name="Phiên bản thủ công", import_source=""
    )

    report = catalog_import(write_sources(tmp_path, csdlqg=[record("1.000001")]))

    assert report.kept == 1
    assert report.rows[0].reason == "kept_admin_version"
    version = procedure.versions.get()
    assert (version.name, version.status) == ("Phiên bản thủ công", VersionStatus.DRAFT)


@pytest.mark.django_db
def test_later_versions_are_left_alone(tmp_path):
    """An administrator's version 2 stays in force; version 1 stays retired."""
    sources = write_sources(tmp_path, csdlqg=[record("1.000001")])
    catalog_import(sources)
    procedure = Procedure.objects.get()
    draft = version_create_draft(procedure)
    draft.duration_value = Decimal(5)
    draft.save()
    version_publish(draft)

    report = catalog_import(sources)

    assert (report.published, report.retired, report.updated) == (0, 1, 0)
    statuses = dict(procedure.versions.values_list("number", "status"))
    assert statuses == {1: VersionStatus.RETIRED, 2: VersionStatus.PUBLISHED}
    assert procedure.versions.get(number=2).duration_value == 5


@pytest.mark.django_db
def test_a_draft_version_1_is_not_published_over_a_later_one(tmp_path):
    """Version 1 drafted (no duration), version 2 published; then the data gains one."""
    no_time = record("1.000001")
    for row in no_time["submission_channels"]:
        row.update(time_value="", time_unit="")
    catalog_import(write_sources(tmp_path, csdlqg=[no_time]))
    procedure = Procedure.objects.get()
    draft = version_create_draft(procedure)
    draft.duration_unit, draft.duration_value = DurationUnit.WORKING_DAYS, Decimal(7)
    draft.save()
    version_publish(draft)

    report = catalog_import(write_sources(tmp_path, csdlqg=[record("1.000001")]))

    assert report.draft_reasons == {"other_version_published": 1}
    version = procedure.versions.get(number=1)
    assert version.status == VersionStatus.DRAFT
    assert version.duration_value == 7
    assert version.import_notes.startswith("Chưa công bố: thủ tục đã có phiên bản khác")


@pytest.mark.django_db
def test_a_procedure_the_province_uses_is_not_published_without_steps(tmp_path):
    procedure = ProcedureFactory(code="1.000001")
    procedure.agencies.add(AgencyFactory())

    report = catalog_import(write_sources(tmp_path, csdlqg=[record("1.000001")]))

    assert report.draft_reasons == {"province_uses_without_steps": 1}
    assert procedure.versions.get().status == VersionStatus.DRAFT


@pytest.mark.django_db
def test_the_command_prints_the_report_and_writes_the_drafts(tmp_path):
    no_time = record("1.000002")
    for row in no_time["submission_channels"]:
        row.update(time_value="1", time_unit="")
    write_sources(tmp_path, csdlqg=[record("1.000001"), no_time], bqp=["oops"])
    out = StringIO()

    call_command(
        "import_catalog",
        "--data-dir",
        str(tmp_path),
        "--report",
        str(tmp_path / "drafts.csv"),
        stdout=out,
    )

    text = out.getvalue()
    assert "Đọc 3 bản ghi (csdlqg-2026: 2, bqp-2025: 1)" in text
    assert "Công bố 1 · dự thảo 1" in text
    assert "placeholder_one: 1" in text
    assert "invalid_json: 1" in text
    with (tmp_path / "drafts.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["code"], r["status"], r["reason"]) for r in rows] == [
        ("", "rejected", "invalid_json"),
        ("1.000002", "draft", "placeholder_one"),
    ]


@pytest.mark.django_db
def test_dry_run_and_missing_files(tmp_path):
    write_sources(tmp_path, csdlqg=[record("1.000001")])

    call_command(
        "import_catalog", "--data-dir", str(tmp_path), "--dry-run", stdout=StringIO()
    )
    assert not Procedure.objects.exists()

    call_command(
        "import_catalog",
        "--data-dir",
        str(tmp_path),
        "--source",
        "bqp-2025",
        stdout=StringIO(),
    )
    assert not Procedure.objects.exists()

    with pytest.raises(CommandError):
        call_command(
            "import_catalog", "--data-dir", str(tmp_path / "nowhere"), stdout=StringIO()
        )


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Hộ tịch", "ho-tich"),
        ("Hộ Tịch", "ho-tich"),
        ("Đăng ký, quản lý cư trú", "dang-ky-quan-ly-cu-tru"),
        ("", "khac"),
    ],
)
def test_sector_codes(name, code):
    assert sector_code(name) == code


def test_long_sector_names_keep_unique_codes():
    long_a = "Quản lý " + "rất dài " * 20 + "A"
    long_b = "Quản lý " + "rất dài " * 20 + "B"

    assert len(sector_code(long_a)) <= 64
    assert sector_code(long_a) != sector_code(long_b)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=6,
)


@settings(max_examples=100, deadline=None)
@given(
    st.fixed_dictionaries(
        {},
        optional={
            key: JSON_VALUES
            for key in (
                "ma_thu_tuc",
                "ten_thu_tuc",
                "cap_thuc_hien",
                "linh_vuc",
                "so_quyet_dinh",
                "source_group",
                "detail_url",
                "thanh_phan_ho_so_raw",
                "ket_qua_xu_ly",
                "trinh_tu_thuc_hien_raw",
            )
        }
        | {
            "submission_channels": st.lists(
                st.dictionaries(
                    st.sampled_from(
                        ["channel", "time_value", "time_unit", "fee_and_note_raw"]
                    ),
                    JSON_VALUES,
                ),
                max_size=3,
            )
            | JSON_VALUES
        },
    )
)
def test_mapping_never_raises_on_odd_records(raw):
    """Whatever the JSON holds, a record maps to something reportable."""
    for mapper in (record_from_csdlqg, record_from_bqp):
        record = mapper(raw, 1)
        assert isinstance(record.version["import_notes"], str)
    record_from_bqp({"metadata": raw, "content": raw, "tables": raw}, 1)


@pytest.mark.django_db
def test_without_report_option_the_drafts_are_listed_in_the_reports_dir(
    tmp_path, settings
):
    settings.MOTCUA_REPORTS_DIR = tmp_path / "reports"
    no_time = record("1.000002")
    for row in no_time["submission_channels"]:
        row.update(time_value="1", time_unit="")
    write_sources(tmp_path, csdlqg=[record("1.000001"), no_time])
    out = StringIO()

    call_command("import_catalog", "--data-dir", str(tmp_path), stdout=out)

    report = tmp_path / "reports" / "catalog-import-report.csv"
    assert f"Danh sách chưa công bố: {report} (1 dòng)" in out.getvalue()
    with report.open(encoding="utf-8") as handle:
        assert [r["code"] for r in csv.DictReader(handle)] == ["1.000002"]
