"""Login forms: every way into motcua goes through the same rate limit."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm

from motcua.core.net import client_ip

from .services import LoginFailed, LoginLocked, login_authenticate


class RateLimitedAuthenticationForm(AuthenticationForm):
    """
    Check the credentials with ``login_authenticate``, which applies the rate
    limit and records the attempt, instead of Django's plain ``authenticate``.
    """

    locked = False

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            try:
                self.user_cache = login_authenticate(
                    username=username,
                    password=password,
                    ip_address=client_ip(self.request) if self.request else None,
                )
            except LoginLocked as exc:
                self.locked = True
                raise forms.ValidationError(exc.message, code=exc.code) from None
            except LoginFailed as exc:
                raise forms.ValidationError(exc.message, code=exc.code) from None
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class AdminLoginForm(RateLimitedAuthenticationForm, AdminAuthenticationForm):
    """The admin site's login: the same limit as the staff login, then staff only."""
