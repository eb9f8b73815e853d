"""
The counter form: the procedure, the competent agency, the applicant, the
components handed in and how, and the officer's decision.

It validates and shapes the input for ``dossier_create``; whether the dossier
may be received (components, jurisdiction, identity) is the service's call.
"""

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from motcua.accounts.constants import Role
from motcua.accounts.selectors import user_agency_ids
from motcua.catalog.constants import DataSource
from motcua.catalog.models import Component, ProcedureVersion
from motcua.core.exceptions import DomainError
from motcua.dossiers.constants import ApplicantType, ComponentSource, ReturnMethod
from motcua.dossiers.selectors import competent_agencies_for
from motcua.units.constants import AgencyKind
from motcua.units.models import Agency

CENTRE_ROLES = (Role.RECEPTION, Role.CENTRE_HEAD, Role.CENTRE_DEPUTY)

# Applicant keys of the service (clean_applicant) and the form fields for them.
APPLICANT_FIELDS = {
    "type": "applicant_type",
    "name": "applicant_name",
    "id_number": "applicant_id_number",
    "birth_date": "applicant_birth_date",
    "address": "applicant_address",
    "phone": "applicant_phone",
    "email": "applicant_email",
    "identity_verified": "identity_verified",
    "representative_name": "representative_name",
    "representative_id_number": "representative_id_number",
    "representative_phone": "representative_phone",
}

DECISIONS = (
    ("receive", _("Tiếp nhận hồ sơ")),
    ("supplement", _("Yêu cầu bổ sung")),
    ("refuse", _("Từ chối tiếp nhận")),
)


def counter_centres(user) -> list[Agency]:
    """Return the one-stop centres where ``user`` receives at the counter."""
    ids = user_agency_ids(user, roles=CENTRE_ROLES)
    return list(
        Agency.objects.filter(
            pk__in=ids, kind=AgencyKind.SERVICE_CENTRE, is_active=True
        ).order_by("level", "name")
    )


def source_choices(component: Component) -> list[tuple[str, Any]]:
    """Where this component may come from at the counter."""
    choices = [
        (ComponentSource.PAPER, ComponentSource.PAPER.label),
        (ComponentSource.SCANNED, ComponentSource.SCANNED.label),
        (ComponentSource.PRESENTED, ComponentSource.PRESENTED.label),
    ]
    if component.reusable_source == DataSource.PERSONAL_STORE or (
        component.result_type_code and not component.reusable_source
    ):
        choices.append((ComponentSource.REUSED, ComponentSource.REUSED.label))
    elif component.reusable_source:
        choices.append(
            (ComponentSource.NATIONAL_DATABASE, ComponentSource.NATIONAL_DATABASE.label)
        )
        if component.result_type_code:
            choices.append((ComponentSource.REUSED, ComponentSource.REUSED.label))
    return choices


