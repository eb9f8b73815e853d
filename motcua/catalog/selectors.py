"""Reads of the catalog: search, versions in force, fees per channel."""

from django.db.models import Case, Exists, IntegerField, OuterRef, QuerySet, Value, When
from django.db.models.functions import Concat, Length

from motcua.core.text import fold

from .constants import VersionStatus
from .models import FeeItem, Procedure, ProcedureVersion


def procedure_search(
    query: str, *, published_only: bool = True, limit: int | None = 50
) -> QuerySet[Procedure]:
    """
    Return the procedures matching ``query``, best first.

    Both sides are folded (no diacritics, lower case), so "dang ky khai sinh"
    finds "Đăng ký khai sinh"; every word must occur in the code or the name.
    Order: the exact code, the exact name, names starting with the phrase,
    names holding the phrase, then the other matches; within each, shorter
    names first (closer to what was typed), then by code. ``published_only`` keeps procedures with a version in force.

    The search key is a folded column compared with ``contains`` on both
    SQLite and PostgreSQL, so diacritics and case behave the same on both.
    """
    folded = fold(query)
    words = folded.split()
    queryset = Procedure.objects.select_related("sector")
    if not words:
        return queryset.none()
    for word in words:
        queryset = queryset.filter(search_name__contains=word)
    if published_only:
        queryset = queryset.filter(
            Exists(
                ProcedureVersion.objects.filter(
                    procedure=OuterRef("pk"), status=VersionStatus.PUBLISHED
                )
            )
        )
    phrase_start = Concat("code", Value(f" {folded}"))
    # Many names open with "Thủ tục …": "đăng ký khai sinh" starts those too.
    phrase_after_prefix = Concat("code", Value(f" thu tuc {folded}"))
    queryset = queryset.annotate(
        rank=Case(
            When(code=query.strip(), then=Value(0)),
            When(search_name=phrase_start, then=Value(1)),
            When(search_name=phrase_after_prefix, then=Value(1)),
            When(search_name__startswith=phrase_start, then=Value(2)),
            When(search_name__startswith=phrase_after_prefix, then=Value(2)),
            When(search_name__contains=f" {folded}", then=Value(3)),
            default=Value(4),
            output_field=IntegerField(),
        ),
        name_length=Length("name"),
    ).order_by("rank", "name_length", "code")
    return queryset[:limit] if limit else queryset


def procedure_version_in_force(procedure: Procedure) -> ProcedureVersion | None:
    """Return the published version of ``procedure``, or None."""
    return procedure.versions.filter(status=VersionStatus.PUBLISHED).first()


def _fee_key(item: FeeItem) -> str:
    return item.code or fold(item.name)


def fees_for(version: ProcedureVersion, channel: str) -> list[FeeItem]:
    """
    Return the fee items due when ``version`` is filed through ``channel``.

    Items with no channel apply to every channel; an item for ``channel``
    replaces the general items with the same code (or, without a code, the
    same name). Several items that remain for one name are alternatives
    (cases described in their note); the payment step picks among them.
    """
    items = list(version.fees.all())
    specific = [item for item in items if item.channel == channel]
    overridden = {_fee_key(item) for item in specific}
    general = [
        item
        for item in items
        if item.channel == "" and _fee_key(item) not in overridden
    ]
    return sorted(general + specific, key=lambda item: (item.name, item.pk or 0))
