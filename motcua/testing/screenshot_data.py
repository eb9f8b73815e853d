"""
A small province with dossiers in every state, for ``make screenshots``
until the demo seed (``motcua seed-demo``) exists.

The dossiers are made by the services, at instants counted back from the
real clock in working time, so that the pages show what an officer would
see this morning: some overdue, some due within hours, some paused, some
waiting for acceptance, some done.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import timezone

import time_machine

from motcua.audit.models import AccessPurpose
from motcua.audit.services import access_record
from motcua.dossiers.access import PORTAL
from motcua.dossiers.constants import DossierAction as A
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import dossier_apply_action, dossier_create
from motcua.testing.province import (
    TEST_PASSWORD,
    SmallProvince,
    all_components,
    applicant,
    build_small_province,
)
from motcua.units.calendars import get_calendar, invalidate

HOUR = 60
DAY = 8 * HOUR

# (name, personal id, address) of made-up applicants.
PEOPLE = [
    ("Nguyễn Thị Hồng Nhung", "001190012345", "Thôn Đông, xã An Hòa"),
    ("Trần Văn Đức", "001085004321", "Số 8 ngõ 2 đường Lê Lợi, xã An Hòa"),
    ("Lê Hoàng Yến", "001195007788", "Xóm Bến, xã An Hòa"),
    ("Phạm Quốc Bảo", "001079003456", "Số 21 đường Trần Phú, phường Bình Minh"),
    ("Võ Minh Châu", "001201009911", "Thôn Trung, xã An Hòa"),
    ("Đặng Thu Trang", "001188002233", "Số 5 đường Nguyễn Trãi, phường Bình Minh"),
    ("Hoàng Văn Thái", "001076005544", "Thôn Tây, xã An Hòa"),
    ("Bùi Thị Mai Anh", "001192006677", "Xóm Mới, xã An Hòa"),
    ("Ngô Đức Thắng", "001083001122", "Số 14 đường Hùng Vương, phường Bình Minh"),
    ("Đỗ Thị Lan Hương", "001197008899", "Thôn Nam, xã An Hòa"),
    ("Vũ Thành Long", "001090004455", "Số 3 đường Quang Trung, phường Bình Minh"),
    ("Lý Thị Thu Hà", "001199003311", "Thôn Bắc, xã An Hòa"),
]


@dataclass
class ScreenshotProvince:
    province: SmallProvince
    refs: dict[str, Any] = field(default_factory=dict)


class _Clock:
    """Instants counted back from now in the province's working time."""

    def __init__(self, now: datetime) -> None:
        self.calendar = get_calendar(None)
        self.now = now
        self.base = self.calendar.offset(now)

    def ago(self, minutes: int) -> datetime:
        return self.calendar.moment_at(self.base - minutes)


def _person(index: int, **extra) -> dict:
    name, id_number, address = PEOPLE[index % len(PEOPLE)]
    phone = f"09{12345670 + index * 7919 % 9999999:08d}"[:10]
    return applicant(
        name=name,
        id_number=id_number,
        address=f"{address}, tỉnh Lâm Hải Giang",
        phone=phone,
        email="",
        **extra,
    )


