"""
Dossiers in every state a form needs, reached through the dossier services
(dossier_create, dossier_apply_action), as the lifecycle tests do.
"""

from datetime import datetime

import pytest
import time_machine

from motcua.core.calendar import LOCAL_TZ
from motcua.dossiers.constants import DossierAction as A
from motcua.dossiers.services import dossier_apply_action, dossier_create
from motcua.testing.province import all_components, applicant, build_small_province


def at(*args):
    return datetime(*args, tzinfo=LOCAL_TZ)


class Builder:
    """Walk dossiers of the small province through their lifecycle."""

    def __init__(self, province):
        self.p = province

    def act(self, dossier, action, who, when, **data):
        with time_machine.travel(when, tick=False):
            return dossier_apply_action(
                dossier=dossier,
                action=action,
                actor=self.p.users[who] if isinstance(who, str) else who,
                data=data,
            )

    def submit(self, version="residence", *, when=None, receive=True, **kwargs):
        p = self.p
        version = p.procedures[version]
        competent = (
            p.police_a if version == p.procedures["residence"] else (p.committee_a)
        )
        with time_machine.travel(when or at(2026, 3, 2, 9, 0), tick=False):
            return dossier_create(
                procedure_version=version,
                channel=kwargs.pop("channel", "counter"),
                receiving_centre=kwargs.pop("centre", p.centre_a),
                competent_agency=competent,
                applicant=applicant(**kwargs.pop("applicant", {})),
                components=kwargs.pop("components", all_components(version)),
                actor=kwargs.pop("actor", p.users["reception_a"]),
                receive=receive,
                **kwargs,
            )

    def received(self, **kwargs):
        """Residence registration received Mon 02/03/2026 09:00, due Wed 11/03 09:00."""
        return self.submit(**kwargs)

    def supplement_at_reception(self):
        dossier = self.submit(components=[], receive=False)
        return self.act(
            dossier,
            A.REQUEST_SUPPLEMENT,
            "reception_a",
            at(2026, 3, 2, 9, 10),
            reason="Hồ sơ thiếu tờ khai và giấy tờ chứng minh chỗ ở hợp pháp.",
            items=[
                {
                    "name": "Tờ khai thay đổi thông tin cư trú (CT01)",
                    "note": "Kê khai đầy đủ, có chữ ký",
                },
                {
                    "name": "Giấy tờ chứng minh chỗ ở hợp pháp",
                    "note": "Bản sao hợp đồng thuê nhà",
                },
            ],
        )

    def supplement_in_processing(self):
        dossier = self.received()
        dossier = self.act(dossier, A.COMPLETE_STEP, "reception_a", at(2026, 3, 2, 10))
        return self.act(
            dossier,
            A.REQUEST_SUPPLEMENT,
            "police_a",
            at(2026, 3, 3, 14, 15),
            reason="Hợp đồng thuê nhà chưa được công chứng, chứng thực.",
            items=[
                {
                    "name": "Giấy tờ chứng minh chỗ ở hợp pháp",
                    "note": "Hợp đồng thuê nhà có công chứng",
                }
            ],
        )

    def refused(self):
        dossier = self.submit(receive=False)
        return self.act(
            dossier,
            A.REFUSE,
            "reception_a",
            at(2026, 3, 2, 9, 20),
            reason="Thủ tục không thuộc thẩm quyền giải quyết của cơ quan (Luật Cư trú 2020, Điều 22).",
        )

    def steps_done(self, dossier=None):
        dossier = dossier or self.received()
        dossier = self.act(dossier, A.COMPLETE_STEP, "reception_a", at(2026, 3, 2, 10))
        dossier = self.act(
            dossier,
            A.ASSIGN,
            "police_lead_a",
            at(2026, 3, 2, 11),
            assignee=self.p.users["police_a"].pk,
        )
        return self.act(dossier, A.COMPLETE_STEP, "police_a", at(2026, 3, 4, 10))

    def rejected(self):
        return self.act(
            self.steps_done(),
            A.REJECT,
            "police_lead_a",
            at(2026, 3, 5, 10),
            reason="Chỗ ở không đủ diện tích tối thiểu theo Điều 20 Luật Cư trú.",
        )

    def extended(self):
        return self.act(
            self.received(),
            A.EXTEND,
            "police_lead_a",
            at(2026, 3, 9, 9),
            reason="Cần xác minh thêm thông tin về chỗ ở hợp pháp tại địa phương.",
            new_due_at="2026-03-13T17:30",
        )

    def stopped(self):
        dossier = self.act(
            self.received(), A.REQUEST_WITHDRAWAL, "reception_a", at(2026, 3, 3, 9)
        )
        return self.act(
            dossier,
            A.STOP,
            "police_lead_a",
            at(2026, 3, 3, 10),
            reason="Công dân rút hồ sơ",
        )

    def returned(self):
        dossier = self.act(
            self.steps_done(),
            A.RESOLVE,
            "police_lead_a",
            at(2026, 3, 5, 10),
            result_summary="Đã đăng ký thường trú",
        )
        return self.act(
            dossier,
            A.RETURN_RESULT,
            "reception_a",
            at(2026, 3, 5, 14),
            collect_fees=True,
        )

    def inter_agency(self, *, progress=1):
        """The child-under-six group received Mon 06/04/2026 08:00; ``progress`` steps done."""
        dossier = self.submit(
            "group",
            when=at(2026, 4, 6, 8, 0),
            applicant={"name": "Nguyễn Văn Bình"},
        )
        moves = [
            ("reception_a", at(2026, 4, 6, 9, 0)),
            ("processing_a", at(2026, 4, 6, 11, 0)),
            ("police_a", at(2026, 4, 7, 10, 0)),
        ]
        for who, when in moves[:progress]:
            dossier = self.act(dossier, A.COMPLETE_STEP, who, when)
        return dossier


@pytest.fixture
def province(db):
    return build_small_province()


@pytest.fixture
def build(province):
    return Builder(province)
