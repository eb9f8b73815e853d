from django.urls import reverse

import pytest

from motcua.accounts.models import ApiToken, LoginAttempt, User
from motcua.accounts.services import api_token_create

from .factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = UserFactory(username="quantri", is_staff=True, is_superuser=True)
    client.force_login(admin)
    client.admin = admin
    return client


@pytest.mark.parametrize(
    "name",
    [
        "admin:accounts_user_changelist",
        "admin:accounts_user_add",
        "admin:accounts_staffmembership_changelist",
        "admin:accounts_apitoken_changelist",
        "admin:accounts_loginattempt_changelist",
    ],
)
def test_admin_pages_render(admin_client, name):
    MembershipFactory()
    LoginAttempt.objects.create(username="x", ip_address="127.0.0.1")

    response = admin_client.get(reverse(name))

    assert response.status_code == 200


def test_user_change_page_shows_memberships_inline(admin_client):
    membership = MembershipFactory(title="Chuyên viên")

    response = admin_client.get(
        reverse("admin:accounts_user_change", args=[membership.user.pk])
    )

    assert response.status_code == 200
    assert "Chuyên viên" in response.text
    assert "họ và tên" in response.text.lower()


def test_user_search_finds_full_names_with_diacritics(admin_client):
    UserFactory(username="lan", full_name="Trần Thị Lan")
    UserFactory(username="binh", full_name="Lê Văn Bình")

    response = admin_client.get(
        reverse("admin:accounts_user_changelist"), {"q": "Thị Lan"}
    )

    assert list(response.context["cl"].result_list) == [
        User.objects.get(username="lan")
    ]


def test_add_user_creates_a_user_of_our_model(admin_client):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "moi",
            "full_name": "Phạm Minh Mới",
            "usable_password": "true",
            "password1": "Mat-khau-dai-2026",
            "password2": "Mat-khau-dai-2026",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert User.objects.get(username="moi").full_name == "Phạm Minh Mới"


def test_tokens_are_read_only_and_revoked_by_the_action(admin_client):
    token, _ = api_token_create(UserFactory(), "portal")
    change_url = reverse("admin:accounts_apitoken_change", args=[token.pk])

    page = admin_client.get(change_url)
    assert page.status_code == 200
    assert 'name="name"' not in page.text  # no editable field
    admin_client.post(change_url, {"name": "renamed"})
    assert ApiToken.objects.get().name == "portal"

    admin_client.post(
        reverse("admin:accounts_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert admin_client.get(reverse("admin:accounts_apitoken_add")).status_code == 403


def test_login_attempts_cannot_be_changed_or_deleted(admin_client):
    attempt = LoginAttempt.objects.create(username="x")

    assert (
        admin_client.get(
            reverse("admin:accounts_loginattempt_delete", args=[attempt.pk])
        ).status_code
        == 403
    )
    admin_client.post(
        reverse("admin:accounts_loginattempt_change", args=[attempt.pk]),
        {"username": "y"},
    )
    assert LoginAttempt.objects.get().username == "x"


def test_role_filter_lists_a_user_once(admin_client):
    user = UserFactory(username="hai")
    MembershipFactory(user=user, role="reception")
    MembershipFactory(user=user, role="reception")

    response = admin_client.get(
        reverse("admin:accounts_user_changelist"), {"memberships__role": "reception"}
    )

    assert list(response.context["cl"].result_list) == [user]


def test_admin_login_is_rate_limited_like_the_staff_login(client, settings):
    settings.MOTCUA_LOGIN_MAX_ATTEMPTS = 2
    UserFactory(username="quantri", password="dung-mat-khau", is_staff=True)
    url = reverse("admin:login")

    for _ in range(2):
        client.post(url, {"username": "quantri", "password": "sai"})
    response = client.post(url, {"username": "quantri", "password": "dung-mat-khau"})

    assert response.status_code == 200  # the form again, not a redirect
    assert "_auth_user_id" not in client.session
    # The refused attempt is audited but not counted (see login_record).
    assert LoginAttempt.objects.filter(username="quantri").count() == 2
    assert not LoginAttempt.objects.filter(succeeded=True).exists()


def test_admin_login_admits_staff_and_records_the_attempt(client):
    UserFactory(username="quantri", password="dung-mat-khau", is_staff=True)

    response = client.post(
        reverse("admin:login"), {"username": "quantri", "password": "dung-mat-khau"}
    )

    assert response.status_code == 302
    assert LoginAttempt.objects.filter(username="quantri").count() == 1


def test_admin_login_refuses_a_non_staff_account(client):
    UserFactory(username="canbo", password="dung-mat-khau", is_staff=False)

    response = client.post(
        reverse("admin:login"), {"username": "canbo", "password": "dung-mat-khau"}
    )

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
