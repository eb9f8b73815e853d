"""``motcua import-units`` on the real data of data/vn-admin-units."""

import shutil
from collections import Counter
from datetime import date
from io import StringIO

from django.conf import settings
from django.core.management import CommandError, call_command

import pytest

from motcua.units.constants import MergeType, Structure, UnitLevel
from motcua.units.models import (
    AdministrativeUnit,
    AdministrativeUnitRename,
    UnitSuccession,
)

pytestmark = pytest.mark.django_db

TWO, THREE = Structure.TWO_LEVEL, Structure.THREE_LEVEL
DATA_DIR = settings.DATA_DIR / "vn-admin-units"
# The figures are the command's last line.
LAST_LINES = [
    "old structure: provinces: 63, districts: 696, communes: 10047 "
    "(10035 listed + 12 dissolved before 2025-03-01); "
    "successions: 10604 (10599 from communes + 5 from island districts)",
    "provinces: 34, communes: 3321",
]


def run(*args: str) -> list[str]:
    out = StringIO()
    call_command("import_units", *args, stdout=out)
    return out.getvalue().splitlines()


def unit(structure: str, code: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(structure=structure, code=code)


def state() -> tuple:
    """Every row the import writes, for comparing two runs."""
    return (
        sorted(AdministrativeUnit.objects.values_list()),
        sorted(AdministrativeUnitRename.objects.values_list()),
        sorted(UnitSuccession.objects.values_list()),
    )


def test_import_units_loads_the_real_data_and_a_second_run_changes_nothing(
    django_assert_max_num_queries,
):
    """
    34 provinces and 3,321 communes (2026 names and types, 205 renames), the old
    63/696/10,035 structure plus 12 dissolved communes, 10,604 successions;
    running again writes nothing and takes a handful of queries, and puts back
    a unit edited in between.
    """
    lines = run()
    assert lines[-2:] == LAST_LINES
    assert lines[0].startswith("units: 14161 created, 0 updated; renames: 205 created")

    two = AdministrativeUnit.objects.filter(structure=TWO)
    assert Counter(
        two.filter(level=UnitLevel.COMMUNE).values_list("unit_type", flat=True)
    ) == {
        "Xã": 2611,
        "Phường": 697,
        "Đặc khu": 13,
    }
    # Every unit hangs under a unit of its own structure, one level up.
    assert (
        not two.filter(level=UnitLevel.COMMUNE, parent__level=UnitLevel.PROVINCE)
        .exclude(parent__structure=TWO)
        .exists()
    )
    assert (
        two.filter(level=UnitLevel.COMMUNE, parent__level=UnitLevel.PROVINCE).count()
        == 3321
    )
    old_communes = AdministrativeUnit.objects.filter(
        structure=THREE, level=UnitLevel.COMMUNE
    )
    assert (
        old_communes.filter(
            parent__level=UnitLevel.DISTRICT, parent__structure=THREE
        ).count()
        == 10035
    )
    assert (
        AdministrativeUnit.objects.filter(
            structure=THREE, level=UnitLevel.DISTRICT, parent__level=UnitLevel.PROVINCE
        ).count()
        == 696
    )
    assert not AdministrativeUnit.objects.filter(search_name="").exists()

    before = state()
    with django_assert_max_num_queries(20):
        lines = run()
    assert lines[0].startswith(
        "units: 0 created, 0 updated; renames: 0 created, 0 updated; "
        "successions: 0 created, 0 updated"
    )
    assert lines[-2:] == LAST_LINES
    assert state() == before

    # A unit edited since is put back to the files' values, and only it.
    commune = unit(TWO, "00004")
    AdministrativeUnit.objects.filter(pk=commune.pk).update(
        full_name="X", search_name="x"
    )
    assert run()[0].startswith("units: 0 created, 1 updated;")
    commune.refresh_from_db()
    assert (commune.full_name, commune.search_name) == (
        "Phường Ba Đình",
        "phuong ba dinh",
    )

    check_errata()
    check_revision_2026()
    check_old_structure_and_successions()


def check_errata():
    """The official GSO 1027 code is the code; the other one is kept."""
    for official, other, name in [
        ("23737", "23938", "Xã Ia Mơ"),
        ("06970", "06978", "Xã Ba Chẽ"),
    ]:
        commune = unit(TWO, official)
        assert commune.full_name == name
        assert commune.alternative_codes == other
        assert not AdministrativeUnit.objects.filter(structure=TWO, code=other).exists()
        # The mapping names the official code, so the commune has predecessors.
        assert commune.predecessors.exists()


def check_revision_2026():
    """Unit rows carry the 2026-07-25 names and types; changes are renames."""
    dong_nai = unit(TWO, "75")
    assert (dong_nai.full_name, dong_nai.unit_type) == (
        "Thành phố Đồng Nai",
        "Thành phố",
    )
    rename = dong_nai.renames.get()
    assert (rename.old_full_name, rename.old_unit_type) == ("Tỉnh Đồng Nai", "Tỉnh")
    assert rename.effective_on == date(2026, 7, 25)

    loc_ninh = unit(TWO, "25270")
    assert (loc_ninh.full_name, loc_ninh.unit_type) == ("Phường Lộc Ninh", "Phường")
    assert loc_ninh.renames.get().old_full_name == "Xã Lộc Ninh"

    pho_bang = unit(TWO, "00745")
    assert pho_bang.full_name == "Xã Phố Bảng"
    assert pho_bang.renames.get().old_full_name == "Xã Phó Bảng"

    # The tone-mark rewrite keeps search working with either spelling.
    khanh_hoa = unit(TWO, "56")
    assert khanh_hoa.full_name == "Tỉnh Khánh Hoà"
    assert khanh_hoa.search_name == "tinh khanh hoa"
    assert AdministrativeUnitRename.objects.count() == 205
    assert set(
        AdministrativeUnitRename.objects.values_list("effective_on", flat=True)
    ) == {date(2026, 7, 25)}
    # Two-level units are valid from the reform; nothing ends them.
    assert (
        not AdministrativeUnit.objects.filter(structure=TWO)
        .exclude(valid_from=date(2025, 7, 1))
        .exists()
    )


def check_old_structure_and_successions():
    """Old units end on 01/7/2025; 12 codes only the mapping knows end earlier."""
    assert not AdministrativeUnit.objects.filter(
        structure=THREE, valid_to__isnull=True
    ).exists()
    dissolved = AdministrativeUnit.objects.filter(
        structure=THREE, valid_to=date(2025, 3, 1)
    )
    assert sorted(dissolved.values_list("code", flat=True)) == [
        "07693", "07732", "07744", "16387", "16411", "18448",
        "20176", "20674", "25102", "25174", "25177", "25186",
    ]  # fmt: skip
    tan_an = unit(THREE, "07693")
    assert (tan_an.full_name, tan_an.name, tan_an.unit_type) == (
        "Xã Tân An",
        "Tân An",
        "Xã",
    )
    assert tan_an.parent == unit(THREE, "24")
    assert tan_an.successors.exists()
    assert unit(THREE, "25102").full_name == "Xã Đạ M'ri"

    assert UnitSuccession.objects.count() == 10604
    assert UnitSuccession.objects.filter(merge_type=MergeType.PARTIAL).count() == 1012
    assert not UnitSuccession.objects.exclude(old_unit__structure=THREE).exists()
    assert not UnitSuccession.objects.exclude(new_unit__structure=TWO).exists()
    # Old commune names come from the three-level list, not the mapping's typos.
    assert unit(THREE, "04138").full_name == "Xã Cò Nòi"
    # The island district of Côn Đảo became a special zone.
    con_dao = UnitSuccession.objects.get(old_unit=unit(THREE, "755"))
    assert con_dao.new_unit == unit(TWO, "26732")
    assert con_dao.new_unit.unit_type == "Đặc khu"
    # Phường Đại Mỗ was split across five new wards.
    dai_mo = unit(THREE, "00634")
    assert sorted(dai_mo.successors.values_list("new_unit__code", "merge_type")) == [
        ("00622", "partial"),
        ("00634", "partial"),
        ("00637", "partial"),
        ("09556", "partial"),
        ("09886", "partial"),
    ]


@pytest.fixture
def data_dir(tmp_path):
    """A writable copy of the unit data, to break."""
    target = tmp_path / "units"
    shutil.copytree(DATA_DIR, target)
    return target


def replace_in(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def break_missing_file(d):
    (d / "mapping_old_commune_to_new_2025-07-01.csv").unlink()


def break_column(d):
    replace_in(d / "districts_2025-03-01.csv", "district_code,", "code,")


def break_unknown_new_commune(d):
    replace_in(
        d / "mapping_old_commune_to_new_2025-07-01.csv", ",01,00097,", ",01,99999,"
    )


def break_province_codes(d):
    replace_in(d / "gso_915_CTK-CSCL_provinces_2025.csv", "2,04,", "2,05,")


def break_unmatched_code(d):
    replace_in(
        d / "gso_1027_CTK-CSCL_communes_2025-06-25.csv", "Xã Ia Mơ", "Xã Ia Mở Rộng"
    )


def break_unit_type(d):
    replace_in(
        d / "communes_two_level_2026-07-25.csv", ",Phường,Ward,", ",Khu phố,Ward,"
    )


def break_code_format(d):
    replace_in(d / "provinces_63_2025-03-01.csv", "\n02,", "\n2,")


def break_encoding(d):
    path = d / "administrative_unit_types.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (break_missing_file, "missing file: "),
        (break_column, "districts_2025-03-01.csv: missing column(s) district_code"),
        (break_unknown_new_commune, "unknown new commune 99999"),
        (break_province_codes, "province codes differ from gso_915"),
        (break_unmatched_code, "no single official code matches its name"),
        (break_unit_type, "unknown unit type 'Khu phố'"),
        (break_code_format, "province_code '2' is not 2 digits"),
        (break_encoding, "administrative_unit_types.csv"),
    ],
)
def test_bad_data_is_refused_with_one_line_and_nothing_written(
    data_dir, damage, message
):
    """A missing, malformed or inconsistent file stops the import before any write."""
    damage(data_dir)
    with pytest.raises(CommandError) as raised:
        run("--data-dir", str(data_dir))
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)
    assert not AdministrativeUnit.objects.exists()


def test_a_failure_while_writing_leaves_nothing_half_written(monkeypatch):
    """The import is one transaction: a failure after the provinces rolls them back."""
    manager = AdministrativeUnit.objects
    real_bulk_create = manager.bulk_create
    calls = []

    def bulk_create_then_fail(objs, **kwargs):
        calls.append(len(objs))
        if len(calls) > 1:
            raise RuntimeError("disk full")
        return real_bulk_create(objs, **kwargs)

    monkeypatch.setattr(manager, "bulk_create", bulk_create_then_fail)
    with pytest.raises(RuntimeError):
        run()
    assert calls[0] == 34 + 63  # the provinces of both structures were written
    assert not AdministrativeUnit.objects.exists()
