"""The audit log's hash chain and the personal-data access log."""

import hashlib
import json
from datetime import datetime, timedelta

from django.utils import timezone

import pytest
import time_machine

from motcua.audit.models import AccessPurpose, AuditLog, DataAccessLog
from motcua.audit.services import (
    GENESIS,
    access_record,
    audit_record,
    audit_seal,
    audit_verify,
)
from motcua.core.calendar import LOCAL_TZ
from motcua.dossiers.access import PORTAL

pytestmark = pytest.mark.django_db

WRITTEN = datetime(2026, 3, 2, 9, 0, tzinfo=LOCAL_TZ)
SEALED = WRITTEN + timedelta(minutes=1)


@pytest.fixture
def officer(django_user_model):
    return django_user_model.objects.create_user(
        username="tiepnhan.anhoa", full_name="Nguyễn Thị Lan"
    )


def write(n, *, actor=None, when=WRITTEN):
    with time_machine.travel(when, tick=False):
        return [
            audit_record(
                event_type="dossier_action",
                actor=actor,
                target_type="dossiers.dossier",
                target_id=str(100 + i),
                extra={"action": "receive", "note": f"lần {i} – có dấu"},
            )
            for i in range(n)
        ]


def seal(when=SEALED, **kwargs):
    with time_machine.travel(when, tick=False):
        return audit_seal(**kwargs)


def chain():
    return list(
        AuditLog.objects.order_by("pk").values_list("pk", "previous_hash", "row_hash")
    )


def expected_hash(previous, row):
    # The documented content of a link, written out independently of the code.
    row = AuditLog.objects.get(pk=row.pk)
    payload = json.dumps(
        [
            previous,
            row.pk,
            row.event_type,
            row.actor_id,
            row.target_type,
            row.target_id,
            row.extra_data,
            row.created_at.isoformat(),
        ],
        sort_keys=True,
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


class TestSeal:
    def test_rows_are_chained_in_id_order_from_the_genesis(self, officer):
        rows = write(3, actor=officer)
        assert seal() == 3
        links = chain()
        assert [link[1] for link in links] == [
            GENESIS,
            links[0][2],
            links[1][2],
        ]
        previous = GENESIS
        for row, (_pk, _prev, row_hash) in zip(rows, links, strict=True):
            assert row_hash == expected_hash(previous, row)
            previous = row_hash
        assert audit_verify() == (True, 3, "")

    def test_later_rows_continue_the_chain_and_a_rerun_seals_nothing(self):
        write(2)
        seal()
        (later,) = write(1, when=SEALED + timedelta(minutes=5))
        assert seal(SEALED + timedelta(minutes=6)) == 1
        assert seal(SEALED + timedelta(minutes=7)) == 0
        later.refresh_from_db()
        assert later.previous_hash == chain()[1][2]
        assert audit_verify() == (True, 3, "")

    def test_rows_younger_than_the_margin_wait_for_the_next_run(self):
        # A transaction still committing must not slip in behind a sealed row.
        write(1, when=SEALED - timedelta(seconds=3))
        assert seal(older_than_seconds=5) == 0
        assert seal(SEALED + timedelta(seconds=3), older_than_seconds=5) == 1

    def test_the_batch_limits_one_run_and_the_next_run_goes_on(self):
        write(5)
        assert seal(batch=2) == 2
        assert seal(batch=2) == 2
        assert seal(batch=2) == 1
        assert audit_verify() == (True, 5, "")

    def test_a_system_actor_is_kept_by_its_label(self):
        (row,) = write(1, actor=PORTAL)
        assert row.actor is None and row.actor_label == str(PORTAL)


class TestVerify:
    @pytest.mark.parametrize(
        "change",
        [
            {"event_type": "export"},
            {"target_id": "999"},
            {"extra_data": {"action": "refuse", "note": "lần 1 – có dấu"}},
            {"created_at": WRITTEN - timedelta(days=1)},
        ],
        ids=["event", "target", "data", "time"],
    )
    def test_an_edited_row_is_found_with_the_reason(self, change):
        rows = write(3)
        seal()
        AuditLog.objects.filter(pk=rows[1].pk).update(**change)
        assert audit_verify() == (
            False,
            1,
            f"row {rows[1].pk}: content does not match its hash (the row was edited)",
        )

    def test_an_edited_actor_is_found(self, officer, django_user_model):
        other = django_user_model.objects.create_user(username="khac")
        rows = write(2, actor=officer)
        seal()
        AuditLog.objects.filter(pk=rows[0].pk).update(actor=other)
        intact, checked, reason = audit_verify()
        assert (intact, checked) == (False, 0)
        assert reason.startswith(f"row {rows[0].pk}: content does not match")

    def test_a_deleted_row_is_found_at_the_next_one(self):
        rows = write(4)
        seal()
        AuditLog.objects.filter(pk=rows[1].pk).delete()
        assert audit_verify() == (
            False,
            1,
            f"row {rows[2].pk}: previous hash does not match (a row was removed)",
        )

    def test_a_deleted_first_row_is_found(self):
        rows = write(2)
        seal()
        AuditLog.objects.filter(pk=rows[0].pk).delete()
        assert audit_verify() == (
            False,
            0,
            f"row {rows[1].pk}: previous hash does not match (a row was removed)",
        )

    def test_an_edited_row_given_a_fresh_hash_breaks_the_next_link(self):
        rows = write(3)
        seal()
        edited = AuditLog.objects.get(pk=rows[1].pk)
        edited.extra_data = {"action": "refuse"}
        edited.save()
        previous = AuditLog.objects.get(pk=rows[0].pk).row_hash
        AuditLog.objects.filter(pk=edited.pk).update(
            row_hash=expected_hash(previous, edited)
        )
        assert audit_verify() == (
            False,
            2,
            f"row {rows[2].pk}: previous hash does not match (a row was removed)",
        )

    def test_unsealed_rows_are_not_checked_yet(self):
        write(2)
        seal()
        write(1, when=timezone.now())
        assert audit_verify() == (True, 2, "")


class TestAccessLog:
    def test_a_read_of_personal_data_is_written(self):
        from motcua.testing.province import build_small_province

        p = build_small_province()
        officer = p.users["police_a"]
        dossier = type("D", (), {"pk": 42, "code": "000.00.01.H99-260302-0001"})()
        with time_machine.travel(WRITTEN, tick=False):
            log = access_record(
                actor=officer,
                subject_id_number="001099012345",
                what="Tệp: Tờ khai " + "x" * 300,
                purpose=AccessPurpose.DOWNLOAD,
                dossier=dossier,
                agency=p.police_a,
                ip_address="10.0.0.7",
            )
        stored = DataAccessLog.objects.get()
        assert stored == log
        assert (
            stored.actor,
            stored.agency,
            stored.subject_id_number,
            stored.dossier_id,
            stored.dossier_code,
            stored.purpose,
            stored.accessed_at,
            stored.ip_address,
        ) == (
            officer,
            p.police_a,
            "001099012345",
            42,
            "000.00.01.H99-260302-0001",
            "download",
            WRITTEN,
            "10.0.0.7",
        )
        assert len(stored.what) == 255 and stored.what.startswith("Tệp: Tờ khai")

    def test_defaults_without_a_dossier_or_a_person(self):
        log = access_record(
            actor=PORTAL, subject_id_number="", what="Tra cứu CSDL dân cư"
        )
        assert (log.actor, log.dossier_id, log.dossier_code, log.purpose) == (
            None,
            None,
            "",
            AccessPurpose.PROCESSING,
        )
