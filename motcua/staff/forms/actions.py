"""
One small form per lifecycle action of the dossier page. Each turns its
fields into the ``data`` of ``dossier_apply_action`` and carries the version
the officer saw (``expected_version``); the service decides.
"""

from datetime import datetime
from typing import Any, ClassVar

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core.exceptions import Conflict, DomainError
from motcua.dossiers.constants import DossierAction as A
from motcua.dossiers.constants import FeeStatus, ReturnMethod
from motcua.dossiers.models import Consultation, Dossier, DossierStep
from motcua.dossiers.selectors import step_assignee_choices
from motcua.units.models import Agency

# Breaches the officer may acknowledge to request a supplement anyway
# (the dossier then counts as late; see the handler).
SUPPLEMENT_BREACHES = {"supplement_limit", "supplement_window_passed"}


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class ActionForm(forms.Form):
    """A lifecycle action: a note, the version seen, and the action's fields."""

    action: ClassVar[A]
    # How the action looks in the panel.
    tone: ClassVar[str] = "secondary"  # primary | secondary | danger
    icon: ClassVar[str] = "arrow-right"
    confirm: ClassVar[Any] = None
    help: ClassVar[Any] = None
    note_label: ClassVar[Any] = _("Ghi chú")
    with_note: ClassVar[bool] = True

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    note = forms.CharField(
        required=False, max_length=2000, widget=_textarea(2), label=_("Ghi chú")
    )

    def __init__(
        self,
        *args: Any,
        dossier: Dossier,
        step: DossierStep | None = None,
        consultation: Consultation | None = None,
        **kwargs: Any,
    ) -> None:
        self.dossier, self.step, self.consultation = dossier, step, consultation
        target = step or consultation
        kwargs.setdefault(
            "prefix", f"{self.action}-{target.pk}" if target else self.action
        )
        kwargs.setdefault("label_suffix", "")
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("version", dossier.version)
        super().__init__(*args, **kwargs)
        self.stale = False
        self.show_acknowledge = False
        if self.with_note:
            self.fields["note"].label = self.note_label
        else:
            del self.fields["note"]

    def add_prefix(self, field_name: str) -> str:
        # Every action form posts the version seen as plain "version".
        if field_name == "version":
            return field_name
        return super().add_prefix(field_name)

    @property
    def label(self) -> str:
        return self.action.label

    @property
    def target_id(self) -> int | None:
        target = self.step or self.consultation
        return target.pk if target else None

    def data_for_service(self) -> dict[str, Any]:
        """The ``data`` of ``dossier_apply_action``; subclasses add their fields."""
        data: dict[str, Any] = {}
        if self.step is not None:
            data["step"] = self.step.pk
        return data

    def add_domain_error(self, error: DomainError) -> None:
        """Show a service's refusal next to the field it names, else on top."""
        if isinstance(error, Conflict):
            self.stale = True
        extra = error.extra if isinstance(error.extra, dict) else {}
        if set(extra.get("breaches") or ()) & SUPPLEMENT_BREACHES:
            self.show_acknowledge = True
        field = extra.get("field")
        if field in self.fields:
            self.add_error(field, str(error.message))
        else:
            self.add_error(None, str(error.message))


class _ReasonMixin(forms.Form):
    reason = forms.CharField(max_length=4000, widget=_textarea())

    def data_for_service(self) -> dict[str, Any]:
        return {**super().data_for_service(), "reason": self.cleaned_data["reason"]}


class ReceiveForm(ActionForm):
    action = A.RECEIVE
    tone = "primary"
    icon = "check"
    help = _("Hồ sơ trực tuyến đủ, đúng: cấp mã hồ sơ, tính thời hạn, gửi Mẫu 01.")


class RefuseForm(_ReasonMixin, ActionForm):
    action = A.REFUSE
    tone = "danger"
    icon = "alert"
    with_note = False
    confirm = _("Từ chối tiếp nhận hồ sơ này? Người nộp nhận Phiếu từ chối (Mẫu 03).")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = _("Lý do từ chối tiếp nhận")