class ReceptionForm(forms.Form):
    procedure_version = forms.ModelChoiceField(
        label=_("Thủ tục"),
        queryset=ProcedureVersion.objects.published().select_related(
            "procedure__sector"
        ),
        widget=forms.HiddenInput,
        error_messages={"required": _("Hãy chọn thủ tục hành chính.")},
    )
    receiving_centre = forms.ModelChoiceField(
        label=_("Nơi tiếp nhận"), queryset=Agency.objects.none()
    )
    competent_agency = forms.ModelChoiceField(
        label=_("Cơ quan giải quyết"),
        queryset=Agency.objects.none(),
        help_text=_(
            "Tiếp nhận không phụ thuộc địa giới hành chính: chọn cơ quan có thẩm "
            "quyền giải quyết cho người nộp."
        ),
    )
    applicant_type = forms.ChoiceField(
        label=_("Loại đối tượng"),
        choices=ApplicantType.choices,
        initial=ApplicantType.PERSON,
    )
    applicant_id_number = forms.CharField(
        label=_("Số định danh cá nhân / mã số doanh nghiệp"),
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "off",
                "spellcheck": "false",
                "aria-keyshortcuts": "d",
            }
        ),
    )
    applicant_name = forms.CharField(
        label=_("Họ và tên / tên tổ chức"),
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    applicant_birth_date = forms.DateField(
        label=_("Ngày sinh"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    applicant_phone = forms.CharField(
        label=_("Điện thoại"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    applicant_email = forms.EmailField(
        label=_("Thư điện tử"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    applicant_address = forms.CharField(
        label=_("Địa chỉ"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    identity_verified = forms.BooleanField(
        label=_("Đã xác thực tài khoản định danh điện tử (VNeID)"),
        required=False,
        help_text=_("Nghị định 118/2025 Điều 17(1)(a)."),
    )
    representative_name = forms.CharField(
        label=_("Người được ủy quyền nộp thay"), max_length=255, required=False
    )
    representative_id_number = forms.CharField(
        label=_("Số định danh người được ủy quyền"), max_length=32, required=False
    )
    representative_phone = forms.CharField(
        label=_("Điện thoại người được ủy quyền"), max_length=32, required=False
    )
    paper_sets = forms.IntegerField(
        label=_("Số bộ hồ sơ"), min_value=1, max_value=99, initial=1
    )
    return_method = forms.ChoiceField(
        label=_("Nhận kết quả"),
        choices=ReturnMethod.choices,
        initial=ReturnMethod.COUNTER,
    )
    return_address = forms.CharField(
        label=_("Địa chỉ nhận kết quả qua bưu chính"), max_length=500, required=False
    )
    note = forms.CharField(
        label=_("Ghi chú"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reason = forms.CharField(
        label=_("Lý do"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Thiếu giấy tờ: Phiếu yêu cầu bổ sung (Mẫu 02) liệt kê giấy tờ chưa "
            "đánh dấu. Không đủ điều kiện: Phiếu từ chối (Mẫu 03)."
        ),
    )
    decision = forms.ChoiceField(choices=DECISIONS, widget=forms.HiddenInput)

    def __init__(self, *args, user, version: ProcedureVersion | None = None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.user = user
        self.centres = counter_centres(user)
        self.fields["receiving_centre"].queryset = Agency.objects.filter(
            pk__in=[c.pk for c in self.centres]
        )
        if self.centres:
            self.fields["receiving_centre"].initial = self.centres[0].pk
        if len(self.centres) <= 1:
            self.fields["receiving_centre"].widget = forms.HiddenInput()
        self.version = version or self._version_from_data()
        self.components: list[Component] = []
        if self.version is not None:
            self.fields["procedure_version"].initial = self.version.pk
            agencies = competent_agencies_for(self.version)
            field = self.fields["competent_agency"]
            field.queryset = agencies
            field.initial = self._default_agency(agencies)
            # The due time depends on the agency's calendar: recompute it.
            field.widget.attrs.update(
                {
                    "hx-get": reverse("staff:reception-due"),
                    "hx-trigger": "change",
                    "hx-target": "#due",
                    "hx-swap": "outerHTML",
                    "hx-include": "#counter-form [name=procedure_version]",
                }
            )
            self.components = list(self.version.components.all())
            for component in self.components:
                self._add_component_fields(component)

    # -- the procedure and its components -----------------------------------

    def _version_from_data(self) -> ProcedureVersion | None:
        raw = (self.data or {}).get("procedure_version") or self.initial.get(
            "procedure_version"
        )
        if not raw or not str(raw).isdigit():
            return None
        return (
            ProcedureVersion.objects.published()
            .select_related("procedure__sector")
            .filter(pk=int(raw))
            .first()
        )

    def _default_agency(self, agencies) -> int | None:
        """The agency of the centre's own commune if it resolves the procedure."""
        options = list(agencies)
        centre = self.centres[0] if self.centres else None
        if centre is not None:
            for agency in options:
                if agency.administrative_unit_id == centre.administrative_unit_id:
                    return agency.pk
        return options[0].pk if options else None

    def _add_component_fields(self, component: Component) -> None:
        key = f"c{component.pk}"
        self.fields[f"{key}-present"] = forms.BooleanField(
            label=component.name, required=False
        )
        self.fields[f"{key}-source"] = forms.ChoiceField(
            label=_("Nguồn: %(name)s") % {"name": component.name[:60]},
            choices=source_choices(component),
            initial=ComponentSource.PRESENTED
            if component.presented_only
            else ComponentSource.PAPER,
        )
        self.fields[f"{key}-count"] = forms.IntegerField(
            label=_("Số bản: %(name)s") % {"name": component.name[:60]},
            min_value=0,
            max_value=99,
            initial=component.count or 1,
        )

    def component_rows(self) -> list[dict[str, Any]]:
        """One row per catalog component with its three bound fields."""
        return [
            {
                "component": c,
                "present": self[f"c{c.pk}-present"],
                "source": self[f"c{c.pk}-source"],
                "count": self[f"c{c.pk}-count"],
            }
            for c in self.components
        ]

    # -- validation ----------------------------------------------------------

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if decision in ("supplement", "refuse") and not data.get("reason", "").strip():
            self.add_error(
                "reason",
                _("Ghi rõ lý do yêu cầu bổ sung.")
                if decision == "supplement"
                else _("Ghi rõ lý do từ chối tiếp nhận."),
            )
        if (
            data.get("return_method") == ReturnMethod.POST
            and not data.get("return_address", "").strip()
        ):
            self.add_error(
                "return_address", _("Nhận qua bưu chính cần địa chỉ nhận kết quả.")
            )
        return data

    def applicant(self) -> dict[str, Any]:
        """The applicant as ``dossier_create`` takes it."""
        data = self.cleaned_data
        return {key: data.get(field) for key, field in APPLICANT_FIELDS.items()}

    def component_items(self) -> list[dict[str, Any]]:
        """The ticked components, with their source, as ``dossier_create`` takes them."""
        items = []
        for component in self.components:
            key = f"c{component.pk}"
            if not self.cleaned_data.get(f"{key}-present"):
                continue
            source = self.cleaned_data.get(f"{key}-source") or ComponentSource.PAPER
            count = self.cleaned_data.get(f"{key}-count") or 0
            items.append(
                {
                    "component": component.pk,
                    "source": source,
                    "paper_count": count
                    if source in (ComponentSource.PAPER, ComponentSource.SCANNED)
                    else 0,
                }
            )
        return items

    def missing_components(self) -> list[Component]:
        """The required components not handed in: what Mẫu 02 asks for."""
        return [
            c
            for c in self.components
            if c.required and not self.cleaned_data.get(f"c{c.pk}-present")
        ]

    def add_domain_error(self, error: DomainError) -> None:
        """Show a service's refusal next to the fields it names, else on top."""
        fields = error.extra.get("fields") if isinstance(error.extra, dict) else None
        if fields:
            for key, message in fields.items():
                self.add_error(APPLICANT_FIELDS.get(key), message)
            return
        field = error.extra.get("field") if isinstance(error.extra, dict) else None
        if field in self.fields:
            self.add_error(field, str(error.message))
            return
        message = str(error.message)
        missing = error.extra.get("missing") if isinstance(error.extra, dict) else None
        if missing:
            message = f"{message} {_('Còn thiếu')}: {'; '.join(missing)}."
        self.add_error(None, message)
