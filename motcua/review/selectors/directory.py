"""
The public staff directory of the one-stop centres (Decree 118/2025
Art.9(8)): for each centre, the name, title and phone of its head and
deputies, and the name, title, sector and phone of every officer working
there. Read from the staff memberships in force today, so it is current
the day a membership starts or ends.
"""

from dataclasses import dataclass, field
from datetime import date

from motcua.accounts.constants import Role
from motcua.accounts.models import StaffMembership
from motcua.units.constants import AgencyKind, AgencyLevel

LEADER_ROLES = (Role.CENTRE_HEAD, Role.CENTRE_DEPUTY)


@dataclass(frozen=True, slots=True)
class DirectoryEntry:
    name: str
    title: str
    sector: str
    phone: str
    seconded_from: str


@dataclass
class CentreDirectory:
    centre_id: int
    name: str
    address: str
    phone: str
    provincial: bool = False
    heads: list[DirectoryEntry] = field(default_factory=list)
    deputies: list[DirectoryEntry] = field(default_factory=list)
    officers: list[DirectoryEntry] = field(default_factory=list)


def staff_directory(
    *, on: date | None = None, centre_id: int | None = None
) -> list[CentreDirectory]:
    """
    Return the directory of every active service centre with someone on
    duty (only ``centre_id`` when given): the provincial centre first, then
    the communes' by name. One query.
    """
    memberships = (
        StaffMembership.objects.active(on)
        .filter(
            agency__kind=AgencyKind.SERVICE_CENTRE,
            agency__is_active=True,
            user__is_active=True,
        )
        .select_related("user", "agency", "seconded_from")
        .order_by("agency__name", "user__full_name", "pk")
    )
    if centre_id is not None:
        memberships = memberships.filter(agency_id=centre_id)
    centres: dict[int, CentreDirectory] = {}
    seen: set[tuple[int, int, str]] = set()
    for m in memberships:
        centre = centres.get(m.agency_id)
        if centre is None:
            centre = centres[m.agency_id] = CentreDirectory(
                m.agency_id,
                m.agency.name,
                m.agency.address,
                m.agency.phone,
                provincial=m.agency.level == AgencyLevel.PROVINCE,
            )
        # One line per person and place in the list, whatever their roles.
        place = (
            "heads"
            if m.role == Role.CENTRE_HEAD
            else "deputies"
            if m.role == Role.CENTRE_DEPUTY
            else "officers"
        )
        if (m.agency_id, m.user_id, place) in seen:
            continue
        seen.add((m.agency_id, m.user_id, place))
        getattr(centre, place).append(
            DirectoryEntry(
                name=m.user.display_name,
                title=m.title or str(m.get_role_display()),
                sector=m.sector,
                phone=m.phone or m.user.phone,
                seconded_from=m.seconded_from.name if m.seconded_from else "",
            )
        )
    # The provincial centre first, then the communes' by name.
    return sorted(centres.values(), key=lambda c: (not c.provincial, c.name))
