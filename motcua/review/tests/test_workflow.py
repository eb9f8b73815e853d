from decimal import Decimal

import pytest
import time_machine

from motcua.audit.models import AuditEvent, AuditLog
from motcua.catalog.constants import OnlineLevel, VersionStatus
from motcua.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from motcua.review.access import may_approve, may_review
from motcua.review.constants import ProposalKind, ProposalStatus
from motcua.review.services import (
    RoundClosed,
    WrongStatus,
    proposal_adopt,
    proposal_create,
    proposal_decide,
    review_round_close,
    review_round_open,
)
from motcua.testing.lifecycle import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def now():
    with time_machine.travel(at(2026, 4, 15, 9), tick=False):
        yield


@pytest.fixture
def review_round(province, costs, now):
    return review_round_open(year=2026, title="", actor=province.users["supervisor"])


def _audit_actions():
    return list(
        AuditLog.objects.filter(event_type=AuditEvent.REVIEW)
        .order_by("pk")
        .values_list("extra_data__action", flat=True)
    )


@pytest.mark.parametrize(
    ("user", "reviews", "approves"),
    [
        ("supervisor", True, True),
        ("centre_head", True, True),  # the provincial centre
        ("centre_head_a", True, False),  # a commune centre
        ("leader_a", True, False),
        ("processing_a", False, False),
        ("reception_a", False, False),
    ],
)
def test_who_reviews_and_who_approves(province, user, reviews, approves):
    person = province.users[user]

    assert may_review(person) is reviews
    assert may_approve(person) is approves


def test_only_the_provincial_office_opens_a_round_once_a_year(province, now):
    with pytest.raises(PermissionDenied):
        review_round_open(year=2026, title="", actor=province.users["centre_head_a"])

    review_round = review_round_open(
        year=2026, title="", actor=province.users["centre_head"]
    )

    assert review_round.title == "Rà soát, đánh giá thủ tục hành chính năm 2026"
    with pytest.raises(Conflict):
        review_round_open(year=2026, title="", actor=province.users["supervisor"])


def test_a_proposal_carries_its_evidence_and_cost(march, review_round):
    p = march.p
    proposal = proposal_create(
        review_round=review_round,
        procedure=p.procedures["residence"].procedure,
        kind=ProposalKind.SHORTEN_DURATION,
        description="Rút thời hạn còn 6 ngày làm việc.",
        new_duration_value="6",
        hours_saved="1",
        actor=p.users["centre_head_a"],
    )

    # 15 dossiers by 15/04 → 53 a year; one hour less at 60,000 đ.
    assert proposal.cost_before["yearly_dossiers"] == 53
    assert Decimal(proposal.cost_before["hours"]) == Decimal("3.5")
    assert Decimal(proposal.cost_after["hours"]) == Decimal("2.5")
    assert proposal.yearly_saving == 60000 * 53
    assert proposal.evidence["period"] == "year:2026"
    assert proposal.evidence["received"] == 15  # the year so far, as the cost
    assert {s["code"] for s in proposal.evidence["signals"]} >= {"late"}
    assert _audit_actions() == ["round_open", "proposal_create"]


@pytest.mark.parametrize(
    ("kind", "extra", "code"),
    [
        (
            ProposalKind.SHORTEN_DURATION,
            {"new_duration_value": "7"},
            "duration_invalid",
        ),
        (ProposalKind.SHORTEN_DURATION, {}, "duration_invalid"),
        (ProposalKind.SIMPLIFY_COMPONENT, {}, "component_invalid"),
        (ProposalKind.FULL_ONLINE, {}, "already_online"),
        (ProposalKind.REMOVE, {"hours_saved": "-1"}, "value_invalid"),
        ("nonsense", {}, "kind_invalid"),
    ],
)
def test_bad_proposals_are_refused_and_change_nothing(
    province, review_round, kind, extra, code
):
    with pytest.raises(ValidationFailed) as raised:
        proposal_create(
            review_round=review_round,
            procedure=province.procedures["residence"].procedure,
            kind=kind,
            description="Phương án",
            actor=province.users["supervisor"],
            **extra,
        )

    assert raised.value.code == code
    assert not review_round.proposals.exists()


def test_officers_without_a_supervising_role_cannot_propose(province, review_round):
    with pytest.raises(PermissionDenied):
        proposal_create(
            review_round=review_round,
            procedure=province.procedures["residence"].procedure,
            kind=ProposalKind.REMOVE,
            description="Bãi bỏ",
            actor=province.users["processing_a"],
        )


def _proposal(province, review_round, **fields):
    values = {
        "review_round": review_round,
        "procedure": province.procedures["residence"].procedure,
        "kind": ProposalKind.SHORTEN_DURATION,
        "description": "Rút ngắn thời hạn",
        "new_duration_value": "6",
        "actor": province.users["centre_head_a"],
    }
    values.update(fields)
    return proposal_create(**values)


