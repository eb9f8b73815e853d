"""Schemas and types shared by the routers of the API."""

from datetime import datetime
from typing import Annotated, Any

from django.utils import timezone

from ninja import Field, Schema
from pydantic import (
    AfterValidator,
    ConfigDict,
    PlainSerializer,
    WithJsonSchema,
    field_validator,
)
from pydantic_core import PydanticCustomError

from motcua.core.calendar import LOCAL_TZ

# Largest value of a bigint primary key; larger ids are refused as input
# instead of reaching the database.
MAX_ID = 2**63 - 1
# Pagination: ``limit`` per page, at most MAX_LIMIT.
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_OFFSET = 1_000_000


# Times outside these years are typing errors, and near the ends of Python's
# range they cannot even be converted to UTC for the database.
MIN_YEAR, MAX_YEAR = 1970, 2100


def _aware(value: datetime) -> datetime:
    # A time without offset is Vietnam time, as every form and officer means it.
    if value.tzinfo is None:
        value = value.replace(tzinfo=LOCAL_TZ)
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise PydanticCustomError(
            "datetime_out_of_range",
            "Year must be between {min_year} and {max_year}",
            {"min_year": MIN_YEAR, "max_year": MAX_YEAR},
        )
    return value


def is_clean_text(value: str) -> bool:
    """
    Return True if ``value`` can be stored: no NUL character (PostgreSQL
    text refuses it) and no lone surrogate (not encodable as UTF-8).
    """
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _clean_text(value: Any) -> Any:
    if isinstance(value, str) and not is_clean_text(value):
        raise PydanticCustomError(
            "text_invalid", "Text contains a NUL character or an invalid code point"
        )
    return value


def _local_iso(value: datetime) -> str:
    return timezone.localtime(value, LOCAL_TZ).isoformat()


# Input: ISO 8601; without an offset it is read as Asia/Ho_Chi_Minh time.
AwareDateTime = Annotated[datetime, AfterValidator(_aware)]
# Output: ISO 8601 in Vietnam time (+07:00), as officers and citizens read it.
LocalDateTime = Annotated[
    datetime,
    PlainSerializer(_local_iso, return_type=str),
    WithJsonSchema({"type": "string", "format": "date-time"}, mode="serialization"),
]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class QuerySchema(Schema):
    """Base of query-string parameters: text that could not be stored is refused."""

    _text = field_validator("*", mode="before")(_clean_text)


class InputSchema(QuerySchema):
    """Base of request bodies: unknown fields are errors, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


class ErrorOut(Schema):
    """The error envelope of every non-2xx answer."""

    code: str = Field(description="stable machine code, e.g. dossier_not_found")
    message: str = Field(description="for people; Vietnamese unless asked for English")
    extra: dict[str, Any] = Field(
        description="details: field errors, allowed_actions, conflicting version…"
    )


class AgencyBriefOut(Schema):
    id: int
    name: str


class UserBriefOut(Schema):
    id: int
    name: str = Field(alias="display_name")


# The answers every endpoint may give besides its success.
ERRORS: dict[int, type[Schema]] = {
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ErrorOut,
}
