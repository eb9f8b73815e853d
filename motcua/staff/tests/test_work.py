"""The inbox, the dossier page with its actions, and the queues."""

from django.test import Client

import pytest
import time_machine

from motcua.audit.models import DataAccessLog
from motcua.dossiers.constants import DossierAction as A
from motcua.dossiers.constants import DossierStatus
from motcua.dossiers.models import DossierEvent

from .conftest import act, at, receive, submit_online

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def at_police(p, *, when, name="Nguyễn Văn An"):
    """A residence dossier handed over to the commune police."""
    dossier = receive(p, when=when, name=name)
    return act(p, dossier, A.COMPLETE_STEP, "reception_a", when.replace(minute=30))


# -- inbox -------------------------------------------------------------------------


def test_the_inbox_puts_the_most_urgent_first_with_time_left_in_words(province):
    calm = at_police(province, when=at(2026, 3, 9, 9), name="Trần Văn Đức")
    late = at_police(province, when=at(2026, 3, 2, 9), name="Lê Thị Hoa")
    client = client_for(province.users["police_a"])

    with time_machine.travel(at(2026, 3, 13, 10), tick=False):
        html = client.get("/staff/inbox/").text

    assert html.index(late.code) < html.index(calm.code)
    # Due Wed 11/03 09:00, seen Fri 13/03 10:00: Wed 8 h 30 + Thu 8 h + 1 h.
    assert "quá hạn 2 ngày 1 giờ làm việc" in html
    assert 'class="badge badge--overdue">Quá hạn<' in html
    # Due Wed 18/03 09:00: two days and a half of working time left.
    assert "còn 2 ngày 7 giờ làm việc" in html
    assert "Hoàn thành bước, chuyển tiếp" in html
    assert "Ký duyệt kết quả" not in html  # the leader's, not the officer's


def test_the_inbox_filters_by_name_without_diacritics_status_code_and_lateness(
    province,
):
    hoa = at_police(province, when=at(2026, 3, 2, 9), name="Lê Thị Hoa")
    duc = at_police(province, when=at(2026, 3, 9, 9), name="Trần Văn Đức")
    client = client_for(province.users["police_a"])

    with time_machine.travel(at(2026, 3, 13, 10), tick=False):
        by_name = client.get("/staff/inbox/", {"q": "tran van duc"}).text
        by_code = client.get("/staff/inbox/", {"q": duc.code[-11:]}).text
        late = client.get("/staff/inbox/", {"overdue": "on"}).text
        paused = client.get("/staff/inbox/", {"status": "awaiting_payment"}).text

    assert duc.code in by_name and hoa.code not in by_name
    assert duc.code in by_code and hoa.code not in by_code
    assert hoa.code in late and duc.code not in late
    assert "Không có hồ sơ nào khớp bộ lọc." in paused


def test_the_inbox_answers_htmx_with_the_results_only(province):
    at_police(province, when=at(2026, 3, 2, 9))
    client = client_for(province.users["police_a"])

    response = client.get("/staff/inbox/", {"q": "nguyen"}, **HTMX)

    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="results"')
    assert "<html" not in response.text


def test_mine_and_the_units_work(province):
    dossier = at_police(province, when=at(2026, 3, 2, 9))
    act(
        province,
        dossier,
        A.ASSIGN,
        "police_lead_a",
        at(2026, 3, 2, 10),
        assignee=province.users["police_lead_a"].pk,
    )
    client = client_for(province.users["police_a"])

    assert dossier.code not in client.get("/staff/inbox/").text
    assert dossier.code in client.get("/staff/inbox/", {"scope": "unit"}).text


def test_the_inbox_pages_by_25(province):
    for day in range(2, 28):
        if at(2026, 3, day).weekday() < 5:
            for hour in (8, 9, 10):
                receive(province, when=at(2026, 3, day, hour))
    client = client_for(province.users["reception_a"])

    first = client.get("/staff/inbox/").text
    second = client.get("/staff/inbox/", {"page": 2}).text

    assert "Trang 1 / 3" in first and 'rel="next"' in first
    assert "Trang 2 / 3" in second and 'rel="prev"' in second


