"""Schemas and types shared by the routers of the API."""

from datetime import datetime
from typing import Annotated, Any

from django.utils import timezone

from ninja import Field, Schema
from pydantic import AfterValidator, ConfigDict, PlainSerializer

from motcua.core.calendar import LOCAL_TZ

# Largest value of a bigint primary key; larger ids are refused as input
# instead of reaching the database.
MAX_ID = 2**63 - 1
# Pagination: ``limit`` per page, at most MAX_LIMIT.
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_OFFSET = 1_000_000


def _aware(value: Any) -> Any:
    # A time without offset is Vietnam time, as every form and officer means it.
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=LOCAL_TZ)
    return value


def _local_iso(value: datetime) -> str:
    return timezone.localtime(value, LOCAL_TZ).isoformat()


# Input: ISO 8601; without an offset it is read as Asia/Ho_Chi_Minh time.
AwareDateTime = Annotated[datetime, AfterValidator(_aware)]
# Output: ISO 8601 in Vietnam time (+07:00), as officers and citizens read it.
LocalDateTime = Annotated[datetime, PlainSerializer(_local_iso, return_type=str)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class InputSchema(Schema):
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
