"""
The official forms motcua prints, and when each applies to a dossier.

Form numbers follow Circular 03/2025/TT-VPCP Annex I (Mẫu 01–07) and Decree
118/2025/NĐ-CP Art.20(2)(a) for the inter-agency transfer slip. Their exact
TT03/2025 layouts were not obtained (reference/legal-spec.md §4.1 [U]), so each
form is a Django template a province may override: put a file with the same
name (e.g. ``forms/mau01.html``) in a directory listed first in
``TEMPLATES["DIRS"]``. See docs/forms.md.

Availability is a pure function of the dossier and its loaded relations; it
says why a form does not apply, in Vietnamese, for the error shown to staff. The printed forms are legal Vietnamese documents:
their titles and wording are not translated.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from motcua.dossiers.constants import DossierStatus, ResultKind
from motcua.dossiers.models import Dossier, Extension


@dataclass(frozen=True, slots=True)
class FormKind:
    code: str
    number: str  # as printed in the corner: "Mẫu số 01"
    title: str
    template: str
    # Suffix of the "Số: …/XXXX" line (Decree 30/2020 abbreviations of the form).
    number_suffix: str
    landscape: bool
    # Return None if the form applies to the dossier, else the reason it does not.
    unavailable_reason: Callable[[Dossier], str | None]


def _not_received(dossier: Dossier) -> str | None:
    if dossier.received_at is None or not dossier.code:
        return _("Hồ sơ chưa được tiếp nhận nên chưa có mã hồ sơ và giấy hẹn.")
    return None


def _no_supplement(dossier: Dossier) -> str | None:
    if not dossier.supplement_requests.exists():
        return _("Hồ sơ không có yêu cầu bổ sung, hoàn thiện nào.")
    return None


def _not_refused(dossier: Dossier) -> str | None:
    refused = dossier.status == DossierStatus.REFUSED or (
        dossier.result_kind == ResultKind.REFUSED
    )
    if not refused:
        return _("Hồ sơ không bị từ chối tiếp nhận hoặc từ chối giải quyết.")
    return None


def _no_extension(dossier: Dossier) -> str | None:
    try:
        dossier.extension  # noqa: B018 - the reverse one-to-one raises when absent
    except Extension.DoesNotExist:
        return _("Hồ sơ không có văn bản xin lỗi và đề nghị gia hạn.")
    return None


def _not_stopped(dossier: Dossier) -> str | None:
    if dossier.status not in (
        DossierStatus.STOPPED,
        DossierStatus.WITHDRAWAL_REQUESTED,
    ):
        return _("Hồ sơ không bị dừng giải quyết và không có yêu cầu rút hồ sơ.")
    return None


def _not_in_book(dossier: Dossier) -> str | None:
    if dossier.book_sequence is None:
        return _("Hồ sơ chưa được vào Sổ theo dõi hồ sơ.")
    return None


def _not_inter_agency(dossier: Dossier) -> str | None:
    if not dossier.procedure_version.is_inter_agency:
        return _(
            "Hồ sơ không thuộc thủ tục liên thông nên không có phiếu chuyển xử lý."
        )
    return _not_received(dossier)


FORM_KINDS: dict[str, FormKind] = {
    kind.code: kind
    for kind in (
        FormKind(
            "01",
            "Mẫu số 01",
            "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
            "forms/mau01.html",
            "TNHS",
            False,
            _not_received,
        ),
        FormKind(
            "02",
            "Mẫu số 02",
            "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
            "forms/mau02.html",
            "HDHS",
            False,
            _no_supplement,
        ),
        FormKind(
            "03",
            "Mẫu số 03",
            "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
            "forms/mau03.html",
            "TCHS",
            False,
            _not_refused,
        ),
        FormKind(
            "04",
            "Mẫu số 04",
            "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết",
            "forms/mau04.html",
            "XLGH",
            False,
            _no_extension,
        ),
        FormKind(
            "05",
            "Mẫu số 05",
            "Thông báo dừng giải quyết hồ sơ",
            "forms/mau05.html",
            "TBDGQ",
            False,
            _not_stopped,
        ),
        FormKind(
            "06",
            "Mẫu số 06",
            "Phiếu kiểm soát quá trình giải quyết hồ sơ",
            "forms/mau06.html",
            "",
            False,
            _not_received,
        ),
        FormKind(
            "07",
            "Mẫu số 07",
            "Sổ theo dõi hồ sơ",
            "forms/mau07.html",
            "",
            True,
            _not_in_book,
        ),
        FormKind(
            "transfer",
            "",
            "Phiếu chuyển xử lý hồ sơ",
            "forms/transfer.html",
            "PCXL",
            False,
            _not_inter_agency,
        ),
    )
}


def form_kind(code: str) -> FormKind | None:
    """Return the form kind for ``code`` ("01"…"07", "transfer"; "1" is "01")."""
    code = (code or "").strip().lower()
    if code.isdigit():
        code = f"{int(code):02d}"
    return FORM_KINDS.get(code)


def forms_available_for(dossier: Dossier) -> list[FormKind]:
    """Return the forms that apply to ``dossier`` now, in their official order."""
    return [k for k in FORM_KINDS.values() if k.unavailable_reason(dossier) is None]
