"""Lists and queues: visibility, filters, urgency order, diacritic-free search."""

from datetime import datetime

import pytest
import time_machine

from motcua.core.calendar import LOCAL_TZ
from motcua.dossiers.constants import DossierAction as A
from motcua.dossiers.selectors import DossierFilters, dossier_list, inbox_for
from motcua.dossiers.services import dossier_apply_action, dossier_create
from motcua.testing.province import all_components, applicant

pytestmark = pytest.mark.django_db


def at(*args):
    return datetime(*args, tzinfo=LOCAL_TZ)


def receive(p, name, when, key="residence", competent=None):
    version = p.procedures[key]
    with time_machine.travel(when, tick=False):
        return dossier_create(
            procedure_version=version,
            channel="counter",
            receiving_centre=p.centre_a,
            competent_agency=competent or p.police_a,
            applicant=applicant(name=name),
            components=all_components(version),
            actor=p.users["reception_a"],
            receive=True,
        )


def test_search_without_diacritics_finds_the_applicant(province):
    receive(province, "Nguyễn Thị Thủy", at(2026, 3, 2, 9))
    receive(province, "Trần Văn Đức", at(2026, 3, 2, 10))
    user = province.users["reception_a"]
    found = dossier_list(user=user, filters=DossierFilters(applicant="nguyen thi thuy"))
    assert [d.applicant_name for d in found] == ["Nguyễn Thị Thủy"]
    assert [
        d.applicant_name
        for d in dossier_list(user=user, filters=DossierFilters(applicant="DUC"))
    ] == ["Trần Văn Đức"]


def test_inbox_holds_what_the_officer_must_act_on_most_urgent_first(province):
    later = receive(province, "Người nộp A", at(2026, 3, 3, 9))
    sooner = receive(province, "Người nộp B", at(2026, 3, 2, 9))
    reception = province.users["reception_a"]
    assert [d.pk for d in inbox_for(user=reception)] == [sooner.pk, later.pk]
    # Nothing for the police until the centre hands the dossier over.
    assert not inbox_for(user=province.users["police_a"]).exists()
    with time_machine.travel(at(2026, 3, 3, 10), tick=False):
        dossier_apply_action(dossier=sooner, action=A.COMPLETE_STEP, actor=reception)
    assert [d.pk for d in inbox_for(user=province.users["police_a"])] == [sooner.pk]
    assert [d.pk for d in inbox_for(user=reception)] == [later.pk]


def test_staff_of_another_commune_see_nothing_and_supervisors_see_all(province):
    receive(province, "Người nộp A", at(2026, 3, 2, 9))
    assert not dossier_list(user=province.users["processing_b"]).exists()
    assert dossier_list(user=province.users["supervisor"]).count() == 1
    assert dossier_list(user=province.users["centre_head"]).count() == 1


def test_inbox_query_count_does_not_grow_with_the_queue(
    province, django_assert_max_num_queries
):
    for hour in range(9, 12):
        receive(province, f"Người nộp {hour}", at(2026, 3, 2, hour))
    user = province.users["reception_a"]
    user = type(user).objects.get(pk=user.pk)
    with django_assert_max_num_queries(4):
        rows = list(inbox_for(user=user))
        names = [d.procedure_version.procedure.name for d in rows]
    assert len(names) == 3
