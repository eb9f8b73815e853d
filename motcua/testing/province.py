"""
A small province with known agencies, staff and procedures, built directly
(no import), for tests that need a realistic context.
"""

from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal

from django.utils import timezone

from motcua.accounts.constants import Role
from motcua.accounts.models import StaffMembership, User
from motcua.catalog.constants import (
    Channel,
    CopyType,
    DataSource,
    DurationUnit,
    FeeStage,
    OnlineLevel,
    ParticipantRole,
    StepDurationUnit,
    StepKind,
    UnitRole,
    VersionStatus,
)
from motcua.catalog.models import (
    Component,
    FeeItem,
    ParticipantTemplate,
    Procedure,
    ProcedureVersion,
    ResultType,
    Sector,
    StepTemplate,
)
from motcua.units.constants import (
    AgencyKind,
    AgencyLevel,
    CalendarDayKind,
    Structure,
    UnitLevel,
    VerticalBranch,
    YearStatus,
)
from motcua.units.models import (
    AdministrativeUnit,
    Agency,
    AgencyCode,
    CalendarDay,
    CalendarYear,
    OfficePeriod,
    WorkCalendar,
)

# The official 2026 schedule (Government notices; data/vn-holidays/).
DAYS_OFF_2026 = [
    date(2026, 1, 1),
    date(2026, 1, 2),
    date(2026, 2, 16),
    date(2026, 2, 17),
    date(2026, 2, 18),
    date(2026, 2, 19),
    date(2026, 2, 20),
    date(2026, 4, 27),
    date(2026, 4, 30),
    date(2026, 5, 1),
    date(2026, 8, 31),
    date(2026, 9, 1),
    date(2026, 9, 2),
]
TEST_PASSWORD = "motcua-test"  # noqa: S105 - test accounts only
MAKEUP_2026 = [date(2026, 1, 10), date(2026, 8, 22)]


@dataclass
class SmallProvince:
    province: AdministrativeUnit
    commune_a: AdministrativeUnit
    commune_b: AdministrativeUnit
    provincial_centre: Agency
    centre_a: Agency
    centre_b: Agency
    committee_a: Agency
    committee_b: Agency
    police_a: Agency
    insurance: Agency
    justice: Agency
    users: dict[str, User] = field(default_factory=dict)
    procedures: dict[str, ProcedureVersion] = field(default_factory=dict)


def _agency(name, kind, level, unit, code, *, parent=None, branch="", short=""):
    agency = Agency.objects.create(
        name=name,
        short_name=short,
        kind=kind,
        level=level,
        administrative_unit=unit,
        parent=parent,
        branch=branch,
    )
    AgencyCode.objects.create(agency=agency, code=code, valid_from=date(2025, 7, 1))
    return agency


def _user(username, full_name, agency, role, **extra):
    user = User.objects.create_user(
        username=username, password=TEST_PASSWORD, full_name=full_name
    )
    StaffMembership.objects.create(
        user=user, agency=agency, role=role, valid_from=date(2025, 7, 1), **extra
    )
    return user


def build_calendar() -> WorkCalendar:
    calendar = WorkCalendar.objects.create(
        code="tinh", name="Lịch làm việc của tỉnh", is_default=True
    )
    OfficePeriod.objects.create(calendar=calendar, start=time(7, 30), end=time(11, 30))
    OfficePeriod.objects.create(calendar=calendar, start=time(13, 30), end=time(17, 30))
    CalendarDay.objects.bulk_create(
        [
            CalendarDay(date=d, kind=CalendarDayKind.HOLIDAY, is_day_off=True)
            for d in DAYS_OFF_2026
        ]
        + [
            CalendarDay(date=d, kind=CalendarDayKind.MAKEUP_WORKDAY, is_day_off=False)
            for d in MAKEUP_2026
        ]
    )
    CalendarYear.objects.create(
        year=2026, status=YearStatus.CONFIRMED, source="test schedule"
    )
    return calendar


def _version(
    code,
    name,
    sector,
    *,
    value,
    unit,
    channels=("counter", "online", "post"),
    cutoff=None,
    kind=AgencyKind.COMMUNE_COMMITTEE,
    branch="",
    inter_agency=False,
):
    procedure = Procedure.objects.create(code=code, name=name, sector=sector)
    return ProcedureVersion.objects.create(
        procedure=procedure,
        number=1,
        status=VersionStatus.PUBLISHED,
        name=name,
        duration_value=value,
        duration_unit=unit,
        cutoff_time=cutoff,
        channels=list(channels),
        online_level=OnlineLevel.FULL,
        competent_agency_kind=kind,
        competent_branch=branch,
        is_inter_agency=inter_agency,
        published_at=timezone.now(),
    )


