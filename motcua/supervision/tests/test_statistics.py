"""Statistics of a month with known outcomes, and the dossiers behind each figure."""

import pytest

from motcua.supervision import periods
from motcua.supervision.access import Scope
from motcua.supervision.selectors.statistics import (
    CELL_NAMES,
    StatFilters,
    dossier_statistics,
    flow_matrix,
    statistics_dossiers,
)

pytestmark = pytest.mark.django_db

MARCH = periods.month(2026, 3)

# Hand-computed from the table in scenario.py.
EXPECTED_MARCH = {
    "received": 12,  # D1, D2, D4–D13
    "received_online": 1,  # D7
    "received_counter": 10,
    "received_post": 1,  # D6
    "carried_over": 1,  # D3
    "total": 13,
    "finished": 10,  # D1–D9, D11
    "early": 4,  # D1, D2, D3, D11 (stopped well before its due time)
    "on_time": 4,  # D4–D7
    "late": 2,  # D8, D9
    "resolved": 9,
    "stopped": 1,  # D11
    "counted_late": 1,  # D9
    "open": 3,  # D10, D12, D13
    "open_in_time": 1,  # D12
    "open_overdue": 1,  # D10, due 25/03 14:00
    "paused_supplement": 1,  # D13
    "paused_payment": 0,
    "paused_in_time": 1,
    "paused_overdue": 0,
}
CELLS_DOSSIERS = {
    "received_online": {"D7"},
    "received_post": {"D6"},
    "carried_over": {"D3"},
    "early": {"D1", "D2", "D3", "D11"},
    "on_time": {"D4", "D5", "D6", "D7"},
    "late": {"D8", "D9"},
    "stopped": {"D11"},
    "counted_late": {"D9"},
    "open_in_time": {"D12"},
    "open_overdue": {"D10"},
    "paused_supplement": {"D13"},
}


def test_every_figure_of_march_matches_the_hand_count(march, april_15):
    rows, total = dossier_statistics(MARCH, group="province")

    assert [row.label for row in rows] == ["Toàn tỉnh"]
    assert {name: rows[0].counts[name] for name in CELL_NAMES} == EXPECTED_MARCH
    assert total.counts == rows[0].counts
    assert total.on_time_rate == 80  # 8 of 10 finished
    # Working minutes from reception to result, pauses out (D1–D9):
    # 1500 × 3 + (3420 − 480) + 3300 + 3360 + 3120 + 3900 + (2400 − 960)
    # = 22560 over 9 dossiers = 2506.67 minutes = 5.22 working days.
    assert (total.processing_minutes, total.processing_count) == (22560, 9)
    assert str(total.avg_processing_days) == "5.22"


def test_every_figure_drills_down_to_its_dossiers(march, april_15):
    for cell, names in CELLS_DOSSIERS.items():
        dossiers = statistics_dossiers(MARCH, cell)
        assert set(dossiers.values_list("pk", flat=True)) == march.pk(*names), cell


def test_a_figure_of_a_row_drills_down_to_that_row(march, april_15, province):
    rows, _total = dossier_statistics(MARCH, group="centre")
    by_label = {row.label: row for row in rows}
    assert by_label["TTPVHCC Bình Minh"].counts["early"] == 1
    dossiers = statistics_dossiers(
        MARCH, "early", group="centre", key=province.centre_b.pk
    )
    assert set(dossiers.values_list("pk", flat=True)) == march.pk("D2")


def test_rows_by_agency_sector_and_procedure_add_up_to_the_province(march, april_15):
    province_row = dossier_statistics(MARCH, group="province")[0][0]
    for group in ("agency", "centre", "sector", "procedure"):
        rows, total = dossier_statistics(MARCH, group=group)
        assert total.counts == province_row.counts, group
        assert total.processing_minutes == province_row.processing_minutes, group
    rows, _ = dossier_statistics(MARCH, group="centre")
    assert [(r.label, r.counts["total"]) for r in rows] == [
        ("TTPVHCC An Hòa", 12),
        ("TTPVHCC Bình Minh", 1),
    ]
    rows, _ = dossier_statistics(MARCH, group="procedure")
    assert [r.label for r in rows] == ["1.004222 – Đăng ký thường trú"]


def test_filters_narrow_the_table_along_the_drill_path(march, april_15, province):
    rows, total = dossier_statistics(
        MARCH,
        group="sector",
        filters=StatFilters(receiving_centre_id=province.centre_b.pk),
    )
    assert total.counts["total"] == 1 and rows[0].label == "Đăng ký, quản lý cư trú"


def test_a_scope_limits_the_figures_to_its_units(march, april_15, province):
    scope = Scope(province_wide=False, units=frozenset({province.centre_b.pk}))
    _rows, total = dossier_statistics(MARCH, group="province", scope=scope)
    assert total.counts["total"] == 1


def test_february_and_april_see_the_same_dossiers_from_their_side(march, april_15):
    february = dossier_statistics(periods.month(2026, 2), group="province")[1]
    # D0 finished in February; D3 received then and carried into March.
    assert (february.counts["finished"], february.counts["open"]) == (1, 1)
    april = periods.custom(periods.date(2026, 4, 1), periods.date(2026, 4, 14))
    april_rows = dossier_statistics(april, group="province")[1]
    # Carried into April: D10, D12, D13; D10 finished late on 02/04.
    assert april_rows.counts["carried_over"] == 3
    assert april_rows.counts["late"] == 1
    assert april_rows.counts["received"] == 1  # D14


def test_a_period_not_over_is_measured_now_and_agrees_with_its_events(march, april_15):
    # April up to now (current state) and 1–14 April (read from the events)
    # see the same open dossiers: nothing happened on the 15th before 09:00.
    running = dossier_statistics(periods.month(2026, 4), group="province")[1]
    ended = dossier_statistics(
        periods.custom(periods.date(2026, 4, 1), periods.date(2026, 4, 14)),
        group="province",
    )[1]
    for cell in (
        "open",
        "open_in_time",
        "open_overdue",
        "paused_supplement",
        "paused_in_time",
        "paused_overdue",
    ):
        assert running.counts[cell] == ended.counts[cell], cell
    # D12 (due 08/04) is overdue by now; D14 is due at 09:00 today, not yet
    # late; D13 still waits for its supplement.
    assert (
        running.counts["open_overdue"],
        running.counts["open_in_time"],
        running.counts["paused_supplement"],
    ) == (1, 1, 1)


def test_the_boundary_free_flow_matrix(march, april_15, province):
    matrix = flow_matrix(MARCH)
    assert matrix.cell(province.centre_a.pk, province.police_a.pk) == 11
    assert matrix.cell(province.centre_b.pk, province.police_a.pk) == 1
    assert matrix.total == 12
    received_at_b = statistics_dossiers(
        MARCH,
        "received",
        filters=StatFilters(
            receiving_centre_id=province.centre_b.pk,
            competent_agency_id=province.police_a.pk,
        ),
    )
    assert set(received_at_b.values_list("pk", flat=True)) == march.pk("D2")


def test_the_statistics_cost_a_bounded_number_of_queries(
    march, april_15, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        dossier_statistics(MARCH, group="agency")
    with django_assert_max_num_queries(6):
        dossier_statistics(periods.year(2026), group="procedure")
