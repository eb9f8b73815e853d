"""
Writes to calendars and agencies, as the admin and commands make them.

Every change to calendar data (national or unit days, office periods, year
statuses, calendars) goes through here, so that it is validated, recorded in
the audit log (event ``calendar_change``) and followed by a rebuild of the
cached working calendars: deadlines must never be computed from a stale
calendar after an administrator has corrected it.
"""

import itertools
from datetime import time
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction

from motcua.audit.models import AuditEvent
from motcua.audit.services import audit_record
from motcua.core.exceptions import RuleViolation, ValidationFailed

from . import calendars
from .constants import CalendarDayKind, YearStatus
from .models import Agency, CalendarDay, CalendarYear, OfficePeriod, WorkCalendar

CalendarObject = CalendarDay | OfficePeriod | CalendarYear | WorkCalendar


def _snapshot(obj: models.Model) -> dict[str, str]:
    """Return the editable fields of ``obj`` as text, for the audit record."""
    return {
        field.attname: "" if value is None else str(value)
        for field in obj._meta.concrete_fields
        if field.editable and not field.primary_key
        for value in [getattr(obj, field.attname)]
    }


def _refresh_calendars() -> None:
    # Now, so that this transaction computes with the new data; and again
    # after commit, in case another thread rebuilt from the old data meanwhile.
    calendars.invalidate()
    transaction.on_commit(calendars.invalidate)


def _audit(obj: models.Model, *, action: str, actor: Any, changes: dict) -> None:
    audit_record(
        event_type=AuditEvent.CALENDAR_CHANGE,
        actor=actor,
        target=obj,
        extra={"action": action, "object": str(obj), "changes": changes},
    )


def _save(obj: models.Model, actor: Any) -> None:
    try:
        obj.full_clean()
    except DjangoValidationError as error:
        raise ValidationFailed(" ".join(error.messages)) from None
    previous = type(obj)._default_manager.filter(pk=obj.pk).first() if obj.pk else None
    before = _snapshot(previous) if previous is not None else {}
    obj.save()
    after = _snapshot(obj)
    changes = {
        k: [before.get(k, ""), v] for k, v in after.items() if before.get(k) != v
    }
    if before and not changes:
        return
    _audit(obj, action="update" if before else "create", actor=actor, changes=changes)
    _refresh_calendars()


@transaction.atomic
def calendar_object_save[T: CalendarObject](*, obj: T, actor: Any = None) -> T:
    """
    Validate and save a calendar day, office period, calendar year or work
    calendar, audit the change and rebuild the cached calendars.

    Raise ValidationFailed if the object breaks a model rule or, for an
    office period, overlaps another period of its calendar.
    """
    if isinstance(obj, OfficePeriod):
        siblings = OfficePeriod.objects.filter(calendar_id=obj.calendar_id).exclude(
            pk=obj.pk
        )
        office_periods_check(
            [(p.start, p.end) for p in siblings] + [(obj.start, obj.end)]
        )
    _save(obj, actor)
    return obj


@transaction.atomic
def calendar_object_delete(*, obj: CalendarObject, actor: Any = None) -> None:
    """Delete a calendar object, audit it and rebuild the cached calendars."""
    _audit(obj, action="delete", actor=actor, changes=_snapshot(obj))
    obj.delete()
    _refresh_calendars()


@transaction.atomic
def office_periods_save(
    *,
    calendar: WorkCalendar,
    saved: list[OfficePeriod],
    deleted: list[OfficePeriod],
    actor: Any = None,
) -> None:
    """
    Apply several changes to ``calendar``'s office periods at once.

    The periods the calendar ends up with are checked together, so that
    periods may be moved past each other in one edit. Raise ValidationFailed,
    having changed nothing, if they overlap.
    """
    final = {p.pk: (p.start, p.end) for p in calendar.periods.all()}
    for period in deleted:
        final.pop(period.pk, None)
    new = [(p.start, p.end) for p in saved if p.pk is None]
    final.update({p.pk: (p.start, p.end) for p in saved if p.pk is not None})
    office_periods_check([*final.values(), *new])
    for period in deleted:
        calendar_object_delete(obj=period, actor=actor)
    for period in saved:
        period.calendar = calendar
        _save(period, actor)


