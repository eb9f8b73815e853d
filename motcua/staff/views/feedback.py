"""
Citizens' reports and recommendations (PAKN) for staff, under /staff/feedback/:
the queue with its deadlines, and one PAKN with the actions the officer may
take (``motcua.feedback.services.feedback_apply_action``).
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.accounts.models import User
from motcua.audit.models import AuditEvent
from motcua.audit.services import audit_record
from motcua.core.exceptions import DomainError
from motcua.feedback import workflow
from motcua.feedback.access import feedback_visible_to, may_act_on_feedback
from motcua.feedback.constants import (
    FEEDBACK_OPEN_STATUSES,
    FeedbackAction,
    FeedbackCategory,
    FeedbackStatus,
)
from motcua.feedback.models import Feedback
from motcua.feedback.services import feedback_apply_action
from motcua.supervision import exports
from motcua.units.models import Agency

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class AssignForm(forms.Form):
    category = forms.ChoiceField(
        label=gettext_lazy("Phân loại"), choices=FeedbackCategory.choices
    )
    agency = forms.ModelChoiceField(
        label=gettext_lazy("Đơn vị xử lý"),
        queryset=Agency.objects.filter(is_active=True).order_by("level", "name"),
    )
    officer = forms.ModelChoiceField(
        label=gettext_lazy("Cán bộ xử lý"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args, feedback: Feedback, **kwargs):
        super().__init__(*args, **kwargs)
        if feedback.agency_id:
            self.fields["officer"].queryset = (
                User.objects.filter(
                    is_active=True,
                    memberships__agency_id=feedback.agency_id,
                    memberships__is_active=True,
                )
                .distinct()
                .order_by("full_name")
            )
        else:
            self.fields["officer"].help_text = _(
                "Giao cho đơn vị trước; lãnh đạo đơn vị giao tiếp cho cán bộ."
            )


class TextForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, label="", initial_text="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = label
        if initial_text and not self.is_bound:
            self.fields["text"].initial = initial_text


# action: (data key, label)
TEXT_ACTIONS = {
    FeedbackAction.REQUEST_INFO: (
        "message",
        gettext_lazy("Thông tin cần người gửi bổ sung"),
    ),
    FeedbackAction.REJECT: ("reason", gettext_lazy("Lý do không xử lý")),
    FeedbackAction.ANSWER: ("answer", gettext_lazy("Nội dung trả lời")),
    FeedbackAction.PUBLISH: (
        "public_question",
        gettext_lazy(
            "Nội dung công khai (tóm tắt phản ánh, không ghi thông tin cá nhân)"
        ),
    ),
}


def _forms(
    request: HttpRequest, feedback: Feedback, bound: str | None = None
) -> list[dict]:
    """The action forms ``request.user`` may use on ``feedback`` now."""
    result = []
    status = FeedbackStatus(feedback.status)
    for action in workflow.allowed_actions(status, actor="staff"):
        if not may_act_on_feedback(request.user, feedback, action):
            continue
        data = request.POST if bound == action.value else None
        if action == FeedbackAction.ASSIGN:
            initial = {
                "category": feedback.category,
                "agency": feedback.agency_id,
                "officer": feedback.officer_id,
            }
            form = AssignForm(
                data, feedback=feedback, initial=initial, prefix=action.value
            )
        elif action in TEXT_ACTIONS:
            label = TEXT_ACTIONS[action][1]
            initial = feedback.title if action == FeedbackAction.PUBLISH else ""
            form = TextForm(
                data, label=label, initial_text=initial, prefix=action.value
            )
        else:
            continue
        result.append({"action": action.value, "label": action.label, "form": form})
    return result


@login_required
def feedback_list(request: HttpRequest) -> HttpResponse:
    """The PAKN the officer may see, the most urgent first."""
    qs = feedback_visible_to(request.user).select_related("agency", "officer")
    status = request.GET.get("status", "open")
    if status == "open":
        qs = qs.filter(status__in=FEEDBACK_OPEN_STATUSES)
    elif status in FeedbackStatus.values:
        qs = qs.filter(status=status)
    qs = qs.order_by("answer_due_at", "pk")
    if request.GET.get("format") == "xlsx":
        audit_record(
            event_type=AuditEvent.EXPORT,
            actor=request.user,
            extra={"report": "feedback", "status": status},
        )
        response = HttpResponse(
            exports.to_bytes(
                exports.feedback_workbook(feedback=qs, scope_label=str(request.user))
            ),
            content_type=XLSX,
        )
        response["Content-Disposition"] = (
            'attachment; filename="phan-anh-kien-nghi.xlsx"'
        )
        return response
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "staff/feedback/list.html",
        {
            "page": page,
            "status": status,
            "statuses": [
                ("open", _("Đang xử lý")),
                *FeedbackStatus.choices,
                ("all", _("Tất cả")),
            ],
            "now": timezone.now(),
        },
    )


@login_required
def feedback_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One PAKN: its content, deadlines, history and the officer's actions."""
    feedback = feedback_visible_to(request.user).filter(code=code).first()
    if feedback is None:
        raise Http404
    bound = request.POST.get("action") if request.method == "POST" else None
    status_code = 200
    if bound:
        forms_ = _forms(request, feedback, bound)
        chosen = next((f for f in forms_ if f["action"] == bound), None)
        if chosen is None:
            raise Http404
        form = chosen["form"]
        if form.is_valid():
            action = FeedbackAction(bound)
            if action == FeedbackAction.ASSIGN:
                data = {
                    "category": form.cleaned_data["category"],
                    "agency": form.cleaned_data["agency"].pk,
                    "officer": form.cleaned_data["officer"].pk
                    if form.cleaned_data["officer"]
                    else None,
                }
            else:
                data = {TEXT_ACTIONS[action][0]: form.cleaned_data["text"]}
            try:
                feedback_apply_action(
                    feedback=feedback, action=action, actor=request.user, data=data
                )
            except DomainError as error:
                form.add_error(None, str(error.message))
                status_code = 422
            else:
                messages.success(
                    request,
                    _("Đã cập nhật phản ánh %(code)s.") % {"code": feedback.code},
                )
                return redirect("staff:feedback-detail", code=feedback.code)
        else:
            status_code = 422
    else:
        forms_ = _forms(request, feedback)
    return render(
        request,
        "staff/feedback/detail.html",
        {
            "feedback": feedback,
            "events": feedback.events.select_related("actor"),
            "action_forms": forms_,
            "now": timezone.now(),
        },
        status=status_code,
    )
