"""An administrator edits the 766 maximums and targets; each change is audited."""

from decimal import Decimal

from django.test import Client

import pytest

from motcua.accounts.models import User
from motcua.audit.models import AuditLog
from motcua.supervision.models import Indicator

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client():
    user = User.objects.create_superuser("quantri", "qt@example.vn", "mat-khau-dai-123")
    client = Client()
    client.force_login(user)
    return client


def test_the_changelist_lists_the_seeded_indicators(admin_client):
    response = admin_client.get("/admin/supervision/indicator/")
    assert response.status_code == 200
    assert "Hồ sơ xử lý trước hạn, đúng hạn" in response.text
    assert "không phải 100" not in response.text


def test_changing_a_target_is_saved_audited_and_the_total_checked(admin_client):
    indicator = Indicator.objects.get(code="ONLINE_DOSSIERS")
    url = f"/admin/supervision/indicator/{indicator.pk}/change/"
    response = admin_client.post(
        url,
        {
            "number": "3.3",
            "group": "online",
            "name": indicator.name,
            "max_score": "10",
            "target": "0.6",
            "order": indicator.order,
            "is_active": "on",
            "basis": indicator.basis,
        },
    )
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert (indicator.max_score, indicator.target) == (Decimal("10"), Decimal("0.6"))
    log = AuditLog.objects.get(event_type="settings")
    assert log.extra_data["indicator"] == "ONLINE_DOSSIERS"
    assert "không phải 100" in admin_client.get("/admin/supervision/indicator/").text


def test_a_target_must_be_a_ratio(admin_client):
    indicator = Indicator.objects.get(code="ONLINE_DOSSIERS")
    response = admin_client.post(
        f"/admin/supervision/indicator/{indicator.pk}/change/",
        {
            "number": "3.3",
            "group": "online",
            "name": indicator.name,
            "max_score": "12",
            "target": "50",
            "order": indicator.order,
            "is_active": "on",
        },
    )
    assert response.status_code == 200  # the form again, with the error
    indicator.refresh_from_db()
    assert indicator.target == Decimal("0.5")