def test_approval_adoption_publishes_a_new_catalog_version(province, review_round):
    proposal = _proposal(province, review_round)
    with pytest.raises(PermissionDenied):
        proposal_decide(proposal, approve=True, actor=province.users["centre_head_a"])
    with pytest.raises(WrongStatus):
        proposal_adopt(proposal, actor=province.users["supervisor"])

    proposal = proposal_decide(
        proposal, approve=True, note="Đồng ý", actor=province.users["supervisor"]
    )
    proposal = proposal_adopt(proposal, actor=province.users["supervisor"])

    assert proposal.status == ProposalStatus.ADOPTED
    version = proposal.adopted_version
    # Steps take 4 h + 4 d + 1 d + 4 h = 6 working days: it fits and is published.
    assert (version.number, version.status) == (2, VersionStatus.PUBLISHED)
    assert version.duration_value == 6
    assert version.steps.count() == 4
    old = province.procedures["residence"]
    old.refresh_from_db()
    assert old.status == VersionStatus.RETIRED
    assert _audit_actions() == [
        "round_open",
        "proposal_create",
        "proposal_approve",
        "proposal_adopt",
    ]
    assert AuditLog.objects.filter(
        event_type=AuditEvent.CATALOG_PUBLISH, target_id=str(version.pk)
    ).exists()


def test_a_duration_shorter_than_the_steps_is_left_as_a_draft(province, review_round):
    proposal = _proposal(province, review_round, new_duration_value="5")
    proposal_decide(proposal, approve=True, actor=province.users["supervisor"])

    proposal = proposal_adopt(proposal, actor=province.users["supervisor"])

    assert proposal.adopted_version.status == VersionStatus.DRAFT
    assert "chưa công bố được" in proposal.adoption_note
    residence = province.procedures["residence"]
    residence.refresh_from_db()
    assert residence.status == VersionStatus.PUBLISHED


def test_removing_a_component_publishes_a_version_without_it(province, review_round):
    birth = province.procedures["birth"]
    marriage = birth.components.get(order=3)
    proposal = _proposal(
        province,
        review_round,
        procedure=birth.procedure,
        kind=ProposalKind.SIMPLIFY_COMPONENT,
        component=marriage,
        new_duration_value=None,
        description="Khai thác CSDL hộ tịch thay giấy chứng nhận kết hôn.",
    )
    proposal_decide(proposal, approve=True, actor=province.users["centre_head"])

    proposal = proposal_adopt(proposal, actor=province.users["centre_head"])

    version = proposal.adopted_version
    assert version.status == VersionStatus.PUBLISHED
    assert list(version.components.values_list("name", flat=True)) == [
        "Tờ khai đăng ký khai sinh",
        "Giấy chứng sinh",
    ]


def test_full_online_and_inter_agency_changes(province, review_round):
    birth = province.procedures["birth"]
    birth.online_level = OnlineLevel.PARTIAL
    birth.channels = ["counter"]
    birth.save()
    online = _proposal(
        province,
        review_round,
        procedure=birth.procedure,
        kind=ProposalKind.FULL_ONLINE,
        new_duration_value=None,
    )
    proposal_decide(online, approve=True, actor=province.users["supervisor"])
    version = proposal_adopt(online, actor=province.users["supervisor"]).adopted_version
    assert version.online_level == OnlineLevel.FULL
    assert version.channels == ["counter", "online"]

    chain = _proposal(
        province, review_round, kind=ProposalKind.INTER_AGENCY, new_duration_value=None
    )
    proposal_decide(chain, approve=True, actor=province.users["supervisor"])
    chain = proposal_adopt(chain, actor=province.users["supervisor"])
    # Participants must be added before publishing: kept as a draft.
    assert chain.adopted_version.status == VersionStatus.DRAFT
    assert chain.adopted_version.is_inter_agency


def test_rejection_needs_a_reason_and_removal_makes_no_version(province, review_round):
    proposal = _proposal(
        province, review_round, kind=ProposalKind.REMOVE, new_duration_value=None
    )
    assert proposal.yearly_saving == Decimal(proposal.cost_before["yearly"])
    with pytest.raises(ValidationFailed):
        proposal_decide(proposal, approve=False, actor=province.users["supervisor"])

    proposal_decide(proposal, approve=True, actor=province.users["supervisor"])
    proposal = proposal_adopt(proposal, actor=province.users["supervisor"])

    assert proposal.adopted_version is None
    assert "bãi bỏ" in proposal.adoption_note


def test_a_closed_round_takes_no_more_proposals_or_decisions(province, review_round):
    proposal = _proposal(province, review_round)
    review_round_close(review_round, actor=province.users["supervisor"])

    with pytest.raises(RoundClosed):
        _proposal(province, review_round)
    with pytest.raises(RoundClosed):
        proposal_decide(proposal, approve=True, actor=province.users["supervisor"])
    assert _audit_actions()[-1] == "round_close"
