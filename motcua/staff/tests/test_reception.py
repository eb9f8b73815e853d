"""The counter: search, details, due time, the three decisions, printing and fees."""

from pathlib import Path

from django.conf import settings as django_settings
from django.test import Client

import pytest
import time_machine

from motcua.dossiers.constants import DossierStatus, FeeStatus
from motcua.dossiers.models import Dossier

from .conftest import at, receive

pytestmark = pytest.mark.django_db

COUNTER = "/staff/reception/"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def officer(client, province):
    client.force_login(province.users["reception_a"])
    return client


def counter_data(p, key="residence", **overrides):
    version = p.procedures[key]
    competent = p.police_a if key == "residence" else p.committee_a
    data = {
        "procedure_version": version.pk,
        "receiving_centre": p.centre_a.pk,
        "competent_agency": competent.pk,
        "applicant_type": "person",
        "applicant_id_number": "001099012345",
        "applicant_name": "Nguyễn Văn An",
        "applicant_phone": "0912345678",
        "applicant_address": "Thôn Đông, xã An Hòa",
        "identity_verified": "on",
        "paper_sets": "1",
        "return_method": "counter",
        "decision": "receive",
    }
    for component in version.components.all():
        if component.required:
            data[f"c{component.pk}-present"] = "on"
        data[f"c{component.pk}-source"] = "paper"
        data[f"c{component.pk}-count"] = "1"
    data.update(overrides)
    return data


def test_the_counter_offers_the_procedures_the_centre_receives_most(officer, province):
    receive(province, key="birth", when=at(2026, 11, 20, 9))

    with time_machine.travel(at(2026, 11, 23, 9), tick=False):
        html = officer.get(COUNTER).text

    assert "Thủ tục tiếp nhận nhiều tại quầy" in html
    assert "Đăng ký khai sinh" in html
    assert 'aria-keyshortcuts="/"' in html
    assert '<label for="procedure-q">' in html


def test_an_officer_without_a_counter_role_is_told_so(client, province):
    client.force_login(province.users["police_a"])

    html = client.get(COUNTER).text

    assert "Bạn không tiếp nhận hồ sơ tại Trung tâm" in html
    assert 'id="counter-form"' not in html


def test_the_search_finds_a_procedure_without_diacritics(officer, province):
    response = officer.get(
        "/staff/reception/procedures/", {"q": "dang ky khai sinh"}, **HTMX
    )

    assert response.status_code == 200
    assert "<html" not in response.text  # a partial for htmx
    assert "Đăng ký khai sinh" in response.text
    assert "Đăng ký thường trú" not in response.text


def test_choosing_a_procedure_brings_its_agency_components_fees_and_due_time(
    officer, province
):
    version = province.procedures["residence"]
    with time_machine.travel(at(2026, 3, 2, 9), tick=False):
        response = officer.get(
            "/staff/reception/procedure/", {"procedure_version": version.pk}, **HTMX
        )

    html = response.text
    assert response.status_code == 200
    assert f'name="procedure_version" value="{version.pk}"' in html
    # The only police listed for the procedure is chosen.
    assert f'<option value="{province.police_a.pk}" selected>' in html
    assert "Tờ khai thay đổi thông tin cư trú (CT01)" in html
    assert "20.000 đ" in html
    # The decision panel and the chosen card come out of band.
    assert 'id="counter-summary"' in html and 'hx-swap-oob="true"' in html
    # 7 working days from Monday 09:00 (the service's own rule).
    assert "09:00" in html and "11/03/2026" in html


def test_the_birth_procedure_defaults_to_the_centres_own_commune(officer, province):
    version = province.procedures["birth"]

    html = officer.get(
        "/staff/reception/procedure/", {"procedure_version": version.pk}, **HTMX
    ).text

    assert f'<option value="{province.committee_a.pk}" selected>' in html


def test_the_due_preview_uses_the_cutoff_of_the_procedure(officer, province):
    version = province.procedures["birth"]
    with time_machine.travel(at(2026, 2, 13, 15, 30), tick=False):
        html = officer.get(
            "/staff/reception/due/",
            {
                "procedure_version": version.pk,
                "competent_agency": province.committee_a.pk,
            },
        ).text

    # Friday after 15:00 before Tết: close of office on Monday 23/02.
    assert "17:30" in html and "23/02/2026" in html
    assert "Đã qua giờ chốt 15:00" in html


