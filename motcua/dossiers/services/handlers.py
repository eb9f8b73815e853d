"""
One handler per lifecycle action: the legal rules of that action.

Each handler authorises the actor (through ``ctx.authorize``), checks the
action's rules, and changes the dossier and its related rows; the engine does
the rest (status, clock, event, audit). Legal basis next to each rule.
"""

from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from motcua.accounts.constants import Role
from motcua.catalog.constants import FeeStage, StepKind
from motcua.catalog.selectors import fees_for
from motcua.core.calendar import LOCAL_TZ
from motcua.core.exceptions import RuleViolation, ValidationFailed
from motcua.core.registry import configured_callables
from motcua.core.sequences import sequence_next
from motcua.dossiers import deadlines
from motcua.dossiers.access import (
    PORTAL,
    SystemActor,
    _roles_by_unit,
    step_completes_by_itself,
    steps_blocking_conclusion,
    supplement_sides,
)
from motcua.dossiers.constants import (
    ConsultationStatus,
    DossierAction,
    FeeStatus,
    HandOverKind,
    Phase,
    ResultKind,
    StepStatus,
    Timeliness,
)
from motcua.dossiers.models import (
    Consultation,
    DossierComponent,
    DossierFee,
    Extension,
    HandOver,
    ResultCorrection,
    SupplementRequest,
)
from motcua.units.models import Agency

from . import steps as step_rules
from .engine import ActionContext, handles


def _user_or_none(actor):
    return None if isinstance(actor, SystemActor) else actor


# Ids are positive 64-bit integers: a larger number would reach the
# database driver and fail there.
MAX_ID = 2**63 - 1
# Paper copies and scanned pages of one component (small integer columns).
MAX_COUNT = 10_000
# DossierFee.amount is a whole number of at most 14 digits.
MAX_AMOUNT = 10**14 - 1


def int_value(
    value: Any,
    field: str,
    *,
    low: int = 1,
    high: int = MAX_ID,
    message: Any = None,
    **extra: Any,
) -> int:
    """
    Return ``value`` (an int or a string of digits, from a form or JSON) as an
    integer within [low, high]; raise ValidationFailed naming ``field``
    otherwise, so that a bad value is a clear error and never reaches the
    database.
    """
    number = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str):
        try:
            number = int(value.strip())
        except ValueError:
            number = None
    if number is None or not low <= number <= high:
        raise ValidationFailed(
            message or _("Giá trị không hợp lệ."),
            code=f"{field}_invalid",
            extra={"field": field, **extra},
        )
    return number


def optional_id(data: dict[str, Any], field: str) -> int | None:
    """Return ``data[field]`` as an id, or None when absent or blank."""
    value = data.get(field)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return int_value(value, field)


def _parse_moment(value, field: str) -> datetime:
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = parse_datetime(str(value)) if value else None
        except ValueError:  # well formed, but not a date (30 February)
            moment = None
    if moment is None:
        raise ValidationFailed(
            _("Thời điểm không hợp lệ."),
            code=f"{field}_invalid",
            extra={"field": field},
        )
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LOCAL_TZ)
    return moment


def _actor_units(ctx: ActionContext) -> set[int] | None:
    if isinstance(ctx.actor, SystemActor) or getattr(ctx.actor, "is_superuser", False):
        return None
    return set(_roles_by_unit(ctx.actor))


def _allocate_code(ctx: ActionContext) -> None:
    """
    Issue the dossier code (Decree 118 Art.28): the receiving centre's
    electronic identifier valid on the reception date + YYMMDD + a daily
    sequence of at least 4 digits. Also the tracking-book number (Mẫu 07),
    continuous within the year for the centre.
    """
    dossier = ctx.dossier
    day = dossier.received_at.astimezone(LOCAL_TZ).date()
    try:
        agency_code = dossier.receiving_centre.code_on(day)
    except LookupError:
        raise RuleViolation(
            _(
                "Nơi tiếp nhận chưa có mã định danh điện tử hiệu lực; không cấp được mã hồ sơ."
            ),
            code="centre_without_code",
        ) from None
    prefix = f"{agency_code}-{day:%y%m%d}"
    dossier.code = f"{prefix}-{sequence_next('dossier_code', prefix):04d}"
    dossier.book_year = day.year
    dossier.book_sequence = sequence_next(
        "tracking_book", f"{dossier.receiving_centre_id}-{day.year}"
    )


def _missing_required_components(dossier) -> list[str]:
    present = {c.component_id for c in dossier.components.all() if c.component_id}
    return [
        c.name
        for c in dossier.procedure_version.components.all()
        if c.required and c.pk not in present
    ]


def _create_fees(dossier) -> None:
    if dossier.fees.exists():
        return
    DossierFee.objects.bulk_create(
        DossierFee(
            dossier=dossier,
            fee_item=item,
            code=item.code,
            name=item.name,
            amount=item.amount,
            stage=item.stage,
            status=FeeStatus.DUE if item.amount > 0 else FeeStatus.WAIVED,
        )
        for item in fees_for(dossier.procedure_version, dossier.channel)
    )


