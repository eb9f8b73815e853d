"""
Files, e-results and the applicant's personal data store (Kho).

Files are content-addressed (SHA-256) and never change once written; a signed
file is a new file. Only ``motcua.documents.services`` writes these tables.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants import (
    DossierFileKind,
    FileKind,
    ResultKind,
    StoreSource,
    SupersedeReason,
)


class FileImmutable(Exception):
    """An attempt to change the content of a stored file."""


class StoredFile(models.Model):
    """
    One file content in the store, named by its SHA-256.

    The same bytes are stored once, whoever sends them; the uses of a file
    (a dossier's scan, a result) are separate rows that point here.
    """

    # Content fields: fixed at creation, since the name is the content's hash.
    CONTENT_FIELDS = ("sha256", "size", "content_type", "page_count", "storage_name")

    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    size = models.PositiveBigIntegerField(_("kích thước (byte)"))
    content_type = models.CharField(
        _("loại tệp"),
        max_length=64,
        help_text=_("Nhận biết theo nội dung tệp, không theo tên tệp."),
    )
    original_name = models.CharField(_("tên tệp gốc"), max_length=255, blank=True)
    page_count = models.PositiveIntegerField(_("số trang"))
    storage_name = models.CharField(_("vị trí lưu trữ"), max_length=255, unique=True)
    kind = models.CharField(_("loại"), max_length=16, choices=FileKind.choices)
    signed = models.BooleanField(
        _("đã ký số"),
        default=False,
        help_text=_("Tệp đã ký số không bao giờ bị thay thế hay xóa."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("tệp lưu trữ")
        verbose_name_plural = _("tệp lưu trữ")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(page_count__gte=1), name="stored_file_has_pages"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.original_name or self.sha256[:12]} ({self.content_type})"

    def save(self, *args, **kwargs):
        # The row is the content's name: its content never changes, and a
        # signed file is never unsigned (style guide §4.11: immutable once signed).
        if self.pk is not None:
            stored = (
                type(self)
                .objects.filter(pk=self.pk)
                .values(*self.CONTENT_FIELDS, "signed")
                .first()
            )
            if stored is not None:
                changed = [
                    f for f in self.CONTENT_FIELDS if stored[f] != getattr(self, f)
                ]
                if changed or (stored["signed"] and not self.signed):
                    raise FileImmutable(
                        f"Stored file {self.pk} is immutable"
                        f"{' (signed)' if stored['signed'] else ''}: {changed or ['signed']}."
                    )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.signed:
            raise FileImmutable(f"Signed file {self.pk} cannot be deleted.")
        return super().delete(*args, **kwargs)


class DossierFile(models.Model):
    """
    A file of a dossier: a component's scan or upload, a document reused from
    the personal data store, a signed form. Append-only; a rescan makes the
    previous row not current.
    """

    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("hồ sơ"),
        on_delete=models.PROTECT,
        related_name="files",
    )
    component = models.ForeignKey(
        "dossiers.DossierComponent",
        verbose_name=_("thành phần hồ sơ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="files",
    )
    name = models.CharField(_("tên"), max_length=500)
    file = models.ForeignKey(
        StoredFile,
        verbose_name=_("tệp"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossier_files",
    )
    kind = models.CharField(
        _("hình thức"), max_length=24, choices=DossierFileKind.choices
    )
    store_entry = models.ForeignKey(
        "documents.StoreEntry",
        verbose_name=_("lấy từ Kho dữ liệu"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reuses",
    )
    reference = models.CharField(
        _("mã giấy tờ tái sử dụng"),
        max_length=140,
        blank=True,
        help_text=_("Mã số giấy tờ trong Kho dữ liệu hoặc mã trên CSDL quốc gia."),
    )
    page_count = models.PositiveIntegerField(
        _("số trang số hóa"), null=True, blank=True
    )
    paper_pages = models.PositiveIntegerField(_("số trang giấy"), null=True, blank=True)
    page_mismatch_note = models.CharField(
        _("giải trình chênh lệch số trang"),
        max_length=255,
        blank=True,
        help_text=_(
            "Thông tư 01/2023/TT-VPCP Điều 8(1)(c),(d): số trang số hóa bằng số trang giấy, "
            "trừ trang có ghi chú được quét hai lần."
        ),
    )
    signer_label = models.CharField(_("người ký"), max_length=255, blank=True)
    is_current = models.BooleanField(_("đang dùng"), default=True)
    attached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    attached_at = models.DateTimeField(_("thời điểm"), default=timezone.now)

    class Meta:
        verbose_name = _("tệp của hồ sơ")
        verbose_name_plural = _("tệp của hồ sơ")
        ordering = ["dossier", "attached_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(file__isnull=False) | Q(store_entry__isnull=False),
                name="dossier_file_has_content_or_reference",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.name[:60]} ({self.get_kind_display()})"


class ResultDocument(models.Model):
    """
    A signed electronic result (or certified e-copy), with the document code
    of Decree 118 Art.22(4) and the structured fields of Art.19(2).

    A correction is a new document; the old one points to it (``superseded_by``)
    and stays, signed and unchanged.
    """

    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("hồ sơ"),
        on_delete=models.PROTECT,
        related_name="result_documents",
    )
    kind = models.CharField(
        _("loại"), max_length=16, choices=ResultKind.choices, default=ResultKind.RESULT
    )
    issuing_agency = models.ForeignKey(
        "units.Agency",
        verbose_name=_("cơ quan ký"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    base_code = models.CharField(_("mã số giấy tờ gốc"), max_length=128)
    version = models.PositiveSmallIntegerField(_("phiên bản"), default=1)
    code = models.CharField(
        _("mã số giấy tờ"),
        max_length=140,
        unique=True,
        help_text=_(
            "Nghị định 118/2025 Điều 22(4): số định danh cá nhân/tổ chức + mã kết quả "
            "TTHC; hậu tố _V2, _V3… khi bản đính chính thay thế."
        ),
    )
    ma_loai_giay_to = models.CharField(_("mã loại giấy tờ"), max_length=64)
    so_dinh_danh = models.CharField(_("số định danh"), max_length=32, db_index=True)
    ho_ten = models.CharField(_("họ tên / tên tổ chức"), max_length=255, blank=True)
    ten_giay_to = models.CharField(_("tên giấy tờ"), max_length=500)
    trich_yeu = models.TextField(_("trích yếu"), blank=True)
    thoi_han_hieu_luc = models.DateField(
        _("thời hạn hiệu lực"),
        null=True,
        blank=True,
        help_text=_("Để trống nếu không thời hạn."),
    )
    pham_vi_hieu_luc = models.CharField(
        _("phạm vi hiệu lực"), max_length=255, blank=True
    )
    file = models.ForeignKey(
        StoredFile,
        verbose_name=_("tệp đã ký"),
        on_delete=models.PROTECT,
        related_name="result_documents",
    )
    signer_label = models.CharField(_("người ký"), max_length=255)
    signer_plugin = models.CharField(_("phương thức ký"), max_length=32)
    signed_at = models.DateTimeField(_("ký lúc"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ban hành"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    superseded_by = models.OneToOneField(
        "self",
        verbose_name=_("được thay thế bởi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supersedes",
    )
    superseded_at = models.DateTimeField(_("bị thay thế lúc"), null=True, blank=True)
    supersede_reason = models.CharField(
        _("lý do thay thế"), max_length=16, choices=SupersedeReason.choices, blank=True
    )
    supersede_note = models.TextField(_("nội dung đính chính"), blank=True)

    class Meta:
        verbose_name = _("kết quả điện tử")
        verbose_name_plural = _("kết quả điện tử")
        ordering = ["-signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["base_code", "version"], name="result_version_unique"
            ),
            # One current document per code: the others were superseded.
            models.UniqueConstraint(
                fields=["base_code"],
                condition=Q(superseded_at__isnull=True),
                name="result_one_current_per_code",
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1), name="result_version_positive"
            ),
            models.CheckConstraint(
                condition=Q(superseded_by__isnull=True)
                | Q(superseded_at__isnull=False),
                name="result_superseded_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.ten_giay_to}"

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None


class StoreEntry(models.Model):
    """
    A document in an applicant's personal data store (Kho quản lý dữ liệu điện
    tử của tổ chức, cá nhân, Decree 118 Art.22(4)): an e-result issued here,
    or a document obtained from a national database. Later dossiers take it
    instead of asking for the paper again (Art.5(1)(i)).
    """

    id_number = models.CharField(
        _("số định danh chủ Kho"), max_length=32, db_index=True
    )
    owner_name = models.CharField(_("họ tên / tên tổ chức"), max_length=255, blank=True)
    document_code = models.CharField(_("mã số giấy tờ"), max_length=140)
    ma_loai_giay_to = models.CharField(
        _("mã loại giấy tờ"), max_length=64, db_index=True
    )
    ten_giay_to = models.CharField(_("tên giấy tờ"), max_length=500)
    trich_yeu = models.TextField(_("trích yếu"), blank=True)
    thoi_han_hieu_luc = models.DateField(_("thời hạn hiệu lực"), null=True, blank=True)
    pham_vi_hieu_luc = models.CharField(
        _("phạm vi hiệu lực"), max_length=255, blank=True
    )
    source = models.CharField(_("nguồn"), max_length=24, choices=StoreSource.choices)
    result_document = models.OneToOneField(
        ResultDocument,
        verbose_name=_("kết quả điện tử"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="store_entry",
    )
    file = models.ForeignKey(
        StoredFile,
        verbose_name=_("tệp"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_current = models.BooleanField(
        _("còn dùng được"),
        default=True,
        help_text=_("Không còn dùng khi đã được đính chính hoặc thay thế."),
    )
    data = models.JSONField(_("dữ liệu có cấu trúc"), default=dict, blank=True)
    added_at = models.DateTimeField(_("đưa vào Kho lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("giấy tờ trong Kho dữ liệu")
        verbose_name_plural = _("Kho dữ liệu của tổ chức, cá nhân")
        ordering = ["id_number", "-added_at"]
        indexes = [
            models.Index(
                fields=["id_number", "ma_loai_giay_to", "is_current"],
                name="store_entry_lookup",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number", "document_code"],
                name="store_entry_code_unique_per_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.id_number}: {self.document_code} – {self.ten_giay_to}"