def test_receiving_gives_the_code_the_secret_and_mau_01(officer, province):
    with time_machine.travel(at(2026, 3, 2, 9), tick=False):
        response = officer.post(COUNTER, counter_data(province))

    dossier = Dossier.objects.get()
    assert dossier.status == DossierStatus.RECEIVED
    assert dossier.applicant_name == "Nguyễn Văn An"
    assert response.status_code == 302
    assert response["Location"] == f"/staff/reception/{dossier.pk}/"

    html = officer.get(response["Location"]).text
    assert dossier.code in html
    assert dossier.lookup_secret in html
    assert f"/staff/dossiers/{dossier.code}/forms/01.pdf" in html
    assert "In Giấy tiếp nhận (Mẫu 01)" in html
    assert "20.000 đ" in html and "Xác nhận đã thu tại quầy" in html


def test_under_htmx_success_redirects_the_whole_page(officer, province):
    with time_machine.travel(at(2026, 3, 2, 9), tick=False):
        response = officer.post(COUNTER, counter_data(province), **HTMX)

    assert response.status_code == 200
    assert response["HX-Redirect"].startswith("/staff/reception/")


def test_a_missing_component_is_the_services_refusal_shown_in_vietnamese(
    officer, province
):
    data = counter_data(province)
    missing = province.procedures["residence"].components.get(order=2)
    del data[f"c{missing.pk}-present"]

    response = officer.post(COUNTER, data, **HTMX)

    assert response.status_code == 422
    assert "Hồ sơ chưa đủ thành phần bắt buộc" in response.text
    assert "Giấy tờ chứng minh chỗ ở hợp pháp" in response.text
    assert not Dossier.objects.exists()


def test_bad_applicant_data_comes_back_next_to_the_field(officer, province):
    response = officer.post(
        COUNTER, counter_data(province, applicant_id_number="12345"), **HTMX
    )

    assert response.status_code == 422
    assert "Số định danh cá nhân phải gồm 12 chữ số." in response.text
    assert 'aria-invalid="true"' in response.text
    assert not Dossier.objects.exists()


def test_a_supplement_request_lists_the_missing_papers_for_mau_02(officer, province):
    data = counter_data(province, decision="supplement", reason="Thiếu giấy tờ")
    missing = province.procedures["residence"].components.get(order=2)
    del data[f"c{missing.pk}-present"]

    response = officer.post(COUNTER, data)

    dossier = Dossier.objects.get()
    assert dossier.status == DossierStatus.NEEDS_SUPPLEMENT
    assert dossier.code is None
    request = dossier.supplement_requests.get()
    assert request.items == [
        {
            "component": missing.pk,
            "name": missing.name,
            "copy_type": missing.copy_type,
            "count": missing.count,
            "note": "",
        }
    ]
    html = officer.get(response["Location"]).text
    assert f"/staff/dossiers/{dossier.pk}/forms/02.pdf" in html


def test_refusing_needs_a_reason_and_prints_mau_03(officer, province):
    no_reason = officer.post(COUNTER, counter_data(province, decision="refuse"))
    assert no_reason.status_code == 422
    assert "Ghi rõ lý do từ chối tiếp nhận." in no_reason.text
    assert not Dossier.objects.exists()

    response = officer.post(
        COUNTER,
        counter_data(province, decision="refuse", reason="Không thuộc thẩm quyền"),
    )

    dossier = Dossier.objects.get()
    assert dossier.status == DossierStatus.REFUSED
    html = officer.get(response["Location"]).text
    assert "Không thuộc thẩm quyền" in html
    assert f"/staff/dossiers/{dossier.pk}/forms/03.pdf" in html


def test_every_post_needs_the_csrf_token(province):
    client = Client(enforce_csrf_checks=True)
    client.force_login(province.users["reception_a"])

    response = client.post(COUNTER, counter_data(province))

    assert response.status_code == 403
    assert not Dossier.objects.exists()


