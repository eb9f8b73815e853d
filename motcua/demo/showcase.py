"""
The demo's scripted story, told through the services so a reviewer can follow
it by name: Trần Thị Minh Thư, of An Hòa, has her marital status confirmed at
the counter (paper scanned and signed by the reception officer, e-result
signed by the chairman and filed in her personal data store); she then
registers her marriage, and reception takes the confirmation from her store
instead of asking for the paper (Decree 118 Art.5(1)(i)); last, she registers
her permanent residence online, and the commune police ask for the
registration charge (the online tariff), which waits to be paid through the
payment gateway.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from motcua.accounts.constants import Role
from motcua.catalog.constants import CopyType, DataSource, StepKind
from motcua.documents.lifecycle import (
    dossier_resolve_with_result,
    reception_reuse_from_store,
)
from motcua.documents.services import result_issue
from motcua.dossiers.access import PORTAL
from motcua.dossiers.constants import ComponentSource, StepStatus
from motcua.dossiers.constants import DossierAction as A
from motcua.dossiers.constants import DossierStatus as S
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import dossier_apply_action, dossier_create
from motcua.units.calendars import calendar_for_agency

from .activity import time_machine_at
from .catalog import DemoCatalog
from .scans import dossier_scan_paper
from .structure import DemoProvince

COMMUNE = "An Hòa"
APPLICANT = {
    "type": "person",
    "name": "Trần Thị Minh Thư",
    "id_number": "099190001234",
    "birth_date": "1990-04-12",
    "phone": "0912345678",
    "email": "minhthu.tran@example.vn",
    "identity_verified": True,
}
MARITAL_STATUS = "1.004873"
MARRIAGE = "1.000894"
RESIDENCE = "1.004222"
# Circular 75/2022/TT-BTC, permanent residence registration filed online.
RESIDENCE_CHARGE = {"name": "Lệ phí đăng ký thường trú", "amount": 10000}


@dataclass
class Showcase:
    """What the story made, for the seed's report."""

    applicant: str = APPLICANT["name"]
    dossiers: dict[str, Dossier] = field(default_factory=dict)
    scanned: int = 0
    reused: int = 0


def _commune(demo: DemoProvince) -> dict:
    for commune in demo.communes:
        if commune["committee"].name.endswith(COMMUNE):
            return commune
    return demo.communes[0]


