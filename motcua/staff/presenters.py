"""
How dossiers are shown to officers: the status badge, and the time left (or
overdue) in working time, as words and as a badge that carries a shape and a
text besides its colour (docs/ui.md).

Nothing here decides anything: the due times come from the services, the
working time from the unit's calendar (the one the services used).
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core.calendar import WorkingCalendar
from motcua.dossiers import deadlines
from motcua.dossiers.constants import (
    PAUSED_STATUSES,
    DossierStatus,
    Phase,
    ResultKind,
    ReturnMethod,
    Timeliness,
)
from motcua.dossiers.constants import DossierAction as A
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import DUE_SOON_WORKING_DAYS

S = DossierStatus

# Badge of each status (docs/ui.md): the class gives the shape and colour.
STATUS_BADGES: dict[str, str] = {
    S.SUBMITTED: "neutral",
    S.WITHDRAWAL_REQUESTED: "neutral",
    S.RECEIVED: "info",
    S.IN_PROGRESS: "progress",
    S.NEEDS_SUPPLEMENT: "paused",
    S.AWAITING_PAYMENT: "paused",
    S.RESOLVED: "success",
    S.RETURNED: "success",
    S.STOPPED: "stopped",
    S.REFUSED: "danger",
}

TIMELINESS_BADGES: dict[str, tuple[str, object]] = {
    Timeliness.EARLY: ("ontime", gettext_lazy("Trước hạn")),
    Timeliness.ON_TIME: ("ontime", gettext_lazy("Đúng hạn")),
    Timeliness.LATE: ("overdue", gettext_lazy("Trễ hạn")),
}


def status_badge(dossier: Dossier) -> tuple[str, str]:
    """Return (badge modifier, label) of the dossier's status."""
    if dossier.status == S.RESOLVED and dossier.result_kind == ResultKind.REFUSED:
        return "danger", _("Từ chối giải quyết")
    return STATUS_BADGES.get(dossier.status, "neutral"), dossier.get_status_display()


def working_time_text(minutes: int, day_minutes: int) -> str:
    """
    Return ``minutes`` of working time in words: "2 ngày 4 giờ", "3 giờ",
    "45 phút" (a working day has ``day_minutes``).
    """
    minutes = max(0, int(minutes))
    days, rest = divmod(minutes, day_minutes)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(_("%(n)s ngày") % {"n": days})
    if hours:
        parts.append(_("%(n)s giờ") % {"n": hours})
    if mins and not days:
        parts.append(_("%(n)s phút") % {"n": mins})
    return " ".join(parts) or _("dưới 1 phút")


@dataclass(frozen=True)
class Urgency:
    """Where a dossier stands against its deadline, for a badge and a sentence."""

    level: str  # overdue | soon | running | paused | waiting | finished | none
    badge: str  # badge modifier (docs/ui.md)
    label: str  # the badge's text
    text: str = ""  # "còn 3 giờ làm việc", "quá hạn 2 ngày làm việc"

    @property
    def is_late(self) -> bool:
        return self.level == "overdue"


class Calendars:
    """The calendar of each dossier's competent agency, looked up once per agency."""

    def __init__(self) -> None:
        self._by_agency: dict[int, WorkingCalendar] = {}

    def of(self, dossier: Dossier) -> WorkingCalendar:
        key = dossier.competent_agency_id
        if key not in self._by_agency:
            self._by_agency[key] = deadlines.calendar_of(dossier)
        return self._by_agency[key]


def _left(calendar: WorkingCalendar, now: datetime, due: datetime) -> int:
    """Working minutes from ``now`` to ``due``; negative once ``due`` passed."""
    if due >= now:
        return calendar.working_minutes_between(now, due)
    return -calendar.working_minutes_between(due, now)


def _against(
    calendar: WorkingCalendar, now: datetime, due: datetime, *, acceptance=False
) -> Urgency:
    minutes = _left(calendar, now, due)
    day = calendar.day_minutes
    if due < now:
        late = working_time_text(-minutes, day)
        if acceptance:
            return Urgency(
                "overdue",
                "overdue",
                _("Quá hạn tiếp nhận"),
                _("quá hạn tiếp nhận %(time)s làm việc") % {"time": late}
                if minutes
                else _("đã quá hạn tiếp nhận"),
            )
        return Urgency(
            "overdue",
            "overdue",
            _("Quá hạn"),
            _("quá hạn %(time)s làm việc") % {"time": late}
            if minutes
            else _("đã quá hạn"),
        )
    left = working_time_text(minutes, day)
    if acceptance:
        return Urgency(
            "waiting",
            "warning",
            _("Chờ tiếp nhận"),
            _("còn %(time)s làm việc để tiếp nhận") % {"time": left},
        )
    if minutes <= DUE_SOON_WORKING_DAYS * day:
        return Urgency(
            "soon",
            "warning",
            _("Sắp đến hạn"),
            _("còn %(time)s làm việc") % {"time": left},
        )
    return Urgency(
        "running", "ontime", _("Trong hạn"), _("còn %(time)s làm việc") % {"time": left}
    )


