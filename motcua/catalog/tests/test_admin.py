"""The catalog's Django admin: folded search, read-only published versions, publishing."""

from decimal import Decimal

from django.contrib.messages import get_messages
from django.urls import reverse

import pytest

from motcua.catalog.constants import VersionStatus

from .factories import (
    FeeItemFactory,
    ProcedureFactory,
    ProcedureVersionFactory,
    SectorFactory,
    StepTemplateFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("quantri", password="x")
    client.force_login(user)
    return client


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_procedure_search_without_diacritics(staff_client):
    ProcedureFactory(code="1.001193", name="Thủ tục đăng ký khai sinh")
    ProcedureFactory(code="1.004222", name="Đăng ký thường trú")

    response = staff_client.get(
        reverse("admin:catalog_procedure_changelist"), {"q": "dang ky KHAI sinh"}
    )

    assert response.status_code == 200
    assert list(response.context["cl"].result_list.values_list("code", flat=True)) == [
        "1.001193"
    ]
    by_code = staff_client.get(
        reverse("admin:catalog_procedure_changelist"), {"q": "1.004222"}
    )
    assert [p.code for p in by_code.context["cl"].result_list] == ["1.004222"]


def test_procedure_filters_and_versions_inline(staff_client):
    sector = SectorFactory(name="Hộ tịch")
    version = ProcedureVersionFactory(procedure__sector=sector, published=True)

    changelist = staff_client.get(
        reverse("admin:catalog_procedure_changelist"),
        {"sector__id__exact": sector.pk, "issuing_body": "Bộ Tư pháp"},
    )
    change = staff_client.get(
        reverse("admin:catalog_procedure_change", args=[version.procedure.pk])
    )

    assert list(changelist.context["cl"].result_list) == [version.procedure]
    assert change.status_code == 200
    inline = change.context["inline_admin_formsets"][0]
    assert inline.formset.model.__name__ == "ProcedureVersion"
    assert not inline.has_change_permission
    assert not inline.has_add_permission


def test_version_changelist_filters(staff_client):
    ProcedureVersionFactory(levels=["commune"], published=True)
    ProcedureVersionFactory(levels=["province"])
    url = reverse("admin:catalog_procedureversion_changelist")

    commune = staff_client.get(url, {"level": "commune"})
    drafts = staff_client.get(url, {"status__exact": "draft", "q": "khai sinh"})

    assert [v.levels for v in commune.context["cl"].result_list] == [["commune"]]
    assert [v.levels for v in drafts.context["cl"].result_list] == [["province"]]


def test_published_versions_are_read_only(staff_client):
    version = ProcedureVersionFactory(published=True)
    url = reverse("admin:catalog_procedureversion_change", args=[version.pk])

    page = staff_client.get(url)
    posted = staff_client.post(url, {"name": "Sửa trái phép"})

    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    assert all(
        not f.has_change_permission for f in page.context["inline_admin_formsets"]
    )
    assert posted.status_code == 403
    version.refresh_from_db()
    assert version.name != "Sửa trái phép"


def _inline_management(prefixes):
    data = {}
    for prefix in prefixes:
        data |= {
            f"{prefix}-TOTAL_FORMS": "0",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    return data


def test_a_draft_is_edited_in_the_admin(staff_client):
    version = ProcedureVersionFactory()
    url = reverse("admin:catalog_procedureversion_change", args=[version.pk])
    data = {
        "name": "Đăng ký khai sinh (sửa)",
        "duration_value": "5",
        "duration_unit": "working_days",
        "levels": '["commune"]',
        "channels": '["counter"]',
        "online_level": "none",
        "boundary_free": "on",
        "competent_branch": "",
        **_inline_management(
            ["participants", "steps", "components", "fees", "result_types"]
        ),
        "fees-TOTAL_FORMS": "1",
        "fees-0-name": "Lệ phí",
        "fees-0-kind": "charge",
        "fees-0-amount": "8000",
        "fees-0-channel": "",
        "fees-0-stage": "reception",
    }

    response = staff_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    version.refresh_from_db()
    assert version.name == "Đăng ký khai sinh (sửa)"
    assert version.duration_value == 5
    assert version.fees.get().amount == 8000


def test_publish_action(staff_client):
    good = ProcedureVersionFactory()
    no_duration = ProcedureVersionFactory(without_duration=True)
    too_long = ProcedureVersionFactory(duration_value=Decimal(1))
    StepTemplateFactory(version=too_long, allotted_value=Decimal(9))
    already = ProcedureVersionFactory(published=True)

    response = staff_client.post(
        reverse("admin:catalog_procedureversion_changelist"),
        {
            "action": "publish",
            "_selected_action": [good.pk, no_duration.pk, too_long.pk, already.pk],
        },
        follow=True,
    )

    text = "\n".join(_messages(response))
    assert "Đã công bố 1 phiên bản." in text
    assert f"{no_duration.procedure.code} v1: Chưa có thời hạn giải quyết" in text
    assert (
        f"{too_long.procedure.code} v1: Tổng thời gian các bước (9 giờ làm việc)"
        in text
    )
    assert (
        f"{already.procedure.code} v1: Chỉ công bố được phiên bản đang ở trạng thái dự thảo."
        in text
    )
    good.refresh_from_db()
    no_duration.refresh_from_db()
    assert (good.status, no_duration.status) == (
        VersionStatus.PUBLISHED,
        VersionStatus.DRAFT,
    )


def test_create_draft_action(staff_client):
    version = ProcedureVersionFactory(published=True)
    FeeItemFactory(version=version)

    response = staff_client.post(
        reverse("admin:catalog_procedure_changelist"),
        {"action": "create_draft", "_selected_action": [version.procedure.pk]},
        follow=True,
    )

    assert f"{version.procedure.code}: đã tạo phiên bản 2." in _messages(response)
    draft = version.procedure.versions.get(number=2)
    assert (draft.status, draft.fees.count()) == (VersionStatus.DRAFT, 1)


def test_sector_admin_search(staff_client):
    SectorFactory(name="Hộ tịch")
    SectorFactory(name="Đất đai")

    response = staff_client.get(
        reverse("admin:catalog_sector_changelist"), {"q": "ho tich"}
    )

    assert [s.name for s in response.context["cl"].result_list] == ["Hộ tịch"]
