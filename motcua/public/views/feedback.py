"""
Citizens' reports and recommendations (PAKN) on the public site:
submit one (rate-limited per address), follow it with its code and secret,
and read the answers the agencies have published (no personal data).
"""

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core.exceptions import DomainError, NotFound, ValidationFailed
from motcua.core.net import client_ip
from motcua.feedback.access import SENDER, access_feedback_for_sender
from motcua.feedback.constants import FeedbackAction, FeedbackStatus
from motcua.feedback.models import Feedback
from motcua.feedback.services import feedback_apply_action, feedback_submit


class SubmissionForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Tiêu đề"), max_length=255)
    content = forms.CharField(
        label=gettext_lazy("Nội dung phản ánh, kiến nghị"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
    )
    dossier_code = forms.CharField(
        label=gettext_lazy("Mã hồ sơ liên quan (nếu có)"), max_length=64, required=False
    )
    sender_name = forms.CharField(label=gettext_lazy("Họ và tên"), max_length=255)
    sender_phone = forms.CharField(
        label=gettext_lazy("Điện thoại"), max_length=32, required=False
    )
    sender_email = forms.EmailField(label=gettext_lazy("Thư điện tử"), required=False)
    # Left empty by people; bots fill every field.
    website = forms.CharField(required=False, label=gettext_lazy("Để trống ô này"))


class FollowForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Mã phản ánh"), max_length=32)
    secret = forms.CharField(label=gettext_lazy("Mã bí mật"), max_length=16)


def _rate_limited(request: HttpRequest) -> bool:
    """Count this submission; True once the address passed the hourly limit."""
    hour = timezone.now().strftime("%Y%m%d%H")
    key = f"motcua:pakn:{client_ip(request) or 'unknown'}:{hour}"
    cache.add(key, 0, 3600)
    try:
        count = cache.incr(key)
    except ValueError:
        count = 1
    return count > settings.MOTCUA_FEEDBACK_RATE_LIMIT


def _published():
    return (
        Feedback.objects.filter(published_at__isnull=False)
        .select_related("agency")
        .order_by("-published_at", "-pk")
    )


def feedback_home(request: HttpRequest) -> HttpResponse:
    """The PAKN form and the answers already published."""
    status = 200
    form = SubmissionForm(request.POST or None)
    if request.method == "POST":
        if _rate_limited(request):
            form.add_error(
                None,
                _("Ông/Bà đã gửi nhiều phản ánh trong một giờ. Vui lòng thử lại sau."),
            )
            status = 429
        elif form.is_valid() and not form.cleaned_data["website"]:
            try:
                feedback = feedback_submit(data=form.cleaned_data)
            except ValidationFailed as error:
                for field, message in error.extra.get("fields", {}).items():
                    form.add_error(field if field in form.fields else None, message)
                status = 422
            else:
                return render(
                    request, "public/feedback/submitted.html", {"feedback": feedback}
                )
        else:
            status = 422
    page = Paginator(_published(), 10).get_page(request.GET.get("page"))
    return render(
        request,
        "public/feedback/home.html",
        {"form": form, "page": page},
        status=status,
    )


def feedback_follow(request: HttpRequest) -> HttpResponse:
    """
    Follow a PAKN with its code and secret; supply the information asked
    for, and say whether the answer satisfied. The secret travels in the
    form, never in the address.
    """
    form = FollowForm(
        request.POST or None, initial={"code": request.GET.get("code", "")}
    )
    feedback, status, error = None, 200, ""
    if request.method == "POST" and form.is_valid():
        try:
            feedback = access_feedback_for_sender(
                code=form.cleaned_data["code"], secret=form.cleaned_data["secret"]
            )
        except NotFound as exc:
            form.add_error(None, str(exc.message))
            status = 404
        else:
            action = request.POST.get("action")
            data = {
                FeedbackAction.SUPPLY_INFO.value: {
                    "message": request.POST.get("message", "")
                },
                FeedbackAction.RATE_ANSWER.value: {
                    "satisfied": request.POST.get("satisfied", "")
                },
            }.get(action or "")
            if data is not None:
                try:
                    feedback = feedback_apply_action(
                        feedback=feedback, action=action, actor=SENDER, data=data
                    )
                except DomainError as exc:
                    error, status = str(exc.message), 422
    elif request.method == "POST":
        status = 422
    return render(
        request,
        "public/feedback/follow.html",
        {
            "form": form,
            "feedback": feedback,
            "error": error,
            "can_supply": feedback is not None
            and feedback.status == FeedbackStatus.INFO_REQUESTED,
            "can_rate": feedback is not None
            and feedback.status in (FeedbackStatus.ANSWERED, FeedbackStatus.PUBLISHED)
            and feedback.citizen_satisfied is None,
        },
        status=status,
    )
