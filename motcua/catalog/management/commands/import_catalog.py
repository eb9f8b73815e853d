"""``motcua import-catalog``: load the national procedure catalogue."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from motcua.catalog.importers import (
    DEFAULT_FILES,
    REASON_LABELS,
    REJECTION_LABELS,
    SOURCE_PRIORITY,
    catalog_import,
    default_sources,
)


class Command(BaseCommand):
    help = (
        "Import the national procedure catalogue (data/vn-tthc-catalog/): one "
        "procedure, sector and version 1 per record, published when it has a "
        "usable duration. Re-running updates in place."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--data-dir",
            type=Path,
            help="folder holding vn-tthc-catalog/ (default: settings.DATA_DIR)",
        )
        parser.add_argument(
            "--source",
            action="append",
            choices=SOURCE_PRIORITY,
            help="import only this source (repeatable; default: all)",
        )
        parser.add_argument(
            "--report",
            type=Path,
            help="write the records not published (drafts, rejections) to this CSV "
            "(default: catalog-import-report.csv in MOTCUA_REPORTS_DIR)",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="read and check everything, then roll back",
        )

    def handle(
        self, *args, data_dir=None, source=None, report=None, dry_run=False, **options
    ):
        sources = [
            (name, path)
            for name, path in default_sources(data_dir)
            if not source or name in source
        ]
        for name, path in sources:
            if not path.exists():
                raise CommandError(
                    f"{name}: {path} not found (expected {DEFAULT_FILES[name]})."
                )
        result = catalog_import(sources, dry_run=dry_run)
        read = ", ".join(f"{name}: {count}" for name, count in result.read.items())
        self.stdout.write(f"Đọc {result.total} bản ghi ({read})")
        self.stdout.write(
            f"Công bố {result.published} · dự thảo {result.drafted} · "
            f"hết hiệu lực (giữ nguyên) {result.retired} · "
            f"do quản trị viên tạo (giữ nguyên) {result.kept} · "
            f"không nhập {sum(result.rejected.values())}"
        )
        if result.draft_reasons:
            self.stdout.write("Lý do dự thảo:")
            for reason, count in result.draft_reasons.most_common():
                self.stdout.write(
                    f"  {reason}: {count} — {REASON_LABELS.get(reason, reason)}"
                )
        if result.rejected:
            self.stdout.write("Không nhập:")
            for reason, count in result.rejected.most_common():
                self.stdout.write(f"  {reason}: {count} — {REJECTION_LABELS[reason]}")
        if result.assumed_unit or result.confirmed_unit:
            self.stdout.write(
                f"Công bố với đơn vị thời hạn suy ra: {result.confirmed_unit} theo nội dung "
                f"thủ tục, {result.assumed_unit} giả định ngày làm việc (cần kiểm tra)"
            )
        self.stdout.write(
            f"Phiên bản 1: tạo {result.created}, cập nhật {result.updated}, "
            f"không đổi {result.unchanged}; lĩnh vực mới {result.sectors_created}"
        )
        if not dry_run:
            # Drafts are listed one by one, never only counted: the catalog
            # officer works through this list to publish them.
            if report is None:
                report = Path(settings.MOTCUA_REPORTS_DIR) / "catalog-import-report.csv"
                report.parent.mkdir(parents=True, exist_ok=True)
            result.write_csv(report)
            self.stdout.write(
                f"Danh sách chưa công bố: {report} ({len(result.rows)} dòng)"
            )
        suffix = " (chạy thử, đã hoàn tác)" if dry_run else ""
        self.stdout.write(
            self.style.SUCCESS(f"Xong trong {result.seconds:.1f} s{suffix}")
        )
