"""The staff login form."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from motcua.accounts.services import LoginFailed, LoginLocked, login_authenticate
from motcua.core.net import client_ip


class StaffLoginForm(AuthenticationForm):
    """
    Username and password, checked by ``login_authenticate``, which applies
    the rate limit and records the attempt.
    """

    username = forms.CharField(
        label=_("Tên đăng nhập"),
        max_length=150,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "username", "spellcheck": "false"}
        ),
    )
    password = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    locked = False

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            try:
                self.user_cache = login_authenticate(
                    username=username,
                    password=password,
                    ip_address=client_ip(self.request),
                )
            except LoginLocked as exc:
                self.locked = True
                raise forms.ValidationError(exc.message, code=exc.code) from None
            except LoginFailed as exc:
                raise forms.ValidationError(exc.message, code=exc.code) from None
        return self.cleaned_data