@handles(DossierAction.RECEIVE)
def receive(ctx: ActionContext) -> None:
    """Decree 118 Art.17(3): a complete dossier is received, coded and timed."""
    ctx.authorize()
    dossier, now = ctx.dossier, ctx.now
    missing = _missing_required_components(dossier)
    if missing:
        raise RuleViolation(
            _("Hồ sơ chưa đủ thành phần bắt buộc; hãy hướng dẫn bổ sung (Mẫu 02)."),
            code="components_missing",
            extra={"missing": missing},
        )
    version = dossier.procedure_version
    if not version.duration_unit:
        raise RuleViolation(
            _("Thủ tục chưa có thời hạn giải quyết."), code="procedure_without_duration"
        )
    # Decree 118 Art.17(2): an online dossier accepted after 8 working hours is a breach.
    if dossier.acceptance_due_at is not None and now > dossier.acceptance_due_at:
        dossier.acceptance_breached = True
    dossier.received_at = now
    dossier.received_by = _user_or_none(ctx.actor)
    dossier.duration_value = version.duration_value
    dossier.duration_unit = version.duration_unit
    dossier.cutoff_time = version.cutoff_time
    dossier.clock_started_at = now
    dossier.due_at = deadlines.dossier_legal_due(ctx.calendar, dossier, start=now)
    dossier.original_due_at = dossier.due_at
    total = max(1, ctx.calendar.working_minutes_between(now, dossier.due_at))
    ctx.steps = step_rules.instantiate_steps(dossier, ctx.calendar, total_minutes=total)
    for step in step_rules.activate_ready_steps(ctx.steps, ctx.calendar, now):
        ctx.touch(step)
    _create_fees(dossier)
    ctx.agency_id = dossier.receiving_centre_id
    ctx.event_data["acceptance_breached"] = dossier.acceptance_breached
    # Drawn last: the counter row stays locked only until commit.
    _allocate_code(ctx)
    ctx.event_data["code"] = dossier.code


@handles(DossierAction.REFUSE)
def refuse(ctx: ActionContext) -> None:
    """Decree 118 Art.17(1)(d): refusal at reception, with reasons (Mẫu 03)."""
    ctx.authorize()
    if ctx.dossier.is_received:
        raise RuleViolation(
            _("Hồ sơ đã tiếp nhận; dùng 'Từ chối giải quyết' với căn cứ pháp lý."),
            code="use_reject",
        )
    ctx.dossier.decision_reason = ctx.require(
        "reason", _("Phải ghi rõ lý do từ chối tiếp nhận.")
    )
    ctx.dossier.refused_at = ctx.now
    ctx.agency_id = ctx.dossier.receiving_centre_id
    # A refusal at reception finishes the dossier without a legal due time.
    ctx.dossier.finished_at = ctx.now


@handles(DossierAction.REQUEST_SUPPLEMENT)
def request_supplement(ctx: ActionContext) -> None:
    """
    Decree 118 Art.16(3), 19(5): guidance to complete the dossier, once per
    phase; during processing within 3 working days of reception.

    Our choice for a second request, or a late one: refused unless the officer
    acknowledges the breach, in which case the dossier counts as late
    (Decision 766 rule) and the breach is on the record.
    """
    dossier, now = ctx.dossier, ctx.now
    phase = Phase.PROCESSING if dossier.is_received else Phase.RECEPTION
    if phase == Phase.RECEPTION:
        ctx.authorize(sides=supplement_sides(dossier))
        ctx.agency_id = dossier.receiving_centre_id
    else:
        active = step_rules.active_steps(ctx.steps)
        ctx.step = active[0] if len(active) == 1 else None
        ctx.authorize(sides=supplement_sides(dossier))
        ctx.agency_id = ctx.step.agency_id if ctx.step else dossier.competent_agency_id
    reason = ctx.require("reason", _("Phải ghi rõ nội dung, lý do yêu cầu bổ sung."))
    items = _supplement_items(dossier, ctx.data.get("items") or [])
    breaches = []
    if dossier.supplement_requests.filter(phase=phase).exists():
        breaches.append("supplement_limit")
    if phase == Phase.PROCESSING and not deadlines.within_supplement_window(
        ctx.calendar, received_at=dossier.received_at, now=now
    ):
        breaches.append("supplement_window_passed")
    if breaches and not ctx.data.get("acknowledge_rule_breach"):
        messages = {
            "supplement_limit": _(
                "Chỉ được yêu cầu bổ sung một lần trong mỗi giai đoạn (Nghị định 118/2025 Điều 16(3))."
            ),
            "supplement_window_passed": _(
                "Đã quá 3 ngày làm việc kể từ khi tiếp nhận (Nghị định 118/2025 Điều 19(5))."
            ),
        }
        raise RuleViolation(
            messages[breaches[0]], code=breaches[0], extra={"breaches": breaches}
        )
    if breaches:
        dossier.counted_late = True
        dossier.counted_late_reason = ", ".join(breaches)
    SupplementRequest.objects.create(
        dossier=dossier,
        phase=phase,
        requested_at=now,
        requested_by=_user_or_none(ctx.actor),
        agency_id=ctx.agency_id,
        reason=reason,
        items=items,
        respond_by=deadlines.supplement_respond_by(now),
        previous_due_at=dossier.due_at,
        breaches_rule=",".join(breaches),
    )
    ctx.event_data.update({"phase": phase, "reason": reason, "breaches": breaches})


