"""``motcua payments-reconcile``: compare a day's payments with the gateway's settlements."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from motcua.core.exceptions import DomainError
from motcua.payments.services import payment_reconcile
from motcua.payments.words import format_vnd
from motcua.units.models import Agency

_LABELS = {
    "missing_here": "có trong đối soát của cổng, không có ở motcua",
    "missing_there": "có ở motcua, không có trong đối soát của cổng",
    "amount_differs": "số tiền khác nhau",
    "duplicate_payment": "thanh toán trùng, cần hoàn trả",
}


def _money(value) -> str:
    return "-" if value is None else format_vnd(value)


class Command(BaseCommand):
    help = (
        "Reconcile the successful payments of a day (Vietnam time) with the "
        "provider's settlement list; list every difference. Exit status 1 "
        "when there are differences."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", required=True, help="YYYY-MM-DD")
        parser.add_argument(
            "--agency", help="electronic id of the collecting agency (default all)"
        )
        parser.add_argument(
            "--provider", help="provider plugin (default PAYMENT_PROVIDER)"
        )

    def handle(
        self, *args, date: str, agency: str | None, provider: str | None, **opts
    ):
        try:
            day = _parse_day(date)
        except ValueError:
            raise CommandError("--date must be YYYY-MM-DD.") from None
        unit = None
        if agency:
            unit = Agency.objects.filter(codes__code=agency).distinct().first()
            if unit is None:
                raise CommandError(f"No agency with the electronic id {agency}.")
        try:
            report = payment_reconcile(day, agency=unit, provider=provider)
        except DomainError as error:
            raise CommandError(f"{error.code}: {error.message}") from None
        scope = unit.name if unit else "mọi tổ chức thu"
        self.stdout.write(f"Đối soát {report.provider} ngày {day:%d/%m/%Y} – {scope}")
        self.stdout.write(
            f"Khớp: {report.matched} giao dịch; motcua: {format_vnd(report.ours_total)} đồng; "
            f"cổng: {format_vnd(report.theirs_total)} đồng"
        )
        for diff in report.differences:
            self.stdout.write(
                f"  {diff.kind:<16} {diff.transaction_id:<16} {diff.order_ref:<22} "
                f"motcua={_money(diff.ours):>10} cổng={_money(diff.theirs):>10} "
                f"{diff.dossier_code}  ({_LABELS[diff.kind]})"
            )
        if report.balanced:
            self.stdout.write("Không có chênh lệch.")
            return
        self.stdout.write(f"{len(report.differences)} chênh lệch.")
        raise SystemExit(1)


def _parse_day(value: str) -> date:
    return date.fromisoformat(value)
