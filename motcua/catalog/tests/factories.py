"""Factories for catalog tests; traits are named after version states."""

from decimal import Decimal

from django.utils import timezone

import factory

from motcua.accounts.constants import Role
from motcua.catalog.constants import (
    DurationUnit,
    FeeKind,
    ParticipantRole,
    StepDurationUnit,
    StepKind,
    UnitRole,
    VersionStatus,
)
from motcua.catalog.models import (
    Component,
    FeeItem,
    ParticipantTemplate,
    Procedure,
    ProcedureVersion,
    ResultType,
    Sector,
    StepTemplate,
)
from motcua.core.text import fold
from motcua.units.constants import AgencyKind, AgencyLevel, Structure, UnitLevel
from motcua.units.models import AdministrativeUnit, Agency


class SectorFactory(factory.django.DjangoModelFactory):
    code = factory.Sequence(lambda n: f"linh-vuc-{n}")
    name = factory.Sequence(lambda n: f"Lĩnh vực {n}")

    class Meta:
        model = Sector


class ProcedureFactory(factory.django.DjangoModelFactory):
    code = factory.Sequence(lambda n: f"9.{n:06d}")
    name = "Đăng ký khai sinh"
    sector = factory.SubFactory(SectorFactory)
    issuing_body = "Bộ Tư pháp"

    class Meta:
        model = Procedure


class ProcedureVersionFactory(factory.django.DjangoModelFactory):
    procedure = factory.SubFactory(ProcedureFactory)
    number = 1
    name = factory.SelfAttribute("procedure.name")
    duration_value = Decimal(3)
    duration_unit = DurationUnit.WORKING_DAYS
    status = VersionStatus.DRAFT

    class Meta:
        model = ProcedureVersion

    class Params:
        published = factory.Trait(
            status=VersionStatus.PUBLISHED,
            published_at=factory.LazyFunction(timezone.now),
        )
        retired = factory.Trait(status=VersionStatus.RETIRED)
        without_duration = factory.Trait(duration_value=None, duration_unit="")


class ParticipantTemplateFactory(factory.django.DjangoModelFactory):
    version = factory.SubFactory(ProcedureVersionFactory)
    stage = 1
    role = ParticipantRole.PARTICIPANT
    agency_kind = AgencyKind.VERTICAL
    work = "Cấp thẻ bảo hiểm y tế"

    class Meta:
        model = ParticipantTemplate


class StepTemplateFactory(factory.django.DjangoModelFactory):
    version = factory.SubFactory(ProcedureVersionFactory)
    order = factory.Sequence(lambda n: n + 1)
    name = "Thẩm định hồ sơ"
    kind = StepKind.APPRAISAL
    unit_role = UnitRole.COMPETENT_AGENCY
    role = Role.PROCESSING
    allotted_value = Decimal(4)
    allotted_unit = StepDurationUnit.WORKING_HOURS

    class Meta:
        model = StepTemplate


class ComponentFactory(factory.django.DjangoModelFactory):
    version = factory.SubFactory(ProcedureVersionFactory)
    order = 1
    name = "Tờ khai đăng ký khai sinh"

    class Meta:
        model = Component


class FeeItemFactory(factory.django.DjangoModelFactory):
    version = factory.SubFactory(ProcedureVersionFactory)
    name = "Lệ phí"
    kind = FeeKind.CHARGE
    amount = Decimal(8000)
    channel = ""

    class Meta:
        model = FeeItem


class ResultTypeFactory(factory.django.DjangoModelFactory):
    version = factory.SubFactory(ProcedureVersionFactory)
    code = "KQ.G15.000031"
    name = "Giấy khai sinh"

    class Meta:
        model = ResultType


class AdministrativeUnitFactory(factory.django.DjangoModelFactory):
    structure = Structure.TWO_LEVEL
    level = UnitLevel.COMMUNE
    code = factory.Sequence(lambda n: f"{n:05d}")
    name = factory.Sequence(lambda n: f"Xã {n}")
    full_name = factory.LazyAttribute(lambda o: o.name)
    unit_type = "Xã"
    search_name = factory.LazyAttribute(lambda o: fold(o.name))

    class Meta:
        model = AdministrativeUnit


class AgencyFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"UBND xã {n}")
    kind = AgencyKind.COMMUNE_COMMITTEE
    level = AgencyLevel.COMMUNE
    administrative_unit = factory.SubFactory(AdministrativeUnitFactory)

    class Meta:
        model = Agency
