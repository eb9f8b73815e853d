"""
The demo province "Tỉnh Lâm Hải Giang": a fictional province with real-looking
agencies, service centres, counters, calendar and staff accounts.

Its administrative units carry code 99 (unused by the 34 real provinces) so
that they sit beside the real structure imported by ``import-units``.
"""

from dataclasses import dataclass, field
from datetime import date, time

from django.db import transaction

from motcua.accounts.constants import Role
from motcua.accounts.models import StaffMembership, User
from motcua.units.constants import (
    AgencyKind,
    AgencyLevel,
    Structure,
    UnitLevel,
    VerticalBranch,
)
from motcua.units.models import (
    AdministrativeUnit,
    Agency,
    AgencyCode,
    Counter,
    OfficePeriod,
    WorkCalendar,
)

PROVINCE_CODE = "99"
PROVINCE_NAME = "Lâm Hải Giang"
CODES_VALID_FROM = date(2025, 7, 1)
DEMO_PASSWORD = "motcua2026"  # noqa: S105 - printed demo credentials, development only
ADMIN_PASSWORD = "admin2026"  # noqa: S105 - printed demo credentials, development only

# (code suffix, unit type, name)
COMMUNES = [
    ("001", "Phường", "Hải Giang"),
    ("002", "Phường", "Lâm Sơn"),
    ("003", "Phường", "Bình Minh"),
    ("004", "Xã", "An Hòa"),
    ("005", "Xã", "Tân Lập"),
    ("006", "Xã", "Phú Mỹ"),
    ("007", "Xã", "Đông Hưng"),
    ("008", "Xã", "Thanh Bình"),
    ("009", "Xã", "Hòa Phong"),
    ("010", "Đặc khu", "Hòn Ngọc"),
]

# (key, name, short name, kind, branch, parent key)
PROVINCIAL_AGENCIES = [
    (
        "ubnd",
        "Ủy ban nhân dân tỉnh Lâm Hải Giang",
        "UBND tỉnh",
        AgencyKind.PROVINCIAL_COMMITTEE,
        "",
        None,
    ),
    (
        "ttpvhcc",
        "Trung tâm Phục vụ hành chính công tỉnh Lâm Hải Giang",
        "TTPVHCC tỉnh",
        AgencyKind.SERVICE_CENTRE,
        "",
        "ubnd",
    ),
    ("stp", "Sở Tư pháp", "Sở Tư pháp", AgencyKind.PROVINCIAL_DEPARTMENT, "", "ubnd"),
    (
        "stc",
        "Sở Tài chính",
        "Sở Tài chính",
        AgencyKind.PROVINCIAL_DEPARTMENT,
        "",
        "ubnd",
    ),
    (
        "dkkd",
        "Phòng Đăng ký kinh doanh – Sở Tài chính",
        "Phòng ĐKKD",
        AgencyKind.DIVISION,
        "",
        "stc",
    ),
    (
        "snnmt",
        "Sở Nông nghiệp và Môi trường",
        "Sở NN&MT",
        AgencyKind.PROVINCIAL_DEPARTMENT,
        "",
        "ubnd",
    ),
    (
        "vpdkdd",
        "Văn phòng Đăng ký đất đai tỉnh",
        "VPĐKĐĐ",
        AgencyKind.VERTICAL,
        VerticalBranch.LAND_REGISTRY,
        "snnmt",
    ),
    ("sxd", "Sở Xây dựng", "Sở Xây dựng", AgencyKind.PROVINCIAL_DEPARTMENT, "", "ubnd"),
    ("syt", "Sở Y tế", "Sở Y tế", AgencyKind.PROVINCIAL_DEPARTMENT, "", "ubnd"),
    ("snv", "Sở Nội vụ", "Sở Nội vụ", AgencyKind.PROVINCIAL_DEPARTMENT, "", "ubnd"),
    (
        "scongthuong",
        "Sở Công Thương",
        "Sở Công Thương",
        AgencyKind.PROVINCIAL_DEPARTMENT,
        "",
        "ubnd",
    ),
    (
        "catinh",
        "Công an tỉnh Lâm Hải Giang",
        "Công an tỉnh",
        AgencyKind.VERTICAL,
        VerticalBranch.POLICE,
        None,
    ),
    (
        "thue",
        "Thuế tỉnh Lâm Hải Giang",
        "Thuế tỉnh",
        AgencyKind.VERTICAL,
        VerticalBranch.TAX,
        None,
    ),
    (
        "bhxh",
        "Bảo hiểm xã hội tỉnh Lâm Hải Giang",
        "BHXH tỉnh",
        AgencyKind.VERTICAL,
        VerticalBranch.SOCIAL_INSURANCE,
        None,
    ),
]

