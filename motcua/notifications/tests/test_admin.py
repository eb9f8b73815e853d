"""The notification outbox and the reminders in the admin: read-only, with a retry."""

import pytest

from motcua.core.outbox import OutboxStatus
from motcua.notifications.models import Notification
from motcua.testing.flows import at, receive_residence

pytestmark = pytest.mark.django_db


def test_dead_messages_are_listed_and_retried(province, admin_client):
    receive_residence(province, when=at(2026, 3, 2, 9, 0))
    Notification.objects.update(status=OutboxStatus.DEAD, attempts=6)
    page = admin_client.get("/admin/notifications/notification/?status__exact=dead")
    assert page.status_code == 200
    assert "an.nguyen@example.vn" in page.content.decode()
    ids = list(Notification.objects.values_list("pk", flat=True))
    response = admin_client.post(
        "/admin/notifications/notification/",
        {"action": "retry", "_selected_action": ids},
    )
    assert response.status_code == 302
    assert set(Notification.objects.values_list("status", "attempts")) == {
        (OutboxStatus.PENDING, 0)
    }
    detail = admin_client.get(f"/admin/notifications/notification/{ids[0]}/change/")
    assert detail.status_code == 200
    assert admin_client.get("/admin/notifications/reminder/").status_code == 200


def test_staff_without_the_change_right_cannot_retry(province, client):
    from django.contrib.auth.models import Permission

    user = province.users["supervisor"]
    user.is_staff = True
    user.save()
    user.user_permissions.add(Permission.objects.get(codename="view_notification"))
    client.force_login(user)
    receive_residence(province, when=at(2026, 3, 2, 9, 0))
    Notification.objects.update(status=OutboxStatus.DEAD)
    page = client.get("/admin/notifications/notification/")
    assert page.status_code == 200 and 'value="retry"' not in page.content.decode()