def _supplement_items(dossier, items) -> list[dict]:
    """
    Normalise the documents asked for (Mẫu 02 table): each names a catalog
    component or a free document, with its copy type and count.
    """
    from motcua.catalog.constants import CopyType

    if not isinstance(items, list):
        raise ValidationFailed(
            _("Danh sách giấy tờ cần bổ sung không hợp lệ."), code="items_invalid"
        )
    catalog = {c.pk: c for c in dossier.procedure_version.components.all()}
    rows = []
    for item in items:
        if not isinstance(item, dict):
            raise ValidationFailed(
                _("Danh sách giấy tờ cần bổ sung không hợp lệ."), code="items_invalid"
            )
        component = (
            catalog.get(int(item["component"]))
            if str(item.get("component") or "").isdigit()
            else None
        )
        if item.get("component") and component is None:
            raise ValidationFailed(
                _("Thành phần không thuộc thủ tục này."), code="component_unknown"
            )
        name = str(item.get("name") or (component.name if component else "")).strip()
        if not name:
            raise ValidationFailed(
                _("Giấy tờ cần bổ sung phải có tên."), code="items_invalid"
            )
        copy_type = item.get("copy_type") or (
            component.copy_type if component else CopyType.ORIGINAL
        )
        if copy_type not in CopyType.values:
            raise ValidationFailed(_("Loại bản không hợp lệ."), code="items_invalid")
        try:
            count = max(
                1, int(item.get("count") or (component.count if component else 1))
            )
        except (TypeError, ValueError):
            raise ValidationFailed(
                _("Số lượng không hợp lệ."), code="items_invalid"
            ) from None
        rows.append(
            {
                "component": component.pk if component else None,
                "name": name[:500],
                "copy_type": copy_type,
                "count": count,
                "note": str(item.get("note", ""))[:500],
            }
        )
    return rows


def _open_supplement(dossier) -> SupplementRequest:
    request = (
        dossier.supplement_requests.filter(
            supplied_at__isnull=True, closed_at__isnull=True
        )
        .order_by("-requested_at")
        .first()
    )
    if request is None:
        raise RuleViolation(
            _("Hồ sơ không có yêu cầu bổ sung đang chờ."), code="no_open_supplement"
        )
    return request


@handles(DossierAction.SUPPLEMENT)
def supplement(ctx: ActionContext) -> None:
    """The complete supplement is received; the engine restarts the clock (Art.19(5))."""
    ctx.authorize()
    dossier = ctx.dossier
    request = _open_supplement(dossier)
    request.supplied_at = ctx.now
    if not dossier.is_received and dossier.channel == "online":
        # The resubmitted online dossier again gets 8 working hours to be accepted.
        dossier.acceptance_due_at = deadlines.acceptance_due(ctx.calendar, ctx.now)
    ctx.agency_id = dossier.receiving_centre_id
    ctx.event_data["phase"] = request.phase
    # The engine computes the new due time; record it once known.
    ctx.event_data["supplement_request"] = request.pk
    request.save(update_fields=["supplied_at"])
    if dossier.is_received:
        new_due = deadlines.dossier_legal_due(ctx.calendar, dossier, start=ctx.now)
        request.new_due_at = new_due
        request.save(update_fields=["new_due_at"])


@handles(DossierAction.CLOSE_UNSUPPLEMENTED)
def close_unsupplemented(ctx: ActionContext) -> None:
    """Decree 118 Art.19(5): no supplement within 15 days closes the dossier."""
    ctx.authorize()
    request = _open_supplement(ctx.dossier)
    if ctx.now < request.respond_by:
        raise RuleViolation(
            _("Chưa hết 15 ngày chờ bổ sung (hạn: %(date)s).")
            % {"date": f"{request.respond_by:%d/%m/%Y %H:%M}"},
            code="supplement_period_running",
        )
    request.closed_at = ctx.now
    request.save(update_fields=["closed_at"])
    ctx.dossier.stopped_at = ctx.now
    ctx.dossier.decision_reason = str(_("Quá 15 ngày không bổ sung hồ sơ."))
    # Decision 766 measurement: a request never answered ends at the request time.
    ctx.dossier.finished_at = ctx.now
    ctx.measured_finish = request.requested_at
    ctx.agency_id = ctx.dossier.receiving_centre_id


@handles(DossierAction.ASSIGN)
def assign(ctx: ActionContext) -> None:
    """The head of a unit assigns the active step to an officer (Art.12(4), 19)."""
    ctx.step = step_rules.pick_step(
        ctx.steps, step_id=optional_id(ctx.data, "step"), unit_ids=_actor_units(ctx)
    )
    ctx.authorize()
    assignee_id = int_value(
        ctx.require("assignee", _("Hãy chọn cán bộ được phân công.")),
        "assignee",
        message=_("Cán bộ được phân công không hợp lệ."),
    )
    user_model = get_user_model()
    assignee = (
        user_model.objects.filter(pk=assignee_id, is_active=True)
        .filter(memberships__agency_id=ctx.step.agency_id, memberships__is_active=True)
        .distinct()
        .first()
    )
    if assignee is None:
        raise ValidationFailed(
            _("Cán bộ được phân công không thuộc đơn vị xử lý bước này."),
            code="assignee_invalid",
            extra={"field": "assignee"},
        )
    ctx.step.assignee = assignee
    ctx.touch(ctx.step)
    ctx.agency_id = ctx.step.agency_id
    HandOver.objects.create(
        dossier=ctx.dossier,
        step=ctx.step,
        kind=HandOverKind.ASSIGN,
        from_agency_id=ctx.step.agency_id,
        to_agency_id=ctx.step.agency_id,
        giver=_user_or_none(ctx.actor),
        receiver=assignee,
        handed_at=ctx.now,
        step_due_at=ctx.step.due_at,
        note=ctx.note,
    )
    ctx.event_data.update(
        {"assignee": assignee.pk, "assignee_name": assignee.display_name}
    )


