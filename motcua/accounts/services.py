"""
Writes about staff accounts: login attempts with their rate limit, and API
tokens (created, checked, revoked).
"""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.audit.models import AuditEvent
from motcua.audit.services import audit_record
from motcua.core.exceptions import DomainError, ValidationFailed

from .models import ApiToken, LoginAttempt, User

# Raw tokens start with this, so that a leaked one is recognisable (secret
# scanners, logs) and a stray string is rejected before any database query.
TOKEN_PREFIX = "mc_"  # noqa: S105 (a public marker, not a secret)
# A token used within this many seconds is not written again: one request in a
# burst records the use, the others only read.
TOKEN_TOUCH_SECONDS = 60


class LoginFailed(DomainError):
    code = "invalid_login"
    status = 401
    default_message = _("Tên đăng nhập hoặc mật khẩu không đúng.")


class LoginLocked(DomainError):
    code = "login_locked"
    status = 429

    def __init__(self, until: datetime) -> None:
        minutes = max(1, -(-int((until - timezone.now()).total_seconds()) // 60))
        super().__init__(
            _(
                "Đăng nhập tạm thời bị khóa vì nhập sai quá nhiều lần. "
                "Vui lòng thử lại sau %(minutes)s phút hoặc liên hệ quản trị viên."
            )
            % {"minutes": minutes},
            extra={"until": until.isoformat(), "minutes": minutes},
        )
        self.until = until


def _username_key(username: str) -> str:
    # Case-folded so that "Admin" and "admin" share one counter: the limit
    # must not be sidestepped by changing case.
    return username.strip().casefold()[:150]


def _lock_end(
    failures: list[datetime], limit: int, window: timedelta
) -> datetime | None:
    # ``failures`` are the most recent first; the lock holds until the
    # ``limit``-th most recent leaves the window.
    if len(failures) < limit:
        return None
    return failures[limit - 1] + window


def login_locked_until(
    *, username: str, ip_address: str | None, now: datetime | None = None
) -> datetime | None:
    """
    Return until when logins for ``username`` or from ``ip_address`` are
    refused, or None if they are allowed.

    Refused once ``MOTCUA_LOGIN_MAX_ATTEMPTS`` attempts failed within the last
    ``MOTCUA_LOGIN_LOCK_MINUTES``: for the username since its last success, for
    the address whatever succeeded from it (a valid account must not reset
    the count of guesses against the others). A limit of 0 turns the check off.
    """
    limit = settings.MOTCUA_LOGIN_MAX_ATTEMPTS
    if limit <= 0:
        return None
    now = now or timezone.now()
    window = timedelta(minutes=settings.MOTCUA_LOGIN_LOCK_MINUTES)
    since = now - window
    key = _username_key(username)

    last_success = LoginAttempt.objects.filter(
        username=key, succeeded=True, attempted_at__gt=since
    ).aggregate(at=Max("attempted_at"))["at"]
    by_user = LoginAttempt.objects.filter(
        username=key, succeeded=False, attempted_at__gt=last_success or since
    )
    ends = [
        _lock_end(
            list(
                by_user.order_by("-attempted_at").values_list(
                    "attempted_at", flat=True
                )[:limit]
            ),
            limit,
            window,
        )
    ]
    if ip_address:
        by_address = LoginAttempt.objects.filter(
            ip_address=ip_address, succeeded=False, attempted_at__gt=since
        )
        ends.append(
            _lock_end(
                list(
                    by_address.order_by("-attempted_at").values_list(
                        "attempted_at", flat=True
                    )[:limit]
                ),
                limit,
                window,
            )
        )
    locked = [end for end in ends if end is not None and end > now]
    return max(locked) if locked else None


def login_check_allowed(*, username: str, ip_address: str | None) -> bool:
    """Return whether a login for ``username`` from ``ip_address`` may be tried."""
    return login_locked_until(username=username, ip_address=ip_address) is None


@transaction.atomic
def login_record(
    *,
    username: str,
    ip_address: str | None,
    user: User | None,
    refused: bool = False,
) -> None:
    """
    Record a login attempt: a ``LoginAttempt`` row and an audit row
    (``login`` when ``user`` is given, else ``login_failed``).

    An attempt ``refused`` by the rate limit is audited but not counted, so
    that the lock ends ``MOTCUA_LOGIN_LOCK_MINUTES`` after the last real
    failure instead of being held by the refusals themselves.
    """
    if not refused:
        LoginAttempt.objects.create(
            username=_username_key(username),
            ip_address=ip_address,
            succeeded=user is not None,
        )
    if user is not None:
        audit_record(
            event_type=AuditEvent.LOGIN, actor=user, target=user, ip_address=ip_address
        )
    else:
        audit_record(
            event_type=AuditEvent.LOGIN_FAILED,
            extra={
                "username": username[:150],
                "reason": "locked" if refused else "bad_credentials",
            },
            ip_address=ip_address,
        )


def login_authenticate(*, username: str, password: str, ip_address: str | None) -> User:
    """
    Return the user whose credentials these are, recording the attempt.

    Raise LoginLocked, without checking the password, while the username or
    the address is locked; raise LoginFailed if the credentials are wrong or
    the account is inactive.
    """
    # Two concurrent guesses may both pass this check; the limit is a brake on
    # guessing, and one extra attempt in a race does not defeat it.
    until = login_locked_until(username=username, ip_address=ip_address)
    if until is not None:
        login_record(username=username, ip_address=ip_address, user=None, refused=True)
        raise LoginLocked(until)
    user = authenticate(None, username=username, password=password)
    login_record(username=username, ip_address=ip_address, user=user)
    if user is None:
        raise LoginFailed
    return user


# --- API tokens -------------------------------------------------------------


@transaction.atomic
def api_token_create(
    user: User,
    name: str = "api",
    *,
    is_portal: bool = False,
    expires_at: datetime | None = None,
    created_by: User | None = None,
) -> tuple[ApiToken, str]:
    """
    Create an API token for ``user``; return it with the raw token.

    The raw token is returned once and never stored: the database keeps its
    SHA-256 and its first characters, to recognise it in lists.
    """
    name = name.strip()
    if not name or len(name) > ApiToken._meta.get_field("name").max_length:
        raise ValidationFailed(_("Tên khóa API phải có từ 1 đến 64 ký tự."))
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationFailed(_("Thời điểm hết hạn phải ở tương lai."))
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=raw[: ApiToken._meta.get_field("prefix").max_length],
        key_hash=ApiToken.hash(raw),
        is_portal=is_portal,
        expires_at=expires_at,
    )
    audit_record(
        event_type=AuditEvent.TOKEN_CREATE,
        actor=created_by,
        target=token,
        extra={
            "user": user.username,
            "name": name,
            "is_portal": is_portal,
            "expires_at": expires_at.isoformat() if expires_at else None,
        },
    )
    return token, raw


def api_token_lookup(raw: str | None) -> ApiToken | None:
    """
    Return the usable token whose raw value is ``raw``, with its user, or None
    if it is unknown, revoked, expired or belongs to an inactive user.

    Record the use in ``last_used_at``, at most once a minute.
    """
    # Real tokens are 46 characters; refuse junk before hashing or querying.
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 128:
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash(raw), revoked_at__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    stale = now - timedelta(seconds=TOKEN_TOUCH_SECONDS)
    if token.last_used_at is None or token.last_used_at < stale:
        # A conditional update: concurrent requests write the row once.
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=stale)
        ).update(last_used_at=now)
        token.last_used_at = now
    return token


def api_token_authenticate(raw: str | None) -> User | None:
    """Return the user of the usable token ``raw``, or None (see api_token_lookup)."""
    token = api_token_lookup(raw)
    return token.user if token is not None else None


@transaction.atomic
def api_token_revoke(token: ApiToken, *, revoked_by: User | None = None) -> ApiToken:
    """Revoke ``token`` for good; revoking it again changes nothing."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at", "updated_at"])
    # The audit vocabulary has no revocation event yet; SETTINGS with the
    # action named keeps the row findable until it does.
    audit_record(
        event_type=AuditEvent.SETTINGS,
        actor=revoked_by,
        target=token,
        extra={"action": "token_revoke", "user_id": token.user_id, "name": token.name},
    )
    return token