# Staff names are fixed so that the README can list the demo accounts.
# (username, full name, agency key, role, title, sector, phone)
NAMED_STAFF = [
    (
        "giamdoc.trungtam",
        "Trịnh Minh Châu",
        "ttpvhcc",
        Role.CENTRE_HEAD,
        "Giám đốc Trung tâm",
        "",
        "0203 3800 101",
    ),
    (
        "phogiamdoc.trungtam",
        "Lương Thị Hạnh",
        "ttpvhcc",
        Role.CENTRE_DEPUTY,
        "Phó Giám đốc Trung tâm",
        "",
        "0203 3800 102",
    ),
    (
        "tiepnhan.tinh",
        "Nguyễn Thị Lan",
        "ttpvhcc",
        Role.RECEPTION,
        "Chuyên viên",
        "Tư pháp, Doanh nghiệp",
        "0203 3800 111",
    ),
    (
        "tiepnhan2.tinh",
        "Phan Văn Khải",
        "ttpvhcc",
        Role.RECEPTION,
        "Chuyên viên",
        "Đất đai, Xây dựng",
        "0203 3800 112",
    ),
    (
        "chuyenvien.tuphap",
        "Hoàng Thị Thu",
        "stp",
        Role.PROCESSING,
        "Chuyên viên",
        "Lý lịch tư pháp",
        "0203 3800 201",
    ),
    (
        "lanhdao.tuphap",
        "Đinh Công Tráng",
        "stp",
        Role.AGENCY_LEADER,
        "Phó Giám đốc Sở",
        "",
        "0203 3800 200",
    ),
    (
        "chuyenvien.dkkd",
        "Vũ Quốc Bảo",
        "dkkd",
        Role.PROCESSING,
        "Chuyên viên",
        "Đăng ký doanh nghiệp",
        "0203 3800 301",
    ),
    (
        "truongphong.dkkd",
        "Tạ Thị Ngân",
        "dkkd",
        Role.DIVISION_HEAD,
        "Trưởng phòng",
        "Đăng ký doanh nghiệp",
        "0203 3800 300",
    ),
    (
        "lanhdao.taichinh",
        "Kiều Văn Dũng",
        "stc",
        Role.AGENCY_LEADER,
        "Phó Giám đốc Sở",
        "",
        "0203 3800 310",
    ),
    (
        "chuyenvien.datdai",
        "Lò Văn Sinh",
        "vpdkdd",
        Role.PROCESSING,
        "Chuyên viên",
        "Đất đai",
        "0203 3800 401",
    ),
    (
        "lanhdao.datdai",
        "Đoàn Thị Thoa",
        "vpdkdd",
        Role.AGENCY_LEADER,
        "Giám đốc Văn phòng",
        "",
        "0203 3800 400",
    ),
    (
        "chuyenvien.xaydung",
        "Mạc Văn Lợi",
        "sxd",
        Role.PROCESSING,
        "Chuyên viên",
        "Xây dựng",
        "0203 3800 501",
    ),
    (
        "lanhdao.xaydung",
        "Triệu Thị Hoa",
        "sxd",
        Role.AGENCY_LEADER,
        "Phó Giám đốc Sở",
        "",
        "0203 3800 500",
    ),
    (
        "canbo.congantinh",
        "Hà Văn Quyết",
        "catinh",
        Role.PROCESSING,
        "Cán bộ",
        "Căn cước",
        "0203 3800 601",
    ),
    (
        "lanhdao.congantinh",
        "Chu Văn An",
        "catinh",
        Role.AGENCY_LEADER,
        "Phó Giám đốc Công an tỉnh",
        "",
        "0203 3800 600",
    ),
    (
        "chuyenvien.bhxh",
        "Đặng Thị Mai",
        "bhxh",
        Role.PROCESSING,
        "Chuyên viên",
        "Bảo hiểm y tế",
        "0203 3800 701",
    ),
    (
        "lanhdao.bhxh",
        "Lý Văn Phúc",
        "bhxh",
        Role.AGENCY_LEADER,
        "Phó Giám đốc",
        "",
        "0203 3800 700",
    ),
    (
        "chuyenvien.thue",
        "Quách Thị Yến",
        "thue",
        Role.PROCESSING,
        "Chuyên viên",
        "Đăng ký thuế",
        "0203 3800 801",
    ),
    (
        "lanhdao.thue",
        "Bạch Văn Tùng",
        "thue",
        Role.AGENCY_LEADER,
        "Phó Trưởng Thuế tỉnh",
        "",
        "0203 3800 800",
    ),
    (
        "giamsat.tinh",
        "Cao Thị Hồng",
        "ubnd",
        Role.SUPERVISOR,
        "Phó Chánh Văn phòng UBND tỉnh",
        "",
        "0203 3800 001",
    ),
]