def _finish_step(ctx: ActionContext, step, *, result_note: str = "") -> str:
    step.status = StepStatus.DONE
    step.completed_at = ctx.now
    step.completed_by = _user_or_none(ctx.actor)
    step.used_minutes = max(
        0, ctx.calendar.working_minutes_between(step.started_at, ctx.now)
    )
    step.timeliness = (
        deadlines.timeliness(
            ctx.calendar, finished_at=ctx.now, due_at=step.due_at, counted_late=False
        )
        if step.due_at
        else Timeliness.ON_TIME
    )
    step.result_note = result_note
    ctx.touch(step)
    return step.timeliness


def _hand_over_to_next(
    ctx: ActionContext, finished, timeliness: str, *, kind=HandOverKind.FORWARD
) -> None:
    """
    Start the next steps and record the hand-overs (Mẫu 06 rows).

    A lane of a parallel stage that finishes before the others hands nothing
    over yet: the dossier moves on when the whole stage is done, and then each
    lane's last step hands over to the next stage, with its own result.
    """
    started = step_rules.activate_ready_steps(ctx.steps, ctx.calendar, ctx.now)
    for step in started:
        ctx.touch(step)
    ctx.event_data["started_steps"] = [s.pk for s in started]
    if not started:
        ctx.event_data["waiting_for_parallel_steps"] = any(
            s.status == StepStatus.ACTIVE and s.block == finished.block
            for s in ctx.steps
        )
        return
    if any(s.block == finished.block for s in started):
        givers = [finished]
    else:
        lanes: dict[str, object] = {}
        for step in sorted(
            (
                s
                for s in ctx.steps
                if s.block == finished.block and s.status == StepStatus.DONE
            ),
            key=lambda s: s.order,
        ):
            lanes[step.lane] = step
        givers = list(lanes.values()) or [finished]
    for giver in givers:
        for target in started:
            HandOver.objects.create(
                dossier=ctx.dossier,
                step=giver,
                kind=kind,
                from_agency_id=giver.agency_id,
                to_agency_id=target.agency_id,
                giver=giver.completed_by
                if giver is not finished
                else _user_or_none(ctx.actor),
                receiver=target.assignee,
                handed_at=ctx.now,
                step_due_at=giver.due_at,
                timeliness=timeliness if giver is finished else giver.timeliness,
                note=ctx.note,
            )


@handles(DossierAction.COMPLETE_STEP)
def complete_step(ctx: ActionContext) -> None:
    """Finish the active step and hand the dossier to the next one (Mẫu 06 row)."""
    step = step_rules.pick_step(
        ctx.steps, step_id=optional_id(ctx.data, "step"), unit_ids=_actor_units(ctx)
    )
    ctx.step = step
    ctx.authorize()
    if not step_completes_by_itself(step):
        raise RuleViolation(
            _(
                "Bước ký duyệt và bước trả kết quả được hoàn thành bằng thao tác 'Ký duyệt' hoặc 'Trả kết quả'."
            ),
            code="use_resolve_or_return",
        )
    user = _user_or_none(ctx.actor)
    if (
        step.assignee_id
        and user is not None
        and step.assignee_id != user.pk
        and not (
            _roles_by_unit(user).get(step.agency_id, set())
            & {
                Role.DIVISION_HEAD,
                Role.AGENCY_LEADER,
                Role.CENTRE_HEAD,
                Role.CENTRE_DEPUTY,
            }
        )
        and not user.is_superuser
    ):
        raise RuleViolation(
            _("Bước này đã được phân công cho cán bộ khác."),
            code="step_assigned_to_other",
        )
    ctx.agency_id = step.agency_id
    timeliness = _finish_step(
        ctx, step, result_note=str(ctx.data.get("result_note", ""))
    )
    _hand_over_to_next(ctx, step, timeliness)
    ctx.event_data.update(
        {"step": step.pk, "step_name": step.name, "timeliness": timeliness}
    )


