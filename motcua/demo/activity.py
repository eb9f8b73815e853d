"""
A few hundred dossiers of the demo province, made by replaying real actions
through the services (style guide §4.20), so that every timeline, hand-over,
due time and statistic is genuine. Deterministic for a given seed and "now".
"""

import random
from collections import Counter as Tally
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings

from motcua.accounts.constants import Role
from motcua.accounts.models import StaffMembership
from motcua.catalog.constants import CopyType, DataSource
from motcua.core.exceptions import DomainError
from motcua.documents.lifecycle import dossier_resolve_with_result
from motcua.dossiers.access import PAYMENT, PORTAL, SWEEP
from motcua.dossiers.constants import DossierAction as A
from motcua.dossiers.constants import DossierStatus as S
from motcua.dossiers.constants import StepStatus
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import dossier_apply_action, dossier_create
from motcua.units.calendars import calendar_for_agency

from .catalog import DemoCatalog
from .structure import COMMUNE_STAFF_NAMES, DemoProvince

STREETS = [
    "Lê Lợi",
    "Trần Hưng Đạo",
    "Nguyễn Trãi",
    "Hai Bà Trưng",
    "Lý Thường Kiệt",
    "Quang Trung",
    "Phan Chu Trinh",
    "Ngô Quyền",
    "Điện Biên Phủ",
    "Hùng Vương",
    "Nguyễn Du",
    "Bạch Đằng",
]


def _name_pool() -> tuple[list[str], list[str], list[str], list[str]]:
    """Surnames, male and female given names from data/vn-names, in Vietnamese order."""
    folder = settings.DATA_DIR / "vn-names"
    try:
        surnames = [
            line.split(",")[1]
            for line in (folder / "surname_frequency.csv")
            .read_text(encoding="utf-8")
            .splitlines()[1:60]
        ]
        male = (
            (folder / "given_names_male.txt")
            .read_text(encoding="utf-8")
            .split("\n")[:400]
        )
        female = (
            (folder / "given_names_female.txt")
            .read_text(encoding="utf-8")
            .split("\n")[:400]
        )
        return (
            surnames,
            [m for m in male if m],
            [f for f in female if f],
            ["Văn", "Đức", "Minh", "Quang"],
        )
    except (OSError, IndexError):
        # Without the names data set, reuse the staff names' parts.
        parts = [n.split() for n in COMMUNE_STAFF_NAMES]
        return (
            [p[0] for p in parts],
            [" ".join(p[1:]) for p in parts[::2]],
            [" ".join(p[1:]) for p in parts[1::2]],
            ["Văn"],
        )


@contextmanager
def time_machine_at(moment: datetime):
    """
    Run the block as if it were ``moment``: the documents services date what
    they sign with the clock, not with a parameter.
    """
    import time_machine

    with time_machine.travel(moment, tick=False):
        yield


def _original_scan(dossier) -> tuple[str, bytes]:
    """A scanned original for a certification (a plain page naming the document)."""
    from io import BytesIO

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((60, 60, 1180, 1694), outline="black", width=4)
    draw.text((120, 140), f"BAN CHINH - {dossier.applicant_id_number}", fill="black")
    buffer = BytesIO()
    image.save(buffer, "PNG")
    return ("ban-chinh.png", buffer.getvalue())


@dataclass
class Outcome:
    created: int = 0
    scanned: int = 0
    statuses: Tally = field(default_factory=Tally)
    refused_actions: Tally = field(default_factory=Tally)