# Per commune: (username prefix, role, agency suffix, title, sector)
COMMUNE_ROLES = [
    ("tiepnhan", Role.RECEPTION, "centre", "Công chức", "Hộ tịch, Chứng thực, Cư trú"),
    (
        "giamdoc",
        Role.CENTRE_HEAD,
        "centre",
        "Giám đốc Trung tâm (Phó Chủ tịch UBND)",
        "",
    ),
    (
        "chuyenvien",
        Role.PROCESSING,
        "committee",
        "Công chức Tư pháp – Hộ tịch",
        "Hộ tịch",
    ),
    ("lanhdao", Role.AGENCY_LEADER, "committee", "Chủ tịch UBND", ""),
    ("congan", Role.PROCESSING, "police", "Cán bộ Công an", "Cư trú"),
    ("truongcongan", Role.AGENCY_LEADER, "police", "Trưởng Công an", ""),
]

COMMUNE_STAFF_NAMES = [
    "Nguyễn Văn Hùng",
    "Trần Thị Hà",
    "Lê Minh Tuấn",
    "Phạm Thu Hương",
    "Đỗ Quang Vinh",
    "Bùi Văn Nam",
    "Vũ Hải Yến",
    "Hoàng Đức Long",
    "Ngô Thanh Sơn",
    "Dương Thị Nga",
    "Mai Xuân Trường",
    "Lưu Thị Hằng",
    "Trương Văn Hải",
    "Đào Thị Thanh",
    "Phùng Văn Khoa",
    "Tô Thị Loan",
    "Hồ Văn Thắng",
    "Lâm Thị Diệu",
    "Võ Minh Khang",
    "Đặng Văn Lực",
    "Cao Thị Huyền",
    "Tăng Văn Phú",
    "Nghiêm Thị Quỳnh",
    "Khổng Văn Đạt",
    "Thái Thị Bích",
    "Lạc Văn Hưng",
    "Ông Thị Tuyết",
    "Giáp Văn Hòa",
    "Âu Thị Vân",
    "Kim Văn Thành",
    "Nông Thị Mơ",
    "Hà Văn Lâm",
    "Vi Thị Đào",
    "Mã Văn Tiến",
    "Sầm Thị Liên",
    "La Văn Cường",
    "Tống Thị Nhung",
    "Ninh Văn Bình",
    "Quản Thị Oanh",
    "Viên Văn Hậu",
    "Lã Thị Gấm",
    "Đàm Văn Quân",
    "Khúc Thị Sen",
    "Thân Văn Tài",
    "Ôn Thị Tâm",
    "Diệp Văn Sáng",
    "Lục Thị Thảo",
    "Mạc Văn Toàn",
    "Bế Thị Uyên",
    "Hứa Văn Vượng",
    "Phí Thị Xuân",
    "Từ Văn Yên",
    "Doãn Thị Ánh",
    "Kha Văn Bảo",
    "Lều Thị Cúc",
    "Mông Văn Định",
    "Ngụy Thị Gia",
    "Phó Văn Hiển",
    "Tiêu Thị Kiều",
    "Ung Văn Lộc",
]


