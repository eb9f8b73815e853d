"""The staff login form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.accounts.forms import RateLimitedAuthenticationForm


class StaffLoginForm(RateLimitedAuthenticationForm):
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

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
