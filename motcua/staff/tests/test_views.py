import re

from django.test import Client
from django.urls import reverse

import pytest

from motcua.accounts.constants import Role
from motcua.accounts.models import LoginAttempt
from motcua.accounts.tests.factories import (
    DEMO_PASSWORD,
    AgencyFactory,
    MembershipFactory,
    UserFactory,
)
from motcua.audit.models import AuditEvent, AuditLog

pytestmark = pytest.mark.django_db

LOGIN = "/staff/login/"


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.MOTCUA_LOGIN_MAX_ATTEMPTS = 3
    settings.MOTCUA_LOGIN_LOCK_MINUTES = 15


def post_login(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def test_login_page_labels_every_field_and_carries_a_csrf_token(client):
    response = client.get(LOGIN)

    assert response.status_code == 200
    html = response.text
    assert 'name="csrfmiddlewaretoken"' in html
    for name in ("username", "password"):
        assert f'<label for="id_{name}">' in html
        assert f'id="id_{name}"' in html
    assert "Tên đăng nhập" in html
    assert "Mật khẩu" in html
    assert "Sau 3 lần nhập sai" in html


def test_login_refuses_a_post_without_csrf_token():
    UserFactory(username="an")
    client = Client(enforce_csrf_checks=True)

    response = post_login(client, "an", DEMO_PASSWORD)

    assert response.status_code == 403
    assert "Phiên làm việc đã hết hạn" in response.text
    assert not LoginAttempt.objects.exists()


def test_wrong_password_shows_the_vietnamese_error(client):
    UserFactory(username="an")

    response = post_login(client, "an", "sai")

    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.text
    assert "_auth_user_id" not in client.session
    assert AuditLog.objects.get().event_type == AuditEvent.LOGIN_FAILED


def test_correct_login_lands_on_the_staff_home_with_the_membership(client):
    membership = MembershipFactory(
        user__username="an", role=Role.PROCESSING, title="Chuyên viên"
    )

    response = post_login(client, "an", DEMO_PASSWORD, follow=True)

    assert response.redirect_chain == [(reverse("staff:home"), 302)]
    html = response.text
    assert membership.agency.name in html
    assert "Chuyên viên xử lý" in html
    assert "Chuyên viên" in html
    assert AuditLog.objects.get().event_type == AuditEvent.LOGIN


def test_login_follows_a_safe_next_but_not_an_outside_one(client):
    UserFactory(username="an")

    response = client.post(
        LOGIN + "?next=/staff/inbox/",
        {"username": "an", "password": DEMO_PASSWORD, "next": "/staff/inbox/"},
    )
    assert response["Location"] == "/staff/inbox/"

    client.logout()
    response = client.post(
        LOGIN,
        {"username": "an", "password": DEMO_PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("staff:home")


def test_locked_username_is_refused_with_429_even_with_the_right_password(client):
    UserFactory(username="an")
    for _ in range(3):
        post_login(client, "an", "sai")

    response = post_login(client, "an", DEMO_PASSWORD)

    assert response.status_code == 429
    assert "Đăng nhập tạm thời bị khóa" in response.text
    assert "15 phút" in response.text
    assert "_auth_user_id" not in client.session
    assert LoginAttempt.objects.count() == 3


def test_locked_address_is_refused_for_every_username():
    UserFactory(username="an")
    attacker = Client(REMOTE_ADDR="203.0.113.50")
    for name in ("a", "b", "c"):
        post_login(attacker, name, "sai")

    assert post_login(attacker, "an", DEMO_PASSWORD).status_code == 429
    colleague = Client(REMOTE_ADDR="203.0.113.51")
    assert post_login(colleague, "an", DEMO_PASSWORD).status_code == 302


def test_a_signed_in_user_is_sent_from_the_login_page_to_home(client):
    client.force_login(UserFactory())

    assert client.get(LOGIN)["Location"] == reverse("staff:home")


def test_logout_is_a_post_that_returns_to_the_login_page(client):
    client.force_login(UserFactory())

    assert client.get(reverse("staff:logout")).status_code == 405
    response = client.post(reverse("staff:logout"))

    assert response["Location"] == reverse("staff:login")
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "name",
    ["staff:home", "staff:reception", "staff:inbox", "staff:supervision", "staff:ui"],
)
def test_staff_pages_require_login(client, name):
    url = reverse(name)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={url}"


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("staff:reception", "Tiếp nhận hồ sơ"),
        ("staff:inbox", "Hồ sơ cần xử lý"),
    ],
)
# staff:supervision is for supervising roles only: motcua/supervision/tests/test_views.py.
def test_staff_pages_render_with_the_navigation(client, name, title):
    client.force_login(MembershipFactory().user)

    response = client.get(reverse(name))

    assert response.status_code == 200
    assert f"<h1>{title}</h1>" in response.text
    assert 'aria-current="page"' in response.text


