from datetime import date

import pytest

from motcua.accounts.constants import Role
from motcua.accounts.models import StaffMembership, User

pytestmark = pytest.mark.django_db


def _member(province, username, name, agency, role, **fields):
    user = User.objects.create_user(username=username, full_name=name, phone="0")
    return StaffMembership.objects.create(
        user=user, agency=agency, role=role, valid_from=date(2025, 7, 1), **fields
    )


def test_every_centre_lists_its_heads_deputies_and_officers(client, province):
    p = province
    _member(
        p,
        "phogiamdoc.anhoa",
        "Tô Thị Hạnh",
        p.centre_a,
        Role.CENTRE_DEPUTY,
        title="Phó Giám đốc",
        phone="0203 3811 222",
    )
    _member(
        p,
        "congchuc.tuphap",
        "Kiều Văn Đạt",
        p.centre_a,
        Role.RECEPTION,
        title="Công chức Tư pháp – Hộ tịch",
        sector="Hộ tịch",
        phone="0203 3811 333",
        seconded_from=p.committee_a,
    )
    # Gone from the centre: not published any more.
    _member(
        p,
        "cu.anhoa",
        "Người Đã Chuyển",
        p.centre_a,
        Role.RECEPTION,
        valid_to=date(2026, 1, 1),
    )

    response = client.get("/staff-directory/")

    html = response.text
    assert response.status_code == 200
    assert "<h1>Danh bạ cán bộ</h1>" in html
    provincial = html.index(">Trung tâm Phục vụ hành chính công tỉnh</h2>")
    an_hoa = html.index(">Trung tâm Phục vụ hành chính công xã An Hòa</h2>")
    assert provincial < an_hoa  # the provincial centre first
    assert "Trịnh Minh Châu" in html  # its head
    section = html[an_hoa : html.index("</section>", an_hoa)]
    assert section.index("Mai Xuân Trường") < section.index("Tô Thị Hạnh")
    assert "0203 3811 222" in section
    assert "Công chức Tư pháp – Hộ tịch" in section
    assert "Hộ tịch" in section and "0203 3811 333" in section
    assert "Cử từ UBND xã An Hòa" in section
    assert "Nguyễn Thị Lan" in section  # the reception officer
    assert "Người Đã Chuyển" not in html
    # Officers of agencies, not at a centre, are not in it.
    assert "Lê Minh Tuấn" not in html


def test_one_centre_only(client, province, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        html = client.get("/staff-directory/", {"centre": province.centre_b.pk}).text

    assert "Trần Văn Hùng" in html
    assert "Nguyễn Thị Lan" not in html
