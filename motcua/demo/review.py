"""
The demo province's review data (idempotent): the wage rate of the standard
cost model, estimated applicant costs for every demo procedure, and the
current year's review round, so that /staff/review/ has costs to show and a
round to propose in.

The figures are illustrative estimates for the demo, not official data: an
administrator replaces them in the admin with the statistics office's and
the agencies' own figures.
"""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from motcua.review.constants import CostKind
from motcua.review.models import CostItem, ReviewRound, WageRate
from motcua.review.services import review_round_open

from .catalog import DemoCatalog
from .structure import DemoProvince

# About 125 million đồng of GDP per person (2025 estimate) over 2,112 working
# hours (22 days × 8 hours × 12 months): an illustration of the method.
DEMO_HOURLY_WAGE = Decimal(59000)
WAGE_SOURCE = (
    "Số liệu minh họa của tỉnh mẫu: GDP bình quân đầu người ước 125 triệu đồng "
    "÷ 2.112 giờ làm việc một năm; thay bằng số liệu chính thức."
)
# Per dossier: preparing the papers, and two trips to the centre with the wait.
PREPARATION_HOURS = Decimal("1.5")
VISIT_HOURS = Decimal(2)
# Per paper document the applicant must bring: copying and certification.
COPY_COST = Decimal(5000)


@transaction.atomic
def build_review(demo: DemoProvince, catalog: DemoCatalog) -> ReviewRound:
    """Create what is missing: wage rates, cost items, this year's round."""
    year = timezone.localdate().year
    for y in (year - 1, year):
        WageRate.objects.get_or_create(
            year=y, defaults={"hourly_wage": DEMO_HOURLY_WAGE, "source": WAGE_SOURCE}
        )
    for version in catalog.versions.values():
        procedure = version.procedure
        if CostItem.objects.filter(procedure=procedure).exists():
            continue
        papers = version.components.filter(
            required=True, presented_only=False, reusable_source=""
        ).count()
        CostItem.objects.bulk_create(
            [
                CostItem(
                    procedure=procedure,
                    kind=CostKind.TIME,
                    name="Chuẩn bị hồ sơ, giấy tờ (ước tính)",
                    hours=PREPARATION_HOURS,
                ),
                CostItem(
                    procedure=procedure,
                    kind=CostKind.TIME,
                    name="Đi lại, chờ tại Bộ phận Một cửa, 2 lượt (ước tính)",
                    hours=VISIT_HOURS,
                ),
                CostItem(
                    procedure=procedure,
                    kind=CostKind.EXPENSE,
                    name="Sao chụp, chứng thực giấy tờ (ước tính)",
                    amount=COPY_COST * papers,
                ),
            ]
        )
    existing = ReviewRound.objects.filter(year=year).first()
    if existing is not None:
        return existing
    return review_round_open(year=year, title="", actor=demo.users["giamsat.tinh"])
