"""The inbox filters: they become a ``DossierFilters`` for the selectors."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Procedure
from motcua.dossiers.constants import DossierStatus
from motcua.dossiers.selectors import DossierFilters

# A search that holds a digit is taken for (part of) a dossier code.
_CODE_LIKE = re.compile(r"\d")


class InboxFilterForm(forms.Form):
    scope = forms.ChoiceField(
        label=_("Hồ sơ của"),
        choices=(("mine", _("Tôi")), ("unit", _("Đơn vị"))),
        required=False,
        widget=forms.RadioSelect,
    )
    q = forms.CharField(
        label=_("Tìm theo tên người nộp (gõ không dấu được) hoặc mã hồ sơ"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("Tên người nộp hoặc mã hồ sơ"),
                "aria-keyshortcuts": "/",
                "autocomplete": "off",
            }
        ),
    )
    status = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[("", _("Mọi trạng thái")), *DossierStatus.choices],
    )
    procedure = forms.TypedChoiceField(
        label=_("Thủ tục"), required=False, coerce=int, empty_value=None
    )
    overdue = forms.BooleanField(label=_("Chỉ hồ sơ quá hạn"), required=False)

    def __init__(self, *args, procedures=(), **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["procedure"].choices = [("", _("Mọi thủ tục"))] + [
            (p.pk, f"{p.code} – {p.name}") for p in procedures
        ]

    @property
    def scope_value(self) -> str:
        if self.is_valid() and self.cleaned_data.get("scope") == "unit":
            return "unit"
        return "mine"

    def filters(self) -> DossierFilters:
        if not self.is_valid():
            return DossierFilters()
        data = self.cleaned_data
        text = data.get("q", "").strip()
        code_like = bool(_CODE_LIKE.search(text))
        return DossierFilters(
            status=data.get("status") or None,
            procedure_id=data.get("procedure"),
            overdue=bool(data.get("overdue")),
            applicant=None if code_like else text or None,
            code_part=text if code_like else None,
        )

    def is_filtered(self) -> bool:
        return self.filters() != DossierFilters()


def procedures_in(queryset) -> list[Procedure]:
    """The procedures of the dossiers in ``queryset``, for the filter's choices."""
    return list(
        Procedure.objects.filter(
            versions__dossiers__in=queryset.order_by().values("pk")
        )
        .distinct()
        .order_by("code")
    )