@handles(DossierAction.TRANSFER)
def transfer(ctx: ActionContext) -> None:
    """
    Move the active step to another unit, with a reason. With ``competent``
    the dossier's competent agency changes too (wrong jurisdiction), and its
    pending steps follow.
    """
    step = step_rules.pick_step(
        ctx.steps, step_id=optional_id(ctx.data, "step"), unit_ids=_actor_units(ctx)
    )
    ctx.step = step
    ctx.authorize()
    reason = ctx.require("reason", _("Phải ghi rõ lý do chuyển."))
    to_agency = Agency.objects.filter(
        pk=int_value(
            ctx.require("to_agency", _("Hãy chọn đơn vị nhận.")),
            "to_agency",
            message=_("Đơn vị nhận không hợp lệ."),
        ),
        is_active=True,
    ).first()
    if to_agency is None or to_agency.pk == step.agency_id:
        raise ValidationFailed(
            _("Đơn vị nhận không hợp lệ."),
            code="to_agency_invalid",
            extra={"field": "to_agency"},
        )
    old_agency_id = step.agency_id
    if ctx.data.get("competent") and old_agency_id == ctx.dossier.competent_agency_id:
        ctx.dossier.competent_agency = to_agency
        for other in ctx.steps:
            if other.agency_id == old_agency_id and other.status in (
                StepStatus.PENDING,
                StepStatus.ACTIVE,
            ):
                other.agency = to_agency
                other.assignee = None
                ctx.touch(other)
    step.agency = to_agency
    step.assignee = None
    ctx.touch(step)
    ctx.agency_id = old_agency_id
    HandOver.objects.create(
        dossier=ctx.dossier,
        step=step,
        kind=HandOverKind.TRANSFER,
        from_agency_id=old_agency_id,
        to_agency=to_agency,
        giver=_user_or_none(ctx.actor),
        handed_at=ctx.now,
        step_due_at=step.due_at,
        note=reason,
    )
    ctx.event_data.update(
        {"to_agency": to_agency.pk, "to_agency_name": to_agency.name, "reason": reason}
    )


@handles(DossierAction.CONSULT)
def consult(ctx: ActionContext) -> None:
    """Decree 118 Art.19(4)(b): ask another agency's opinion, with a deadline."""
    active = step_rules.active_steps(ctx.steps)
    ctx.step = active[0] if len(active) == 1 else None
    ctx.authorize()
    question = ctx.require("question", _("Phải ghi nội dung lấy ý kiến."))
    to_agency = Agency.objects.filter(
        pk=int_value(
            ctx.require("to_agency", _("Hãy chọn cơ quan được hỏi ý kiến.")),
            "to_agency",
            message=_("Cơ quan được hỏi không hợp lệ."),
        ),
        is_active=True,
    ).first()
    if to_agency is None:
        raise ValidationFailed(
            _("Cơ quan được hỏi không hợp lệ."),
            code="to_agency_invalid",
            extra={"field": "to_agency"},
        )
    raw_days = ctx.data.get("days", 3)
    try:
        days = float(raw_days) if not isinstance(raw_days, bool) else 0.0
    except (TypeError, ValueError):
        raise ValidationFailed(
            _("Số ngày trả lời không hợp lệ."),
            code="days_invalid",
            extra={"field": "days"},
        ) from None
    # NaN fails every comparison, so it is refused here too.
    if not 0 < days <= 30:
        raise ValidationFailed(
            _("Thời hạn trả lời phải từ 1 đến 30 ngày làm việc."),
            code="days_invalid",
            extra={"field": "days"},
        )
    from_agency_id = ctx.step.agency_id if ctx.step else ctx.dossier.competent_agency_id
    consultation = Consultation.objects.create(
        dossier=ctx.dossier,
        from_agency_id=from_agency_id,
        to_agency=to_agency,
        question=question,
        asked_by=_user_or_none(ctx.actor),
        asked_at=ctx.now,
        due_at=ctx.calendar.add_working_minutes(
            ctx.now, round(days * ctx.calendar.day_minutes)
        ),
    )
    ctx.agency_id = from_agency_id
    ctx.event_data.update(
        {
            "consultation": consultation.pk,
            "to_agency_name": to_agency.name,
            "due_at": consultation.due_at.isoformat(),
        }
    )


@handles(DossierAction.REPLY)
def reply(ctx: ActionContext) -> None:
    """The consulted agency answers; lateness is recorded against it."""
    open_ones = list(ctx.dossier.consultations.filter(status=ConsultationStatus.OPEN))
    wanted = optional_id(ctx.data, "consultation")
    units = _actor_units(ctx)
    candidates = [
        c
        for c in open_ones
        if (wanted is None or c.pk == wanted)
        and (units is None or c.to_agency_id in units)
    ]
    if len(candidates) != 1:
        raise RuleViolation(
            _("Không có yêu cầu lấy ý kiến nào đang chờ đơn vị trả lời."),
            code="no_open_consultation",
        )
    consultation = candidates[0]
    ctx.authorize()
    consultation.answer = ctx.require("answer", _("Phải ghi nội dung ý kiến."))
    consultation.answered_at = ctx.now
    consultation.answered_by = _user_or_none(ctx.actor)
    consultation.status = ConsultationStatus.ANSWERED
    consultation.timeliness = deadlines.timeliness(
        ctx.calendar,
        finished_at=ctx.now,
        due_at=consultation.due_at,
        counted_late=False,
    )
    consultation.save()
    ctx.agency_id = consultation.to_agency_id
    ctx.event_data.update(
        {"consultation": consultation.pk, "timeliness": consultation.timeliness}
    )