def _user(demo: DemoProvince, commune: dict, role: str, where: str):
    from motcua.accounts.models import StaffMembership

    membership = (
        StaffMembership.objects.active()
        .filter(agency=commune[where], role=role)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None


def _components(version, *, skip_result_types: tuple[str, ...] = ()) -> list[dict]:
    """Paper components to scan, the ID card from the population database."""
    rows = []
    for component in version.components.order_by("order", "pk"):
        if component.result_type_code in skip_result_types:
            continue  # reception takes it from the applicant's store
        if component.copy_type == CopyType.PRESENTED or component.presented_only:
            population = component.reusable_source == DataSource.POPULATION
            rows.append(
                {
                    "component": component.pk,
                    "source": ComponentSource.NATIONAL_DATABASE
                    if population
                    else ComponentSource.PRESENTED,
                    "reuse_reference": "CSDLQG-DC" if population else "",
                }
            )
            continue
        if not component.required:
            continue
        rows.append(
            {
                "component": component.pk,
                "source": ComponentSource.SCANNED,
                "paper_count": 1 if len(rows) else 2,
            }
        )
    return rows


class Story:
    def __init__(self, demo: DemoProvince, catalog: DemoCatalog, *, now: datetime):
        self.demo, self.catalog, self.now = demo, catalog, now
        self.commune = _commune(demo)
        self.calendar = calendar_for_agency(self.commune["committee"])
        self.reception = _user(demo, self.commune, Role.RECEPTION, "centre")
        self.officer = _user(demo, self.commune, Role.PROCESSING, "committee")
        self.leader = _user(demo, self.commune, Role.AGENCY_LEADER, "committee")
        self.police = _user(demo, self.commune, Role.PROCESSING, "police")
        self.applicant = {
            **APPLICANT,
            "address": f"Số 18 đường Nguyễn Du, {self.commune['unit'].full_name}, tỉnh Lâm Hải Giang",
            "unit": self.commune["unit"].pk,
        }
        self.result = Showcase()

    def _day(self, days_ago: int, minutes: int = 60) -> datetime:
        """``minutes`` of working time into the working day ``days_ago`` back."""
        day = self.calendar.day_minutes
        start = (self.calendar.offset(self.now) // day - days_ago) * day
        return self.calendar.moment_at(start + minutes)

    def _act(self, dossier, action, actor, when, **data) -> Dossier:
        return dossier_apply_action(
            dossier=dossier, action=action, actor=actor, now=when, data=data
        )

    def _counter(self, code: str, when: datetime, *, reuse: tuple = ()) -> Dossier:
        """
        Receive a counter dossier: what the applicant's store holds (result
        types ``reuse``) is taken from it before reception instead of asked
        for; the papers are scanned once the dossier is received.
        """
        version = self.catalog.versions[code]
        dossier = dossier_create(
            procedure_version=version,
            channel="counter",
            receiving_centre=self.commune["centre"],
            competent_agency=self.commune["committee"],
            applicant=self.applicant,
            components=_components(version, skip_result_types=reuse),
            actor=self.reception,
            submitted_at=when,
            now=when,
            receive=not reuse,
            return_method="counter",
        )
        if reuse:
            # The reception hooks may have taken it already when the dossier
            # was created; this is the officer's explicit check, idempotent.
            with time_machine_at(when + timedelta(minutes=4)):
                reception_reuse_from_store(dossier, actor=self.reception)
            self.result.reused += dossier.components.filter(
                source=ComponentSource.REUSED
            ).count()
            dossier = self._act(
                dossier, A.RECEIVE, self.reception, when + timedelta(minutes=5)
            )
        with time_machine_at(when + timedelta(minutes=8)):
            self.result.scanned += dossier_scan_paper(dossier, actor=self.reception)
        self.result.dossiers[code] = dossier
        return dossier

    def _resolve(self, dossier: Dossier, when: datetime) -> Dossier:
        """Complete the steps before signing, then sign the e-result."""
        for _ in range(10):
            step = (
                dossier.steps.filter(status=StepStatus.ACTIVE).order_by("order").first()
            )
            if step is None:
                break
            when = self.calendar.add_working_minutes(when, 30)
            if step.kind == StepKind.SIGNING:
                with time_machine_at(when):
                    # Under the demo's result type (what later procedures ask
                    # for), not the first one the national record lists.
                    result_issue(
                        dossier,
                        actor=self.leader,
                        result_type_code=self.catalog.specs[
                            dossier.procedure_version.procedure.code
                        ].result[0],
                        fields={"trich_yeu": f"Cấp cho bà {APPLICANT['name']}"},
                    )
                    return dossier_resolve_with_result(
                        dossier,
                        actor=self.leader,
                        result_summary=f"Cấp cho bà {APPLICANT['name']}",
                    )
            actor = self.reception if step.kind == StepKind.RECEPTION else self.officer
            dossier = self._act(dossier, A.COMPLETE_STEP, actor, when)
        return dossier

    def marital_status_then_marriage(self) -> None:
        first = self._counter(MARITAL_STATUS, self._day(6))
        first = self._resolve(first, first.received_at)
        self._act(
            first,
            A.RETURN_RESULT,
            self.reception,
            self.calendar.add_working_minutes(first.resolved_at, 60),
            collect_fees=True,
        )
        # The confirmation is in her store: reception reuses it.
        when = self._day(3, 90)
        second = self._counter(
            MARRIAGE,
            when,
            reuse=tuple(
                first.procedure_version.result_types.values_list("code", flat=True)
            ),
        )
        self._act(
            second,
            A.COMPLETE_STEP,
            self.reception,
            self.calendar.add_working_minutes(when, 20),
        )

    def residence_awaiting_payment(self) -> None:
        version = self.catalog.versions[RESIDENCE]
        when = self._day(1, 45)
        dossier = dossier_create(
            procedure_version=version,
            channel="online",
            receiving_centre=self.commune["centre"],
            competent_agency=self.commune["police"],
            applicant=self.applicant,
            components=[
                {**row, "source": ComponentSource.UPLOADED, "paper_count": 0}
                if row["source"] == ComponentSource.SCANNED
                else row
                for row in _components(version)
            ],
            actor=PORTAL,
            submitted_at=when,
            now=when,
            portal_id=f"G22.99-{when:%y%m%d}-900001",
            return_method="online",
        )
        when = self.calendar.add_working_minutes(when, 40)
        dossier = self._act(dossier, A.RECEIVE, self.reception, when)
        when = self.calendar.add_working_minutes(when, 30)
        dossier = self._act(dossier, A.COMPLETE_STEP, self.reception, when)
        dossier = self._act(
            dossier,
            A.REQUEST_PAYMENT,
            self.police,
            self.calendar.add_working_minutes(when, 120),
            # The version's own charge (online tariff) when it has one.
            fees=[] if dossier.fees.payable().exists() else [RESIDENCE_CHARGE],
        )
        if dossier.status != S.AWAITING_PAYMENT:
            raise RuntimeError(f"residence dossier ended {dossier.status}")
        self.result.dossiers[RESIDENCE] = dossier


def build_showcase(
    demo: DemoProvince, catalog: DemoCatalog, *, now: datetime
) -> Showcase | None:
    """Tell the story (once, with the rest of the demo's dossiers)."""
    wanted = (MARITAL_STATUS, MARRIAGE, RESIDENCE)
    if any(code not in catalog.versions for code in wanted):
        return None  # import-catalog lacks a record; the demo does without it
    story = Story(demo, catalog, now=now)
    story.marital_status_then_marriage()
    story.residence_awaiting_payment()
    return story.result


LABELS = {
    MARITAL_STATUS: "xác nhận tình trạng hôn nhân: giấy tờ quét, kết quả điện tử ký số",
    MARRIAGE: "đăng ký kết hôn: dùng lại kết quả trong Kho dữ liệu",
    RESIDENCE: "đăng ký thường trú: chờ thanh toán trực tuyến",
}


def showcase_lines() -> list[str]:
    """How to find the story in the database: codes and lookup secrets."""
    dossiers = (
        Dossier.objects.filter(applicant_id_number=APPLICANT["id_number"])
        .select_related("procedure_version__procedure")
        .order_by("submitted_at")
    )
    lines = []
    for dossier in dossiers:
        label = LABELS.get(dossier.procedure_version.procedure.code)
        if label and dossier.code:
            lines.append(
                f"  {dossier.code}  mã tra cứu {dossier.lookup_secret}  {label}"
            )
    if lines:
        lines.insert(
            0, f"Câu chuyện mẫu — bà {APPLICANT['name']} (tra cứu tại /lookup/):"
        )
    return lines
