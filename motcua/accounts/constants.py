from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Roles of staff in a unit (Decree 118 Art.9–12, 19)."""

    RECEPTION = "reception", _("Cán bộ tiếp nhận")
    PROCESSING = "processing", _("Chuyên viên xử lý")
    DIVISION_HEAD = "division_head", _("Lãnh đạo phòng")
    AGENCY_LEADER = "agency_leader", _("Lãnh đạo cơ quan")
    CENTRE_HEAD = "centre_head", _("Giám đốc Trung tâm")
    CENTRE_DEPUTY = "centre_deputy", _("Phó Giám đốc Trung tâm")
    SUPERVISOR = "supervisor", _("Giám sát cấp tỉnh")


# Roles that supervise rather than act on dossiers.
SUPERVISING_ROLES = frozenset({Role.CENTRE_HEAD, Role.CENTRE_DEPUTY, Role.SUPERVISOR})
# Roles that lead a unit: they approve, sign and assign.
LEADING_ROLES = frozenset(
    {Role.DIVISION_HEAD, Role.AGENCY_LEADER, Role.CENTRE_HEAD, Role.CENTRE_DEPUTY}
)
