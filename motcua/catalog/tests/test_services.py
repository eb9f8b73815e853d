"""Publishing, drafting and editing procedure versions through the services."""

from decimal import Decimal

import pytest

from motcua.audit.models import AuditLog
from motcua.catalog.constants import (
    DurationUnit,
    StepDurationUnit,
    UnitRole,
    VersionStatus,
)
from motcua.catalog.models import StepTemplate
from motcua.catalog.services import (
    ForeignParticipant,
    VersionImmutable,
    VersionNotDraft,
    VersionNotPublishable,
    WrongProcedure,
    duration_limit_minutes,
    version_child_delete,
    version_child_save,
    version_create_draft,
    version_publish,
    version_update,
)
from motcua.core.exceptions import DomainError, RuleViolation, ValidationFailed

from .factories import (
    AgencyFactory,
    ComponentFactory,
    FeeItemFactory,
    ParticipantTemplateFactory,
    ProcedureFactory,
    ProcedureVersionFactory,
    ResultTypeFactory,
    StepTemplateFactory,
)

pytestmark = pytest.mark.django_db


def _problem_codes(error: VersionNotPublishable) -> list[str]:
    return [p.code for p in error.problems]


def _step(version, hours, *, participant=None, unit=StepDurationUnit.WORKING_HOURS):
    return StepTemplateFactory(
        version=version,
        allotted_value=Decimal(hours),
        allotted_unit=unit,
        participant=participant,
        unit_role=UnitRole.PARTICIPANT if participant else UnitRole.COMPETENT_AGENCY,
    )


def test_publish_a_draft(django_user_model):
    """Publishing sets the status and dates, and records an audit row."""
    admin = django_user_model.objects.create(username="quantri")
    version = ProcedureVersionFactory()

    published = version_publish(version, actor=admin)

    assert published.status == VersionStatus.PUBLISHED
    assert published.published_at is not None
    assert published.valid_from is not None
    row = AuditLog.objects.get(event_type="catalog_publish")
    assert (row.actor, row.target_id) == (admin, str(version.pk))
    assert row.extra_data == {
        "procedure": version.procedure.code,
        "number": 1,
        "retired": [],
    }


def test_publishing_retires_the_version_in_force():
    """One published version per procedure: the previous one is retired."""
    old = ProcedureVersionFactory(published=True)
    new = ProcedureVersionFactory(procedure=old.procedure, number=2)

    version_publish(new)

    old.refresh_from_db()
    assert old.status == VersionStatus.RETIRED
    assert old.valid_to is not None
    assert AuditLog.objects.get().extra_data["retired"] == [1]


@pytest.mark.parametrize("state", ["published", "retired"])
def test_only_drafts_are_published(state):
    version = ProcedureVersionFactory(**{state: True})

    with pytest.raises(VersionNotDraft) as error:
        version_publish(version)

    assert error.value.code == "version_not_draft"
    assert isinstance(error.value, RuleViolation)
    assert not AuditLog.objects.exists()


def test_publish_needs_a_duration():
    version = ProcedureVersionFactory(without_duration=True)

    with pytest.raises(VersionNotPublishable) as error:
        version_publish(version)

    assert _problem_codes(error.value) == ["duration_missing"]
    assert error.value.code == "version_not_publishable"
    assert isinstance(error.value, ValidationFailed)
    assert "thời hạn" in str(error.value.message)
    assert error.value.as_dict()["extra"]["problems"][0]["code"] == "duration_missing"
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT


def test_a_procedure_the_province_uses_needs_steps():
    version = ProcedureVersionFactory()
    version.procedure.agencies.add(AgencyFactory())

    with pytest.raises(VersionNotPublishable) as error:
        version_publish(version)

    assert _problem_codes(error.value) == ["steps_missing"]

    _step(version, 8)
    assert version_publish(version).status == VersionStatus.PUBLISHED


def test_every_failed_rule_is_reported_at_once():
    version = ProcedureVersionFactory(without_duration=True)
    version.procedure.agencies.add(AgencyFactory())

    with pytest.raises(VersionNotPublishable) as error:
        version_publish(version)

    assert _problem_codes(error.value) == ["duration_missing", "steps_missing"]


