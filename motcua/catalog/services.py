"""
Writes to the catalog: publishing a procedure version, drafting a new one,
and editing drafts. A published or retired version is immutable: every edit
goes through these functions, which refuse it.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.audit.models import AuditEvent
from motcua.audit.services import audit_record
from motcua.core.calendar import DurationUnit as CalendarUnit
from motcua.core.calendar import WorkingCalendar, duration_minutes
from motcua.core.exceptions import RuleViolation, ValidationFailed

from .constants import DurationUnit, StepDurationUnit, UnitRole, VersionStatus
from .models import (
    Component,
    FeeItem,
    ParticipantTemplate,
    Procedure,
    ProcedureVersion,
    ResultType,
    StepTemplate,
)

# Step allotments and durations are compared in working minutes with the
# default office hours (07:30–11:30, 13:30–17:30): one working day = 480
# minutes. Only the day length matters here, not the days off.
_DAY_CALENDAR = WorkingCalendar(first_year=2000, last_year=2000)
DAY_MINUTES = _DAY_CALENDAR.day_minutes


class VersionImmutable(RuleViolation):
    code = "version_immutable"
    default_message = _(
        "Phiên bản đã công bố hoặc đã hết hiệu lực không được sửa; hãy tạo phiên bản mới."
    )


class VersionNotDraft(RuleViolation):
    code = "version_not_draft"
    default_message = _("Chỉ công bố được phiên bản đang ở trạng thái dự thảo.")


class VersionNotPublishable(ValidationFailed):
    """The version fails one or more publishing rules; ``problems`` lists them."""

    code = "version_not_publishable"
    default_message = _("Phiên bản chưa đủ điều kiện công bố.")

    def __init__(self, problems: Sequence["PublishProblem"]) -> None:
        self.problems = list(problems)
        super().__init__(
            "; ".join(str(p.message) for p in self.problems),
            extra={
                "problems": [
                    {"code": p.code, "message": str(p.message)} for p in self.problems
                ]
            },
        )


class WrongProcedure(ValidationFailed):
    code = "version_of_another_procedure"
    default_message = _("Phiên bản nguồn không thuộc thủ tục này.")


class ForeignParticipant(ValidationFailed):
    code = "step_participant_foreign"
    default_message = _(
        "Bước xử lý phải gắn với cơ quan liên thông của cùng phiên bản."
    )


@dataclass(frozen=True)
class PublishProblem:
    code: str
    message: Any


# -- publishing rules (pure) -------------------------------------------------


def duration_limit_minutes(value: Decimal | None, unit: str) -> int | None:
    """
    Return the working minutes a procedure's duration allows its steps.

    Working days and hours convert with an 8-hour day. A calendar duration has
    no fixed number of working minutes, so its upper bound is used: every
    calendar day counted as a working day (a month as 31 days); the real
    working time is shorter, which the step sum may then still exceed.
    ``immediate`` allows one working day. None when there is no duration.
    """
    if not unit:
        return None
    if unit == DurationUnit.IMMEDIATE:
        return DAY_MINUTES
    if value is None or value <= 0:
        return None
    if unit in (DurationUnit.WORKING_DAYS, DurationUnit.WORKING_HOURS):
        return duration_minutes(_DAY_CALENDAR, value, CalendarUnit(unit))
    if unit == DurationUnit.CALENDAR_DAYS:
        return round(value * DAY_MINUTES)
    if unit == DurationUnit.CALENDAR_MONTHS:
        return round(value * 31 * DAY_MINUTES)
    return None


def step_minutes(step: StepTemplate) -> int:
    unit = (
        CalendarUnit.WORKING_DAYS
        if step.allotted_unit == StepDurationUnit.WORKING_DAYS
        else CalendarUnit.WORKING_HOURS
    )
    return duration_minutes(_DAY_CALENDAR, step.allotted_value, unit)


def steps_critical_minutes(
    steps: Iterable[StepTemplate], stages: dict[int, int]
) -> int:
    """
    Return the working minutes the steps take along their longest path.

    Decree 118 Art.20: steps of the main lane (reception, competent agency)
    run one after the other; steps of inter-agency participants run in their
    participant's chain, participants of the same stage in parallel (a stage
    costs its longest chain) and stages one after the other. ``stages`` maps
    a participant id to its stage.
    """
    main = 0
    chains: dict[int, int] = defaultdict(int)
    for step in steps:
        if step.participant_id is None:
            main += step_minutes(step)
        else:
            chains[step.participant_id] += step_minutes(step)
    per_stage: dict[int, int] = defaultdict(int)
    for participant_id, minutes in chains.items():
        stage = stages.get(participant_id, 0)
        per_stage[stage] = max(per_stage[stage], minutes)
    return main + sum(per_stage.values())


def _hours(minutes: int) -> str:
    return f"{Decimal(minutes) / 60:.2f}".rstrip("0").rstrip(".")


def publish_problems(
    version: ProcedureVersion,
    *,
    steps: Sequence[StepTemplate],
    participants: Sequence[ParticipantTemplate],
    province_uses: bool,
) -> list[PublishProblem]:
    """
    Return why ``version`` cannot be published (empty when it can).

    Rules: a duration is set (the national catalogue's legal time); a
    procedure the province uses (agencies assigned) has at least one step;
    every participant step belongs to a participant of the same version; the
    steps fit in the duration (DESIGN.md §4: "the sum of a template's
    allotments must not exceed the procedure's duration").
    """
    problems: list[PublishProblem] = []
    limit = duration_limit_minutes(version.duration_value, version.duration_unit)
    if limit is None:
        problems.append(
            PublishProblem(
                "duration_missing",
                _("Chưa có thời hạn giải quyết (giá trị và đơn vị)."),
            )
        )
    if province_uses and not steps:
        problems.append(
            PublishProblem(
                "steps_missing",
                _(
                    "Thủ tục đã được giao cho cơ quan trong tỉnh nhưng chưa có bước xử lý."
                ),
            )
        )
    stages = {p.pk: p.stage for p in participants}
    foreign = [
        s
        for s in steps
        if s.participant_id is not None and s.participant_id not in stages
    ]
    if foreign:
        problems.append(
            PublishProblem(
                "step_participant_foreign",
                _("Bước %(steps)s gắn với cơ quan liên thông của phiên bản khác.")
                % {"steps": ", ".join(str(s.order) for s in foreign)},
            )
        )
    role_mismatch = [
        s
        for s in steps
        if (s.unit_role == UnitRole.PARTICIPANT) != (s.participant_id is not None)
    ]
    if role_mismatch:
        problems.append(
            PublishProblem(
                "step_participant_missing",
                _(
                    "Bước %(steps)s: chỉ bước của cơ quan liên thông mới gắn với cơ quan liên thông."
                )
                % {"steps": ", ".join(str(s.order) for s in role_mismatch)},
            )
        )
    if limit is not None and steps:
        used = steps_critical_minutes(steps, stages)
        if used > limit:
            problems.append(
                PublishProblem(
                    "steps_exceed_duration",
                    _(
                        "Tổng thời gian các bước (%(used)s giờ làm việc) vượt thời hạn "
                        "giải quyết (%(limit)s giờ làm việc)."
                    )
                    % {"used": _hours(used), "limit": _hours(limit)},
                )
            )
    return problems


# -- services ----------------------------------------------------------------


def _ensure_draft(version: ProcedureVersion) -> None:
    """Raise VersionImmutable unless the version is a draft in the database."""
    status = (
        ProcedureVersion.objects.filter(pk=version.pk)
        .values_list("status", flat=True)
        .first()
        if version.pk
        else VersionStatus.DRAFT
    )
    if status != VersionStatus.DRAFT:
        raise VersionImmutable


@transaction.atomic
def version_publish(
    version: ProcedureVersion, *, actor: Any = None
) -> ProcedureVersion:
    """
    Publish a draft ``version`` and retire the version it replaces.

    Raise VersionNotDraft for a version that is not a draft and
    VersionNotPublishable with every failed rule otherwise. The previously
    published version of the procedure becomes retired (valid until today),
    so that a procedure always has at most one version in force; dossiers
    keep pointing at the version they were received under.
    """
    # Lock the procedure: two administrators publishing at once queue here.
    procedure = Procedure.objects.select_for_update().get(pk=version.procedure_id)
    version = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != VersionStatus.DRAFT:
        raise VersionNotDraft
    problems = publish_problems(
        version,
        steps=list(version.steps.all()),
        participants=list(version.participants.all()),
        province_uses=procedure.agencies.exists(),
    )
    if problems:
        raise VersionNotPublishable(problems)
    now = timezone.now()
    today = timezone.localdate()
    previous = list(
        procedure.versions.filter(status=VersionStatus.PUBLISHED).exclude(pk=version.pk)
    )
    for old in previous:
        old.status = VersionStatus.RETIRED
        old.valid_to = old.valid_to or today
        old.save(update_fields=["status", "valid_to", "updated_at"])
    version.status = VersionStatus.PUBLISHED
    version.published_at = now
    version.valid_from = version.valid_from or today
    version.save(update_fields=["status", "published_at", "valid_from", "updated_at"])
    audit_record(
        event_type=AuditEvent.CATALOG_PUBLISH,
        actor=actor,
        target=version,
        extra={
            "procedure": procedure.code,
            "number": version.number,
            "retired": [old.number for old in previous],
        },
    )
    return version


# Fields a new draft does not inherit from the version it copies.
_NOT_COPIED = {
    "id",
    "procedure",
    "number",
    "status",
    "published_at",
    "valid_from",
    "valid_to",
    "created_at",
    "updated_at",
    "import_source",
}


@transaction.atomic
def version_create_draft(
    procedure: Procedure,
    *,
    from_version: ProcedureVersion | None = None,
    actor: Any = None,
) -> ProcedureVersion:
    """
    Create the next version of ``procedure`` as a draft copy of
    ``from_version`` (by default the published version, else the latest),
    with its steps, participants, documents, fees and result types.

    The copy is the administrator's: the importer never changes it.
    """
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    if from_version is not None and from_version.procedure_id != procedure.pk:
        raise WrongProcedure
    if from_version is None:
        from_version = (
            procedure.versions.filter(status=VersionStatus.PUBLISHED).first()
            or procedure.versions.order_by("-number").first()
        )
    number = (procedure.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    if from_version is None:
        return ProcedureVersion.objects.create(
            procedure=procedure, number=number, name=procedure.name
        )
    values = {
        f.name: getattr(from_version, f.name)
        for f in ProcedureVersion._meta.concrete_fields
        if f.name not in _NOT_COPIED
    }
    draft = ProcedureVersion.objects.create(
        procedure=procedure, number=number, status=VersionStatus.DRAFT, **values
    )
    mapping: dict[int, int] = {}
    for participant in from_version.participants.all():
        old_pk = participant.pk
        participant.pk = None
        participant.version = draft
        participant.save()
        mapping[old_pk] = participant.pk
    _copy(
        from_version.steps.all(),
        draft,
        lambda step: setattr(step, "participant_id", mapping.get(step.participant_id)),
    )
    _copy(from_version.components.all(), draft)
    _copy(from_version.fees.all(), draft)
    _copy(from_version.result_types.all(), draft)
    return draft


def _copy(
    rows: Iterable[Any],
    draft: ProcedureVersion,
    adjust: Callable[[Any], None] | None = None,
) -> None:
    copies = []
    for row in rows:
        row.pk = None
        row.version = draft
        if adjust is not None:
            adjust(row)
        copies.append(row)
    if copies:
        type(copies[0])._default_manager.bulk_create(copies)


# Fields an administrator may change on a draft through version_update.
EDITABLE_FIELDS = frozenset(
    f.name
    for f in ProcedureVersion._meta.concrete_fields
    if f.name
    not in {
        "id",
        "procedure",
        "number",
        "status",
        "published_at",
        "created_at",
        "updated_at",
        "import_source",
    }
)


@transaction.atomic
def version_update(
    version: ProcedureVersion, *, actor: Any = None, **changes: Any
) -> ProcedureVersion:
    """
    Apply ``changes`` to a draft version and save it.

    Raise VersionImmutable for a published or retired version, and
    ValidationFailed for a field that is not editable (status changes go
    through version_publish).
    """
    _ensure_draft(version)
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValidationFailed(
            _("Không sửa được trường: %(fields)s.")
            % {"fields": ", ".join(sorted(unknown))},
            code="field_not_editable",
        )
    for name, value in changes.items():
        setattr(version, name, value)
    version.save(update_fields=[*changes, "updated_at"] if changes else None)
    return version


CHILD_MODELS = (StepTemplate, ParticipantTemplate, Component, FeeItem, ResultType)


@transaction.atomic
def version_child_save(child: models.Model, *, actor: Any = None) -> models.Model:
    """
    Save a step, participant, document, fee or result type of a draft version.

    Raise VersionImmutable if the version is not a draft, ForeignParticipant
    if a step names a participant of another version.
    """
    if not isinstance(child, CHILD_MODELS):
        raise TypeError(f"{type(child).__name__} is not part of a procedure version.")
    _ensure_draft(child.version)
    if child.pk is not None:
        # Moving a row out of a published version is an edit of that version.
        previous = (
            type(child)
            .objects.filter(pk=child.pk)
            .values_list("version_id", flat=True)
            .first()
        )
        if previous is not None and previous != child.version_id:
            _ensure_draft(ProcedureVersion(pk=previous))
    participant = child.participant if isinstance(child, StepTemplate) else None
    if participant is not None and participant.version_id != child.version_id:
        raise ForeignParticipant
    child.save()
    return child


@transaction.atomic
def version_child_delete(child: models.Model, *, actor: Any = None) -> None:
    """Delete a child row of a draft version; refuse it for other versions."""
    if not isinstance(child, CHILD_MODELS):
        raise TypeError(f"{type(child).__name__} is not part of a procedure version.")
    _ensure_draft(child.version)
    child.delete()