class RequestSupplementForm(_ReasonMixin, ActionForm):
    action = A.REQUEST_SUPPLEMENT
    icon = "alert"
    with_note = False
    help = _(
        "Chỉ một lần mỗi giai đoạn; trong giai đoạn giải quyết, trong 3 ngày làm "
        "việc kể từ khi tiếp nhận (Nghị định 118/2025 Điều 16(3), 19(5))."
    )

    items = forms.CharField(
        label=_("Giấy tờ cần bổ sung, mỗi dòng một giấy tờ"),
        required=False,
        max_length=4000,
        widget=_textarea(3),
    )
    acknowledge_rule_breach = forms.BooleanField(
        label=_("Vẫn yêu cầu bổ sung: hồ sơ sẽ bị tính là quá hạn (Quyết định 766)."),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = _("Nội dung, lý do yêu cầu bổ sung")
        self.show_acknowledge = bool(
            self.data.get(self.add_prefix("acknowledge_rule_breach"))
        )

    def data_for_service(self) -> dict[str, Any]:
        lines = [
            line.strip()
            for line in self.cleaned_data.get("items", "").splitlines()
            if line.strip()
        ]
        return {
            **super().data_for_service(),
            "items": [{"name": line} for line in lines],
            "acknowledge_rule_breach": self.cleaned_data.get("acknowledge_rule_breach"),
        }


class SupplementForm(ActionForm):
    action = A.SUPPLEMENT
    tone = "primary"
    icon = "check"
    note_label = _("Giấy tờ đã nhận bổ sung")
    help = _("Hồ sơ đủ sau bổ sung: thời hạn được tính lại từ đầu (Điều 19(5)).")


class CloseUnsupplementedForm(ActionForm):
    action = A.CLOSE_UNSUPPLEMENTED
    tone = "danger"
    icon = "alert"
    confirm = _("Dừng giải quyết vì quá 15 ngày không bổ sung?")


class AssignForm(ActionForm):
    action = A.ASSIGN
    icon = "user"
    with_note = False

    assignee = forms.ModelChoiceField(
        label=_("Cán bộ xử lý"), queryset=None, empty_label=_("— Chọn cán bộ —")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        field.queryset = step_assignee_choices(self.step)
        field.label_from_instance = lambda user: user.display_name
        if self.step.assignee_id:
            field.initial = self.step.assignee_id

    def data_for_service(self) -> dict[str, Any]:
        return {
            **super().data_for_service(),
            "assignee": self.cleaned_data["assignee"].pk,
        }


class CompleteStepForm(ActionForm):
    action = A.COMPLETE_STEP
    tone = "primary"
    icon = "check"
    with_note = False

    result_note = forms.CharField(
        label=_("Kết quả xử lý của bước"),
        required=False,
        max_length=4000,
        widget=_textarea(3),
    )

    def data_for_service(self) -> dict[str, Any]:
        return {
            **super().data_for_service(),
            "result_note": self.cleaned_data.get("result_note", ""),
        }


def _agency_choices(exclude: set[int]) -> list[tuple[Any, Any]]:
    """Active agencies grouped by level, for transfer and consultation."""
    groups: dict[str, list[tuple[int, str]]] = {}
    labels = {}
    for agency in Agency.objects.filter(is_active=True).order_by("level", "name"):
        if agency.pk in exclude:
            continue
        groups.setdefault(agency.level, []).append((agency.pk, agency.name))
        labels[agency.level] = agency.get_level_display()
    return [("", _("— Chọn cơ quan, đơn vị —"))] + [
        (labels[level], options) for level, options in groups.items()
    ]


class _AgencyField(forms.TypedChoiceField):
    def __init__(self, **kwargs):
        super().__init__(coerce=int, empty_value=None, **kwargs)


class TransferForm(_ReasonMixin, ActionForm):
    action = A.TRANSFER
    icon = "arrow-right"
    with_note = False

    field_order = ("to_agency", "reason", "competent")

    to_agency = _AgencyField(label=_("Chuyển đến"))
    competent = forms.BooleanField(
        label=_("Chuyển thẩm quyền giải quyết (sai thẩm quyền)"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_agency"].choices = _agency_choices({self.step.agency_id})
        self.fields["reason"].label = _("Lý do chuyển")
        if self.step.agency_id != self.dossier.competent_agency_id:
            del self.fields["competent"]

    def data_for_service(self) -> dict[str, Any]:
        return {
            **super().data_for_service(),
            "to_agency": self.cleaned_data["to_agency"],
            "competent": self.cleaned_data.get("competent", False),
        }


class ConsultForm(ActionForm):
    action = A.CONSULT
    icon = "inbox"
    with_note = False

    to_agency = _AgencyField(label=_("Cơ quan được hỏi ý kiến"))
    question = forms.CharField(
        label=_("Nội dung lấy ý kiến"), max_length=4000, widget=_textarea()
    )
    days = forms.IntegerField(
        label=_("Thời hạn trả lời (ngày làm việc)"),
        min_value=1,
        max_value=30,
        initial=3,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_agency"].choices = _agency_choices(
            {self.dossier.competent_agency_id}
        )

    def data_for_service(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            **super().data_for_service(),
            "to_agency": data["to_agency"],
            "question": data["question"],
            "days": data["days"],
        }


class ReplyForm(ActionForm):
    action = A.REPLY
    tone = "primary"
    icon = "check"
    with_note = False

    answer = forms.CharField(
        label=_("Ý kiến trả lời"), max_length=4000, widget=_textarea()
    )

    def data_for_service(self) -> dict[str, Any]:
        return {
            "consultation": self.consultation.pk,
            "answer": self.cleaned_data["answer"],
        }


class RequestPaymentForm(ActionForm):
    action = A.REQUEST_PAYMENT
    icon = "clock"

    fee_name = forms.CharField(
        label=_("Khoản thu thêm"), required=False, max_length=255
    )
    fee_amount = forms.IntegerField(
        label=_("Số tiền (đồng)"), required=False, min_value=1
    )
    help = _("Thời gian chờ thực hiện nghĩa vụ tài chính không tính vào thời hạn.")

    def clean(self):
        data = super().clean()
        if bool(data.get("fee_name")) != bool(data.get("fee_amount")):
            raise forms.ValidationError(
                _("Khoản thu thêm cần cả tên và số tiền."), code="fee_incomplete"
            )
        return data

    def data_for_service(self) -> dict[str, Any]:
        data = self.cleaned_data
        fees = []
        if data.get("fee_name"):
            fees.append({"name": data["fee_name"], "amount": data["fee_amount"]})
        return {**super().data_for_service(), "fees": fees}


class ConfirmPaymentForm(ActionForm):
    action = A.CONFIRM_PAYMENT
    tone = "primary"
    icon = "check"

    payment_reference = forms.CharField(
        label=_("Số biên lai / mã giao dịch"), required=False, max_length=128
    )

    def data_for_service(self) -> dict[str, Any]:
        return {
            **super().data_for_service(),
            "payment_reference": self.cleaned_data.get("payment_reference", ""),
        }


class ExtendForm(_ReasonMixin, ActionForm):
    action = A.EXTEND
    icon = "clock"
    with_note = False
    help = _(
        "Văn bản xin lỗi và hẹn lại (Mẫu 04): lập chậm nhất 01 ngày làm việc "
        "trước hạn, chỉ một lần (Nghị định 118/2025 Điều 19(6))."
    )

    new_due_at = forms.DateTimeField(
        label=_("Hẹn trả kết quả mới"),
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
        ),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = _("Lý do chậm giải quyết")

    def data_for_service(self) -> dict[str, Any]:
        moment: datetime = self.cleaned_data["new_due_at"]
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return {**super().data_for_service(), "new_due_at": moment}


class ResolveForm(ActionForm):
    action = A.RESOLVE
    tone = "primary"
    icon = "check"
    with_note = False

    result_summary = forms.CharField(
        label=_("Nội dung kết quả"), required=False, max_length=4000, widget=_textarea()
    )

    def data_for_service(self) -> dict[str, Any]:
        return {
            **super().data_for_service(),
            "result_summary": self.cleaned_data.get("result_summary", ""),
        }


class RejectForm(_ReasonMixin, ActionForm):
    action = A.REJECT
    tone = "danger"
    icon = "alert"
    with_note = False
    confirm = _("Từ chối giải quyết hồ sơ này? Kết quả là Phiếu từ chối giải quyết.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = _("Lý do và căn cứ pháp lý từ chối giải quyết")


class ReturnResultForm(ActionForm):
    action = A.RETURN_RESULT
    tone = "primary"
    icon = "check"

    method = forms.ChoiceField(label=_("Hình thức trả"), choices=ReturnMethod.choices)
    collect_fees = forms.BooleanField(
        label=_("Đã thu đủ phí, lệ phí còn nợ tại quầy"), required=False
    )
    payment_reference = forms.CharField(
        label=_("Số biên lai"), required=False, max_length=128
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].initial = self.dossier.return_method
        unpaid = [f for f in self.dossier.fees.all() if f.status == FeeStatus.DUE]
        if not unpaid:
            del self.fields["collect_fees"]
            del self.fields["payment_reference"]

    def data_for_service(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            **super().data_for_service(),
            "method": data["method"],
            "collect_fees": data.get("collect_fees", False),
            "payment_reference": data.get("payment_reference", ""),
        }


class RequestWithdrawalForm(ActionForm):
    action = A.REQUEST_WITHDRAWAL
    icon = "alert"
    note_label = _("Nội dung yêu cầu của người nộp")


class StopForm(_ReasonMixin, ActionForm):
    action = A.STOP
    tone = "danger"
    icon = "alert"
    with_note = False
    confirm = _("Dừng giải quyết hồ sơ này? Người nộp nhận Thông báo (Mẫu 05).")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = _("Lý do dừng giải quyết")


class CorrectResultForm(ActionForm):
    action = A.CORRECT_RESULT
    icon = "verify"
    with_note = False
    help = _("Đính chính trong 3 ngày làm việc kể từ khi phát hiện sai sót (Điều 23).")

    description = forms.CharField(
        label=_("Nội dung đính chính"), max_length=4000, widget=_textarea()
    )
    reported_at = forms.DateTimeField(
        label=_("Phát hiện sai sót lúc"),
        required=False,
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
        ),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    def data_for_service(self) -> dict[str, Any]:
        data: dict[str, Any] = {"description": self.cleaned_data["description"]}
        moment = self.cleaned_data.get("reported_at")
        if moment is not None:
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
            data["reported_at"] = moment
        return data


ACTION_FORMS: dict[A, type[ActionForm]] = {
    form.action: form
    for form in (
        ReceiveForm,
        RefuseForm,
        RequestSupplementForm,
        SupplementForm,
        CloseUnsupplementedForm,
        AssignForm,
        CompleteStepForm,
        TransferForm,
        ConsultForm,
        ReplyForm,
        RequestPaymentForm,
        ConfirmPaymentForm,
        ExtendForm,
        ResolveForm,
        RejectForm,
        ReturnResultForm,
        RequestWithdrawalForm,
        StopForm,
        CorrectResultForm,
    )
}
# Actions done on one active step, and on one open consultation.
STEP_ACTIONS = (A.ASSIGN, A.COMPLETE_STEP, A.TRANSFER)
CONSULTATION_ACTIONS = (A.REPLY,)
