from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

import pytest

from motcua.accounts.models import ApiToken
from motcua.accounts.services import api_token_authenticate

from .factories import UserFactory

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("create_api_token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_prints_the_token_and_nothing_else_on_stdout():
    user = UserFactory(username="portal-sim")

    out, err = run("portal-sim", "--name", "portal", "--portal", "--expires-days", "30")

    raw = out.strip()
    assert out == raw + "\n"
    assert api_token_authenticate(raw) == user
    token = ApiToken.objects.get()
    assert token.name == "portal"
    assert token.is_portal
    assert token.expires_at - timezone.now() > timedelta(days=29, hours=23)
    assert raw not in err
    assert token.prefix in err


def test_defaults_to_a_non_portal_token_that_never_expires():
    UserFactory(username="reports")

    run("reports")

    token = ApiToken.objects.get()
    assert (token.name, token.is_portal, token.expires_at) == ("api", False, None)


def test_unknown_user_fails_with_one_line():
    with pytest.raises(CommandError) as excinfo:
        run("nobody")

    assert str(excinfo.value) == "No user named 'nobody'."
    assert not ApiToken.objects.exists()


def test_expires_days_must_be_positive():
    UserFactory(username="reports")

    with pytest.raises(CommandError):
        run("reports", "--expires-days", "0")
    assert not ApiToken.objects.exists()
