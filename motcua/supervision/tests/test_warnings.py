"""Early warnings: the risk of missing the due time, from the units' usual pace."""

import pytest

from motcua.dossiers.constants import DossierAction as A
from motcua.supervision.access import Scope
from motcua.supervision.selectors.warnings import (
    LEVELS,
    dossiers_at_risk,
    pace_table,
    risk_counts,
)
from motcua.testing.lifecycle import act, at, receive

pytestmark = pytest.mark.django_db

NOW = at(2026, 3, 6, 10)  # Friday


@pytest.fixture
def history(province):
    """Five February dossiers: the police appraise in 5 working days of 4 (pace 1.25)."""
    p = province
    for day in (2, 3, 4, 5, 6):
        dossier = receive(p, when=at(2026, 2, day, 9))
        dossier = act(p, dossier, A.COMPLETE_STEP, "reception_a", at(2026, 2, day, 10))
        dossier = act(
            p,
            dossier,
            A.ASSIGN,
            "police_lead_a",
            at(2026, 2, day, 10),
            assignee=p.users["police_a"].pk,
        )
        dossier = act(p, dossier, A.COMPLETE_STEP, "police_a", at(2026, 2, day + 7, 10))
        act(p, dossier, A.RESOLVE, "police_lead_a", at(2026, 2, day + 7, 11))


@pytest.fixture
def open_dossiers(province, history):
    p = province
    d = {}
    # X: the centre held it three days; the police started Thursday 10:00.
    x = receive(p, when=at(2026, 3, 2, 9))  # due Wed 11/03 09:00
    x = act(p, x, A.COMPLETE_STEP, "reception_a", at(2026, 3, 5, 10))
    d["X"] = act(
        p,
        x,
        A.ASSIGN,
        "police_lead_a",
        at(2026, 3, 5, 10),
        assignee=p.users["police_a"].pk,
    )
    # M: a day at the centre, then with the police since Wednesday 09:00.
    m = receive(p, when=at(2026, 3, 3, 9))  # due Thu 12/03 09:00
    d["M"] = act(p, m, A.COMPLETE_STEP, "reception_a", at(2026, 3, 4, 9))
    # F: received now.
    d["F"] = receive(p, when=NOW)
    # Y: a birth registration (due today 17:30), reception step since 09:00.
    d["Y"] = receive(p, "birth", when=at(2026, 3, 6, 9))
    # O: received 23/02, due Wed 04/03 09:00, still at the counter.
    d["O"] = receive(p, when=at(2026, 2, 23, 9))
    return d


def test_the_pace_of_a_unit_is_its_median_of_used_over_allotted(province, history):
    paces = pace_table(at=NOW)
    p = province
    residence = p.procedures["residence"].procedure_id
    assert paces.pace(p.police_a.pk, residence, 2, "appraisal") == (1.25, 5)
    assert paces.pace(p.police_a.pk, residence, 3, "signing") == (0.125, 5)
    assert paces.pace(p.centre_a.pk, residence, 1, "reception") == (0.25, 5)
    # No history: the allotment itself.
    assert paces.pace(p.committee_a.pk, residence, 2, "appraisal") == (1.0, 0)


def test_each_open_dossier_gets_its_level_and_reminders(province, open_dossiers):
    p, d = province, open_dossiers
    risks = {r.dossier.pk: r for r in dossiers_at_risk(NOW, levels=LEVELS)}

    x = risks[d["X"].pk]
    # Ahead: appraisal 1920 × 1.25 − 480 elapsed = 1920, signing 480 × 0.125 = 60.
    assert (x.level, x.remaining_minutes, x.expected_minutes) == ("high", 1380, 1980)
    assert x.slack_minutes == -600
    assert x.predicted_finish == at(2026, 3, 12, 11)
    # Still allowed to apologise and extend until one working day before.
    assert (x.may_extend, x.suggest_extension) == (True, True)
    assert x.extend_before == at(2026, 3, 10, 9)
    assert x.suggested_due_at == at(2026, 3, 12, 17, 30)
    assert x.officer_ids == [p.users["police_a"].pk]
    assert x.centre_head_ids == [p.users["centre_head_a"].pk]
    assert [f.step.name for f in x.active] == ["Thẩm định, xác minh"]

    m = risks[d["M"].pk]
    # Appraisal 2400 − 1020 elapsed + signing 60 = 1440 against 1860 left.
    assert (m.level, m.remaining_minutes, m.expected_minutes) == ("medium", 1860, 1440)
    # Unassigned: the police leader is reminded.
    assert m.officer_ids == [p.users["police_lead_a"].pk]

    f = risks[d["F"].pk]
    assert (f.level, f.remaining_minutes, f.expected_minutes) == ("low", 3360, 2520)

    y = risks[d["Y"].pk]
    # 6 + 240 + 120 minutes of work, 330 left today: too late to extend.
    assert (y.level, y.expected_minutes, y.remaining_minutes) == ("high", 366, 330)
    assert (y.may_extend, y.suggest_extension) == (False, False)

    o = risks[d["O"].pk]
    assert o.level == "overdue" and o.remaining_minutes < 0
    # The counter step is unassigned: the centre's head is reminded.
    assert o.officer_ids == [p.users["centre_head_a"].pk]


def test_the_default_queue_leaves_out_the_low_risks_most_urgent_first(
    province, open_dossiers
):
    d = open_dossiers
    queue = dossiers_at_risk(NOW)
    assert [r.dossier.pk for r in queue] == [
        d["O"].pk,
        d["X"].pk,  # slack −600
        d["Y"].pk,  # slack −36
        d["M"].pk,
    ]
    assert risk_counts(queue) == {"overdue": 1, "high": 2, "medium": 1, "low": 0}


def test_paused_and_finished_dossiers_are_not_at_risk(province, open_dossiers):
    p, d = province, open_dossiers
    act(p, d["M"], A.REQUEST_SUPPLEMENT, "police_a", at(2026, 3, 6, 9), reason="Thiếu")
    assert d["M"].pk not in {r.dossier.pk for r in dossiers_at_risk(NOW, levels=LEVELS)}


def test_a_scope_sees_only_its_units(province, open_dossiers):
    scope = Scope(False, frozenset({province.centre_b.pk}))
    assert dossiers_at_risk(NOW, scope=scope) == []


def test_warnings_cost_a_bounded_number_of_queries(
    province, open_dossiers, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        dossiers_at_risk(NOW, levels=LEVELS)
