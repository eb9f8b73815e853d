"""Population lookups through the simulator over real HTTP on loopback."""

import io
import json
import urllib.request
from datetime import date, datetime

from django.core.management import call_command
from django.core.management.base import CommandError

import pytest
import time_machine

from motcua.audit.models import AccessPurpose, DataAccessLog
from motcua.core.calendar import LOCAL_TZ
from motcua.core.exceptions import NotFound, PermissionDenied, ValidationFailed
from motcua.dossiers.access import PORTAL
from motcua.dossiers.services import dossier_create
from motcua.integrations.population.base import (
    PersonRecord,
    PopulationAccessDenied,
    PopulationTimeout,
    PopulationUnavailable,
)
from motcua.integrations.population.services import population_lookup
from motcua.testing.province import all_components, applicant

pytestmark = [pytest.mark.django_db, pytest.mark.simulator]

KNOWN = "001099012345"


def at(*args):
    return datetime(*args, tzinfo=LOCAL_TZ)


def counter_residence(p):
    version = p.procedures["residence"]
    with time_machine.travel(at(2026, 3, 2, 9), tick=False):
        return dossier_create(
            procedure_version=version,
            channel="counter",
            receiving_centre=p.centre_a,
            competent_agency=p.police_a,
            applicant=applicant(),
            components=all_components(version),
            actor=p.users["reception_a"],
            receive=True,
        )


def lookup(province, id_number=KNOWN, who="reception_a", **kwargs):
    kwargs.setdefault("purpose", "Kiểm tra thông tin người nộp khi tiếp nhận")
    return population_lookup(id_number, actor=province.users[who], **kwargs)


def test_a_lookup_returns_the_person_and_is_logged(province, population, residents):
    with time_machine.travel(at(2026, 3, 2, 9), tick=False):
        record = lookup(province, " 0010 9901 2345 ")
    assert isinstance(record, PersonRecord)
    assert (record.full_name, record.gender, record.birth_date) == (
        "Nguyễn Văn An",
        "male",
        date(1999, 5, 12),
    )
    assert record.permanent_address == (
        "Số 12, đường Lê Lợi, Xã An Hòa, Tỉnh Lâm Hải Giang"
    )
    assert record.relation_to_head == "Chủ hộ"
    assert record.household_head_id_number == KNOWN
    log = DataAccessLog.objects.get()
    assert record.access_log_id == log.pk and record.looked_up_at == at(2026, 3, 2, 9)
    assert log.purpose == AccessPurpose.LOOKUP
    assert log.subject_id_number == KNOWN
    assert log.actor == province.users["reception_a"]
    assert log.agency == province.centre_a
    assert "Kiểm tra thông tin người nộp" in log.what and "có dữ liệu" in log.what
    assert population.lookups == [KNOWN]
    # A member of a household knows its head.
    child = next(r for r in residents if r.relation == "Con")
    member = lookup(province, child.id_number)
    assert member.household_head_name == child.head_name
    assert member.household_id == child.household_id


def test_a_lookup_for_a_dossier_names_it_and_gives_what_reception_records(
    province, population
):
    dossier = counter_residence(province)
    record = lookup(province, dossier=dossier, who="police_a")
    log = DataAccessLog.objects.get()
    assert (log.dossier_id, log.dossier_code) == (dossier.pk, dossier.code)
    assert log.agency == province.police_a
    component = province.procedures["residence"].components.first()
    item = record.component_item(component.pk)
    assert item["source"] == "national_database"
    assert item["reuse_reference"] == "CSDLQG-DC"
    # What the record gives is what the dossier services accept.
    version = province.procedures["residence"]
    components = [
        item if c["component"] == component.pk else c for c in all_components(version)
    ]
    with time_machine.travel(at(2026, 3, 2, 10), tick=False):
        prefilled = dossier_create(
            procedure_version=version,
            channel="counter",
            receiving_centre=province.centre_a,
            competent_agency=province.police_a,
            applicant=record.applicant_fields(),
            components=components,
            actor=province.users["reception_a"],
        )
    row = prefilled.components.get(component=component)
    assert (row.source, row.is_reused, row.reuse_reference) == (
        "national_database",
        True,
        "CSDLQG-DC",
    )
    assert prefilled.applicant_birth_date == date(1999, 5, 12)


def test_an_unknown_number_is_none_and_still_logged(province, population):
    assert lookup(province, "099190000000") is None
    assert "không có dữ liệu" in DataAccessLog.objects.get().what


def test_bad_input_and_unauthorised_callers_are_refused_before_any_lookup(
    province, population
):
    with pytest.raises(ValidationFailed) as error:
        lookup(province, "12345")
    assert error.value.code == "id_number_invalid"
    with pytest.raises(ValidationFailed) as error:
        lookup(province, purpose=" ")
    assert error.value.code == "purpose_required"
    with pytest.raises(PermissionDenied):
        population_lookup(KNOWN, actor=PORTAL, purpose="x")
    dossier = counter_residence(province)
    with pytest.raises(NotFound):
        lookup(province, who="reception_b", dossier=dossier)
    assert population.lookups == [] and not DataAccessLog.objects.exists()


def test_a_database_that_is_down_is_a_clear_error(province, population, settings):
    population.stop()
    with pytest.raises(PopulationUnavailable) as error:
        lookup(province)
    assert error.value.code == "population_unavailable"
    assert "lỗi population_unavailable" in DataAccessLog.objects.get().what


def test_server_errors_timeouts_and_a_refused_key_are_clear_errors(
    province, population, settings
):
    population.fail_next(503)
    with pytest.raises(PopulationUnavailable) as error:
        lookup(province)
    assert error.value.code == "population_unavailable"
    settings.POPULATION_TIMEOUT = 0.2
    population.delay_next(1.0)
    with pytest.raises(PopulationTimeout):
        lookup(province)
    settings.POPULATION_API_KEY = "wrong"
    with pytest.raises(PopulationAccessDenied):
        lookup(province)
    settings.POPULATION_API_KEY = ""
    with pytest.raises(PopulationUnavailable) as error:
        lookup(province)
    assert error.value.code == "population_not_configured"


def test_the_simulator_speaks_json_and_can_be_controlled(population):
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def call(path, body=None, key="test-population-key"):
        request = urllib.request.Request(  # noqa: S310
            population.url + path,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"X-API-Key": key},
        )
        try:
            with opener.open(request, timeout=5) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    assert call("/health") == (200, {"status": "ok", "residents": 2000})
    assert call(f"/api/v1/citizens/{KNOWN}")[1]["household"]["relation_to_head"] == (
        "Chủ hộ"
    )
    assert call("/api/v1/citizens/12")[0] == 400
    assert call(f"/api/v1/citizens/{KNOWN}", key="nope")[0] == 401
    assert call("/control/fail", {"status": 500, "times": 2}) == (200, {"ok": True})
    assert call(f"/api/v1/citizens/{KNOWN}")[0] == 500
    assert call(f"/api/v1/citizens/{KNOWN}")[0] == 500
    assert call(f"/api/v1/citizens/{KNOWN}")[0] == 200
    assert call("/control/nope", {})[0] == 404


def test_the_command_refuses_a_bad_commune_and_a_public_address(settings):
    with pytest.raises(CommandError, match="CODE:NAME"):
        call_command("population-simulator", "--commune", "Xã An Hòa")
    with pytest.raises(CommandError, match="loopback"):
        call_command("population-simulator", "--host", "0.0.0.0", stdout=io.StringIO())  # noqa: S104