@handles(DossierAction.REQUEST_PAYMENT)
def request_payment(ctx: ActionContext) -> None:
    """A financial obligation is requested; the clock pauses until it is paid."""
    active = step_rules.active_steps(ctx.steps)
    ctx.step = active[0] if len(active) == 1 else None
    ctx.authorize()
    new_items = ctx.data.get("fees") or []
    if not isinstance(new_items, list):
        raise ValidationFailed(
            _("Khoản thu không hợp lệ."), code="fees_invalid", extra={"field": "fees"}
        )
    for index, item in enumerate(new_items):
        try:
            amount = int(item["amount"])
            name = str(item["name"]).strip()
        except (KeyError, TypeError, ValueError):
            raise ValidationFailed(
                _("Khoản thu không hợp lệ."),
                code="fees_invalid",
                extra={"field": "fees", "index": index},
            ) from None
        if not 0 < amount <= MAX_AMOUNT or not name:
            raise ValidationFailed(
                _("Khoản thu phải có tên và số tiền dương."),
                code="fees_invalid",
                extra={"field": "fees", "index": index},
            )
        DossierFee.objects.create(
            dossier=ctx.dossier,
            name=name[:255],
            code=str(item.get("code", ""))[:32],
            amount=amount,
            stage=FeeStage.SUPPLEMENT,
            status=FeeStatus.DUE,
        )
    if not ctx.dossier.fees.filter(status=FeeStatus.DUE).exists():
        raise RuleViolation(
            _("Không có khoản nghĩa vụ tài chính nào phải nộp."), code="nothing_to_pay"
        )
    ctx.agency_id = ctx.step.agency_id if ctx.step else ctx.dossier.competent_agency_id
    ctx.event_data["fees"] = list(
        ctx.dossier.fees.filter(status=FeeStatus.DUE).values_list("pk", flat=True)
    )


def _settle_fees(ctx: ActionContext, fees, status: str) -> list[int]:
    reference = str(ctx.data.get("payment_reference", "")).strip()[:128]
    for fee in fees:
        fee.status = status
        if status == FeeStatus.PAID:
            fee.paid_at = ctx.now
            fee.payment_reference = reference
    DossierFee.objects.bulk_update(fees, ["status", "paid_at", "payment_reference"])
    ctx.event_data.update(
        {"fees": [f.pk for f in fees], "payment_reference": reference}
    )
    return [f.pk for f in fees]


def _selected_fees(ctx: ActionContext, queryset):
    """The fees named in ``data["fees"]`` (ids) among ``queryset``, else all of it."""
    wanted = ctx.data.get("fees")
    if wanted is None:
        return list(queryset)
    if not isinstance(wanted, list | tuple):
        raise ValidationFailed(
            _("Danh sách khoản thu không hợp lệ."),
            code="fees_invalid",
            extra={"field": "fees"},
        )
    ids = {
        int_value(i, "fees", message=_("Danh sách khoản thu không hợp lệ."))
        for i in wanted
    }
    fees = list(queryset.filter(pk__in=ids))
    if len(fees) != len(ids):
        raise RuleViolation(
            _("Có khoản thu không thuộc hồ sơ hoặc không ở trạng thái phù hợp."),
            code="fees_invalid",
        )
    return fees


@handles(DossierAction.CONFIRM_PAYMENT)
def confirm_payment(ctx: ActionContext) -> None:
    """The obligation is paid; the engine moves the due time by the wait."""
    ctx.authorize()
    due = ctx.dossier.fees.filter(status=FeeStatus.DUE).exclude(stage=FeeStage.RETURN)
    _settle_fees(ctx, _selected_fees(ctx, due), FeeStatus.PAID)
    ctx.agency_id = ctx.dossier.competent_agency_id


@handles(DossierAction.RECORD_PAYMENT)
def record_payment(ctx: ActionContext) -> None:
    """Fees paid online or at the counter, outside a financial-obligation pause."""
    ctx.authorize()
    fees = _selected_fees(ctx, ctx.dossier.fees.filter(status=FeeStatus.DUE))
    if not fees:
        raise RuleViolation(_("Không có khoản thu nào chờ nộp."), code="nothing_to_pay")
    _settle_fees(ctx, fees, FeeStatus.PAID)
    ctx.agency_id = ctx.dossier.receiving_centre_id


@handles(DossierAction.RECORD_REFUND)
def record_refund(ctx: ActionContext) -> None:
    """Paid fees returned to the applicant where the law allows (payments decides which)."""
    ctx.authorize()
    fees = _selected_fees(ctx, ctx.dossier.fees.filter(status=FeeStatus.PAID))
    if not fees:
        raise RuleViolation(
            _("Không có khoản thu nào để hoàn trả."), code="nothing_to_refund"
        )
    _settle_fees(ctx, fees, FeeStatus.REFUNDED)
    ctx.agency_id = ctx.dossier.competent_agency_id


@handles(DossierAction.EXTEND)
def extend(ctx: ActionContext) -> None:
    """
    Decree 118 Art.19(6): apology and extension (Mẫu 04), at least one working
    day before the due time, at most once; the new due time replaces the old.
    """
    ctx.authorize()
    dossier = ctx.dossier
    reason = ctx.require("reason", _("Phải nêu lý do chậm giải quyết."))
    new_due = _parse_moment(
        ctx.require("new_due_at", _("Hãy chọn thời hạn trả kết quả mới.")), "new_due_at"
    )
    if dossier.extension_count >= 1:
        raise RuleViolation(_("Hồ sơ chỉ được gia hạn một lần."), code="extension_once")
    if not deadlines.may_still_extend(ctx.calendar, due_at=dossier.due_at, now=ctx.now):
        raise RuleViolation(
            _(
                "Văn bản xin lỗi và gia hạn phải lập chậm nhất 01 ngày làm việc trước hạn trả kết quả."
            ),
            code="extension_too_late",
        )
    if new_due <= dossier.due_at:
        raise ValidationFailed(
            _("Thời hạn mới phải sau hạn hiện tại."),
            code="new_due_at_invalid",
            extra={"field": "new_due_at"},
        )
    Extension.objects.create(
        dossier=dossier,
        requested_at=ctx.now,
        requested_by=_user_or_none(ctx.actor),
        agency_id=dossier.competent_agency_id,
        reason=reason,
        previous_due_at=dossier.due_at,
        new_due_at=new_due,
    )
    ctx.event_data.update(
        {
            "previous_due_at": dossier.due_at.isoformat(),
            "new_due_at": new_due.isoformat(),
            "reason": reason,
        }
    )
    dossier.due_at = new_due
    dossier.extension_count += 1
    ctx.agency_id = dossier.competent_agency_id