@dataclass
class DemoProvince:
    province: AdministrativeUnit
    agencies: dict[str, Agency] = field(default_factory=dict)
    communes: list[dict[str, Agency]] = field(default_factory=list)
    users: dict[str, User] = field(default_factory=dict)


def _user(username: str, full_name: str, *, staff: bool = False) -> User:
    user, created = User.objects.get_or_create(
        username=username, defaults={"full_name": full_name, "is_staff": staff}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _membership(
    user: User,
    agency: Agency,
    role: str,
    title: str = "",
    sector: str = "",
    phone: str = "",
) -> None:
    StaffMembership.objects.get_or_create(
        user=user,
        agency=agency,
        role=role,
        defaults={
            "title": title,
            "sector": sector,
            "phone": phone,
            "valid_from": CODES_VALID_FROM,
        },
    )


def _agency(
    key: str,
    name: str,
    short: str,
    kind: str,
    level: str,
    unit: AdministrativeUnit,
    code: str,
    *,
    branch: str = "",
    parent: Agency | None = None,
    calendar: WorkCalendar | None = None,
) -> Agency:
    agency, _ = Agency.objects.get_or_create(
        name=name,
        administrative_unit=unit,
        defaults={
            "short_name": short,
            "kind": kind,
            "level": level,
            "branch": branch,
            "parent": parent,
            "calendar": calendar,
            "phone": "0203 3800 000",
            "email": f"{key}@lamhaigiang.gov.vn",
        },
    )
    AgencyCode.objects.get_or_create(
        agency=agency, code=code, valid_from=CODES_VALID_FROM
    )
    return agency


@transaction.atomic
def build_structure() -> DemoProvince:
    """Create (or find) the demo province's units, agencies, counters and staff."""
    calendar, created = WorkCalendar.objects.get_or_create(
        code="lam-hai-giang",
        defaults={"name": "Lịch làm việc tỉnh Lâm Hải Giang", "is_default": True},
    )
    if created:
        OfficePeriod.objects.create(
            calendar=calendar, start=time(7, 30), end=time(11, 30)
        )
        OfficePeriod.objects.create(
            calendar=calendar, start=time(13, 30), end=time(17, 30)
        )
    province, _ = AdministrativeUnit.objects.get_or_create(
        structure=Structure.TWO_LEVEL,
        code=PROVINCE_CODE,
        defaults={
            "level": UnitLevel.PROVINCE,
            "name": PROVINCE_NAME,
            "full_name": f"Tỉnh {PROVINCE_NAME}",
            "unit_type": "Tỉnh",
            "name_en": f"{PROVINCE_NAME} Province",
            "valid_from": CODES_VALID_FROM,
        },
    )
    demo = DemoProvince(province=province)
    for index, (key, name, short, kind, branch, parent) in enumerate(
        PROVINCIAL_AGENCIES
    ):
        demo.agencies[key] = _agency(
            key,
            name,
            short,
            kind,
            AgencyLevel.PROVINCE,
            province,
            f"000.00.{index:02d}.H{PROVINCE_CODE}",
            branch=branch,
            parent=demo.agencies.get(parent) if parent else None,
            calendar=calendar if key == "ubnd" else None,
        )
    for number, sector in enumerate(
        [
            "Tư pháp – Hộ tịch",
            "Doanh nghiệp, Đầu tư",
            "Đất đai, Môi trường",
            "Xây dựng",
            "Công an, Căn cước",
            "Bảo hiểm xã hội",
            "Thuế",
            "Tổng hợp (ưu tiên)",
        ],
        start=1,
    ):
        Counter.objects.get_or_create(
            centre=demo.agencies["ttpvhcc"],
            number=number,
            defaults={
                "name": f"Quầy {number}",
                "sectors": sector,
                "is_priority": number == 8,
            },
        )
    staff_names = iter(COMMUNE_STAFF_NAMES)
    for suffix, unit_type, name in COMMUNES:
        unit, _ = AdministrativeUnit.objects.get_or_create(
            structure=Structure.TWO_LEVEL,
            code=f"{PROVINCE_CODE}{suffix}",
            defaults={
                "level": UnitLevel.COMMUNE,
                "name": name,
                "full_name": f"{unit_type} {name}",
                "unit_type": unit_type,
                "parent": province,
                "valid_from": CODES_VALID_FROM,
            },
        )
        lower = unit_type.lower()
        committee = _agency(
            f"ubnd{suffix}",
            f"Ủy ban nhân dân {lower} {name}",
            f"UBND {lower} {name}",
            AgencyKind.COMMUNE_COMMITTEE,
            AgencyLevel.COMMUNE,
            unit,
            f"{suffix}.01.00.H{PROVINCE_CODE}",
        )
        centre = _agency(
            f"ttpvhcc{suffix}",
            f"Trung tâm Phục vụ hành chính công {lower} {name}",
            f"TTPVHCC {name}",
            AgencyKind.SERVICE_CENTRE,
            AgencyLevel.COMMUNE,
            unit,
            f"{suffix}.01.01.H{PROVINCE_CODE}",
            parent=committee,
        )
        police = _agency(
            f"ca{suffix}",
            f"Công an {lower} {name}",
            f"CA {name}",
            AgencyKind.VERTICAL,
            AgencyLevel.COMMUNE,
            unit,
            f"{suffix}.02.00.H{PROVINCE_CODE}",
            branch=VerticalBranch.POLICE,
            parent=demo.agencies["catinh"],
        )
        Counter.objects.get_or_create(
            centre=centre,
            number=1,
            defaults={"name": "Quầy 1", "sectors": "Hộ tịch, Chứng thực"},
        )
        Counter.objects.get_or_create(
            centre=centre,
            number=2,
            defaults={"name": "Quầy 2", "sectors": "Cư trú, Đất đai"},
        )
        agencies = {
            "committee": committee,
            "centre": centre,
            "police": police,
            "unit": unit,
        }
        demo.communes.append(agencies)
        slug = _slug(name)
        for line, (prefix, role, where, title, sector) in enumerate(
            COMMUNE_ROLES, start=1
        ):
            username = f"{prefix}.{slug}"
            user = _user(username, next(staff_names))
            _membership(
                user,
                agencies[where],
                role,
                title,
                sector,
                f"0203 38{suffix} {line:03d}",
            )
            demo.users[username] = user
    for username, full_name, key, role, title, sector, phone in NAMED_STAFF:
        user = _user(username, full_name)
        _membership(user, demo.agencies[key], role, title, sector, phone)
        demo.users[username] = user
    admin, created = User.objects.get_or_create(
        username="admin",
        defaults={
            "full_name": "Quản trị hệ thống",
            "is_staff": True,
            "is_superuser": True,
        },
    )
    if created:
        admin.set_password(ADMIN_PASSWORD)
        admin.save(update_fields=["password"])
    demo.users["admin"] = admin
    return demo


def _slug(name: str) -> str:
    from motcua.core.text import fold

    return fold(name).replace(" ", "")