def test_fees_are_confirmed_at_the_counter_by_its_officers_only(officer, province):
    dossier = receive(province)
    other = Client()
    other.force_login(province.users["reception_b"])

    assert other.post(f"/staff/reception/{dossier.pk}/fees/").status_code == 404
    response = officer.post(
        f"/staff/reception/{dossier.pk}/fees/", {"reference": "BL-12"}
    )

    assert response.status_code == 302
    fee = dossier.fees.get()
    assert (fee.status, fee.payment_reference) == (FeeStatus.PAID, "BL-12")
    html = officer.get(f"/staff/reception/{dossier.pk}/").text
    assert "Đã xác nhận thu 20.000 đồng" in html
    assert "Xác nhận đã thu tại quầy" not in html


def test_mau_01_opens_as_a_pdf_and_a_form_that_does_not_apply_says_why(
    officer, province
):
    dossier = receive(province)

    response = officer.get(f"/staff/dossiers/{dossier.code}/forms/01.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Cache-Control"] == "private, no-store"

    refused = officer.get(f"/staff/dossiers/{dossier.code}/forms/03.pdf")
    assert refused.status_code == 409
    assert "Không in được" in refused.text
    assert (
        officer.get(f"/staff/dossiers/{dossier.code}/forms/99.pdf").status_code == 404
    )


def test_the_counters_result_page_is_for_the_centres_staff(province):
    dossier = receive(province)
    police = Client()
    police.force_login(province.users["police_a"])
    head = Client()
    head.force_login(province.users["centre_head_a"])

    assert police.get(f"/staff/dossiers/{dossier.code}/").status_code == 200
    assert police.get(f"/staff/reception/{dossier.pk}/").status_code == 404
    assert head.get(f"/staff/reception/{dossier.pk}/").status_code == 200


def test_another_communes_officer_cannot_print_it(province):
    dossier = receive(province)
    client = Client()
    client.force_login(province.users["processing_b"])

    assert client.get(f"/staff/dossiers/{dossier.code}/forms/01.pdf").status_code == 404
    assert client.get(f"/staff/reception/{dossier.pk}/").status_code == 404


# -- the population database -----------------------------------------------------


@pytest.fixture
def population(settings):
    from motcua.integrations.population.simulator import PopulationSimulator
    from motcua.integrations.population.synthetic import (
        generate_residents,
        load_name_data,
    )

    residents = generate_residents(
        load_name_data(Path(django_settings.DATA_DIR) / "vn-names"), count=20
    )
    simulator = PopulationSimulator(residents, api_key="k", port=0)
    settings.POPULATION_SOURCE = "http"
    settings.POPULATION_API_URL = simulator.start()
    settings.POPULATION_API_KEY = "k"
    settings.POPULATION_TIMEOUT = 2
    yield residents
    simulator.stop()


@pytest.mark.simulator
def test_the_lookup_fills_in_the_applicant_and_is_logged(officer, population):
    from motcua.audit.models import DataAccessLog

    person = population[0]
    response = officer.post(
        "/staff/reception/population/",
        {"applicant_id_number": person.id_number, "applicant_phone": "0912345678"},
        **HTMX,
    )

    html = response.text
    assert response.status_code == 200
    assert f'value="{person.full_name}"' in html
    assert f'value="{person.birth_date.isoformat()}"' in html
    assert 'value="0912345678"' in html  # what the officer typed stays
    assert "Đã điền họ tên, ngày sinh và nơi thường trú" in html
    assert DataAccessLog.objects.filter(subject_id_number=person.id_number).exists()


@pytest.mark.simulator
def test_an_unknown_number_and_a_malformed_one_are_said(officer, population):
    unknown = officer.post(
        "/staff/reception/population/", {"applicant_id_number": "001099999999"}, **HTMX
    )
    assert "CSDL quốc gia về dân cư không có người mang số định danh này" in (
        unknown.text
    )

    malformed = officer.post(
        "/staff/reception/population/", {"applicant_id_number": "123"}, **HTMX
    )
    assert malformed.status_code == 422
    assert "phải gồm 12 chữ số" in malformed.text
    assert 'aria-invalid="true"' in malformed.text


def test_the_lookup_button_is_there_when_the_connector_is_installed(officer):
    assert "Tra cứu CSDL dân cư" in officer.get(COUNTER).text


def test_without_the_connector_the_button_is_hidden(officer, monkeypatch):
    monkeypatch.setattr(
        "motcua.staff.views.reception.population_available", lambda: False
    )

    html = officer.get(f"{COUNTER}?procedure_version=1").text

    assert "Tra cứu CSDL dân cư" not in html
    assert officer.post("/staff/reception/population/", **HTMX).status_code == 404
