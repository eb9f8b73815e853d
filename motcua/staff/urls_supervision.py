"""
Supervision and PAKN pages of the staff interface, included by
``motcua.staff.urls`` (names in the ``staff`` namespace).
"""

from django.urls import path

from .views import feedback, supervision

supervision_patterns = [
    path("", supervision.dashboard, name="supervision"),
    path("statistics/", supervision.statistics, name="supervision-statistics"),
    path(
        "statistics/dossiers/",
        supervision.statistics_dossiers_view,
        name="supervision-dossiers",
    ),
    path("flow/", supervision.flow, name="supervision-flow"),
    path("index/", supervision.index, name="supervision-index"),
    path(
        "index/<int:agency_id>/",
        supervision.index_unit,
        name="supervision-index-unit",
    ),
    path("rankings/", supervision.rankings, name="supervision-rankings"),
    path("ledger/", supervision.ledger, name="supervision-ledger"),
    path("warnings/", supervision.warnings, name="supervision-warnings"),
    path(
        "reports/staff-sheet/",
        supervision.staff_sheet_view,
        name="supervision-staff-sheet",
    ),
    path(
        "reports/agency-pack/",
        supervision.agency_pack_view,
        name="supervision-agency-pack",
    ),
]

feedback_patterns = [
    path("", feedback.feedback_list, name="feedback-list"),
    path("<str:code>/", feedback.feedback_detail, name="feedback-detail"),
]