class DemoActivity:
    def __init__(
        self,
        demo: DemoProvince,
        catalog: DemoCatalog,
        *,
        now: datetime,
        seed: int = 2026,
        scans: int = 6,
    ) -> None:
        self.demo, self.catalog, self.now = demo, catalog, now
        self.rng = random.Random(seed)
        self.outcome = Outcome()
        self.surnames, self.male, self.female, self.middle_male = _name_pool()
        self.staff: dict[tuple[int, str], list] = {}
        for membership in StaffMembership.objects.active().select_related("user"):
            self.staff.setdefault((membership.agency_id, membership.role), []).append(
                membership.user
            )
        codes = list(catalog.versions)
        self.choices = codes
        self.weights = [catalog.specs[c].weight for c in codes]
        self.sequence = 0
        # The first counter dossiers have their papers really scanned and
        # signed; the others only record the paper count, to keep the seed fast.
        self.scans_left = scans

    # -- people --------------------------------------------------------------
    def _person(self, commune) -> dict:
        rng = self.rng
        female = rng.random() < 0.5
        given = rng.choice(self.female if female else self.male)
        middle = (
            "Thị "
            if female and rng.random() < 0.5
            else (rng.choice(self.middle_male) + " " if rng.random() < 0.3 else "")
        )
        name = f"{rng.choice(self.surnames)} {middle}{given}"
        year = rng.randint(1950, 2005)
        century_gender = (2 if year >= 2000 else 0) + (1 if female else 0)
        id_number = f"099{century_gender}{year % 100:02d}{rng.randint(0, 999999):06d}"
        unit = commune["unit"]
        return {
            "type": "person",
            "name": name,
            "id_number": id_number,
            "birth_date": date(
                year, rng.randint(1, 12), rng.randint(1, 28)
            ).isoformat(),
            "address": f"Số {rng.randint(1, 200)} đường {rng.choice(STREETS)}, {unit.full_name}, tỉnh Lâm Hải Giang",
            "unit": unit.pk,
            "phone": f"09{rng.randint(10000000, 99999999)}",
            "email": ""
            if rng.random() < 0.5
            else f"nguoidan{rng.randint(1000, 9999)}@example.vn",
            "identity_verified": True,
        }

    def _user(self, agency_id: int, *roles: str):
        for role in roles:
            users = self.staff.get((agency_id, role))
            if users:
                return self.rng.choice(users)
        return None

    # -- one dossier -----------------------------------------------------------
    def _agencies(self, spec, commune):
        if spec.resolver in ("commune", "land"):
            competent = commune["committee"]
        elif spec.resolver == "police":
            competent = commune["police"]
        else:
            competent = self.demo.agencies[spec.resolver]
        roll = self.rng.random()
        provincial = spec.resolver not in ("commune", "land", "police")
        if provincial:
            centre = self.demo.agencies["ttpvhcc"] if roll < 0.7 else commune["centre"]
        elif roll < 0.75:
            centre = commune["centre"]
        elif roll < 0.87:
            centre = self.rng.choice(self.demo.communes)["centre"]  # boundary-free
        else:
            centre = self.demo.agencies["ttpvhcc"]
        return competent, centre

    def _components(self, version, channel: str) -> list[dict]:
        rows = []
        for component in version.components.all():
            if not component.required and self.rng.random() < 0.6:
                continue
            if component.copy_type == CopyType.PRESENTED or component.presented_only:
                source, reference = (
                    ("national_database", "CSDLQG-DC")
                    if component.reusable_source == DataSource.POPULATION
                    else ("presented", "")
                )
            elif channel == "online":
                source, reference = "uploaded", ""
            else:
                source, reference = "scanned", ""
            rows.append(
                {
                    "component": component.pk,
                    "source": source,
                    "reuse_reference": reference,
                    "paper_count": 0 if source != "scanned" else self.rng.randint(1, 4),
                }
            )
        return rows

    def _scan(self, dossier, officer, when) -> None:
        from .scans import dossier_scan_paper

        try:
            with time_machine_at(when + timedelta(minutes=3)):
                scanned = dossier_scan_paper(dossier, actor=officer)
        except DomainError as error:
            self.outcome.refused_actions[f"scan:{error.code}"] += 1
            return
        if scanned:
            self.scans_left -= 1
            self.outcome.scanned += scanned

    def _act(self, dossier, action, actor, when, **data):
        if when > self.now or actor is None:
            return None
        try:
            return dossier_apply_action(
                dossier=dossier, action=action, actor=actor, now=when, data=data
            )
        except DomainError as error:
            self.outcome.refused_actions[f"{action}:{error.code}"] += 1
            return None

    def _later(self, calendar, when, minutes):
        return calendar.add_working_minutes(when, max(1, int(minutes)))

    def simulate(self, submitted_at: datetime) -> Dossier | None:
        rng = self.rng
        code = rng.choices(self.choices, self.weights)[0]
        version, spec = self.catalog.versions[code], self.catalog.specs[code]
        commune = rng.choice(self.demo.communes)
        competent, centre = self._agencies(spec, commune)
        calendar = calendar_for_agency(competent)
        channels = version.channels or ["counter"]
        if "online" in channels and rng.random() < 0.7:
            channel = "online"
        elif "post" in channels and rng.random() < 0.05:
            channel = "post"
        else:
            channel = "counter" if "counter" in channels else channels[0]
        reception_officer = self._user(centre.pk, Role.RECEPTION)
        applicant = self._person(commune)
        components = self._components(version, channel)
        self.sequence += 1
        if channel == "online":
            dossier = dossier_create(
                procedure_version=version,
                channel=channel,
                receiving_centre=centre,
                competent_agency=competent,
                applicant=applicant,
                components=components,
                actor=PORTAL,
                submitted_at=submitted_at,
                now=submitted_at,
                portal_id=f"G22.99-{submitted_at:%y%m%d}-{self.sequence:06d}",
                return_method="online",
            )
            when = self._later(
                calendar, submitted_at, rng.choice([30, 60, 120, 240, 400, 600])
            )
            roll = rng.random()
            if roll < 0.03:
                self._act(
                    dossier,
                    A.REFUSE,
                    reception_officer,
                    when,
                    reason="Hồ sơ không thuộc thẩm quyền giải quyết của cơ quan; đề nghị nộp tại cơ quan có thẩm quyền.",
                )
                return dossier
            if roll < 0.09:
                dossier = (
                    self._act(
                        dossier,
                        A.REQUEST_SUPPLEMENT,
                        reception_officer,
                        when,
                        reason="Ảnh chụp giấy tờ không rõ nét",
                        items=[{"name": "Tờ khai", "note": "Chụp lại rõ nét"}],
                    )
                    or dossier
                )
                when = self._later(calendar, when, rng.choice([120, 480, 960]))
                dossier = self._act(dossier, A.SUPPLEMENT, PORTAL, when) or dossier
                when = self._later(calendar, when, 60)
            dossier = self._act(dossier, A.RECEIVE, reception_officer, when) or dossier
        else:
            if rng.random() < 0.02:
                dossier = dossier_create(
                    procedure_version=version,
                    channel=channel,
                    receiving_centre=centre,
                    competent_agency=competent,
                    applicant=applicant,
                    components=components,
                    actor=reception_officer,
                    submitted_at=submitted_at,
                    now=submitted_at,
                )
                self._act(
                    dossier,
                    A.REFUSE,
                    reception_officer,
                    self._later(calendar, submitted_at, 10),
                    reason="Yêu cầu không thuộc phạm vi giải quyết thủ tục hành chính.",
                )
                return dossier
            dossier = dossier_create(
                procedure_version=version,
                channel=channel,
                receiving_centre=centre,
                competent_agency=competent,
                applicant=applicant,
                components=components,
                actor=reception_officer,
                submitted_at=submitted_at,
                now=submitted_at,
                receive=True,
                return_method="post" if channel == "post" else "counter",
            )
            if self.scans_left > 0 and dossier.status == S.RECEIVED:
                self._scan(dossier, reception_officer, submitted_at)
        if dossier.status != S.RECEIVED:
            return dossier
        self._process(dossier, spec, calendar, dossier.received_at)
        return dossier

    def _process(self, dossier, spec, calendar, when) -> None:
        rng = self.rng
        plans = {
            "supplement": rng.random() < 0.08,
            "payment": spec.needs_payment or rng.random() < 0.03,
            "consult": rng.random() < 0.05,
            "withdraw": rng.random() < 0.015,
            "reject": rng.random() < 0.03,
            "slow": rng.random() < 0.12,
        }
        for _ in range(30):
            dossier.refresh_from_db()
            if dossier.status not in (S.RECEIVED, S.IN_PROGRESS, S.RESOLVED):
                return
            if dossier.status == S.RESOLVED:
                officer = self._user(dossier.receiving_centre_id, Role.RECEPTION)
                self._act(
                    dossier,
                    A.RETURN_RESULT,
                    officer,
                    self._later(calendar, when, rng.randint(30, 900)),
                    collect_fees=True,
                )
                return
            active = list(
                dossier.steps.filter(status=StepStatus.ACTIVE).order_by("order")
            )
            if not active:
                return
            step = active[0]
            factor = (
                rng.uniform(1.05, 1.6) if plans["slow"] else rng.uniform(0.15, 0.85)
            )
            when = self._later(
                calendar, max(when, step.started_at), step.allotted_minutes * factor
            )
            if when > self.now:
                return
            if step.kind == "signing":
                leader = self._user(
                    step.agency_id, Role.AGENCY_LEADER, Role.DIVISION_HEAD
                )
                if plans["reject"]:
                    self._act(
                        dossier,
                        A.REJECT,
                        leader,
                        when,
                        reason="Không đủ điều kiện theo quy định của pháp luật chuyên ngành.",
                    )
                else:
                    self._resolve(dossier, leader, when)
                continue
            if (
                step.kind == "appraisal"
                and step.agency_id == dossier.competent_agency_id
            ):
                officer = self._user(step.agency_id, Role.PROCESSING) or self._user(
                    step.agency_id, Role.AGENCY_LEADER
                )
                if plans.pop("withdraw", False):
                    centre_officer = self._user(
                        dossier.receiving_centre_id, Role.RECEPTION
                    )
                    if self._act(dossier, A.REQUEST_WITHDRAWAL, centre_officer, when):
                        leader = self._user(
                            dossier.competent_agency_id,
                            Role.AGENCY_LEADER,
                            Role.DIVISION_HEAD,
                        )
                        self._act(
                            dossier,
                            A.STOP,
                            leader,
                            self._later(calendar, when, 120),
                            reason="Công dân có đơn xin rút hồ sơ.",
                        )
                    return
                if plans.pop("supplement", False) and self._supplement(
                    dossier, officer, calendar, step
                ):
                    when = dossier.paused_at or when
                    dossier.refresh_from_db()
                    if dossier.status != S.IN_PROGRESS:
                        return
                    when = dossier.clock_started_at
                    continue
                if plans.pop("payment", False):
                    if not self._act(
                        dossier,
                        A.REQUEST_PAYMENT,
                        officer,
                        when,
                        fees=[
                            {
                                "name": "Lệ phí, nghĩa vụ tài chính theo thông báo",
                                "amount": rng.choice([50000, 100000, 250000]),
                            }
                        ],
                    ):
                        return
                    paid = self._later(calendar, when, rng.randint(240, 1440))
                    if not self._act(
                        dossier,
                        A.CONFIRM_PAYMENT,
                        PAYMENT,
                        paid,
                        payment_reference=f"VNPAY-{rng.randint(10**9, 10**10)}",
                    ):
                        return
                    when = paid
                    continue
                if plans.pop("consult", False):
                    target = (
                        self.demo.agencies["stp"]
                        if step.agency_id != self.demo.agencies["stp"].pk
                        else self.demo.agencies["snv"]
                    )
                    if self._act(
                        dossier,
                        A.CONSULT,
                        officer,
                        when,
                        to_agency=target.pk,
                        days=2,
                        question="Đề nghị cho ý kiến về tính hợp lệ của giấy tờ kèm theo.",
                    ):
                        replier = self._user(
                            target.pk, Role.PROCESSING, Role.AGENCY_LEADER
                        )
                        self._act(
                            dossier,
                            A.REPLY,
                            replier,
                            self._later(calendar, when, rng.randint(120, 1200)),
                            answer="Giấy tờ hợp lệ, đề nghị tiếp tục giải quyết.",
                        )
                    continue
                if plans["slow"] and not dossier.extension_count and rng.random() < 0.5:
                    leader = self._user(
                        dossier.competent_agency_id,
                        Role.AGENCY_LEADER,
                        Role.DIVISION_HEAD,
                    )
                    ask = self._later(
                        calendar, step.started_at, step.allotted_minutes * 0.5
                    )
                    if dossier.due_at and ask < when:
                        self._act(
                            dossier,
                            A.EXTEND,
                            leader,
                            ask,
                            reason="Cần thêm thời gian xác minh thông tin với cơ quan liên quan.",
                            new_due_at=calendar.add_working_minutes(
                                dossier.due_at, 3 * calendar.day_minutes
                            ).isoformat(),
                        )
                        dossier.refresh_from_db()
                if rng.random() < 0.4:
                    leader = self._user(
                        step.agency_id, Role.AGENCY_LEADER, Role.DIVISION_HEAD
                    )
                    if leader and officer and leader != officer:
                        self._act(
                            dossier,
                            A.ASSIGN,
                            leader,
                            step.started_at + timedelta(minutes=5),
                            assignee=officer.pk,
                        )
                self._act(dossier, A.COMPLETE_STEP, officer, when)
                continue
            roles = (
                (Role.RECEPTION,)
                if step.kind in ("reception", "return")
                else (Role.PROCESSING, Role.DIVISION_HEAD, Role.AGENCY_LEADER)
            )
            actor = self._user(step.agency_id, *roles)
            if self._act(dossier, A.COMPLETE_STEP, actor, when) is None:
                return

    def _resolve(self, dossier, leader, when) -> None:
        """Sign the e-result (or the certified copy) and resolve, as the leader does."""
        if when > self.now or leader is None:
            return
        summary = f"Đã giải quyết: {dossier.procedure_version.name[:120]}"
        try:
            with time_machine_at(when):
                dossier_resolve_with_result(
                    dossier,
                    actor=leader,
                    result_summary=summary,
                    original=_original_scan(dossier),
                )
        except DomainError as error:
            self.outcome.refused_actions[f"resolve:{error.code}"] += 1

    def _supplement(self, dossier, officer, calendar, step) -> bool:
        rng = self.rng
        asked = self._later(calendar, step.started_at, rng.randint(60, 900))
        if not self._act(
            dossier,
            A.REQUEST_SUPPLEMENT,
            officer,
            asked,
            reason="Thiếu giấy tờ chứng minh theo quy định",
            items=[{"name": "Giấy tờ chứng minh", "note": "Bản sao có chứng thực"}],
        ):
            return False
        if rng.random() < 0.8:
            supplied = asked + timedelta(
                days=rng.randint(1, 7), hours=rng.randint(0, 3)
            )
            supplied = calendar.add_working_minutes(supplied, 1)
            self._act(
                dossier,
                A.SUPPLEMENT,
                self._user(dossier.receiving_centre_id, Role.RECEPTION) or PORTAL,
                supplied,
            )
        else:
            self._act(
                dossier,
                A.CLOSE_UNSUPPLEMENTED,
                SWEEP,
                asked + timedelta(days=15, minutes=30),
            )
        return True

    def run(self, count: int, *, days: int = 60) -> Outcome:
        start = self.now - timedelta(days=days)
        calendar = calendar_for_agency(self.demo.agencies["ubnd"])
        span = max(1, calendar.working_minutes_between(start, self.now))
        offsets = sorted(self.rng.randint(0, span - 1) for _ in range(count))
        base = calendar.offset(start)
        for offset in offsets:
            submitted = calendar.moment_at(base + offset + 1)
            if submitted > self.now:
                continue
            dossier = self.simulate(submitted)
            if dossier is not None:
                self.outcome.created += 1
                dossier.refresh_from_db()
                self.outcome.statuses[dossier.status] += 1
        return self.outcome
