"""Staff sign-in and sign-out."""

from django.conf import settings
from django.contrib.auth import views as auth_views

from motcua.staff.forms import StaffLoginForm


class LoginView(auth_views.LoginView):
    """
    The staff login page. A locked-out attempt answers 429 Too Many Requests
    with the form and the reason; everything else is Django's LoginView.
    """

    form_class = StaffLoginForm
    template_name = "staff/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            login_max_attempts=settings.MOTCUA_LOGIN_MAX_ATTEMPTS,
            login_lock_minutes=settings.MOTCUA_LOGIN_LOCK_MINUTES,
            **kwargs,
        )

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.locked:
            response.status_code = 429
        return response
