"""
The procedures the demo province resolves: real records of the national
catalog, given the province's own process templates, competent agencies and
(where the imported record lacks them) components, fees and durations taken
from the governing law. Each becomes version 2, published through the catalog
services; version 1 stays as imported.
"""

from dataclasses import dataclass, field
from datetime import time
from decimal import Decimal

from django.db import transaction

from motcua.accounts.constants import Role
from motcua.catalog import services as catalog_services
from motcua.catalog.constants import (
    CopyType,
    DataSource,
    DurationUnit,
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
from motcua.units.constants import AgencyKind, VerticalBranch

from .structure import DemoProvince

H, D = StepDurationUnit.WORKING_HOURS, StepDurationUnit.WORKING_DAYS


@dataclass(frozen=True)
class Doc:
    name: str
    copy_type: str = CopyType.ORIGINAL
    required: bool = True
    source: str = ""
    result_type: str = ""


@dataclass(frozen=True)
class DemoProcedure:
    code: str
    # Who resolves it: "commune" (the commune People's Committee), "police"
    # (the commune police) or a key of structure.PROVINCIAL_AGENCIES.
    resolver: str
    weight: int
    result: tuple[str, str]
    duration: tuple[Decimal | None, str] | None = None
    cutoff: time | None = None
    docs: tuple[Doc, ...] = ()
    fees: tuple[tuple[str, int, str], ...] = ()
    signer: str = Role.AGENCY_LEADER
    needs_payment: bool = False  # a financial obligation is assessed during processing


ID_CARD = Doc(
    "Căn cước / Thẻ căn cước công dân (xuất trình)",
    CopyType.PRESENTED,
    True,
    DataSource.POPULATION,
)
BIRTH_CERT = Doc(
    "Giấy chứng sinh", CopyType.ORIGINAL, True, DataSource.CIVIL_STATUS, "KQ.HT.GCS"
)
RESIDENCE_PROOF = Doc(
    "Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp",
    CopyType.COPY,
    True,
    DataSource.PERSONAL_STORE,
    "KQ.DD.GCN",
)

PROCEDURES = [
    DemoProcedure(
        "1.001193",
        "commune",
        30,
        ("KQ.HT.KS", "Giấy khai sinh"),
        cutoff=time(15),
        docs=(
            Doc("Tờ khai đăng ký khai sinh"),
            BIRTH_CERT,
            ID_CARD,
            Doc(
                "Giấy chứng nhận kết hôn của cha, mẹ",
                CopyType.COPY,
                False,
                DataSource.CIVIL_STATUS,
                "KQ.HT.KH",
            ),
        ),
    ),
    DemoProcedure(
        "1.000894",
        "commune",
        10,
        ("KQ.HT.KH", "Giấy chứng nhận kết hôn"),
        duration=(None, DurationUnit.IMMEDIATE),
        cutoff=time(15),
        docs=(
            Doc("Tờ khai đăng ký kết hôn"),
            ID_CARD,
            Doc(
                "Giấy xác nhận tình trạng hôn nhân",
                CopyType.ORIGINAL,
                True,
                DataSource.PERSONAL_STORE,
                "KQ.HT.XNHN",
            ),
        ),
    ),
    DemoProcedure(
        "1.000656",
        "commune",
        6,
        ("KQ.HT.KT", "Trích lục khai tử"),
        cutoff=time(15),
        docs=(
            Doc("Tờ khai đăng ký khai tử"),
            Doc("Giấy báo tử hoặc giấy tờ thay thế giấy báo tử"),
            ID_CARD,
        ),
    ),
    DemoProcedure(
        "1.004873",
        "commune",
        12,
        ("KQ.HT.XNHN", "Giấy xác nhận tình trạng hôn nhân"),
        docs=(Doc("Tờ khai cấp Giấy xác nhận tình trạng hôn nhân"), ID_CARD),
    ),
    DemoProcedure(
        "2.000635",
        "commune",
        15,
        ("KQ.HT.TL", "Bản sao trích lục hộ tịch"),
        duration=(None, DurationUnit.IMMEDIATE),
        cutoff=time(15),
        docs=(Doc("Tờ khai cấp bản sao trích lục hộ tịch"), ID_CARD),
        fees=(("Lệ phí cấp bản sao trích lục", 8000, ""),),
    ),
    DemoProcedure(
        "2.000884",
        "commune",
        8,
        ("KQ.CT.CK", "Giấy tờ, văn bản đã chứng thực chữ ký"),
        duration=(None, DurationUnit.IMMEDIATE),
        cutoff=time(15),
        docs=(Doc("Giấy tờ, văn bản cần chứng thực chữ ký"), ID_CARD),
        # Circular 226/2016/TT-BTC: 10,000 đồng per signature certification.
        fees=(("Phí chứng thực chữ ký", 10000, ""),),
    ),
    DemoProcedure(
        "1.004837",
        "commune",
        3,
        ("KQ.HT.GH", "Trích lục đăng ký giám hộ"),
        duration=(Decimal(3), DurationUnit.WORKING_DAYS),
        cutoff=time(15),
        docs=(
            Doc("Tờ khai đăng ký giám hộ"),
            Doc("Văn bản cử người giám hộ"),
            ID_CARD,
        ),
    ),
    DemoProcedure(
        "2.000908",
        "commune",
        4,
        ("KQ.HT.SG", "Bản sao từ sổ gốc"),
        docs=(Doc("Đơn đề nghị cấp bản sao từ sổ gốc"), ID_CARD),
    ),
    DemoProcedure(
        "2.000815",
        "commune",
        25,
        ("KQ.CT.BS", "Bản sao điện tử có chứng thực"),
        duration=(None, DurationUnit.IMMEDIATE),
        cutoff=time(15),
        docs=(
            Doc("Bản chính giấy tờ, văn bản cần chứng thực", CopyType.PRESENTED),
            ID_CARD,
        ),
        fees=(("Phí chứng thực bản sao (2.000 đồng/trang)", 2000, ""),),
    ),
    DemoProcedure(
        "1.004884",
        "commune",
        3,
        ("KQ.HT.KS", "Giấy khai sinh (đăng ký lại)"),
        docs=(
            Doc("Tờ khai đăng ký lại khai sinh"),
            Doc("Bản sao giấy tờ có thông tin khai sinh", CopyType.COPY),
            ID_CARD,
        ),
    ),
    DemoProcedure(
        "1.000689",
        "commune",
        2,
        ("KQ.HT.KS", "Giấy khai sinh, trích lục nhận cha, mẹ, con"),
        docs=(
            Doc("Tờ khai đăng ký khai sinh, nhận cha, mẹ, con"),
            BIRTH_CERT,
            Doc("Chứng cứ chứng minh quan hệ cha, mẹ, con"),
            ID_CARD,
        ),
    ),
    DemoProcedure(
        "1.004222",
        "police",
        25,
        ("KQ.CT.TT", "Thông báo kết quả đăng ký thường trú"),
        docs=(
            Doc("Tờ khai thay đổi thông tin cư trú (CT01)"),
            RESIDENCE_PROOF,
            ID_CARD,
        ),
    ),
    DemoProcedure(
        "1.002755",
        "police",
        8,
        ("KQ.CT.GHTT", "Thông báo kết quả gia hạn tạm trú"),
        docs=(Doc("Tờ khai thay đổi thông tin cư trú (CT01)"), ID_CARD),
    ),
    DemoProcedure(
        "1.004194",
        "police",
        10,
        ("KQ.CT.TAMTRU", "Thông báo kết quả đăng ký tạm trú"),
        duration=(Decimal(3), DurationUnit.WORKING_DAYS),
        docs=(
            Doc("Tờ khai thay đổi thông tin cư trú (CT01)"),
            RESIDENCE_PROOF,
            ID_CARD,
        ),
        # Circular 75/2022/TT-BTC: temporary residence registration charge,
        # lower when filed online.
        fees=(
            ("Lệ phí đăng ký tạm trú", 10000, "counter"),
            ("Lệ phí đăng ký tạm trú (nộp trực tuyến)", 7000, "online"),
        ),
    ),
    DemoProcedure(
        "1.014056",
        "police",
        4,
        ("KQ.CC.KT", "Văn bản cung cấp thông tin công dân"),
        docs=(Doc("Văn bản đề nghị khai thác thông tin"), ID_CARD),
    ),
    DemoProcedure(
        "1.012753",
        "land",
        10,
        (
            "KQ.DD.GCN",
            "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
        ),
        docs=(
            Doc("Đơn đăng ký đất đai, tài sản gắn liền với đất (Mẫu 04/ĐK)"),
            Doc("Giấy tờ về quyền sử dụng đất", CopyType.COPY),
            Doc("Sơ đồ, trích đo thửa đất"),
            ID_CARD,
        ),
        needs_payment=True,
    ),
    DemoProcedure(
        "2.001610",
        "dkkd",
        6,
        ("KQ.DN.GCN", "Giấy chứng nhận đăng ký doanh nghiệp"),
        docs=(Doc("Giấy đề nghị đăng ký doanh nghiệp tư nhân"), ID_CARD),
        signer=Role.DIVISION_HEAD,
    ),
    DemoProcedure(
        "1.001612",
        "commune",
        8,
        ("KQ.HKD.GCN", "Giấy chứng nhận đăng ký hộ kinh doanh"),
        duration=(Decimal(3), DurationUnit.WORKING_DAYS),
        docs=(Doc("Giấy đề nghị đăng ký hộ kinh doanh"), ID_CARD),
    ),
    DemoProcedure(
        "2.000720",
        "commune",
        4,
        (
            "KQ.HKD.GCN",
            "Giấy chứng nhận đăng ký hộ kinh doanh (thay đổi nội dung)",
        ),
        duration=(Decimal(3), DurationUnit.WORKING_DAYS),
        docs=(
            Doc("Thông báo thay đổi nội dung đăng ký hộ kinh doanh"),
            Doc(
                "Giấy chứng nhận đăng ký hộ kinh doanh đã cấp",
                CopyType.ORIGINAL,
                False,
                DataSource.PERSONAL_STORE,
                "KQ.HKD.GCN",
            ),
            ID_CARD,
        ),
    ),
    DemoProcedure(
        "1.013225",
        "commune",
        5,
        ("KQ.XD.GPXD", "Giấy phép xây dựng"),
        docs=(
            Doc("Đơn đề nghị cấp giấy phép xây dựng"),
            Doc(
                "Giấy tờ chứng minh quyền sử dụng đất",
                CopyType.COPY,
                True,
                DataSource.PERSONAL_STORE,
                "KQ.DD.GCN",
            ),
            Doc("Bản vẽ thiết kế xây dựng"),
        ),
    ),
    DemoProcedure(
        "3.000333",
        "stp",
        6,
        ("KQ.TP.LLTP", "Phiếu lý lịch tư pháp"),
        docs=(Doc("Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp"), ID_CARD),
        fees=(("Phí cung cấp thông tin lý lịch tư pháp", 200000, ""),),
    ),
    DemoProcedure(
        "2.000639",
        "bhxh",
        4,
        ("KQ.BH.THE", "Thẻ bảo hiểm y tế"),
        docs=(
            Doc("Tờ khai tham gia, điều chỉnh thông tin BHXH, BHYT (TK1-TS)"),
            ID_CARD,
        ),
    ),
    DemoProcedure(
        "1.001294",
        "bhxh",
        4,
        ("KQ.BH.THE", "Thẻ bảo hiểm y tế (cấp lại)"),
        docs=(Doc("Tờ khai tham gia, điều chỉnh thông tin BHXH, BHYT (TK1-TS)"),),
    ),
    DemoProcedure(
        "1.012549",
        "catinh",
        5,
        ("KQ.CC.THE", "Thẻ căn cước"),
        docs=(Doc("Tờ khai căn cước (CC01)"), BIRTH_CERT),
    ),
    DemoProcedure(
        "1.008504",
        "thue",
        4,
        ("KQ.THUE.TB", "Thông báo xác nhận thay đổi thông tin đăng ký thuế"),
        docs=(Doc("Tờ khai điều chỉnh thông tin đăng ký thuế (08-MST)"),),
    ),
]

# The inter-agency group for a child under six (Decree 63/2024/NĐ-CP): not in
# the national records we hold, so defined here with its legal basis.
GROUP_CODE = "LT.63.01"
GROUP_NAME = "Liên thông thủ tục hành chính: đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi"


@dataclass
class DemoCatalog:
    versions: dict[str, ProcedureVersion] = field(default_factory=dict)
    specs: dict[str, DemoProcedure] = field(default_factory=dict)


def _agencies_for(spec: DemoProcedure, demo: DemoProvince):
    if spec.resolver in ("commune", "land"):
        return [c["committee"] for c in demo.communes]
    if spec.resolver == "police":
        return [c["police"] for c in demo.communes]
    return [demo.agencies[spec.resolver]]


def _kind(spec: DemoProcedure) -> tuple[str, str]:
    return {
        "commune": (AgencyKind.COMMUNE_COMMITTEE, ""),
        "land": (AgencyKind.COMMUNE_COMMITTEE, ""),
        "police": (AgencyKind.VERTICAL, VerticalBranch.POLICE),
        "stp": (AgencyKind.PROVINCIAL_DEPARTMENT, ""),
        "dkkd": (AgencyKind.DIVISION, ""),
        "bhxh": (AgencyKind.VERTICAL, VerticalBranch.SOCIAL_INSURANCE),
        "catinh": (AgencyKind.VERTICAL, VerticalBranch.POLICE),
        "thue": (AgencyKind.VERTICAL, VerticalBranch.TAX),
    }[spec.resolver]


def _child(model, **fields):
    """Add a row to a draft version through the catalog service (drafts only)."""
    return catalog_services.version_child_save(model(**fields))


def _hours(version: ProcedureVersion) -> int:
    """Working hours available to the steps (calendar days count as one working day each)."""
    if version.duration_unit == DurationUnit.IMMEDIATE or not version.duration_value:
        return 8
    value = float(version.duration_value)
    if version.duration_unit == DurationUnit.WORKING_HOURS:
        return int(value)
    if version.duration_unit == DurationUnit.CALENDAR_MONTHS:
        return int(value * 20 * 8)
    if version.duration_unit == DurationUnit.CALENDAR_DAYS:
        # Calendar days include weekends: plan on five working days in seven.
        return int(value * 5 / 7) * 8
    return int(value * 8)


def _step(version, order, name, kind, unit_role, role, value, unit=H, participant=None):
    _child(
        StepTemplate,
        version=version,
        order=order,
        name=name,
        kind=kind,
        unit_role=unit_role,
        role=role,
        allotted_value=Decimal(value),
        allotted_unit=unit,
        participant=participant,
        notify_applicant=kind in (StepKind.SIGNING, StepKind.RETURN),
    )


def _standard_steps(version: ProcedureVersion, spec: DemoProcedure) -> None:
    """Reception, appraisal, (review), signing, return, sized to the duration."""
    total = _hours(version)
    if total <= 8:
        reception, appraisal, review, sign, back = 1, 3, 0, 2, 1
    else:
        reception, back = 4, 4
        sign = 4 if total <= 40 else 8
        review = 0 if total <= 24 else (4 if total <= 80 else 8)
        appraisal = total - reception - sign - review - back
    order = 1
    _step(
        version,
        order,
        "Tiếp nhận, kiểm tra và chuyển hồ sơ",
        StepKind.RECEPTION,
        UnitRole.RECEIVING_CENTRE,
        Role.RECEPTION,
        reception,
    )
    order += 1
    _step(
        version,
        order,
        "Thẩm định, xử lý hồ sơ",
        StepKind.APPRAISAL,
        UnitRole.COMPETENT_AGENCY,
        Role.PROCESSING,
        appraisal,
    )
    if review:
        order += 1
        _step(
            version,
            order,
            "Xem xét, trình ký",
            StepKind.REVIEW,
            UnitRole.COMPETENT_AGENCY,
            Role.DIVISION_HEAD
            if spec.signer == Role.AGENCY_LEADER
            else Role.PROCESSING,
            review,
        )
    order += 1
    _step(
        version,
        order,
        "Ký duyệt kết quả",
        StepKind.SIGNING,
        UnitRole.COMPETENT_AGENCY,
        spec.signer,
        sign,
    )
    order += 1
    _step(
        version,
        order,
        "Trả kết quả",
        StepKind.RETURN,
        UnitRole.RECEIVING_CENTRE,
        Role.RECEPTION,
        back,
    )


def _land_steps(version: ProcedureVersion) -> None:
    """Land registration: the land registry office, then tax, then the commune chairman signs."""
    registry = _child(
        ParticipantTemplate,
        version=version,
        stage=1,
        role=ParticipantRole.PARTICIPANT,
        agency_kind=AgencyKind.VERTICAL,
        branch=VerticalBranch.LAND_REGISTRY,
        work="Kiểm tra hồ sơ, đo đạc, xác định nghĩa vụ tài chính",
    )
    tax = _child(
        ParticipantTemplate,
        version=version,
        stage=2,
        role=ParticipantRole.PARTICIPANT,
        agency_kind=AgencyKind.VERTICAL,
        branch=VerticalBranch.TAX,
        work="Xác định và thông báo nghĩa vụ tài chính về đất đai",
    )
    _step(
        version,
        1,
        "Tiếp nhận, kiểm tra và chuyển hồ sơ",
        StepKind.RECEPTION,
        UnitRole.RECEIVING_CENTRE,
        Role.RECEPTION,
        4,
    )
    _step(
        version,
        2,
        "Văn phòng Đăng ký đất đai kiểm tra, đo đạc",
        StepKind.APPRAISAL,
        UnitRole.PARTICIPANT,
        Role.PROCESSING,
        8,
        D,
        registry,
    )
    _step(
        version,
        3,
        "Cơ quan thuế xác định nghĩa vụ tài chính",
        StepKind.APPRAISAL,
        UnitRole.PARTICIPANT,
        Role.PROCESSING,
        3,
        D,
        tax,
    )
    _step(
        version,
        4,
        "Thẩm định hồ sơ tại UBND cấp xã",
        StepKind.APPRAISAL,
        UnitRole.COMPETENT_AGENCY,
        Role.PROCESSING,
        4,
        D,
    )
    _step(
        version,
        5,
        "Chủ tịch UBND cấp xã ký Giấy chứng nhận",
        StepKind.SIGNING,
        UnitRole.COMPETENT_AGENCY,
        Role.AGENCY_LEADER,
        2,
        D,
    )
    _step(
        version,
        6,
        "Trả kết quả",
        StepKind.RETURN,
        UnitRole.RECEIVING_CENTRE,
        Role.RECEPTION,
        4,
    )


def _prepare(version: ProcedureVersion, spec: DemoProcedure) -> None:
    changes: dict = {}
    if spec.duration is not None:
        changes.update(duration_value=spec.duration[0], duration_unit=spec.duration[1])
    if spec.cutoff is not None:
        changes["cutoff_time"] = spec.cutoff
    kind, branch = _kind(spec)
    changes.update(
        competent_agency_kind=kind,
        competent_branch=branch,
        boundary_free=True,
        is_inter_agency=spec.resolver == "land",
        online_level=OnlineLevel.FULL
        if "online" in version.channels
        else OnlineLevel.NONE,
    )
    version = catalog_services.version_update(version, **changes)
    if spec.docs and not version.components.exists():
        for order, doc in enumerate(spec.docs, start=1):
            _child(
                Component,
                version=version,
                order=order,
                name=doc.name,
                copy_type=doc.copy_type,
                required=doc.required,
                reusable_source=doc.source,
                result_type_code=doc.result_type,
                presented_only=doc.copy_type == CopyType.PRESENTED,
            )
    if spec.fees and not version.fees.exists():
        for name, amount, channel in spec.fees:
            _child(FeeItem, version=version, name=name, amount=amount, channel=channel)
    if not version.result_types.filter(code=spec.result[0]).exists():
        _child(ResultType, version=version, code=spec.result[0], name=spec.result[1])
    if spec.resolver == "land":
        _land_steps(version)
    else:
        _standard_steps(version, spec)


def _group_version() -> ProcedureVersion:
    sector, _ = Sector.objects.get_or_create(
        code="lien-thong", defaults={"name": "Liên thông thủ tục hành chính"}
    )
    procedure, _ = Procedure.objects.get_or_create(
        code=GROUP_CODE,
        defaults={
            "name": GROUP_NAME,
            "sector": sector,
            "issuing_body": "Chính phủ (Nghị định 63/2024/NĐ-CP)",
        },
    )
    version = procedure.versions.filter(status=VersionStatus.PUBLISHED).first()
    if version is not None:
        return version
    version = ProcedureVersion.objects.create(
        procedure=procedure,
        number=1,
        name=GROUP_NAME,
        duration_value=Decimal(3),
        duration_unit=DurationUnit.WORKING_DAYS,
        cutoff_time=time(15),
        channels=["counter", "online"],
        online_level=OnlineLevel.FULL,
        competent_agency_kind=AgencyKind.COMMUNE_COMMITTEE,
        is_inter_agency=True,
        legal_basis="Nghị định 63/2024/NĐ-CP, Điều 7–8",
        applicant_types="Công dân",
        decision_number="QĐ 296/QĐ-VPCP (2024)",
    )
    for order, doc in enumerate(
        (
            Doc("Tờ khai liên thông (Mẫu 01, Nghị định 63/2024/NĐ-CP)"),
            BIRTH_CERT,
            ID_CARD,
            RESIDENCE_PROOF,
        ),
        start=1,
    ):
        _child(
            Component,
            version=version,
            order=order,
            name=doc.name,
            copy_type=doc.copy_type,
            reusable_source=doc.source,
            result_type_code=doc.result_type,
        )
    _child(ResultType, version=version, code="KQ.HT.KS", name="Giấy khai sinh")
    _child(
        ResultType, version=version, code="KQ.CT.TT", name="Xác nhận đăng ký thường trú"
    )
    _child(ResultType, version=version, code="KQ.BH.THE", name="Thẻ bảo hiểm y tế")
    birth = _child(
        ParticipantTemplate,
        version=version,
        stage=1,
        role=ParticipantRole.LEAD,
        agency_kind=AgencyKind.COMMUNE_COMMITTEE,
        work="Đăng ký khai sinh",
        result_type_code="KQ.HT.KS",
    )
    police = _child(
        ParticipantTemplate,
        version=version,
        stage=2,
        agency_kind=AgencyKind.VERTICAL,
        branch=VerticalBranch.POLICE,
        work="Đăng ký thường trú",
        result_type_code="KQ.CT.TT",
    )
    insurance = _child(
        ParticipantTemplate,
        version=version,
        stage=2,
        agency_kind=AgencyKind.VERTICAL,
        branch=VerticalBranch.SOCIAL_INSURANCE,
        work="Cấp thẻ bảo hiểm y tế",
        result_type_code="KQ.BH.THE",
    )
    _step(
        version,
        1,
        "Tiếp nhận, kiểm tra và chuyển hồ sơ",
        StepKind.RECEPTION,
        UnitRole.RECEIVING_CENTRE,
        Role.RECEPTION,
        2,
    )
    _step(
        version,
        2,
        "Đăng ký khai sinh",
        StepKind.APPRAISAL,
        UnitRole.PARTICIPANT,
        Role.PROCESSING,
        4,
        H,
        birth,
    )
    _step(
        version,
        3,
        "Đăng ký thường trú",
        StepKind.APPRAISAL,
        UnitRole.PARTICIPANT,
        Role.PROCESSING,
        8,
        H,
        police,
    )
    _step(
        version,
        4,
        "Cấp thẻ bảo hiểm y tế",
        StepKind.APPRAISAL,
        UnitRole.PARTICIPANT,
        Role.PROCESSING,
        8,
        H,
        insurance,
    )
    _step(
        version,
        5,
        "Ký, đóng dấu kết quả liên thông",
        StepKind.SIGNING,
        UnitRole.COMPETENT_AGENCY,
        Role.AGENCY_LEADER,
        2,
    )
    _step(
        version,
        6,
        "Trả kết quả",
        StepKind.RETURN,
        UnitRole.RECEIVING_CENTRE,
        Role.RECEPTION,
        2,
    )
    return catalog_services.version_publish(version)


@transaction.atomic
def build_catalog(demo: DemoProvince) -> DemoCatalog:
    """Give the demo procedures their province templates and publish them (idempotent)."""
    catalog = DemoCatalog()
    for spec in PROCEDURES:
        procedure = Procedure.objects.filter(code=spec.code).first()
        if procedure is None:
            continue  # import-catalog not run for this record; the demo does without it
        procedure.agencies.add(*_agencies_for(spec, demo))
        version = (
            procedure.versions.filter(
                status=VersionStatus.PUBLISHED, steps__isnull=False
            )
            .distinct()
            .first()
        )
        if version is None:
            source = procedure.versions.order_by("-number").first()
            version = catalog_services.version_create_draft(
                procedure, from_version=source
            )
            _prepare(version, spec)
            version = catalog_services.version_publish(version)
        catalog.versions[spec.code] = version
        catalog.specs[spec.code] = spec
    group = _group_version()
    group.procedure.agencies.add(*[c["committee"] for c in demo.communes])
    catalog.versions[GROUP_CODE] = group
    catalog.specs[GROUP_CODE] = DemoProcedure(
        GROUP_CODE, "commune", 8, ("KQ.HT.KS", "Giấy khai sinh")
    )
    return catalog
