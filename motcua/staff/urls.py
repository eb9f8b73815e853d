"""Staff interface, mounted at /staff/."""

from django.contrib.auth.views import LogoutView
from django.urls import include, path

from .urls_review import review_patterns
from .urls_supervision import feedback_patterns, supervision_patterns
from .views import auth, dossiers, home, inbox, placeholders, queues, reception

app_name = "staff"

urlpatterns = [
    path("", home.home, name="home"),
    path("login/", auth.LoginView.as_view(), name="login"),
    # POST only (Django's LogoutView); back to the login page afterwards.
    path("logout/", LogoutView.as_view(), name="logout"),
    path("ui/", placeholders.ui_patterns, name="ui"),
    # The counter.
    path("reception/", reception.counter, name="reception"),
    path(
        "reception/procedures/",
        reception.procedure_results,
        name="reception-procedures",
    ),
    path(
        "reception/procedure/", reception.procedure_details, name="reception-procedure"
    ),
    path("reception/due/", reception.due_preview, name="reception-due"),
    path(
        "reception/population/",
        reception.population_lookup_view,
        name="reception-population",
    ),
    path("reception/<int:pk>/", reception.done, name="reception-done"),
    path("reception/<int:pk>/fees/", reception.collect_fees, name="reception-fees"),
    # Work.
    path("inbox/", inbox.inbox, name="inbox"),
    path("queues/", queues.queues, name="queues"),
    path("dossiers/<str:ref>/", dossiers.dossier_detail, name="dossier"),
    path("dossiers/<str:ref>/act/", dossiers.dossier_act, name="dossier-act"),
    path(
        "dossiers/<str:ref>/forms/<slug:kind>.pdf",
        dossiers.dossier_form_pdf,
        name="dossier-form",
    ),
    # Supervision dashboards and PAKN (motcua/staff/urls_supervision.py).
    path("supervision/", include(supervision_patterns)),
    path("feedback/", include(feedback_patterns)),
    # Procedure review and simplification (motcua/staff/urls_review.py).
    path("review/", include(review_patterns)),
]
