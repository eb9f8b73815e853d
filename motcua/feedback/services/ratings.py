"""Citizen ratings: ``rating_submit``, the one way a rating is written."""

import re
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core.exceptions import Conflict, RuleViolation, ValidationFailed
from motcua.dossiers.constants import DossierStatus
from motcua.dossiers.models import Dossier
from motcua.feedback import scoring
from motcua.feedback.constants import (
    CRITERION_ALIASES,
    OPTIONAL_CRITERIA,
    REQUIRED_CRITERIA,
    Criterion,
    Level,
    RatingChannel,
)
from motcua.feedback.models import Rating, RatingAgency, RatingAnswer, RatingOfficer

# Only a dossier with a result may be rated (Decree 118 Art.33(1)(a) asks
# how the result came compared with the promised time).
RATEABLE_STATUSES = frozenset({DossierStatus.RESOLVED, DossierStatus.RETURNED})
COMMENT_MAX_LENGTH = 1000
_CLIENT_TOKEN = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def clean_answers(answers: Any) -> dict[str, int]:
    """
    Return ``answers`` as {criterion code: level 1–5}, or raise
    ValidationFailed with one message per faulty criterion (Vietnamese) in
    ``extra["fields"]``. Pure: no database access.

    Criteria (a)–(e) must be answered; (g), (h) and (i) may be left out when
    they do not apply (no complaint made, no online service used).
    """
    if not isinstance(answers, dict):
        raise ValidationFailed(
            _("Phiếu đánh giá chưa hợp lệ."),
            code="rating_answers_invalid",
            extra={"fields": {"answers": str(_("Không đọc được câu trả lời."))}},
        )
    errors: dict[str, str] = {}
    cleaned: dict[str, int] = {}
    for raw_key, raw_value in answers.items():
        key = CRITERION_ALIASES.get(str(raw_key), str(raw_key).strip().lower())
        if key not in Criterion.values:
            errors[str(raw_key)] = str(_("Không có tiêu chí này."))
            continue
        if raw_value in (None, "") and key in OPTIONAL_CRITERIA:
            continue
        level = _level(raw_value)
        if level is None:
            errors[key] = str(
                _("Hãy chọn một mức từ 1 (rất không hài lòng) đến 5 (rất hài lòng).")
            )
        else:
            cleaned[key] = level
    for criterion in REQUIRED_CRITERIA:
        if criterion.value not in cleaned and criterion.value not in errors:
            errors[criterion.value] = str(_("Hãy đánh giá tiêu chí này."))
    if errors:
        raise ValidationFailed(
            _("Phiếu đánh giá chưa hợp lệ."),
            code="rating_answers_invalid",
            extra={"fields": errors},
        )
    return cleaned


def _level(value: Any) -> int | None:
    # bool is an int in Python; a checkbox's True is not a level.
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, int) and value in Level.values:
        return value
    return None


def _clean_comment(comment: Any) -> str:
    text = str(comment or "").strip()
    if len(text) > COMMENT_MAX_LENGTH:
        raise ValidationFailed(
            _("Ý kiến khác dài quá %(max)s ký tự.") % {"max": COMMENT_MAX_LENGTH},
            code="rating_comment_too_long",
            extra={"field": "comment", "max": COMMENT_MAX_LENGTH},
        )
    return text


def handlers_of(dossier: Dossier) -> tuple[list[int], list[tuple[int, int]]]:
    """
    Return (agency ids, [(officer id, agency id)]) of everyone who handled
    ``dossier``: the receiving centre and its receiving officer, the
    competent agency, every step's unit and officers, the agencies consulted
    and who answered, and whoever handed the result over.
    """
    agencies: dict[int, None] = {
        dossier.receiving_centre_id: None,
        dossier.competent_agency_id: None,
    }
    officers: dict[int, int] = {}
    if dossier.received_by_id:
        officers[dossier.received_by_id] = dossier.receiving_centre_id
    for agency_id, assignee_id, completed_by_id in dossier.steps.exclude(
        status="skipped"
    ).values_list("agency_id", "assignee_id", "completed_by_id"):
        agencies.setdefault(agency_id)
        for officer_id in (assignee_id, completed_by_id):
            if officer_id:
                officers.setdefault(officer_id, agency_id)
    for agency_id, officer_id in dossier.consultations.values_list(
        "to_agency_id", "answered_by_id"
    ):
        agencies.setdefault(agency_id)
        if officer_id:
            officers.setdefault(officer_id, agency_id)
    for agency_id, giver_id in dossier.handovers.filter(kind="return").values_list(
        "from_agency_id", "giver_id"
    ):
        if giver_id:
            officers.setdefault(giver_id, agency_id)
    return list(agencies), list(officers.items())