def urgency(dossier: Dossier, *, now: datetime, calendar: WorkingCalendar) -> Urgency:
    """Return where ``dossier`` stands at ``now`` against its deadline."""
    status = dossier.status
    if status in PAUSED_STATUSES:
        text = (
            _("chờ người nộp bổ sung, thời hạn tạm dừng")
            if status == S.NEEDS_SUPPLEMENT
            else _("chờ thực hiện nghĩa vụ tài chính, thời hạn tạm dừng")
        )
        return Urgency("paused", "paused", _("Tạm dừng"), text)
    if status == S.SUBMITTED:
        if dossier.acceptance_due_at is not None:
            return _against(calendar, now, dossier.acceptance_due_at, acceptance=True)
        return Urgency("waiting", "neutral", _("Chờ tiếp nhận"))
    if status == S.WITHDRAWAL_REQUESTED:
        return Urgency(
            "waiting", "neutral", _("Chờ dừng"), _("người nộp yêu cầu rút hồ sơ")
        )
    if status in (S.RECEIVED, S.IN_PROGRESS) and dossier.due_at is not None:
        return _against(calendar, now, dossier.due_at)
    if dossier.timeliness in TIMELINESS_BADGES:
        badge, label = TIMELINESS_BADGES[dossier.timeliness]
        text = _("chờ trả kết quả") if status == S.RESOLVED else ""
        return Urgency("finished", badge, str(label), text)
    return Urgency("none", "neutral", "—")


def step_urgency(step, *, now: datetime, calendar: WorkingCalendar) -> Urgency:
    """Return where an active step stands against its own due time."""
    return _against(calendar, now, step.due_at)


def _moment(value: str) -> str:
    moment = parse_datetime(value or "")
    if moment is None:
        return value or ""
    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y")


def event_lines(event, *, public: bool = False) -> list[str]:
    """
    Return what an event's data says, in words, for the timeline. With
    ``public``, only what the applicant is told (no officers' names).
    """
    data = event.data or {}
    lines: list[str] = []
    action = event.action
    if action == A.RECEIVE and data.get("code"):
        lines.append(_("Cấp mã hồ sơ %(code)s") % {"code": data["code"]})
        if data.get("acceptance_breached"):
            lines.append(_("Tiếp nhận quá 8 giờ làm việc kể từ khi nộp trực tuyến"))
    elif action == A.REQUEST_SUPPLEMENT:
        phase = data.get("phase")
        if phase in Phase.values:
            lines.append(
                _("Giai đoạn: %(phase)s") % {"phase": Phase(phase).label.lower()}
            )
        if data.get("reason"):
            lines.append(_("Nội dung: %(reason)s") % {"reason": data["reason"]})
        if data.get("breaches") and not public:
            lines.append(_("Vượt quy định: hồ sơ tính là quá hạn"))
    elif action == A.ASSIGN and data.get("assignee_name") and not public:
        lines.append(_("Giao cho %(name)s") % {"name": data["assignee_name"]})
    elif action == A.COMPLETE_STEP and data.get("step_name"):
        line = data["step_name"]
        if data.get("timeliness") in TIMELINESS_BADGES:
            line += f" – {TIMELINESS_BADGES[data['timeliness']][1]}"
        lines.append(line)
    elif action == A.TRANSFER and data.get("to_agency_name"):
        lines.append(_("Chuyển đến %(agency)s") % {"agency": data["to_agency_name"]})
        if data.get("reason") and not public:
            lines.append(_("Lý do: %(reason)s") % {"reason": data["reason"]})
    elif action == A.CONSULT and data.get("to_agency_name"):
        lines.append(
            _("Lấy ý kiến %(agency)s, hạn trả lời %(due)s")
            % {"agency": data["to_agency_name"], "due": _moment(data.get("due_at"))}
        )
    elif action == A.EXTEND and data.get("new_due_at"):
        lines.append(
            _("Hẹn trả mới: %(due)s") % {"due": _moment(data.get("new_due_at"))}
        )
        if data.get("reason"):
            lines.append(_("Lý do chậm: %(reason)s") % {"reason": data["reason"]})
    elif action == A.RETURN_RESULT and data.get("method") in ReturnMethod.values:
        lines.append(str(ReturnMethod(data["method"]).label))
    if event.note and not public:
        lines.append(event.note)
    return lines