@pytest.mark.parametrize("count", [2, 8])
def test_the_inbox_query_count_does_not_grow_with_the_list(
    province, count, django_assert_max_num_queries
):
    for hour in range(count):
        receive(province, when=at(2026, 3, 2, 8 + hour // 2, 30 * (hour % 2)))
    submit_online(province)
    client = client_for(province.users["reception_a"])
    client.get("/staff/inbox/")  # warms the calendar cache and province name

    # Session, user, memberships; roles and unit tree; the filter's
    # procedures; count and page, each reading the queue's step and
    # consultation ids first (so that PostgreSQL uses the queue indexes, see
    # docs/benchmarks.md); steps (+ units, officers), consultations and
    # supplement requests of the page: 16, whatever the page holds.
    with django_assert_max_num_queries(16):
        response = client.get("/staff/inbox/")

    assert response.text.count('class="dossier-link"') == count + 1


# -- dossier page ------------------------------------------------------------------


def test_the_dossier_page_shows_everything_and_logs_the_read(province):
    dossier = receive(province)
    client = client_for(province.users["reception_a"])

    with time_machine.travel(at(2026, 3, 2, 10), tick=False):
        html = client.get(f"/staff/dossiers/{dossier.code}/").text

    for text in (
        "Nguyễn Văn An",
        "001099012345",
        "Các bước xử lý",
        "Tiếp nhận, chuyển hồ sơ",
        "Thành phần hồ sơ",
        "Tờ khai thay đổi thông tin cư trú (CT01)",
        "Lệ phí đăng ký cư trú",
        "Lịch sử xử lý",
        "Cấp mã hồ sơ " + dossier.code,
        "Mẫu số 01",
        "Mẫu số 06",
    ):
        assert text in html, text
    # Forms that do not apply are not offered.
    assert "Mẫu số 03" not in html
    log = DataAccessLog.objects.get(dossier_id=dossier.pk)
    assert (log.actor, log.agency, log.purpose) == (
        province.users["reception_a"],
        province.centre_a,
        "reception",
    )
    # The same page by the dossier's number.
    assert client.get(f"/staff/dossiers/{dossier.pk}/").status_code == 200


def test_an_officer_of_another_commune_gets_404(province):
    dossier = receive(province)

    response = client_for(province.users["processing_b"]).get(
        f"/staff/dossiers/{dossier.code}/"
    )

    assert response.status_code == 404
    assert not DataAccessLog.objects.exists()


def test_only_the_actions_the_officer_may_take_are_offered(province):
    dossier = at_police(province, when=at(2026, 3, 2, 9))

    officer = client_for(province.users["police_a"]).get(
        f"/staff/dossiers/{dossier.code}/"
    )
    centre = client_for(province.users["reception_a"]).get(
        f"/staff/dossiers/{dossier.code}/"
    )

    assert 'value="complete_step"' in officer.text
    assert 'value="assign"' not in officer.text  # the leader assigns
    assert 'value="resolve"' not in officer.text
    assert 'value="complete_step"' not in centre.text
    # The centre records the applicant's request to withdraw (Art.21).
    assert 'value="request_withdrawal"' in centre.text
    returned = client_for(province.users["processing_b"])
    assert returned.get(f"/staff/dossiers/{dossier.code}/").status_code == 404


def test_the_assign_form_lists_the_units_officers_only(province):
    dossier = at_police(province, when=at(2026, 3, 2, 9))

    html = (
        client_for(province.users["police_lead_a"])
        .get(f"/staff/dossiers/{dossier.code}/")
        .text
    )

    form = html.split('value="assign"', 1)[1].split("</form>", 1)[0]
    assert "Bùi Văn Nam" in form and "Ngô Thanh Sơn" in form
    assert "Lê Minh Tuấn" not in form  # an officer of the commune committee


def test_completing_a_step_goes_through_the_service_and_back_to_the_page(province):
    dossier = at_police(province, when=at(2026, 3, 2, 9))
    client = client_for(province.users["police_a"])
    step = dossier.steps.get(order=2)

    with time_machine.travel(at(2026, 3, 3, 9), tick=False):
        response = client.post(
            f"/staff/dossiers/{dossier.code}/act/",
            {
                "action": "complete_step",
                "target": step.pk,
                "version": dossier.version,
                f"complete_step-{step.pk}-result_note": "Đủ điều kiện.",
            },
            follow=True,
        )

    assert response.redirect_chain[-1][0] == f"/staff/dossiers/{dossier.code}/"
    assert "Đã thực hiện: Hoàn thành bước, chuyển tiếp." in response.text
    step.refresh_from_db()
    assert (step.status, step.result_note) == ("done", "Đủ điều kiện.")


def test_under_htmx_a_refusal_comes_back_as_422_next_to_the_form(province):
    dossier = at_police(province, when=at(2026, 3, 2, 9))
    dossier = act(
        province,
        dossier,
        A.REQUEST_SUPPLEMENT,
        "police_a",
        at(2026, 3, 2, 11),
        reason="Thiếu giấy tờ",
    )
    dossier = act(province, dossier, A.SUPPLEMENT, "reception_a", at(2026, 3, 3, 9))
    client = client_for(province.users["police_a"])

    with time_machine.travel(at(2026, 3, 3, 10), tick=False):
        response = client.post(
            f"/staff/dossiers/{dossier.code}/act/",
            {
                "action": "request_supplement",
                "version": dossier.version,
                "request_supplement-reason": "Lần hai",
            },
            **HTMX,
        )

    assert response.status_code == 422
    html = response.text
    assert html.lstrip().startswith("<details")
    assert "Chỉ được yêu cầu bổ sung một lần trong mỗi giai đoạn" in html
    # The officer may now acknowledge the breach and go on.
    assert "request_supplement-acknowledge_rule_breach" in html
    assert dossier.supplement_requests.count() == 1


def test_a_missing_required_field_is_a_422_with_the_field_error(province):
    dossier = at_police(province, when=at(2026, 3, 2, 9))
    client = client_for(province.users["police_a"])

    response = client.post(
        f"/staff/dossiers/{dossier.code}/act/",
        {"action": "request_supplement", "version": dossier.version},
        **HTMX,
    )

    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.text
    assert "request_supplement-reason" in response.text


def test_a_stale_page_is_told_the_dossier_was_just_updated(province):
    dossier = at_police(province, when=at(2026, 3, 2, 9))
    seen = dossier.version
    step = dossier.steps.get(order=2)
    act(
        province,
        dossier,
        A.ASSIGN,
        "police_lead_a",
        at(2026, 3, 2, 10),
        assignee=province.users["police_a"].pk,
    )
    client = client_for(province.users["police_a"])

    response = client.post(
        f"/staff/dossiers/{dossier.code}/act/",
        {"action": "complete_step", "target": step.pk, "version": seen},
        **HTMX,
    )

    assert response.status_code == 422
    assert "Hồ sơ vừa được người khác cập nhật" in response.text
    assert "Tải lại hồ sơ để xem tình trạng mới nhất" in response.text
    step.refresh_from_db()
    assert step.status == "active"


def test_an_action_no_longer_on_offer_after_a_change_is_a_warning(province):
    dossier = at_police(province, when=at(2026, 3, 2, 9))
    step = dossier.steps.get(order=1)  # the centre's step, already done
    client = client_for(province.users["reception_a"])

    response = client.post(
        f"/staff/dossiers/{dossier.code}/act/",
        {"action": "complete_step", "target": step.pk, "version": 1},
        follow=True,
    )

    assert "Hồ sơ vừa được cập nhật bởi người khác" in response.text
    assert not DossierEvent.objects.filter(
        dossier=dossier, action="complete_step", actor=province.users["reception_a"]
    ).exclude(pk__in=dossier.events.filter(step_id=step.pk).values("pk"))


def test_an_action_never_offered_to_the_officer_is_404(province):
    dossier = at_police(province, when=at(2026, 3, 2, 9))
    client = client_for(province.users["police_a"])

    response = client.post(
        f"/staff/dossiers/{dossier.code}/act/",
        {"action": "resolve", "version": dossier.version},
    )

    assert response.status_code == 404
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.IN_PROGRESS


def test_the_action_endpoint_needs_post_and_the_csrf_token(province):
    dossier = at_police(province, when=at(2026, 3, 2, 9))
    client = Client(enforce_csrf_checks=True)
    client.force_login(province.users["police_a"])

    assert client.get(f"/staff/dossiers/{dossier.code}/act/").status_code == 405
    assert (
        client.post(
            f"/staff/dossiers/{dossier.code}/act/",
            {"action": "complete_step", "version": dossier.version},
        ).status_code
        == 403
    )


# -- queues --------------------------------------------------------------------------


def test_the_queues_are_for_heads_and_supervisors(province):
    late = at_police(province, when=at(2026, 3, 2, 9))
    waiting = submit_online(province, when=at(2026, 3, 10, 8))

    with time_machine.travel(at(2026, 3, 11, 14), tick=False):
        head = client_for(province.users["centre_head_a"]).get("/staff/queues/")
        officer = client_for(province.users["reception_a"]).get("/staff/queues/")

    assert officer.status_code == 403
    html = head.text
    assert late.code in html
    assert f"Chưa cấp mã (#{waiting.pk})" in html
    assert "quá hạn tiếp nhận" in html
    assert "Công an xã An Hòa" in html
    assert (
        'href="/staff/queues/"'
        in client_for(province.users["centre_head_a"]).get("/staff/").text
    )


def test_the_queues_of_one_unit(province):
    late = at_police(province, when=at(2026, 3, 2, 9))
    client = client_for(province.users["supervisor"])

    with time_machine.travel(at(2026, 3, 11, 14), tick=False):
        police = client.get("/staff/queues/", {"unit": province.police_a.pk}).text
        other = client.get("/staff/queues/", {"unit": province.committee_b.pk}).text

    assert late.code in police and "· Công an xã An Hòa" in police
    assert late.code not in other