def office_periods_check(periods: list[tuple[time, time]]) -> None:
    """
    Raise ValidationFailed unless ``periods`` are valid office hours: each
    ends after it starts, and none overlaps another (they are half-open, so
    07:30–11:30 and 11:30–13:30 may touch).
    """
    ordered = sorted(periods)
    for start, end in ordered:
        if end <= start:
            raise ValidationFailed(
                f"Giờ làm việc {start:%H:%M}–{end:%H:%M}: giờ kết thúc phải sau giờ bắt đầu."
            )
    for (s1, e1), (s2, e2) in itertools.pairwise(ordered):
        if s2 < e1:
            raise ValidationFailed(
                f"Giờ làm việc {s1:%H:%M}–{e1:%H:%M} và {s2:%H:%M}–{e2:%H:%M} chồng lên nhau."
            )


def _proposal_kind(name: str) -> CalendarDayKind:
    lowered = name.lower()
    if "nghỉ bù" in lowered:
        return CalendarDayKind.COMPENSATORY
    if "thay cho" in lowered:
        return CalendarDayKind.SWAPPED_DAY_OFF
    return CalendarDayKind.HOLIDAY


@transaction.atomic
def calendar_propose_year(year: int, *, actor: Any = None) -> tuple[CalendarYear, int]:
    """
    Propose ``year``'s national days off from the statutory holidays
    (python-holidays) as editable rows, and mark the year proposed.

    Existing rows are never touched, so an administrator's corrections and
    official rows survive a second proposal. Raise RuleViolation if the year
    already has an official schedule. Return the year and the rows created.
    """
    import holidays

    existing_year = CalendarYear.objects.select_for_update().filter(year=year).first()
    if existing_year is not None and existing_year.status == YearStatus.CONFIRMED:
        raise RuleViolation(
            f"Năm {year} đã có lịch nghỉ chính thức; không đề xuất đè lên lịch chính thức."
        )
    source = (
        f"Đề xuất từ ngày lễ luật định (Bộ luật Lao động 2019, Điều 112), "
        f"python-holidays {holidays.__version__}; chưa phải lịch chính thức."
    )
    if existing_year is None:
        existing_year = CalendarYear(
            year=year, status=YearStatus.PROPOSED, source=source
        )
        calendar_object_save(obj=existing_year, actor=actor)
    taken = set(
        CalendarDay.objects.filter(calendar__isnull=True, date__year=year).values_list(
            "date", flat=True
        )
    )
    names = calendars.statutory_holidays(year)
    basis = f"Đề xuất từ python-holidays {holidays.__version__}"
    proposed = [
        CalendarDay(
            date=day,
            kind=_proposal_kind(names[day]),
            is_day_off=True,
            name=names[day],
            legal_basis=basis,
        )
        for day in sorted(calendars.statutory_days_off(year))
    ] + [
        CalendarDay(
            date=day,
            kind=CalendarDayKind.MAKEUP_WORKDAY,
            is_day_off=False,
            name="Làm bù",
            legal_basis=basis,
        )
        for day in sorted(calendars.statutory_makeup_workdays(year))
    ]
    created = [day for day in proposed if day.date not in taken]
    CalendarDay.objects.bulk_create(created)
    if created:
        audit_record(
            event_type=AuditEvent.CALENDAR_CHANGE,
            actor=actor,
            target=existing_year,
            extra={
                "action": "propose",
                "object": str(existing_year),
                "created": [d.date.isoformat() for d in created],
            },
        )
    _refresh_calendars()
    return existing_year, len(created)


def agency_parent_check(agency: Agency, parent: Agency | None) -> None:
    """
    Raise ValidationFailed if ``parent`` is ``agency`` or one of its
    descendants: calendars and access rules are inherited along that chain.
    """
    seen = {agency.pk} if agency.pk else set()
    while parent is not None:
        if parent.pk in seen or parent is agency:
            raise ValidationFailed(
                "Cơ quan cấp trên không được là chính cơ quan này "
                "hoặc một cơ quan cấp dưới của nó."
            )
        seen.add(parent.pk)
        parent = parent.parent


@transaction.atomic
def agency_save(*, agency: Agency, actor: Any = None) -> Agency:
    """Validate and save ``agency`` (see ``agency_parent_check``), and audit it."""
    agency_parent_check(agency, agency.parent)
    created = agency.pk is None
    agency.save()
    audit_record(
        event_type=AuditEvent.SETTINGS,
        actor=actor,
        target=agency,
        extra={"action": "create" if created else "update", "object": str(agency)},
    )
    return agency
