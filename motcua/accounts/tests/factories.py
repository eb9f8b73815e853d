"""Factories for accounts, with the minimal units they hang on."""

import factory

from motcua.accounts.constants import Role
from motcua.units.constants import AgencyKind, AgencyLevel, Structure, UnitLevel

DEMO_PASSWORD = "mật-khẩu-thử-1"


class ProvinceFactory(factory.django.DjangoModelFactory):
    structure = Structure.TWO_LEVEL
    level = UnitLevel.PROVINCE
    code = "99"
    name = "Demo"
    full_name = "Tỉnh Demo"
    unit_type = "Tỉnh"

    class Meta:
        model = "units.AdministrativeUnit"
        django_get_or_create = ("structure", "code")


class AgencyFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Trung tâm Phục vụ hành chính công số {n}")
    kind = AgencyKind.SERVICE_CENTRE
    level = AgencyLevel.PROVINCE
    administrative_unit = factory.SubFactory(ProvinceFactory)

    class Meta:
        model = "units.Agency"


class UserFactory(factory.django.DjangoModelFactory):
    username = factory.Sequence(lambda n: f"canbo{n}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    password = factory.django.Password(DEMO_PASSWORD)

    class Meta:
        model = "accounts.User"
        django_get_or_create = ("username",)
        skip_postgeneration_save = True


class MembershipFactory(factory.django.DjangoModelFactory):
    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = Role.RECEPTION

    class Meta:
        model = "accounts.StaffMembership"
