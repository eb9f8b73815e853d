"""
Which event notifies whom, of what, on which channels: data, not code.

``EVENT_RULES`` maps a dossier action to the messages it causes;
``REMINDER_RULES`` maps a reminder threshold of the sweep to its message.
A deployment may replace either table with the settings
``MOTCUA_NOTIFICATION_EVENT_RULES`` / ``MOTCUA_NOTIFICATION_REMINDER_RULES``,
written as ``{"receive": [["received", "applicant", ["email", "sms"]]]}``.

Legal basis of the applicant messages: Decree 118/2025 Art.17(2) (acceptance
or change request, via e-mail or SMS), 19(5)–(6) (supplement; apology and new
date by e-mail, SMS…), 22(5) (early return announced by SMS or e-mail), 33
(satisfaction rating).
"""

from dataclasses import dataclass

from django.conf import settings

from motcua.dossiers.constants import DossierAction as A

from .constants import Audience as Au
from .constants import Channel as Ch
from .constants import NotificationKind as K
from .constants import ReminderKind as R


@dataclass(frozen=True, slots=True)
class Rule:
    kind: K
    audience: Au
    channels: tuple[Ch, ...]


_TO_APPLICANT = (Ch.EMAIL, Ch.SMS)
_TO_STAFF = (Ch.IN_APP, Ch.EMAIL)

EVENT_RULES: dict[A, tuple[Rule, ...]] = {
    A.RECEIVE: (Rule(K.RECEIVED, Au.APPLICANT, _TO_APPLICANT),),
    A.REFUSE: (Rule(K.REFUSED, Au.APPLICANT, _TO_APPLICANT),),
    A.REQUEST_SUPPLEMENT: (Rule(K.SUPPLEMENT_REQUESTED, Au.APPLICANT, _TO_APPLICANT),),
    A.REQUEST_PAYMENT: (Rule(K.PAYMENT_DUE, Au.APPLICANT, _TO_APPLICANT),),
    A.EXTEND: (Rule(K.EXTENDED, Au.APPLICANT, _TO_APPLICANT),),
    A.RESOLVE: (Rule(K.RESULT_READY, Au.APPLICANT, _TO_APPLICANT),),
    A.REJECT: (Rule(K.REJECTED, Au.APPLICANT, _TO_APPLICANT),),
    A.CLOSE_UNSUPPLEMENTED: (Rule(K.STOPPED, Au.APPLICANT, _TO_APPLICANT),),
    A.STOP: (Rule(K.STOPPED, Au.APPLICANT, _TO_APPLICANT),),
    A.RETURN_RESULT: (Rule(K.RATING_INVITATION, Au.APPLICANT, _TO_APPLICANT),),
}

REMINDER_RULES: dict[R, tuple[Rule, ...]] = {
    # Decree 118 Art.17(2): reception staff are told within 2 hours.
    R.ACCEPTANCE_ALERT: (Rule(K.ACCEPTANCE_ALERT, Au.CENTRE_RECEPTION, _TO_STAFF),),
    R.ACCEPTANCE_OVERDUE: (
        Rule(K.ACCEPTANCE_OVERDUE, Au.CENTRE_RECEPTION, _TO_STAFF),
        Rule(K.ACCEPTANCE_OVERDUE, Au.CENTRE_HEAD, _TO_STAFF),
    ),
    # Decree 118 Art.8(1)(d), 9(1): the centre urges agencies near or past due.
    R.DUE_SOON: (
        Rule(K.DUE_SOON, Au.STEP_HOLDER, _TO_STAFF),
        Rule(K.DUE_SOON, Au.CENTRE_HEAD, _TO_STAFF),
    ),
    R.OVERDUE: (
        Rule(K.OVERDUE, Au.STEP_HOLDER, _TO_STAFF),
        Rule(K.OVERDUE, Au.CENTRE_HEAD, _TO_STAFF),
    ),
    # Decree 118 Art.19(6): the agency apologises and sets a new date (Mẫu 04)
    # at least a working day before the due time; the centre approves it.
    R.EXTENSION_SUGGESTED: (
        Rule(K.EXTENSION_SUGGESTED, Au.STEP_HOLDER, _TO_STAFF),
        Rule(K.EXTENSION_SUGGESTED, Au.CENTRE_HEAD, _TO_STAFF),
    ),
}


def _from_setting(raw: dict, key_type) -> dict:
    return {
        key_type(key): tuple(
            Rule(K(kind), Au(audience), tuple(Ch(c) for c in channels))
            for kind, audience, channels in rows
        )
        for key, rows in raw.items()
    }


def event_rules() -> dict[A, tuple[Rule, ...]]:
    """Return the event table in force (the setting, else the default)."""
    raw = getattr(settings, "MOTCUA_NOTIFICATION_EVENT_RULES", None)
    return EVENT_RULES if raw is None else _from_setting(raw, A)


def reminder_rules() -> dict[R, tuple[Rule, ...]]:
    """Return the reminder table in force (the setting, else the default)."""
    raw = getattr(settings, "MOTCUA_NOTIFICATION_REMINDER_RULES", None)
    return REMINDER_RULES if raw is None else _from_setting(raw, R)
