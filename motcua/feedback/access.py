"""
How a citizen proves a dossier is theirs before rating it.

The kiosk and the lookup page ask for the dossier code and the lookup secret
printed on Mẫu 01 (``access_dossier_for_rating``). The result notification
carries a signed link instead (``rating_link``), so that the secret itself
never travels in an e-mail or SMS; the link stops working when the secret
changes or after ``MOTCUA_RATING_LINK_DAYS``.
"""

import hashlib
import hmac
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from motcua.core.exceptions import NotFound
from motcua.dossiers.access import access_dossier_for_citizen
from motcua.dossiers.models import Dossier

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