def test_steps_must_fit_in_the_duration():
    """3 working days are 24 working hours: 25 hours of steps do not fit."""
    version = ProcedureVersionFactory(duration_value=Decimal(3))
    _step(version, 16)
    _step(version, 9)

    with pytest.raises(VersionNotPublishable) as error:
        version_publish(version)

    assert _problem_codes(error.value) == ["steps_exceed_duration"]
    assert "25" in str(error.value.problems[0].message)
    assert "24" in str(error.value.problems[0].message)


def test_steps_filling_the_duration_exactly_are_accepted():
    version = ProcedureVersionFactory(duration_value=Decimal(3))
    _step(version, 2, unit=StepDurationUnit.WORKING_DAYS)
    _step(version, 8)

    assert version_publish(version).status == VersionStatus.PUBLISHED


def test_participants_of_one_stage_work_in_parallel():
    """
    Main lane 8 h; stage 1: police 8 h and insurance 4 h + 4 h in parallel
    (8 h); stage 2: 8 h. Longest path 24 h = 3 working days.
    """
    version = ProcedureVersionFactory(duration_value=Decimal(3))
    police = ParticipantTemplateFactory(version=version, stage=1)
    insurance = ParticipantTemplateFactory(version=version, stage=1)
    archive = ParticipantTemplateFactory(version=version, stage=2)
    _step(version, 8)
    _step(version, 8, participant=police)
    _step(version, 4, participant=insurance)
    _step(version, 4, participant=insurance)
    _step(version, 8, participant=archive)

    assert version_publish(version).status == VersionStatus.PUBLISHED


def test_a_longer_parallel_chain_sets_the_stage_cost():
    version = ProcedureVersionFactory(duration_value=Decimal(2))
    police = ParticipantTemplateFactory(version=version, stage=1)
    insurance = ParticipantTemplateFactory(version=version, stage=1)
    _step(version, 8)
    _step(version, 4, participant=police)
    _step(version, 9, participant=insurance)

    with pytest.raises(VersionNotPublishable) as error:
        version_publish(version)

    assert _problem_codes(error.value) == ["steps_exceed_duration"]


def test_participant_steps_must_belong_to_the_same_version():
    """A step may not name another version's participant (refused on save)."""
    version = ProcedureVersionFactory()
    stranger = ParticipantTemplateFactory()
    # Written past the service, as a faulty import or raw SQL could.
    StepTemplate.objects.create(
        version=version,
        order=1,
        name="Xác minh",
        kind="verification",
        unit_role=UnitRole.PARTICIPANT,
        participant=stranger,
        role="processing",
        allotted_value=Decimal(1),
    )

    with pytest.raises(VersionNotPublishable) as error:
        version_publish(version)

    assert _problem_codes(error.value) == ["step_participant_foreign"]


@pytest.mark.parametrize(
    ("value", "unit", "minutes"),
    [
        (Decimal(3), DurationUnit.WORKING_DAYS, 1440),
        (Decimal("0.5"), DurationUnit.WORKING_DAYS, 240),
        (Decimal(4), DurationUnit.WORKING_HOURS, 240),
        # Calendar durations: every day counted as a working day (upper bound).
        (Decimal(15), DurationUnit.CALENDAR_DAYS, 15 * 480),
        (Decimal(1), DurationUnit.CALENDAR_MONTHS, 31 * 480),
        (None, DurationUnit.IMMEDIATE, 480),
        (None, DurationUnit.WORKING_DAYS, None),
        (Decimal(0), DurationUnit.WORKING_DAYS, None),
        (Decimal(3), "", None),
    ],
)
def test_duration_limits(value, unit, minutes):
    assert duration_limit_minutes(value, unit) == minutes


def test_calendar_days_compare_with_their_upper_bound():
    """10 calendar days allow at most 80 working hours of steps."""
    version = ProcedureVersionFactory(
        duration_value=Decimal(10), duration_unit=DurationUnit.CALENDAR_DAYS
    )
    _step(version, 10, unit=StepDurationUnit.WORKING_DAYS)
    assert version_publish(version).status == VersionStatus.PUBLISHED

    longer = ProcedureVersionFactory(
        duration_value=Decimal(10), duration_unit=DurationUnit.CALENDAR_DAYS
    )
    _step(longer, 81)
    with pytest.raises(VersionNotPublishable):
        version_publish(longer)


def test_an_immediate_procedure_allows_one_working_day():
    version = ProcedureVersionFactory(
        duration_value=None, duration_unit=DurationUnit.IMMEDIATE
    )
    _step(version, 8)

    assert version_publish(version).status == VersionStatus.PUBLISHED