def test_ui_patterns_page_renders_every_badge(client):
    client.force_login(MembershipFactory().user)

    html = client.get(reverse("staff:ui")).text

    for kind in ("neutral", "info", "progress", "paused", "success", "stopped"):
        assert f"badge--{kind}" in html
    for kind in ("danger", "warning", "overdue"):
        assert f"badge--{kind}" in html


def test_top_bar_shows_unit_user_and_role(client):
    membership = MembershipFactory(user__full_name="Trần Thị Lan", role=Role.RECEPTION)
    client.force_login(membership.user)

    html = client.get(reverse("staff:home")).text

    topbar = html.split('class="topbar"', 1)[1].split("</header>", 1)[0]
    assert membership.agency.name in topbar
    assert "Trần Thị Lan" in topbar
    assert "Cán bộ tiếp nhận" in topbar
    nav = html.split('class="mainnav"', 1)[1].split("</nav>", 1)[0]
    for label in ("Tiếp nhận", "Hồ sơ cần xử lý", "Giám sát", "Đăng xuất"):
        assert label in nav


def test_staff_home_lists_every_active_membership_once(
    client, django_assert_max_num_queries
):
    user = UserFactory()
    first = MembershipFactory(user=user, role=Role.RECEPTION)
    second = MembershipFactory(user=user, role=Role.DIVISION_HEAD)
    MembershipFactory(user=user, agency=AgencyFactory(name="Cũ"), is_active=False)
    client.force_login(user)

    client.get(reverse("staff:home"))  # warms the calendar and province name
    # Session, user, memberships (shared by the top bar and the table), the
    # roles by unit (memberships and the unit tree) and the inbox figures
    # (the queue's step and consultation ids, then the counts).
    with django_assert_max_num_queries(8):
        html = client.get(reverse("staff:home")).text

    assert first.agency.name in html
    assert second.agency.name in html
    assert "Lãnh đạo phòng" in html
    assert ">Cũ<" not in html


def test_staff_home_without_membership_explains_what_to_do(client):
    client.force_login(UserFactory())

    html = client.get(reverse("staff:home")).text

    assert "Bạn chưa được phân công vào đơn vị nào." in html
    assert "Chưa được phân công" in html


def test_staff_pages_are_vietnamese_whatever_the_browser_asks(client):
    client.force_login(MembershipFactory().user)

    html = client.get(reverse("staff:home"), HTTP_ACCEPT_LANGUAGE="en-US,en").text

    assert '<html lang="vi">' in html
    assert "Đăng xuất" in html


def test_the_chosen_language_is_kept_in_a_cookie(client):
    client.force_login(MembershipFactory().user)

    response = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("staff:home")}
    )
    assert response["Location"] == reverse("staff:home")

    html = client.get(reverse("staff:home")).text
    assert '<html lang="en">' in html
    assert "Sign out" in html
    assert re.search(r"My units and roles", html)
