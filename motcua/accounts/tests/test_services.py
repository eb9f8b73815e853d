from datetime import timedelta

from django.utils import timezone

import pytest

from motcua.accounts.models import ApiToken, LoginAttempt
from motcua.accounts.services import (
    LoginFailed,
    LoginLocked,
    api_token_authenticate,
    api_token_create,
    api_token_lookup,
    api_token_revoke,
    login_authenticate,
    login_check_allowed,
    login_locked_until,
)
from motcua.audit.models import AuditEvent, AuditLog
from motcua.core.exceptions import ValidationFailed

from .factories import DEMO_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

IP = "203.0.113.7"


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.MOTCUA_LOGIN_MAX_ATTEMPTS = 3
    settings.MOTCUA_LOGIN_LOCK_MINUTES = 15


def fail(username, ip=IP, times=1):
    for _ in range(times):
        with pytest.raises(LoginFailed):
            login_authenticate(username=username, password="sai", ip_address=ip)


# --- login ------------------------------------------------------------------


def test_login_authenticate_returns_the_user_and_audits_it():
    user = UserFactory()

    assert (
        login_authenticate(
            username=user.username, password=DEMO_PASSWORD, ip_address=IP
        )
        == user
    )

    attempt = LoginAttempt.objects.get()
    assert (attempt.username, attempt.ip_address, attempt.succeeded) == (
        user.username,
        IP,
        True,
    )
    row = AuditLog.objects.get()
    assert (row.event_type, row.actor, row.ip_address) == (AuditEvent.LOGIN, user, IP)


def test_wrong_password_is_counted_and_audited_as_failed():
    user = UserFactory()

    fail(user.username)

    assert LoginAttempt.objects.get().succeeded is False
    row = AuditLog.objects.get()
    assert row.event_type == AuditEvent.LOGIN_FAILED
    assert row.actor is None
    assert row.extra_data == {"username": user.username, "reason": "bad_credentials"}


def test_inactive_user_cannot_log_in():
    user = UserFactory(is_active=False)

    with pytest.raises(LoginFailed):
        login_authenticate(
            username=user.username, password=DEMO_PASSWORD, ip_address=IP
        )


def test_username_is_locked_after_the_limit_even_with_the_right_password(
    monkeypatch,
):
    user = UserFactory()
    fail(user.username, times=3)

    checked = []
    monkeypatch.setattr(
        "motcua.accounts.services.authenticate",
        lambda *a, **kw: checked.append(kw) or user,
    )
    with pytest.raises(LoginLocked) as excinfo:
        login_authenticate(
            username=user.username, password=DEMO_PASSWORD, ip_address="198.51.100.1"
        )

    assert checked == [], "the password must not even be checked while locked"
    assert "15 phút" in str(excinfo.value.message)
    assert excinfo.value.status == 429
    # The refusal is audited but does not extend the lock.
    assert LoginAttempt.objects.count() == 3
    last = AuditLog.objects.order_by("-pk").first()
    assert last.extra_data["reason"] == "locked"


def test_the_username_counter_ignores_case():
    UserFactory(username="canbo")
    fail("CanBo", times=2)
    fail("canbo ", ip="198.51.100.1")

    assert not login_check_allowed(username="canbo", ip_address=None)


def test_address_is_locked_after_the_limit_across_usernames():
    user = UserFactory()
    fail("a", times=1)
    fail("b", times=1)
    fail("c", times=1)

    assert not login_check_allowed(username=user.username, ip_address=IP)
    assert login_check_allowed(username=user.username, ip_address="198.51.100.1")


def test_the_lock_ends_when_the_oldest_counted_failure_leaves_the_window(
    time_machine,
):
    time_machine.move_to("2026-03-02 09:00 +07:00", tick=False)
    user = UserFactory()
    fail(user.username, times=1)
    time_machine.shift(timedelta(minutes=5))
    fail(user.username, times=2)

    until = login_locked_until(username=user.username, ip_address=IP)
    assert until == timezone.now() - timedelta(minutes=5) + timedelta(minutes=15)

    time_machine.shift(timedelta(minutes=10) - timedelta(seconds=1))
    assert not login_check_allowed(username=user.username, ip_address=IP)
    time_machine.shift(timedelta(seconds=2))
    assert login_check_allowed(username=user.username, ip_address=IP)


