"""
Citizens' reports and recommendations (PAKN): ``feedback_submit`` and
``feedback_apply_action``, the only writers of ``Feedback``.
"""

import re
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core.calendar import LOCAL_TZ, WorkingCalendar
from motcua.core.exceptions import PermissionDenied, RuleViolation, ValidationFailed
from motcua.core.sequences import sequence_next
from motcua.core.text import normalize_name
from motcua.dossiers.models import Dossier
from motcua.feedback import workflow
from motcua.feedback.access import SENDER, SenderActor, may_act_on_feedback
from motcua.feedback.constants import (
    FeedbackAction,
    FeedbackCategory,
    FeedbackChannel,
    FeedbackStatus,
)
from motcua.feedback.models import Feedback, FeedbackEvent
from motcua.units.calendars import get_calendar
from motcua.units.models import Agency

_PHONE = re.compile(r"^\+?[\d .-]{8,15}$")
TITLE_MAX = 255
CONTENT_MAX = 5000


def feedback_calendar() -> WorkingCalendar:
    """PAKN deadlines run on the province's calendar."""
    return get_calendar(None)


def _working_days_after(calendar: WorkingCalendar, moment: datetime, days: int):
    return calendar.add_working_minutes(moment, days * calendar.day_minutes)


def _text(data: dict[str, Any], key: str) -> str:
    return str(data.get(key) or "").strip()


def clean_submission(data: dict[str, Any]) -> dict[str, Any]:
    """
    Validate a PAKN as the public form sends it; raise ValidationFailed with
    every field error at once (Vietnamese). Needs the database only to find
    the dossier named by ``dossier_code``.
    """
    errors: dict[str, str] = {}
    title = normalize_name(data.get("title"))
    content = _text(data, "content")
    name = normalize_name(data.get("sender_name"))
    phone = _text(data, "sender_phone")
    email = _text(data, "sender_email")
    if len(title) < 5:
        errors["title"] = str(_("Tiêu đề cần ít nhất 5 ký tự."))
    elif len(title) > TITLE_MAX:
        errors["title"] = str(_("Tiêu đề dài quá 255 ký tự."))
    if len(content) < 20:
        errors["content"] = str(_("Nội dung cần ít nhất 20 ký tự."))
    elif len(content) > CONTENT_MAX:
        errors["content"] = str(_("Nội dung dài quá 5.000 ký tự."))
    if not name:
        errors["sender_name"] = str(_("Hãy cho biết họ tên của Ông/Bà."))
    if phone and not _PHONE.match(phone):
        errors["sender_phone"] = str(_("Số điện thoại không hợp lệ."))
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["sender_email"] = str(_("Địa chỉ thư điện tử không hợp lệ."))
    if not phone and not email and "sender_phone" not in errors:
        errors["sender_phone"] = str(
            _("Hãy để lại số điện thoại hoặc thư điện tử để nhận trả lời.")
        )
    dossier = None
    code = _text(data, "dossier_code")
    if code:
        dossier = Dossier.objects.filter(code=code).first()
        if dossier is None:
            errors["dossier_code"] = str(_("Không tìm thấy hồ sơ có mã này."))
    if errors:
        raise ValidationFailed(
            _("Phản ánh, kiến nghị chưa hợp lệ."),
            code="feedback_invalid",
            extra={"fields": errors},
        )
    return {
        "title": title,
        "content": content,
        "sender_name": name,
        "sender_phone": phone,
        "sender_email": email,
        "dossier": dossier,
    }


def _record(
    feedback: Feedback,
    *,
    action: FeedbackAction,
    from_status: str,
    actor: Any,
    now: datetime,
    note: str = "",
    data: dict[str, Any] | None = None,
) -> FeedbackEvent:
    return FeedbackEvent.objects.create(
        feedback=feedback,
        action=action,
        from_status=from_status,
        to_status=feedback.status,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=str(getattr(actor, "display_name", None) or actor),
        note=note,
        data=data or {},
        created_at=now,
    )


@transaction.atomic
def feedback_submit(
    *,
    data: dict[str, Any],
    channel: str = FeedbackChannel.WEB,
    now: datetime | None = None,
) -> Feedback:
    """
    Receive a PAKN and set its deadlines: refuse within 2 working days, ask
    for more information within 5, answer within 15 (legal-spec §6.1).
    Return it with its code and the secret the sender follows it with.
    """
    if channel not in FeedbackChannel.values:
        raise ValidationFailed(
            _("Kênh tiếp nhận không hợp lệ."), code="feedback_channel_invalid"
        )
    fields = clean_submission(data)
    now = now or timezone.now()
    calendar = feedback_calendar()
    day = now.astimezone(LOCAL_TZ).date()
    feedback = Feedback(
        channel=channel,
        submitted_at=now,
        reject_due_at=_working_days_after(calendar, now, workflow.REJECT_DAYS),
        info_due_at=_working_days_after(calendar, now, workflow.REQUEST_INFO_DAYS),
        answer_due_at=_working_days_after(calendar, now, workflow.ANSWER_DAYS),
        **fields,
    )
    feedback.code = (
        f"PAKN-{day:%y%m%d}-{sequence_next('feedback_code', f'{day:%y%m%d}'):04d}"
    )
    feedback.save()
    _record(
        feedback,
        action=FeedbackAction.SUBMIT,
        from_status="",
        actor=SENDER,
        now=now,
        data={"channel": channel},
    )
    return feedback


def _require(data: dict[str, Any], key: str, message: Any) -> str:
    value = _text(data, key)
    if not value:
        raise ValidationFailed(message, code=f"{key}_required", extra={"field": key})
    return value


