import datetime

import factory

from motcua.core.text import fold
from motcua.units.constants import AgencyKind, AgencyLevel, Structure, UnitLevel


class AdministrativeUnitFactory(factory.django.DjangoModelFactory):
    structure = Structure.TWO_LEVEL
    level = UnitLevel.PROVINCE
    code = factory.Sequence(lambda n: f"T{n:05d}")
    name = factory.Sequence(lambda n: f"Hoà Bình {n}")
    full_name = factory.LazyAttribute(lambda o: f"Tỉnh {o.name}")
    unit_type = "Tỉnh"
    search_name = factory.LazyAttribute(lambda o: fold(o.full_name))

    class Meta:
        model = "units.AdministrativeUnit"

    class Params:
        commune = factory.Trait(
            level=UnitLevel.COMMUNE,
            unit_type="Xã",
            full_name=factory.LazyAttribute(lambda o: f"Xã {o.name}"),
            parent=factory.SubFactory(
                "motcua.units.tests.factories.AdministrativeUnitFactory"
            ),
        )


class WorkCalendarFactory(factory.django.DjangoModelFactory):
    code = factory.Sequence(lambda n: f"lich-{n}")
    name = factory.Sequence(lambda n: f"Lịch {n}")

    class Meta:
        model = "units.WorkCalendar"


class AgencyFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Sở Thử nghiệm {n}")
    kind = AgencyKind.PROVINCIAL_DEPARTMENT
    level = AgencyLevel.PROVINCE
    administrative_unit = factory.SubFactory(AdministrativeUnitFactory)

    class Meta:
        model = "units.Agency"

    class Params:
        service_centre = factory.Trait(
            kind=AgencyKind.SERVICE_CENTRE,
            name=factory.Sequence(lambda n: f"Trung tâm Phục vụ hành chính công {n}"),
        )


class AgencyCodeFactory(factory.django.DjangoModelFactory):
    agency = factory.SubFactory(AgencyFactory)
    code = factory.Sequence(lambda n: f"000.00.{n:02d}.H99")
    valid_from = datetime.date(2025, 7, 1)

    class Meta:
        model = "units.AgencyCode"