def _conclude(ctx: ActionContext, kind: str) -> None:
    dossier = ctx.dossier
    unfinished = steps_blocking_conclusion(ctx.steps)
    if unfinished:
        raise RuleViolation(
            _("Còn bước xử lý chưa hoàn thành: %(steps)s.")
            % {"steps": ", ".join(s.name for s in unfinished)},
            code="steps_unfinished",
            extra={"steps": [s.pk for s in unfinished]},
        )
    signing = next(
        (
            s
            for s in ctx.steps
            if s.kind == StepKind.SIGNING and s.status != StepStatus.DONE
        ),
        None,
    )
    if signing is not None and signing.status == StepStatus.PENDING:
        step_rules.start_step(signing, ctx.calendar, ctx.now)
    if signing is not None:
        ctx.step = signing
        timeliness = _finish_step(ctx, signing, result_note=dossier.result_summary)
        _hand_over_to_next(ctx, signing, timeliness)
    dossier.result_kind = kind
    dossier.resolved_at = ctx.now
    dossier.finished_at = ctx.now
    ctx.agency_id = dossier.competent_agency_id


@handles(DossierAction.RESOLVE)
def resolve(ctx: ActionContext) -> None:
    """The result is approved and signed (Decree 118 Art.19(2), 22)."""
    ctx.authorize()
    ctx.dossier.result_summary = str(ctx.data.get("result_summary", "")).strip()
    # E.g. a current signed e-result must exist (documents app); each check
    # raises a DomainError when the dossier may not be resolved yet.
    for check in configured_callables("MOTCUA_RESOLVE_CHECKS"):
        check(ctx.dossier)
    _conclude(ctx, ResultKind.APPROVED)


@handles(DossierAction.REJECT)
def reject(ctx: ActionContext) -> None:
    """Refusal after appraisal, with its legal reasons (Art.19(3)); portal status 9."""
    ctx.authorize()
    ctx.dossier.decision_reason = ctx.require(
        "reason", _("Phải nêu rõ lý do và căn cứ pháp lý từ chối.")
    )
    _conclude(ctx, ResultKind.REFUSED)


@handles(DossierAction.RETURN_RESULT)
def return_result(ctx: ActionContext) -> None:
    """The result is handed to the applicant; fees due at return must be paid first."""
    ctx.authorize()
    dossier = ctx.dossier
    unpaid = list(dossier.fees.filter(status=FeeStatus.DUE))
    if unpaid:
        if not ctx.data.get("collect_fees"):
            raise RuleViolation(
                _("Còn phí, lệ phí chưa nộp; thu phí trước khi trả kết quả."),
                code="fees_unpaid",
                extra={"fees": [f.pk for f in unpaid]},
            )
        for fee in unpaid:
            fee.status, fee.paid_at = FeeStatus.PAID, ctx.now
            fee.payment_reference = (
                str(ctx.data.get("payment_reference", "")).strip()[:128] or "counter"
            )
        DossierFee.objects.bulk_update(
            unpaid, ["status", "paid_at", "payment_reference"]
        )
    step = next(
        (
            s
            for s in ctx.steps
            if s.kind == StepKind.RETURN and s.status != StepStatus.DONE
        ),
        None,
    )
    timeliness = ""
    if step is not None:
        if step.status == StepStatus.PENDING:
            step_rules.start_step(step, ctx.calendar, ctx.now)
        ctx.step = step
        timeliness = _finish_step(ctx, step)
    dossier.returned_at = ctx.now
    method = ctx.data.get("method") or dossier.return_method
    if ctx.actor is PORTAL:
        method = "online"
    ctx.agency_id = dossier.receiving_centre_id
    HandOver.objects.create(
        dossier=dossier,
        step=step,
        kind=HandOverKind.RETURN,
        from_agency_id=dossier.receiving_centre_id,
        giver=_user_or_none(ctx.actor),
        receiver_label=dossier.representative_name or dossier.applicant_name,
        handed_at=ctx.now,
        step_due_at=step.due_at if step else None,
        timeliness=timeliness,
        note=ctx.note,
    )
    ctx.event_data["method"] = method


@handles(DossierAction.REQUEST_WITHDRAWAL)
def request_withdrawal(ctx: ActionContext) -> None:
    """Decree 118 Art.21: the applicant asks to stop, before the decision."""
    ctx.authorize()
    ctx.dossier.withdrawal_requested_at = ctx.now
    ctx.agency_id = ctx.dossier.receiving_centre_id
    ctx.event_data["channel"] = "online" if ctx.actor is PORTAL else "counter"


