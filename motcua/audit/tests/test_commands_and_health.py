"""``motcua audit-verify`` and what ``/healthz`` says of the background work."""

from datetime import timedelta
from io import StringIO

from django.core.management import CommandError, call_command
from django.utils import timezone

import pytest
import time_machine

from motcua.audit.models import AuditLog
from motcua.audit.tests.test_services import SEALED, WRITTEN, seal, write
from motcua.health import background_backlog

pytestmark = pytest.mark.django_db


def test_audit_verify_reports_an_intact_chain_and_the_rows_waiting():
    write(3)
    seal()
    write(1, when=SEALED)
    out = StringIO()

    call_command("audit_verify", stdout=out)

    head = AuditLog.objects.exclude(row_hash="").order_by("-pk").first()
    assert out.getvalue().strip() == (
        f"audit chain intact: 3 sealed rows, head {head.row_hash}; "
        "1 rows waiting for the seal"
    )


def test_audit_verify_fails_naming_the_edited_row():
    rows = write(3)
    seal()
    AuditLog.objects.filter(pk=rows[2].pk).update(target_id="999")

    with pytest.raises(CommandError) as error:
        call_command("audit_verify", stdout=StringIO())

    assert str(error.value) == (
        f"audit chain broken after 2 rows: row {rows[2].pk}: "
        "content does not match its hash (the row was edited)"
    )


def test_healthz_is_ok_when_nothing_waits(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "portal_sync_overdue": 0,
        "outbox_dead": 0,
        "audit_unsealed_overdue": 0,
    }
    assert "no-cache" in response["Cache-Control"]


def test_healthz_counts_late_background_work_as_degraded_not_down(client):
    write(2)  # never sealed, written at WRITTEN
    with time_machine.travel(WRITTEN + timedelta(minutes=16), tick=False):
        response = client.get("/healthz")
        backlog = background_backlog(timezone.now())

    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["audit_unsealed_overdue"] == 2
    assert backlog["audit_unsealed_overdue"] == 2


def test_healthz_refuses_other_methods(client):
    assert client.post("/healthz").status_code == 405