def build_screenshot_province(now: datetime | None = None) -> ScreenshotProvince:
    """Build the province and its dossiers; return the references the shots use."""
    p = build_small_province()
    invalidate()
    clock = _Clock(now or timezone.now())
    users = p.users
    result = ScreenshotProvince(p)
    serial = iter(range(100))

    def counter(key: str, minutes_ago: int, **kwargs) -> Dossier:
        version = p.procedures[key]
        competent = p.police_a if key == "residence" else p.committee_a
        with time_machine.travel(clock.ago(minutes_ago), tick=False):
            return dossier_create(
                procedure_version=version,
                channel="counter",
                receiving_centre=p.centre_a,
                competent_agency=competent,
                applicant=_person(next(serial)),
                components=all_components(version),
                actor=users["reception_a"],
                receive=True,
                **kwargs,
            )

    def online(minutes_ago: int, portal_id: str) -> Dossier:
        version = p.procedures["residence"]
        with time_machine.travel(clock.ago(minutes_ago), tick=False):
            return dossier_create(
                procedure_version=version,
                channel="online",
                receiving_centre=p.centre_a,
                competent_agency=p.police_a,
                applicant=_person(next(serial)),
                components=all_components(version, "uploaded"),
                actor=PORTAL,
                portal_id=portal_id,
            )

    def act(dossier, action, who, minutes_ago, **data) -> Dossier:
        with time_machine.travel(clock.ago(minutes_ago), tick=False):
            return dossier_apply_action(
                dossier=dossier, action=action, actor=users[who], data=data
            )

    def to_police(dossier, minutes_ago: int, assignee="police_a") -> Dossier:
        dossier = act(dossier, A.COMPLETE_STEP, "reception_a", minutes_ago)
        return act(
            dossier,
            A.ASSIGN,
            "police_lead_a",
            minutes_ago - 20,
            assignee=users[assignee].pk,
        )

    # Permanent residence (7 working days) at the commune police, at every age.
    late = to_police(counter("residence", 9 * DAY), 9 * DAY - 2 * HOUR)
    soon = to_police(counter("residence", 7 * DAY - 3 * HOUR), 7 * DAY - 4 * HOUR)
    working = to_police(counter("residence", 3 * DAY), 3 * DAY - HOUR)
    fresh = counter("residence", 2 * HOUR)
    paying = to_police(counter("residence", 5 * DAY), 5 * DAY - HOUR)
    paying = act(
        paying,
        A.REQUEST_PAYMENT,
        "police_a",
        2 * DAY,
        fees=[{"name": "Phí khai thác thông tin cư trú", "amount": 5000}],
    )
    asking = to_police(counter("residence", 2 * DAY), 2 * DAY - HOUR)
    asking = act(
        asking,
        A.REQUEST_SUPPLEMENT,
        "police_a",
        DAY,
        reason="Giấy tờ chứng minh chỗ ở hợp pháp là bản photo không chứng thực.",
        items=[{"name": "Giấy tờ chứng minh chỗ ở hợp pháp (bản sao có chứng thực)"}],
    )
    # The officer read the applicant's data, as the dossier page records it.
    with time_machine.travel(clock.ago(DAY + HOUR), tick=False):
        access_record(
            actor=users["police_a"],
            subject_id_number=asking.applicant_id_number,
            what="Xem hồ sơ: thông tin người nộp, thành phần hồ sơ",
            purpose=AccessPurpose.PROCESSING,
            dossier=asking,
            agency=p.police_a,
        )
    # Birth registrations: one resolved and waiting at the counter, one returned.
    birth = counter("birth", DAY + 3 * HOUR)
    birth = act(birth, A.COMPLETE_STEP, "reception_a", DAY + 2 * HOUR)
    birth = act(
        birth,
        A.COMPLETE_STEP,
        "processing_a",
        DAY,
        result_note="Hồ sơ đủ điều kiện.",
    )
    birth = act(
        birth, A.RESOLVE, "leader_a", DAY - HOUR, result_summary="Cấp Giấy khai sinh"
    )
    returned = counter("birth", 4 * DAY)
    for who, minutes in (
        ("reception_a", 4 * DAY - HOUR),
        ("processing_a2", 4 * DAY - 3 * HOUR),
    ):
        returned = act(returned, A.COMPLETE_STEP, who, minutes)
    returned = act(returned, A.RESOLVE, "leader_a", 3 * DAY + 4 * HOUR)
    returned = act(returned, A.RETURN_RESULT, "reception_a", 3 * DAY + 2 * HOUR)
    # The inter-agency group: birth, then residence and health insurance.
    group = counter("group", DAY + 5 * HOUR)
    group = act(group, A.COMPLETE_STEP, "reception_a", DAY + 4 * HOUR)
    # Online dossiers waiting for acceptance: one within its 8 hours, one past.
    waiting = online(3 * HOUR, "G22.99-000451")
    breached = online(DAY + 2 * HOUR, "G22.99-000447")
    for dossier in Dossier.objects.all():
        dossier.refresh_from_db()
    for key in ("reception_a", "police_a", "centre_head", "centre_head_a", "leader_a"):
        users[key].set_password(TEST_PASSWORD)
        users[key].save(update_fields=["password"])
    result.refs = {
        "late": late,
        "soon": soon,
        "working": working,
        "fresh": fresh,
        "paying": paying,
        "asking": asking,
        "birth": birth,
        "returned": returned,
        "group": group,
        "waiting": waiting,
        "breached": breached,
    }
    return result