@transaction.atomic
def rating_submit(
    dossier: Dossier,
    answers: dict,
    channel: str,
    *,
    client_token: str | None = None,
    comment: str = "",
) -> Rating:
    """
    Record a citizen's rating of ``dossier`` on the nine criteria of Decree
    118/2025 Art.33(1), given on ``channel`` (a ``RatingChannel``), and
    return it.

    ``answers`` maps criterion codes ("a", "b", "c", "d", "dd" or "đ", "e",
    "g", "h", "i") to levels 1–5. The caller authenticates the citizen first
    (``motcua.feedback.access``). A retry with the same ``client_token``
    returns the rating already recorded and changes nothing, so a double tap
    on a kiosk never counts twice. Raise a DomainError with a stable code
    and a Vietnamese message, writing nothing, when the rating is refused:
    ``rating_channel_invalid``, ``client_token_invalid``,
    ``client_token_reused``, ``dossier_not_finished``,
    ``rating_answers_invalid``, ``rating_comment_too_long``,
    ``rating_already_submitted``.
    """
    if channel not in RatingChannel.values:
        raise ValidationFailed(
            _("Kênh đánh giá không hợp lệ."),
            code="rating_channel_invalid",
            extra={"channels": list(RatingChannel.values)},
        )
    if client_token is not None:
        client_token = str(client_token).strip()
        if not _CLIENT_TOKEN.match(client_token):
            raise ValidationFailed(
                _("Mã phiên của thiết bị không hợp lệ."), code="client_token_invalid"
            )
    # Lock the dossier: two ratings arriving together agree on which counts,
    # and a retry waiting behind the first request then finds its rating.
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if client_token is not None:
        replay = Rating.objects.filter(client_token=client_token).first()
        if replay is not None:
            if replay.dossier_id != dossier.pk:
                raise Conflict(
                    _("Mã phiên này đã dùng cho một hồ sơ khác."),
                    code="client_token_reused",
                )
            return replay
    if dossier.status not in RATEABLE_STATUSES:
        raise RuleViolation(
            _("Chỉ đánh giá được hồ sơ đã có kết quả giải quyết."),
            code="dossier_not_finished",
            extra={"status": dossier.status},
        )
    levels = clean_answers(answers)
    text = _clean_comment(comment)
    if Rating.objects.filter(dossier=dossier, channel=channel).exists():
        raise Conflict(
            _("Hồ sơ này đã được đánh giá qua kênh này. Xin cảm ơn Ông/Bà."),
            code="rating_already_submitted",
        )
    mean = scoring.mean_level(levels.values())
    now: datetime = timezone.now()
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                dossier=dossier,
                channel=channel,
                client_token=client_token,
                submitted_at=now,
                comment=text,
                mean_level=mean,
                satisfied=scoring.is_satisfied(mean),
                dissatisfied=scoring.is_dissatisfied(mean),
                counts=not Rating.objects.filter(dossier=dossier, counts=True).exists(),
            )
    except IntegrityError:
        # A concurrent request with the same token won the race.
        if client_token:
            won = Rating.objects.filter(
                client_token=client_token, dossier=dossier
            ).first()
            if won is not None:
                return won
        raise Conflict(
            _("Hồ sơ này đã được đánh giá qua kênh này. Xin cảm ơn Ông/Bà."),
            code="rating_already_submitted",
        ) from None
    RatingAnswer.objects.bulk_create(
        RatingAnswer(
            rating=rating,
            criterion=criterion,
            level=level,
            points=scoring.tt01_points(level),
        )
        for criterion, level in sorted(levels.items())
    )
    agency_ids, officers = handlers_of(dossier)
    RatingAgency.objects.bulk_create(
        RatingAgency(rating=rating, agency_id=agency_id) for agency_id in agency_ids
    )
    RatingOfficer.objects.bulk_create(
        RatingOfficer(rating=rating, officer_id=officer_id, agency_id=agency_id)
        for officer_id, agency_id in officers
    )
    return rating