def _assign(feedback: Feedback, data: dict[str, Any], now: datetime) -> dict[str, Any]:
    category = _text(data, "category")
    if category not in FeedbackCategory.values:
        raise ValidationFailed(
            _("Hãy phân loại phản ánh, kiến nghị."),
            code="category_required",
            extra={"field": "category"},
        )
    agency = Agency.objects.filter(
        pk=data.get("agency") or None, is_active=True
    ).first()
    if agency is None:
        raise ValidationFailed(
            _("Hãy chọn đơn vị xử lý."),
            code="agency_required",
            extra={"field": "agency"},
        )
    officer = None
    if data.get("officer"):
        officer = (
            get_user_model()
            .objects.filter(
                pk=data["officer"],
                is_active=True,
                memberships__agency=agency,
                memberships__is_active=True,
            )
            .distinct()
            .first()
        )
        if officer is None:
            raise ValidationFailed(
                _("Cán bộ được giao không thuộc đơn vị xử lý."),
                code="officer_invalid",
                extra={"field": "officer"},
            )
    feedback.category = category
    feedback.agency = agency
    feedback.officer = officer
    feedback.assigned_at = feedback.assigned_at or now
    return {
        "category": category,
        "agency": agency.pk,
        "agency_name": agency.name,
        "officer": officer.pk if officer else None,
    }


@transaction.atomic
def feedback_apply_action(
    *,
    feedback: Feedback,
    action: FeedbackAction | str,
    actor: Any,
    data: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> Feedback:
    """
    Apply a lifecycle ``action`` (``workflow.TRANSITIONS``) to ``feedback``
    on behalf of ``actor`` (an officer, or ``SENDER`` for the citizen's own
    actions) and return it. Raise a DomainError, changing nothing, when the
    action is not allowed, not permitted or its data are missing.
    """
    action = FeedbackAction(action)
    if action == FeedbackAction.SUBMIT:
        raise RuleViolation(
            _("Dùng dịch vụ gửi phản ánh để tạo phản ánh mới."), code="use_submit"
        )
    feedback = Feedback.objects.select_for_update().get(pk=feedback.pk)
    previous = FeedbackStatus(feedback.status)
    target = workflow.next_status(previous, action)
    if not may_act_on_feedback(actor, feedback, action):
        raise PermissionDenied(
            _("Bạn không có quyền thực hiện thao tác này với phản ánh, kiến nghị."),
            code="action_not_permitted",
            extra={"action": action.value},
        )
    data = dict(data or {})
    now = now or timezone.now()
    calendar = feedback_calendar()
    note = ""
    event_data: dict[str, Any] = {}
    user = None if isinstance(actor, SenderActor) else actor
    if action == FeedbackAction.ASSIGN:
        event_data = _assign(feedback, data, now)
    elif action == FeedbackAction.REQUEST_INFO:
        if feedback.info_requested_at is not None:
            raise RuleViolation(
                _("Chỉ đề nghị bổ sung thông tin một lần."),
                code="info_already_requested",
            )
        note = _require(data, "message", _("Hãy ghi rõ thông tin cần bổ sung."))
        feedback.info_requested_at = now
        feedback.info_request = note
        event_data = {"on_time": now <= feedback.info_due_at}
    elif action == FeedbackAction.SUPPLY_INFO:
        note = _require(data, "message", _("Hãy ghi thông tin bổ sung."))
        # The 15 working days do not run while the sender is asked for more.
        waited = max(
            0, calendar.working_minutes_between(feedback.info_requested_at, now)
        )
        feedback.info_supplied_at = now
        feedback.info_supplied = note
        feedback.info_wait_minutes += waited
        if waited:
            feedback.answer_due_at = calendar.add_working_minutes(
                feedback.answer_due_at, waited
            )
        event_data = {"waited_minutes": waited}
    elif action == FeedbackAction.REJECT:
        note = _require(data, "reason", _("Hãy ghi rõ lý do không xử lý."))
        feedback.rejected_at = now
        feedback.reject_reason = note
        event_data = {"on_time": now <= feedback.reject_due_at}
    elif action == FeedbackAction.ANSWER:
        note = _require(data, "answer", _("Hãy nhập nội dung trả lời."))
        feedback.answer = note
        feedback.answered_at = now
        feedback.answered_by = user
        feedback.publish_due_at = _working_days_after(
            calendar, now, workflow.PUBLISH_DAYS
        )
        event_data = {"on_time": now <= feedback.answer_due_at}
    elif action == FeedbackAction.PUBLISH:
        feedback.public_question = _require(
            data,
            "public_question",
            _(
                "Hãy tóm tắt nội dung phản ánh để công khai (không ghi thông tin cá nhân)."
            ),
        )
        feedback.published_at = now
        event_data = {"on_time": now <= feedback.publish_due_at}
    elif action == FeedbackAction.RATE_ANSWER:
        if feedback.citizen_satisfied is not None:
            raise RuleViolation(
                _("Ông/Bà đã đánh giá việc giải quyết phản ánh này."),
                code="feedback_already_rated",
            )
        satisfied = data.get("satisfied")
        if isinstance(satisfied, str):
            satisfied = {"true": True, "1": True, "false": False, "0": False}.get(
                satisfied.strip().lower()
            )
        if not isinstance(satisfied, bool):
            raise ValidationFailed(
                _("Hãy cho biết Ông/Bà có hài lòng hay không."),
                code="satisfied_required",
                extra={"field": "satisfied"},
            )
        feedback.citizen_satisfied = satisfied
        feedback.satisfaction_at = now
        event_data = {"satisfied": satisfied}
    feedback.status = target
    feedback.save()
    _record(
        feedback,
        action=action,
        from_status=previous,
        actor=actor,
        now=now,
        note=note,
        data=event_data,
    )
    return feedback
