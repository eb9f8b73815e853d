"""The compliance cost of a procedure from the cost data and our own dossiers."""

from datetime import datetime
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalog.constants import VersionStatus
from motcua.catalog.models import FeeItem, Procedure
from motcua.core.exceptions import ValidationFailed
from motcua.dossiers.constants import FeeStatus
from motcua.dossiers.models import Dossier, DossierFee
from motcua.review.constants import CostKind
from motcua.review.costs import CostFigures, annualise, compliance_cost
from motcua.review.models import CostItem, WageRate
from motcua.supervision import periods


class WageRateMissing(ValidationFailed):
    code = "wage_rate_missing"
    default_message = _("Chưa có mức thu nhập bình quân theo giờ cho năm này.")


def wage_rate_for(year: int) -> WageRate:
    """Return the wage rate of ``year``, else of the latest year before it."""
    rate = WageRate.objects.filter(year__lte=year).order_by("-year").first()
    if rate is None:
        raise WageRateMissing
    return rate


def procedure_cost(
    procedure: Procedure, year: int, *, now: datetime | None = None
) -> CostFigures:
    """
    Return the compliance cost of ``procedure`` in ``year``: the applicant
    hours and other costs of its cost items, the fees actually charged per
    dossier received that year (the version's general fees when none was
    received), the year's wage rate, and the dossiers of the year (those
    received so far, scaled to a whole year while the year runs).
    """
    rate = wage_rate_for(year)
    items = CostItem.objects.filter(procedure=procedure).aggregate(
        hours=Sum("hours", filter=Q(kind=CostKind.TIME)),
        amount=Sum("amount", filter=Q(kind=CostKind.EXPENSE)),
    )
    period = periods.year(year)
    now = now or timezone.now()
    until = min(period.end, now)
    received = Dossier.objects.filter(
        procedure_version__procedure=procedure,
        received_at__gte=period.start,
        received_at__lt=until,
    )
    count = received.aggregate(n=Count("pk"))["n"]
    if count:
        charged = DossierFee.objects.filter(dossier__in=received).exclude(
            status=FeeStatus.WAIVED
        ).aggregate(total=Sum("amount"))["total"] or Decimal(0)
        fees = Decimal(charged) / count
    else:
        fees = FeeItem.objects.filter(
            version__procedure=procedure,
            version__status=VersionStatus.PUBLISHED,
            channel="",
        ).aggregate(total=Sum("amount"))["total"] or Decimal(0)
    days = max(0, (until - period.start).days) if until > period.start else 0
    return compliance_cost(
        hours=items["hours"] or Decimal(0),
        hourly_wage=rate.hourly_wage,
        fees=fees,
        expenses=items["amount"] or Decimal(0),
        yearly_dossiers=annualise(count, days),
    )
