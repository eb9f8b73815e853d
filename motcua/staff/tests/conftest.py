from datetime import datetime

import pytest
import time_machine

from motcua.core.calendar import LOCAL_TZ
from motcua.dossiers.services import dossier_apply_action, dossier_create
from motcua.testing.province import all_components, applicant, build_small_province


def at(*args):
    return datetime(*args, tzinfo=LOCAL_TZ)


@pytest.fixture
def province(db):
    return build_small_province()


def receive(p, *, key="residence", when=None, name="Nguyễn Văn An", user="reception_a"):
    """Receive a dossier at the counter of commune A."""
    version = p.procedures[key]
    competent = p.police_a if key == "residence" else p.committee_a
    with time_machine.travel(when or at(2026, 3, 2, 9), tick=False):
        return dossier_create(
            procedure_version=version,
            channel="counter",
            receiving_centre=p.centre_a,
            competent_agency=competent,
            applicant=applicant(name=name),
            components=all_components(version),
            actor=p.users[user],
            receive=True,
        )


def act(p, dossier, action, who, when, **data):
    with time_machine.travel(when, tick=False):
        return dossier_apply_action(
            dossier=dossier, action=action, actor=p.users[who], data=data
        )


def submit_online(p, *, when=None, name="Trần Thị Bình", portal_id="G22-1"):
    from motcua.dossiers.access import PORTAL

    version = p.procedures["residence"]
    with time_machine.travel(when or at(2026, 3, 2, 10), tick=False):
        return dossier_create(
            procedure_version=version,
            channel="online",
            receiving_centre=p.centre_a,
            competent_agency=p.police_a,
            applicant=applicant(name=name),
            components=all_components(version, "uploaded"),
            actor=PORTAL,
            portal_id=portal_id,
        )