@handles(DossierAction.STOP)
def stop(ctx: ActionContext) -> None:
    """Stop processing (Mẫu 05, TT03/2025 Art.7); no result has been issued."""
    ctx.authorize()
    ctx.dossier.decision_reason = ctx.require(
        "reason", _("Phải ghi rõ lý do dừng giải quyết.")
    )
    ctx.dossier.stopped_at = ctx.now
    for step in ctx.steps:
        if step.status in (StepStatus.PENDING, StepStatus.ACTIVE):
            step.status = StepStatus.SKIPPED
            ctx.touch(step)
    ctx.agency_id = ctx.dossier.competent_agency_id


@handles(DossierAction.CORRECT_RESULT)
def correct_result(ctx: ActionContext) -> None:
    """
    Decree 118 Art.23(1): an error in the result is corrected within 3 working
    days of being found. A late correction is still made (the citizen needs
    it) and recorded as late.
    """
    ctx.authorize()
    description = ctx.require("description", _("Phải ghi nội dung đính chính."))
    reported_at = (
        _parse_moment(ctx.data["reported_at"], "reported_at")
        if ctx.data.get("reported_at")
        else ctx.now
    )
    if reported_at > ctx.now:
        raise ValidationFailed(
            _("Thời điểm phát hiện sai sót không thể ở tương lai."),
            code="reported_at_invalid",
            extra={"field": "reported_at"},
        )
    due = deadlines.correction_due(ctx.calendar, reported_at)
    correction = ResultCorrection.objects.create(
        dossier=ctx.dossier,
        reported_at=reported_at,
        due_at=due,
        corrected_at=ctx.now,
        corrected_by=_user_or_none(ctx.actor),
        description=description,
        on_time=ctx.now <= due,
    )
    ctx.agency_id = ctx.dossier.competent_agency_id
    ctx.event_data.update({"correction": correction.pk, "on_time": correction.on_time})


def component_rows(dossier, components: list[dict]) -> list[DossierComponent]:
    """Validate and build the dossier's component rows (not saved)."""
    from motcua.catalog.constants import CopyType
    from motcua.catalog.models import Component
    from motcua.dossiers.constants import ComponentSource

    catalog = {
        c.pk: c for c in Component.objects.filter(version=dossier.procedure_version)
    }
    rows = []
    if not isinstance(components, list | tuple):
        raise ValidationFailed(
            _("Thành phần hồ sơ không hợp lệ."),
            code="components_invalid",
            extra={"field": "components"},
        )
    for index, item in enumerate(components, start=1):
        if not isinstance(item, dict):
            raise ValidationFailed(
                _("Thành phần hồ sơ không hợp lệ."),
                code="components_invalid",
                extra={"field": "components", "index": index},
            )
        component = None
        if item.get("component") is not None:
            component_id = int_value(
                item["component"],
                "component",
                message=_("Thành phần không thuộc thủ tục này."),
                index=index,
            )
            component = catalog.get(component_id)
            if component is None:
                raise ValidationFailed(
                    _("Thành phần không thuộc thủ tục này."),
                    code="component_unknown",
                    extra={
                        "field": "component",
                        "index": index,
                        "component": component_id,
                    },
                )
        source = item.get("source") or ComponentSource.PAPER
        if not isinstance(source, str) or source not in ComponentSource.values:
            raise ValidationFailed(
                _("Nguồn thành phần không hợp lệ."),
                code="component_source_invalid",
                extra={"field": "source", "index": index, "source": str(source)[:64]},
            )
        copy_type = item.get("copy_type") or (
            component.copy_type if component else CopyType.ORIGINAL
        )
        if not isinstance(copy_type, str) or copy_type not in CopyType.values:
            raise ValidationFailed(
                _("Loại bản không hợp lệ."),
                code="component_copy_type_invalid",
                extra={"field": "copy_type", "index": index},
            )
        name = (component.name if component else str(item.get("name", ""))).strip()
        if not name:
            raise ValidationFailed(
                _("Thành phần hồ sơ phải có tên."), code="component_name_required"
            )
        reused = source in (ComponentSource.REUSED, ComponentSource.NATIONAL_DATABASE)
        counts: dict[str, int | None] = {}
        for key in ("paper_count", "page_count"):
            value = item.get(key)
            counts[key] = (
                None
                if value in (None, "")
                else int_value(
                    value,
                    key,
                    low=0,
                    high=MAX_COUNT,
                    message=_("Số lượng không hợp lệ."),
                    index=index,
                )
            )
        paper_count, page_count = counts["paper_count"] or 0, counts["page_count"]
        rows.append(
            DossierComponent(
                dossier=dossier,
                component=component,
                order=component.order if component else 1000 + index,
                name=name,
                copy_type=copy_type,
                paper_count=paper_count,
                source=source,
                is_digitized=bool(
                    item.get(
                        "is_digitized",
                        source in (ComponentSource.SCANNED, ComponentSource.UPLOADED)
                        or reused,
                    )
                ),
                is_reused=reused,
                reuse_reference=str(item.get("reuse_reference", ""))[:128],
                page_count=page_count,
                note=str(item.get("note", ""))[:255],
            )
        )
    return rows
