"""
The population database connector: what a lookup returns, the errors it
raises, and the interface of a source plugin.

How reception records a lookup on a dossier (the dossiers app writes it, not
this module): a component whose catalog entry has ``reusable_source`` =
``population`` is added with ``PersonRecord.component_item(component_id)``:
source ``national_database``, reuse reference ``CSDLQG-DC``, digitized and
reused, which feeds the Decision 766 indicator 4.5b (dossiers using data from
the population database) and the portal's DuocLayTuKhoDMQG; the applicant's
fields can be prefilled from ``PersonRecord.applicant_fields()``.
"""

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, ClassVar

from django.utils.translation import gettext_lazy as _

from motcua.core.exceptions import DomainError


class PopulationUnavailable(DomainError):
    code = "population_unavailable"
    status = 503
    default_message = _(
        "Không kết nối được CSDL quốc gia về dân cư; vui lòng thử lại sau "
        "hoặc kiểm tra giấy tờ do người nộp xuất trình."
    )


class PopulationTimeout(PopulationUnavailable):
    code = "population_timeout"
    status = 504
    default_message = _(
        "CSDL quốc gia về dân cư không trả lời kịp; vui lòng thử lại sau."
    )


class PopulationAccessDenied(PopulationUnavailable):
    code = "population_access_denied"
    status = 502
    default_message = _(
        "CSDL quốc gia về dân cư từ chối khóa truy cập của hệ thống; "
        "báo quản trị viên kiểm tra cấu hình."
    )


class PopulationNotConfigured(PopulationUnavailable):
    code = "population_not_configured"
    default_message = _("Chưa cấu hình kết nối CSDL quốc gia về dân cư.")


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """A citizen as the population database knows them."""

    # Where a component taken from this record comes from, as the dossier
    # app records it (ComponentSource.NATIONAL_DATABASE) and which database.
    SOURCE: ClassVar[str] = "national_database"
    REUSE_REFERENCE: ClassVar[str] = "CSDLQG-DC"

    id_number: str
    full_name: str
    gender: str  # "male" | "female"
    birth_date: date
    permanent_address: str
    commune_code: str
    household_id: str
    household_head_id_number: str
    household_head_name: str
    relation_to_head: str
    looked_up_at: datetime | None = None
    access_log_id: int | None = None

    def stamped(self, *, at: datetime, access_log_id: int) -> "PersonRecord":
        return replace(self, looked_up_at=at, access_log_id=access_log_id)

    def applicant_fields(self) -> dict[str, Any]:
        """The applicant as ``dossier_create`` takes it, prefilled from the record."""
        return {
            "type": "person",
            "name": self.full_name,
            "id_number": self.id_number,
            "birth_date": self.birth_date.isoformat(),
            "address": self.permanent_address,
        }

    def component_item(self, component_id: int | None = None) -> dict[str, Any]:
        """A dossier component taken from the population database, not asked for."""
        item: dict[str, Any] = {
            "source": self.SOURCE,
            "reuse_reference": self.REUSE_REFERENCE,
            "copy_type": "electronic",
            "is_digitized": True,
        }
        if component_id is not None:
            item["component"] = component_id
        if self.looked_up_at is not None:
            item["note"] = (
                f"Khai thác CSDL dân cư lúc {self.looked_up_at:%H:%M %d/%m/%Y}"
            )
        return item


class BasePopulationSource:
    plugin_id: ClassVar[str]
    verbose_name: ClassVar[str] = ""
    is_demo: ClassVar[bool] = False

    def lookup(self, id_number: str) -> PersonRecord | None:
        """
        Return the person with ``id_number``, or None if the database has no
        such person. Raise a PopulationUnavailable (or subclass) when the
        database cannot answer.
        """
        raise NotImplementedError
