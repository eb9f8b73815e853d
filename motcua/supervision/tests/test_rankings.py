"""Satisfaction, rankings with the minimum sample rule, the staff sheet and the agency pack."""

from decimal import Decimal

import pytest

from motcua.supervision import periods
from motcua.supervision.selectors.rankings import agency_rankings, officer_rankings
from motcua.supervision.selectors.reports import agency_pack, staff_sheet
from motcua.supervision.selectors.satisfaction import (
    satisfaction_by_agency,
    satisfaction_by_officer,
)

pytestmark = pytest.mark.django_db

MARCH = periods.month(2026, 3)


def test_satisfaction_counts_each_dossier_once_for_every_unit_and_officer(
    march_feedback, april_15, province
):
    p = province
    agencies = satisfaction_by_agency(MARCH)
    police = agencies[p.police_a.pk]
    # D1 (5), D2 (4), D4 (2); D4's later kiosk rating does not count.
    assert (
        police.ratings,
        police.mean_level,
        police.satisfied,
        police.dissatisfied,
    ) == (
        3,
        Decimal("3.67"),
        2,
        1,
    )
    assert police.satisfied_rate == Decimal("66.67")
    assert (agencies[p.centre_a.pk].ratings, agencies[p.centre_b.pk].ratings) == (2, 1)
    officers = satisfaction_by_officer(MARCH)
    officer = officers[p.users["police_a"].pk]
    assert (officer.ratings, officer.mean_level) == (3, Decimal("3.67"))
    # Circular 01/2018: 2 + 1 + 0 points over 3 ratings on each staff index.
    assert officer.tt01 == {
        1: Decimal("1.0"),
        3: Decimal("1.0"),
        4: Decimal("1.0"),
        7: Decimal("1.0"),
    }
    assert officers[p.users["reception_b"].pk].mean_level == Decimal("4.00")


def test_agencies_are_ranked_only_with_enough_data(
    march_feedback, april_15, province, settings
):
    p = province
    rows = {r.key: r for r in agency_rankings(MARCH)}
    police, centre_a, centre_b = (
        rows[p.police_a.pk],
        rows[p.centre_a.pk],
        rows[p.centre_b.pk],
    )
    assert (police.on_time_rate, police.rank_on_time_rate) == (Decimal("80.00"), 1)
    assert (centre_a.on_time_rate, centre_a.rank_on_time_rate) == (Decimal("77.78"), 2)
    # One finished dossier is shown, not ranked.
    assert (centre_b.on_time_rate, centre_b.rank_on_time_rate) == (
        Decimal("100.00"),
        None,
    )
    assert centre_b.eligible["on_time_rate"] is False
    # Fewer minutes of lateness rank first.
    assert (centre_a.ledger_minutes, centre_a.rank_ledger_minutes) == (0, 1)
    assert (police.ledger_minutes, police.rank_ledger_minutes) == (4950, 2)
    # Three ratings are fewer than the 5 needed: nobody ranked on satisfaction.
    assert {r.rank_satisfaction for r in rows.values()} == {None}
    settings.MOTCUA_RATING_MIN_SAMPLE = 2
    rows = {r.key: r for r in agency_rankings(MARCH)}
    assert rows[p.police_a.pk].rank_satisfaction == 1
    assert rows[p.centre_a.pk].rank_satisfaction == 2  # 3.50
    assert rows[p.centre_b.pk].rank_satisfaction is None  # one rating
    assert rows[p.police_a.pk].index_766 is not None


def test_officers_are_ranked_on_their_own_steps(
    march_feedback, april_15, province, settings
):
    p = province
    rows = {r.key: r for r in officer_rankings(MARCH)}
    officer = rows[p.users["police_a"].pk]
    assert (
        officer.steps == 9 and officer.ledger_minutes == 4950 and officer.breaches == 1
    )
    assert officer.rank_satisfaction is None  # 3 ratings < 5
    # One rating does not rank an officer, even with the threshold lowered.
    settings.MOTCUA_RATING_MIN_SAMPLE = 2
    rows = {r.key: r for r in officer_rankings(MARCH)}
    assert rows[p.users["reception_b"].pk].rank_satisfaction is None
    assert rows[p.users["police_a"].pk].rank_satisfaction is not None


def test_the_monthly_staff_sheet_of_the_police(march_feedback, april_15, province):
    p = province
    sheet = staff_sheet(MARCH, p.police_a)
    assert [r.name for r in sheet.rows] == ["Bùi Văn Nam", "Ngô Thanh Sơn"]
    officer, leader = sheet.rows
    assert (officer.steps.steps, officer.ledger_minutes, officer.breaches) == (
        9,
        4950,
        1,
    )
    assert (officer.satisfaction.ratings, officer.satisfaction.mean_level) == (
        3,
        Decimal("3.67"),
    )
    assert officer.tt01_total is not None and officer.tt01_band
    assert leader.steps.steps == 9 and leader.role == "Lãnh đạo cơ quan"
    reception = staff_sheet(MARCH, p.centre_a).rows
    assert {r.name: r.received for r in reception}["Nguyễn Thị Lan"] == 11


def test_the_quarterly_agency_pack(march_feedback, april_15, province):
    p = province
    pack = agency_pack(periods.quarter(2026, 1), p.police_a)
    rows, total = pack.as_competent
    assert [r.label for r in rows] == ["Đăng ký, quản lý cư trú"]
    assert total.counts["finished"] == 11  # March's 10 and D0 in February
    assert pack.extensions == 0
    assert pack.satisfaction.ratings == 3
    criterion_a = next(c for c in pack.criteria if c.criterion == "a")
    assert (criterion_a.answers, criterion_a.mean_level, criterion_a.tt01) == (
        3,
        Decimal("3.67"),
        Decimal("1.0"),
    )
    assert pack.ledger.agencies[0].over_minutes == 4950
    assert pack.index.by_code("PROGRESS_ON_TIME").denominator == 14