def test_create_draft_copies_the_version_with_its_children():
    source = ProcedureVersionFactory(published=True, import_source="csdlqg-2026")
    participant = ParticipantTemplateFactory(version=source, stage=2)
    _step(source, 4)
    _step(source, 4, participant=participant)
    ComponentFactory(version=source, case="Trường hợp A")
    FeeItemFactory(version=source, channel="online", amount=Decimal(10000))
    ResultTypeFactory(version=source)

    draft = version_create_draft(source.procedure)

    assert (draft.number, draft.status, draft.import_source) == (2, "draft", "")
    assert draft.published_at is None
    assert draft.duration_value == source.duration_value
    assert draft.participants.get().stage == 2
    steps = list(draft.steps.order_by("order"))
    assert [s.participant_id for s in steps] == [None, draft.participants.get().pk]
    assert draft.components.get().case == "Trường hợp A"
    assert draft.fees.get().amount == 10000
    assert draft.result_types.get().code == "KQ.G15.000031"
    # The source is untouched.
    assert source.steps.count() == 2
    assert source.participants.get().pk == participant.pk


def test_create_draft_from_a_chosen_version_and_from_nothing():
    procedure = ProcedureFactory()
    assert version_create_draft(procedure).number == 1

    first = procedure.versions.get()
    third = version_create_draft(procedure, from_version=first)
    assert third.number == 2

    with pytest.raises(WrongProcedure) as error:
        version_create_draft(procedure, from_version=ProcedureVersionFactory())
    assert error.value.code == "version_of_another_procedure"


@pytest.mark.parametrize("state", ["published", "retired"])
def test_published_and_retired_versions_are_immutable(state):
    version = ProcedureVersionFactory(**{state: True})
    step = _step(version, 4)
    fee = FeeItemFactory(version=version)

    with pytest.raises(VersionImmutable) as error:
        version_update(version, duration_value=Decimal(5))
    assert error.value.code == "version_immutable"
    assert isinstance(error.value, DomainError)

    step.allotted_value = Decimal(1)
    with pytest.raises(VersionImmutable):
        version_child_save(step)
    with pytest.raises(VersionImmutable):
        version_child_save(FeeItemFactory.build(version=version))
    with pytest.raises(VersionImmutable):
        version_child_delete(fee)
    step.refresh_from_db()
    assert step.allotted_value == 4
    assert version.fees.count() == 1


def test_a_stale_draft_object_cannot_edit_a_published_version():
    """The check reads the status from the database, not from the object."""
    version = ProcedureVersionFactory()
    stale = type(version).objects.get(pk=version.pk)
    version_publish(version)

    with pytest.raises(VersionImmutable):
        version_update(stale, name="Tên mới")


def test_drafts_are_edited_through_the_services():
    version = ProcedureVersionFactory()

    version_update(version, duration_value=Decimal(5), cutoff_time=None)
    step = version_child_save(StepTemplateFactory.build(version=version, order=1))
    version_child_delete(step)

    version.refresh_from_db()
    assert version.duration_value == 5
    assert not version.steps.exists()


def test_status_is_not_an_editable_field():
    version = ProcedureVersionFactory()

    with pytest.raises(ValidationFailed) as error:
        version_update(version, status=VersionStatus.PUBLISHED)

    assert error.value.code == "field_not_editable"


def test_a_step_cannot_name_a_participant_of_another_version():
    version = ProcedureVersionFactory()
    stranger = ParticipantTemplateFactory()

    with pytest.raises(ForeignParticipant) as error:
        version_child_save(
            StepTemplateFactory.build(
                version=version,
                participant=stranger,
                unit_role=UnitRole.PARTICIPANT,
            )
        )

    assert error.value.code == "step_participant_foreign"


def test_moving_a_row_out_of_a_published_version_is_refused():
    published = ProcedureVersionFactory(published=True)
    fee = FeeItemFactory(version=published)
    fee.version = ProcedureVersionFactory()

    with pytest.raises(VersionImmutable):
        version_child_save(fee)


def test_child_services_only_take_version_children():
    with pytest.raises(TypeError):
        version_child_save(ProcedureFactory())
    with pytest.raises(TypeError):
        version_child_delete(ProcedureFactory())