def _steps(version, rows):
    for order, (name, kind, unit_role, role, value, unit, participant) in enumerate(
        rows, start=1
    ):
        StepTemplate.objects.create(
            version=version,
            order=order,
            name=name,
            kind=kind,
            unit_role=unit_role,
            role=role,
            allotted_value=Decimal(value),
            allotted_unit=unit,
            participant=participant,
        )


def build_small_province() -> SmallProvince:
    """Return a province with two communes, their centres, agencies, staff and three procedures."""
    build_calendar()
    province = AdministrativeUnit.objects.create(
        structure=Structure.TWO_LEVEL,
        level=UnitLevel.PROVINCE,
        code="99",
        name="Lâm Hải Giang",
        full_name="Tỉnh Lâm Hải Giang",
        unit_type="Tỉnh",
    )
    commune_a = AdministrativeUnit.objects.create(
        structure=Structure.TWO_LEVEL,
        level=UnitLevel.COMMUNE,
        code="99001",
        name="An Hòa",
        full_name="Xã An Hòa",
        unit_type="Xã",
        parent=province,
    )
    commune_b = AdministrativeUnit.objects.create(
        structure=Structure.TWO_LEVEL,
        level=UnitLevel.COMMUNE,
        code="99002",
        name="Bình Minh",
        full_name="Phường Bình Minh",
        unit_type="Phường",
        parent=province,
    )
    prov, comm = AgencyLevel.PROVINCE, AgencyLevel.COMMUNE
    committee = _agency(
        "UBND tỉnh Lâm Hải Giang",
        AgencyKind.PROVINCIAL_COMMITTEE,
        prov,
        province,
        "000.00.00.H99",
    )
    provincial_centre = _agency(
        "Trung tâm Phục vụ hành chính công tỉnh",
        AgencyKind.SERVICE_CENTRE,
        prov,
        province,
        "000.00.01.H99",
        parent=committee,
        short="TTPVHCC tỉnh",
    )
    justice = _agency(
        "Sở Tư pháp",
        AgencyKind.PROVINCIAL_DEPARTMENT,
        prov,
        province,
        "000.00.02.H99",
        parent=committee,
    )
    insurance = _agency(
        "Bảo hiểm xã hội tỉnh",
        AgencyKind.VERTICAL,
        prov,
        province,
        "000.00.03.H99",
        branch=VerticalBranch.SOCIAL_INSURANCE,
    )
    committee_a = _agency(
        "UBND xã An Hòa", AgencyKind.COMMUNE_COMMITTEE, comm, commune_a, "001.01.00.H99"
    )
    committee_b = _agency(
        "UBND phường Bình Minh",
        AgencyKind.COMMUNE_COMMITTEE,
        comm,
        commune_b,
        "002.01.00.H99",
    )
    centre_a = _agency(
        "Trung tâm Phục vụ hành chính công xã An Hòa",
        AgencyKind.SERVICE_CENTRE,
        comm,
        commune_a,
        "001.01.01.H99",
        parent=committee_a,
        short="TTPVHCC An Hòa",
    )
    centre_b = _agency(
        "Trung tâm Phục vụ hành chính công phường Bình Minh",
        AgencyKind.SERVICE_CENTRE,
        comm,
        commune_b,
        "002.01.01.H99",
        parent=committee_b,
        short="TTPVHCC Bình Minh",
    )
    police_a = _agency(
        "Công an xã An Hòa",
        AgencyKind.VERTICAL,
        comm,
        commune_a,
        "001.02.00.H99",
        branch=VerticalBranch.POLICE,
    )
    p = SmallProvince(
        province,
        commune_a,
        commune_b,
        provincial_centre,
        centre_a,
        centre_b,
        committee_a,
        committee_b,
        police_a,
        insurance,
        justice,
    )
    p.users = {
        "reception_a": _user(
            "tiepnhan.anhoa", "Nguyễn Thị Lan", centre_a, Role.RECEPTION
        ),
        "reception_b": _user(
            "tiepnhan.binhminh", "Trần Văn Hùng", centre_b, Role.RECEPTION
        ),
        "processing_a": _user(
            "chuyenvien.anhoa", "Lê Minh Tuấn", committee_a, Role.PROCESSING
        ),
        "processing_a2": _user(
            "chuyenvien2.anhoa", "Phạm Thu Hà", committee_a, Role.PROCESSING
        ),
        "leader_a": _user(
            "lanhdao.anhoa", "Đỗ Quang Vinh", committee_a, Role.AGENCY_LEADER
        ),
        "processing_b": _user(
            "chuyenvien.binhminh", "Vũ Hải Yến", committee_b, Role.PROCESSING
        ),
        "leader_b": _user(
            "lanhdao.binhminh", "Hoàng Đức Long", committee_b, Role.AGENCY_LEADER
        ),
        "police_a": _user("congan.anhoa", "Bùi Văn Nam", police_a, Role.PROCESSING),
        "police_lead_a": _user(
            "truongcongan.anhoa", "Ngô Thanh Sơn", police_a, Role.AGENCY_LEADER
        ),
        "insurance": _user("bhxh.tinh", "Đặng Thị Mai", insurance, Role.PROCESSING),
        "insurance_lead": _user(
            "giamdoc.bhxh", "Lý Văn Phúc", insurance, Role.AGENCY_LEADER
        ),
        "centre_head": _user(
            "giamdoc.trungtam", "Trịnh Minh Châu", provincial_centre, Role.CENTRE_HEAD
        ),
        "centre_head_a": _user(
            "giamdoc.anhoa", "Mai Xuân Trường", centre_a, Role.CENTRE_HEAD
        ),
        "supervisor": _user("giamsat.tinh", "Cao Thị Hồng", committee, Role.SUPERVISOR),
    }
    civil, residence, _health = (
        Sector.objects.create(code="ho-tich", name="Hộ tịch"),
        Sector.objects.create(code="cu-tru", name="Đăng ký, quản lý cư trú"),
        Sector.objects.create(code="bhyt", name="Bảo hiểm y tế"),
    )
    hours, days = StepDurationUnit.WORKING_HOURS, StepDurationUnit.WORKING_DAYS
    # Birth registration: immediate, received after 15:00 counts from the next day.
    birth = _version(
        "1.001193",
        "Đăng ký khai sinh",
        civil,
        value=None,
        unit=DurationUnit.IMMEDIATE,
        cutoff=time(15),
    )
    Component.objects.create(
        version=birth,
        order=1,
        name="Tờ khai đăng ký khai sinh",
        copy_type=CopyType.ORIGINAL,
    )
    Component.objects.create(
        version=birth, order=2, name="Giấy chứng sinh", copy_type=CopyType.ORIGINAL
    )
    Component.objects.create(
        version=birth,
        order=3,
        name="Giấy chứng nhận kết hôn của cha mẹ",
        required=False,
        copy_type=CopyType.COPY,
        reusable_source=DataSource.CIVIL_STATUS,
        result_type_code="KQ-KET-HON",
    )
    ResultType.objects.create(version=birth, code="KQ-KHAI-SINH", name="Giấy khai sinh")
    _steps(
        birth,
        [
            (
                "Tiếp nhận, chuyển hồ sơ",
                StepKind.RECEPTION,
                UnitRole.RECEIVING_CENTRE,
                Role.RECEPTION,
                "1",
                hours,
                None,
            ),
            (
                "Thẩm định hồ sơ",
                StepKind.APPRAISAL,
                UnitRole.COMPETENT_AGENCY,
                Role.PROCESSING,
                "4",
                hours,
                None,
            ),
            (
                "Ký giấy khai sinh",
                StepKind.SIGNING,
                UnitRole.COMPETENT_AGENCY,
                Role.AGENCY_LEADER,
                "2",
                hours,
                None,
            ),
            (
                "Trả kết quả",
                StepKind.RETURN,
                UnitRole.RECEIVING_CENTRE,
                Role.RECEPTION,
                "1",
                hours,
                None,
            ),
        ],
    )
    birth.procedure.agencies.add(committee_a, committee_b)
    # Permanent residence: 7 working days at the commune police; fee 20,000 (10,000 online).
    res = _version(
        "1.004222",
        "Đăng ký thường trú",
        residence,
        value=Decimal(7),
        unit=DurationUnit.WORKING_DAYS,
        kind=AgencyKind.VERTICAL,
        branch=VerticalBranch.POLICE,
    )
    Component.objects.create(
        version=res, order=1, name="Tờ khai thay đổi thông tin cư trú (CT01)"
    )
    Component.objects.create(
        version=res,
        order=2,
        name="Giấy tờ chứng minh chỗ ở hợp pháp",
        reusable_source=DataSource.PERSONAL_STORE,
        result_type_code="KQ-QSDD",
    )
    FeeItem.objects.create(
        version=res,
        code="LP-CT",
        name="Lệ phí đăng ký cư trú",
        amount=20000,
        channel="",
        stage=FeeStage.RECEPTION,
    )
    FeeItem.objects.create(
        version=res,
        code="LP-CT",
        name="Lệ phí đăng ký cư trú",
        amount=10000,
        channel=Channel.ONLINE,
        stage=FeeStage.RECEPTION,
    )
    _steps(
        res,
        [
            (
                "Tiếp nhận, chuyển hồ sơ",
                StepKind.RECEPTION,
                UnitRole.RECEIVING_CENTRE,
                Role.RECEPTION,
                "4",
                hours,
                None,
            ),
            (
                "Thẩm định, xác minh",
                StepKind.APPRAISAL,
                UnitRole.COMPETENT_AGENCY,
                Role.PROCESSING,
                "4",
                days,
                None,
            ),
            (
                "Phê duyệt",
                StepKind.SIGNING,
                UnitRole.COMPETENT_AGENCY,
                Role.AGENCY_LEADER,
                "1",
                days,
                None,
            ),
            (
                "Trả kết quả",
                StepKind.RETURN,
                UnitRole.RECEIVING_CENTRE,
                Role.RECEPTION,
                "4",
                hours,
                None,
            ),
        ],
    )
    res.procedure.agencies.add(police_a)
    # Inter-agency group (Decree 63/2024): birth, then residence and health insurance in parallel.
    group = _version(
        "1.013090",
        "Liên thông đăng ký khai sinh, đăng ký thường trú, cấp thẻ BHYT cho trẻ em dưới 6 tuổi",
        civil,
        value=Decimal(3),
        unit=DurationUnit.WORKING_DAYS,
        cutoff=time(15),
        inter_agency=True,
    )
    Component.objects.create(
        version=group, order=1, name="Tờ khai liên thông (Mẫu 01, Nghị định 63/2024)"
    )
    Component.objects.create(version=group, order=2, name="Giấy chứng sinh")
    birth_part = ParticipantTemplate.objects.create(
        version=group,
        stage=1,
        role=ParticipantRole.LEAD,
        agency_kind=AgencyKind.COMMUNE_COMMITTEE,
        work="Đăng ký khai sinh",
        result_type_code="KQ-KHAI-SINH",
    )
    police_part = ParticipantTemplate.objects.create(
        version=group,
        stage=2,
        agency_kind=AgencyKind.VERTICAL,
        branch=VerticalBranch.POLICE,
        work="Đăng ký thường trú",
        result_type_code="KQ-THUONG-TRU",
    )
    bhyt_part = ParticipantTemplate.objects.create(
        version=group,
        stage=2,
        agency_kind=AgencyKind.VERTICAL,
        branch=VerticalBranch.SOCIAL_INSURANCE,
        work="Cấp thẻ bảo hiểm y tế",
        result_type_code="KQ-THE-BHYT",
    )
    part = UnitRole.PARTICIPANT
    _steps(
        group,
        [
            (
                "Tiếp nhận, chuyển hồ sơ",
                StepKind.RECEPTION,
                UnitRole.RECEIVING_CENTRE,
                Role.RECEPTION,
                "2",
                hours,
                None,
            ),
            (
                "Đăng ký khai sinh",
                StepKind.APPRAISAL,
                part,
                Role.PROCESSING,
                "4",
                hours,
                birth_part,
            ),
            (
                "Đăng ký thường trú",
                StepKind.APPRAISAL,
                part,
                Role.PROCESSING,
                "8",
                hours,
                police_part,
            ),
            (
                "Cấp thẻ BHYT",
                StepKind.APPRAISAL,
                part,
                Role.PROCESSING,
                "8",
                hours,
                bhyt_part,
            ),
            (
                "Ký, đóng dấu kết quả liên thông",
                StepKind.SIGNING,
                UnitRole.COMPETENT_AGENCY,
                Role.AGENCY_LEADER,
                "2",
                hours,
                None,
            ),
            (
                "Trả kết quả",
                StepKind.RETURN,
                UnitRole.RECEIVING_CENTRE,
                Role.RECEPTION,
                "2",
                hours,
                None,
            ),
        ],
    )
    group.procedure.agencies.add(committee_a, committee_b)
    p.procedures = {"birth": birth, "residence": res, "group": group}
    return p


def applicant(**overrides) -> dict:
    """A valid applicant as the counter form sends it."""
    data = {
        "type": "person",
        "name": "Nguyễn Văn An",
        "id_number": "001099012345",
        "address": "Số 12 đường Lê Lợi, xã An Hòa, tỉnh Lâm Hải Giang",
        "phone": "0912345678",
        "email": "an.nguyen@example.vn",
        "identity_verified": True,
    }
    data.update(overrides)
    return data


def all_components(version, source="paper") -> list[dict]:
    return [
        {"component": c.pk, "source": source, "paper_count": 1}
        for c in version.components.filter(required=True)
    ]
