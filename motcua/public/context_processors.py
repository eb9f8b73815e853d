"""Template context shared by every layout: who runs this site."""

from django.conf import settings
from django.core.cache import cache
from django.utils.functional import SimpleLazyObject

from motcua.units.constants import Structure, UnitLevel
from motcua.units.models import AdministrativeUnit

PROVINCE_NAME_CACHE_KEY = "motcua:province-name"


def province_name() -> str:
    """
    Return the full name of the province this deployment serves, or "" while
    the administrative units are not loaded. Cached for ten minutes.
    """
    name = cache.get(PROVINCE_NAME_CACHE_KEY)
    if name is None:
        unit = AdministrativeUnit.objects.filter(
            structure=Structure.TWO_LEVEL,
            level=UnitLevel.PROVINCE,
            code=settings.MOTCUA_PROVINCE_CODE,
        ).first()
        name = unit.full_name if unit else ""
        cache.set(PROVINCE_NAME_CACHE_KEY, name, 600)
    return name


def site(request):
    # Lazy: a page that does not print the name costs no query.
    return {"site_province": SimpleLazyObject(province_name)}