def test_a_success_resets_the_username_counter_but_not_the_address_one():
    user = UserFactory()
    fail(user.username, times=2)
    login_authenticate(username=user.username, password=DEMO_PASSWORD, ip_address=IP)
    fail(user.username, ip="198.51.100.1", times=2)

    assert login_check_allowed(username=user.username, ip_address="198.51.100.9")
    fail("other", times=1)
    assert not login_check_allowed(username="someone", ip_address=IP)


def test_a_limit_of_zero_turns_the_check_off(settings):
    settings.MOTCUA_LOGIN_MAX_ATTEMPTS = 0
    fail("x", times=4)

    assert login_check_allowed(username="x", ip_address=IP)


# --- API tokens -------------------------------------------------------------


def test_api_token_create_stores_only_the_hash_and_audits():
    user = UserFactory()
    admin = UserFactory()

    token, raw = api_token_create(user, "portal", is_portal=True, created_by=admin)

    assert raw.startswith("mc_")
    assert len(raw) > 40
    token.refresh_from_db()
    assert token.key_hash == ApiToken.hash(raw)
    assert raw not in {token.key_hash, token.prefix, token.name}
    assert raw.startswith(token.prefix)
    assert token.is_portal
    row = AuditLog.objects.get()
    assert row.event_type == AuditEvent.TOKEN_CREATE
    assert row.actor == admin
    assert row.target_id == str(token.pk)
    assert raw not in str(row.extra_data)


def test_api_token_create_refuses_a_past_expiry_or_empty_name():
    user = UserFactory()

    with pytest.raises(ValidationFailed):
        api_token_create(user, "x", expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ValidationFailed):
        api_token_create(user, "  ")
    assert not ApiToken.objects.exists()


def test_api_token_authenticate_returns_the_user_of_a_good_token():
    user = UserFactory()
    _, raw = api_token_create(user, "api")

    assert api_token_authenticate(raw) == user


@pytest.mark.parametrize(
    "raw", [None, "", "mc_unknown", "not-a-token", "mc_" + "x" * 500]
)
def test_api_token_authenticate_rejects_unknown_tokens(raw):
    UserFactory()

    assert api_token_authenticate(raw) is None


def test_api_token_authenticate_rejects_revoked_expired_and_inactive(time_machine):
    time_machine.move_to("2026-03-02 09:00 +07:00", tick=False)
    user = UserFactory()
    revoked, raw_revoked = api_token_create(user, "revoked")
    api_token_revoke(revoked)
    _, raw_expiring = api_token_create(
        user, "expiring", expires_at=timezone.now() + timedelta(hours=1)
    )
    inactive = UserFactory(is_active=False)
    _, raw_inactive = api_token_create(inactive, "inactive")

    assert api_token_authenticate(raw_revoked) is None
    assert api_token_authenticate(raw_inactive) is None
    assert api_token_authenticate(raw_expiring) == user
    time_machine.shift(timedelta(hours=1))
    assert api_token_authenticate(raw_expiring) is None


def test_last_used_at_is_written_at_most_once_a_minute(time_machine):
    time_machine.move_to("2026-03-02 09:00 +07:00", tick=False)
    token, raw = api_token_create(UserFactory(), "api")
    start = timezone.now()

    api_token_lookup(raw)
    time_machine.shift(timedelta(seconds=59))
    api_token_lookup(raw)
    token.refresh_from_db()
    assert token.last_used_at == start

    time_machine.shift(timedelta(seconds=2))
    api_token_lookup(raw)
    token.refresh_from_db()
    assert token.last_used_at == timezone.now()


def test_a_recently_used_token_is_checked_without_a_write(django_assert_num_queries):
    _, raw = api_token_create(UserFactory(), "api")
    api_token_lookup(raw)

    with django_assert_num_queries(1):
        assert api_token_lookup(raw) is not None


def test_api_token_revoke_is_idempotent_and_audited():
    token, _ = api_token_create(UserFactory(), "api")

    api_token_revoke(token)
    first = ApiToken.objects.get().revoked_at
    api_token_revoke(token)

    assert ApiToken.objects.get().revoked_at == first is not None
    revocations = AuditLog.objects.filter(extra_data__action="token_revoke")
    assert revocations.count() == 1
