"""
Who may do what in the feedback app.

Ratings: how a citizen proves a dossier is theirs before rating it.

The kiosk and the lookup page ask for the dossier code and the lookup secret
printed on Mẫu 01 (``access_dossier_for_rating``). The result notification
carries a signed link instead (``rating_link``), so that the secret itself
never travels in an e-mail or SMS; the link stops working when the secret
changes or after ``MOTCUA_RATING_LINK_DAYS``.

PAKN: the sender follows and completes their PAKN with its code and secret;
staff see and handle PAKN according to their units and roles.
"""

import hashlib
import hmac
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from motcua.accounts.constants import Role
from motcua.core.exceptions import NotFound
from motcua.dossiers.access import _roles_by_unit, access_dossier_for_citizen
from motcua.dossiers.models import Dossier
from motcua.dossiers.querysets import staff_scope

from .constants import FeedbackAction
from .models import Feedback

_SALT = "motcua.feedback.rating-link"


def access_dossier_for_rating(*, code: str, secret: str) -> Dossier:
    """
    Return the dossier with ``code`` if ``secret`` matches its lookup secret,
    else raise NotFound (the same error for a wrong code and a wrong secret).
    """
    return access_dossier_for_citizen(code=code, secret=secret)


def _secret_digest(dossier: Dossier) -> str:
    return hashlib.sha256(dossier.lookup_secret.encode()).hexdigest()[:16]


def rating_token(dossier: Dossier) -> str:
    """Return a signed token that lets its holder rate ``dossier``."""
    return signing.dumps({"d": dossier.pk, "s": _secret_digest(dossier)}, salt=_SALT)


def rating_link(dossier: Dossier) -> str:
    """
    Return the path of the rating page for ``dossier`` with a signed token,
    for the result notification (e.g. ``/rate/?code=…&t=…``).
    """
    query = urlencode({"code": dossier.code or "", "t": rating_token(dossier)})
    return f"{reverse('public:rate')}?{query}"


def access_dossier_by_rating_token(token: str) -> Dossier:
    """
    Return the dossier a ``rating_link`` token was made for, or raise
    NotFound when the token is forged, expired, or the secret changed.
    """
    error = NotFound(
        _("Đường dẫn đánh giá không hợp lệ hoặc đã hết hạn."),
        code="rating_link_invalid",
    )
    try:
        data = signing.loads(
            token or "",
            salt=_SALT,
            max_age=settings.MOTCUA_RATING_LINK_DAYS * 24 * 3600,
        )
    except signing.BadSignature:
        raise error from None
    dossier = Dossier.objects.filter(pk=data.get("d")).first()
    if dossier is None or not hmac.compare_digest(
        _secret_digest(dossier), str(data.get("s", ""))
    ):
        raise error
    return dossier


# --- PAKN (citizens' reports and recommendations) ---------------------------


@dataclass(frozen=True, slots=True)
class SenderActor:
    """The citizen who sent a PAKN, authenticated by its code and secret."""

    label: str = "Người gửi phản ánh, kiến nghị"

    @property
    def pk(self) -> None:
        return None

    def __str__(self) -> str:
        return self.label


SENDER = SenderActor()

_TRIAGE_ROLES = frozenset({Role.SUPERVISOR, Role.CENTRE_HEAD, Role.CENTRE_DEPUTY})
_HANDLING_ROLES = (
    frozenset({Role.PROCESSING, Role.DIVISION_HEAD, Role.AGENCY_LEADER}) | _TRIAGE_ROLES
)
_AGENCY_LEADERS = frozenset({Role.DIVISION_HEAD, Role.AGENCY_LEADER}) | _TRIAGE_ROLES


def _roles(user) -> set[str]:
    return {role for roles in _roles_by_unit(user).values() for role in roles}


def may_triage_feedback(user) -> bool:
    """
    Return True if ``user`` classifies and assigns new PAKN: the province's
    supervisors and the heads of one-stop centres.
    """
    if getattr(user, "is_superuser", False):
        return True
    return bool(_roles(user) & _TRIAGE_ROLES)


def feedback_visible_to(user) -> QuerySet[Feedback]:
    """
    Return the PAKN ``user`` may see: all for the province's supervisors;
    for triage roles also the ones not yet assigned; otherwise those
    assigned to one of the user's units.
    """
    province_wide, units = staff_scope(user)
    if province_wide:
        return Feedback.objects.all()
    if not units:
        return Feedback.objects.none()
    condition = Q(agency_id__in=units)
    if may_triage_feedback(user):
        condition |= Q(agency__isnull=True)
    return Feedback.objects.filter(condition)


def may_act_on_feedback(user, feedback: Feedback, action: FeedbackAction) -> bool:
    """
    Return True if ``user`` may apply ``action`` to ``feedback``.

    Triage roles assign, refuse and publish; the assigned agency's officers
    ask for information, answer or refuse; its leaders also reassign within
    it and publish. Citizens' actions are the sender's only.
    """
    if isinstance(user, SenderActor):
        return action in (FeedbackAction.SUPPLY_INFO, FeedbackAction.RATE_ANSWER)
    if action in (FeedbackAction.SUPPLY_INFO, FeedbackAction.RATE_ANSWER):
        return False
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if not feedback_visible_to(user).filter(pk=feedback.pk).exists():
        return False
    unit_roles = _roles_by_unit(user)
    in_agency = (
        unit_roles.get(feedback.agency_id, set()) if feedback.agency_id else set()
    )
    triage = may_triage_feedback(user)
    if action == FeedbackAction.ASSIGN:
        return triage or bool(in_agency & _AGENCY_LEADERS)
    if action == FeedbackAction.PUBLISH:
        return triage or bool(in_agency & _AGENCY_LEADERS)
    if action == FeedbackAction.REJECT:
        return triage or bool(in_agency & _HANDLING_ROLES)
    return bool(in_agency & _HANDLING_ROLES) or (
        triage and feedback.agency_id is not None
    )


def access_feedback_for_sender(*, code: str, secret: str) -> Feedback:
    """
    Return the PAKN with ``code`` if ``secret`` matches, else raise NotFound
    (the same error for a wrong code and a wrong secret).
    """
    feedback = Feedback.objects.filter(code=(code or "").strip().upper()).first()
    if feedback is None or not hmac.compare_digest(
        feedback.secret, (secret or "").strip().upper()
    ):
        raise NotFound(
            _("Mã phản ánh hoặc mã bí mật không đúng."), code="feedback_not_found"
        )
    return feedback
