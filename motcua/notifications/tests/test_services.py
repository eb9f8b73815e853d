"""Messages rendered per event from the templates, on the channels the rules name."""

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from django.core import mail

import pytest
import time_machine

from motcua.core.exceptions import NotFound
from motcua.core.outbox import OutboxStatus
from motcua.dossiers.constants import DossierAction as A
from motcua.dossiers.models import Dossier
from motcua.feedback.access import access_dossier_by_rating_token
from motcua.notifications.constants import Audience, Channel, NotificationKind
from motcua.notifications.models import Notification
from motcua.notifications.services import (
    notification_retry,
    notification_send,
    render,
    sms_text,
)
from motcua.payments.access import applicant_actor_by_link
from motcua.testing.flows import act, at, receive_residence, submit_online

pytestmark = pytest.mark.django_db

START = at(2026, 3, 2, 9, 0)


def texts(kind, channel):
    return list(
        Notification.objects.filter(kind=kind, channel=channel).values_list(
            "body", flat=True
        )
    )


def test_reception_tells_the_applicant_the_code_due_time_and_secret(
    province, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://motcua.example.gov.vn"
    with django_capture_on_commit_callbacks(execute=True):
        dossier = receive_residence(province, when=START)
    email = Notification.objects.get(
        kind=NotificationKind.RECEIVED, channel=Channel.EMAIL
    )
    assert email.recipient == "an.nguyen@example.vn"
    assert email.audience == Audience.APPLICANT
    assert email.subject == f"Hồ sơ {dossier.code} đã được tiếp nhận"
    assert "Kính gửi Nguyễn Văn An," in email.body
    assert f"Mã hồ sơ: {dossier.code}" in email.body
    assert f"Mã bí mật tra cứu: {dossier.lookup_secret}" in email.body
    assert "Hẹn trả kết quả: 09:00 ngày 11/03/2026" in email.body
    assert "Phí, lệ phí phải nộp: 20.000 đồng" in email.body
    assert (
        "https://motcua.example.gov.vn/lookup/?code=001.01.01.H99-260302-0001"
        in email.body
    )
    sms = Notification.objects.get(kind=NotificationKind.RECEIVED, channel=Channel.SMS)
    assert sms.recipient == "0912345678"
    assert sms.body == (
        f"TTPVHCC An Hoa da tiep nhan ho so {dossier.code} (Dang ky thuong tru). "
        f"Hen tra ket qua: 09:00 ngay 11/03/2026. Ma tra cuu: {dossier.lookup_secret}."
    )
    # Sent once the transaction committed: e-mail through Django's mailer,
    # SMS through the console gateway of the test settings.
    assert [m.subject for m in mail.outbox] == [email.subject]
    assert mail.outbox[0].to == ["an.nguyen@example.vn"]
    assert set(Notification.objects.values_list("status", flat=True)) == {
        OutboxStatus.SENT
    }


def test_no_address_no_message_on_that_channel(province):
    receive_residence(province, when=START, email="", phone="")
    assert not Notification.objects.exists()


def test_an_online_submission_notifies_nobody_until_reception(province):
    submit_online(province, when=START, portal_id="P-1")
    assert not Notification.objects.exists()


def test_supplement_payment_apology_result_and_rating_texts(province, settings):
    settings.SITE_URL = "https://dichvucong.example.vn/"
    p = province
    dossier = receive_residence(p, when=START)
    dossier = act(
        p, dossier, A.COMPLETE_STEP, "reception_a", START + timedelta(hours=1)
    )
    dossier = act(
        p,
        dossier,
        A.REQUEST_SUPPLEMENT,
        "police_a",
        at(2026, 3, 3, 9, 0),
        reason="Giấy tờ chỗ ở chưa hợp lệ",
        items=[{"name": "Hợp đồng thuê nhà", "note": "có công chứng"}],
    )
    (body,) = texts(NotificationKind.SUPPLEMENT_REQUESTED, Channel.EMAIL)
    assert "Lý do: Giấy tờ chỗ ở chưa hợp lệ" in body
    assert "- Hợp đồng thuê nhà: có công chứng" in body
    assert "Hạn bổ sung: 09:00 ngày 18/03/2026" in body  # 15 days (Art.19(5))

    dossier = act(p, dossier, A.SUPPLEMENT, "reception_a", at(2026, 3, 4, 9, 0))
    dossier = act(
        p,
        dossier,
        A.REQUEST_PAYMENT,
        "police_a",
        at(2026, 3, 4, 10, 0),
        fees=[{"name": "Phí thẩm định", "amount": 150000}],
    )
    (body,) = texts(NotificationKind.PAYMENT_DUE, Channel.EMAIL)
    assert "- Phí thẩm định: 150.000 đồng" in body
    assert "Tổng cộng: 170.000 đồng" in body
    (sms,) = texts(NotificationKind.PAYMENT_DUE, Channel.SMS)
    assert sms.startswith("Ho so 001.01.01.H99-260302-0001: de nghi nop 170.000 dong")
    # The signed payment link, without the secret, opens the payment page.
    (link,) = re.findall(r"Thanh toán trực tuyến: (\S+)", body)
    assert link.startswith("https://dichvucong.example.vn/payments/pay/")
    assert dossier.lookup_secret not in link
    token = link.rsplit("/", 1)[1]
    with time_machine.travel(at(2026, 3, 10, 9, 0), tick=False):
        assert applicant_actor_by_link(token)[0] == dossier
    assert f"Thanh toan: {link}" in sms

    dossier = act(p, dossier, A.CONFIRM_PAYMENT, "reception_a", at(2026, 3, 4, 11, 0))
    dossier = act(
        p,
        dossier,
        A.EXTEND,
        "police_lead_a",
        at(2026, 3, 5, 9, 0),
        reason="Cần xác minh thêm tại nơi cư trú",
        new_due_at="2026-03-20T17:00:00+07:00",
    )
    (body,) = texts(NotificationKind.EXTENDED, Channel.EMAIL)
    assert "chân thành xin lỗi" in body
    assert "Lý do: Cần xác minh thêm tại nơi cư trú" in body
    assert "Thời hạn trả kết quả mới: 17:00 ngày 20/03/2026." in body

    dossier = act(p, dossier, A.COMPLETE_STEP, "police_a", at(2026, 3, 6, 9, 0))
    dossier = act(p, dossier, A.RESOLVE, "police_lead_a", at(2026, 3, 6, 10, 0))
    (body,) = texts(NotificationKind.RESULT_READY, Channel.EMAIL)
    assert (
        "đã có kết quả" in body
        and "Trung tâm Phục vụ hành chính công xã An Hòa" in body
    )

    dossier = act(
        p,
        dossier,
        A.RETURN_RESULT,
        "reception_a",
        at(2026, 3, 6, 11, 0),
        collect_fees=True,
    )
    (body,) = texts(NotificationKind.RATING_INVITATION, Channel.EMAIL)
    (sms,) = texts(NotificationKind.RATING_INVITATION, Channel.SMS)
    returned = at(2026, 3, 6, 11, 0)
    assert_rating_link(body, dossier, returned)
    assert sms.endswith(assert_rating_link(sms, dossier, returned))


def assert_rating_link(text, dossier, sent_at):
    """
    The message carries the signed rating link of feedback.access, which
    opens the dossier's rating, and never the lookup secret.
    """
    (link,) = re.findall(r"https://dichvucong\.example\.vn/rate/\?\S+", text)
    query = parse_qs(urlsplit(link).query)
    assert query["code"] == [dossier.code]
    with time_machine.travel(sent_at + timedelta(minutes=5), tick=False):
        assert access_dossier_by_rating_token(query["t"][0]) == dossier
    assert dossier.lookup_secret not in text
    return link


def test_the_rating_link_expires_and_dies_with_the_secret(province, settings):
    settings.SITE_URL = "https://dichvucong.example.vn"
    p = province
    dossier = receive_residence(p, when=START)
    dossier = act(p, dossier, A.COMPLETE_STEP, "reception_a", START)
    dossier = act(p, dossier, A.COMPLETE_STEP, "police_a", at(2026, 3, 3, 9, 0))
    dossier = act(p, dossier, A.RESOLVE, "police_lead_a", at(2026, 3, 3, 10, 0))
    dossier = act(
        p,
        dossier,
        A.RETURN_RESULT,
        "reception_a",
        at(2026, 3, 3, 11, 0),
        collect_fees=True,
    )
    (body,) = texts(NotificationKind.RATING_INVITATION, Channel.EMAIL)
    link = assert_rating_link(body, dossier, at(2026, 3, 3, 11, 0))
    token = parse_qs(urlsplit(link).query)["t"][0]
    # Valid for MOTCUA_RATING_LINK_DAYS (90) from the message.
    with time_machine.travel(at(2026, 5, 31, 11, 0), tick=False):
        assert access_dossier_by_rating_token(token) == dossier
    with (
        time_machine.travel(at(2026, 6, 2, 11, 0), tick=False),
        pytest.raises(NotFound),
    ):
        access_dossier_by_rating_token(token)
    # A new lookup secret (a reissued Mẫu 01) voids the links already sent.
    Dossier.objects.filter(pk=dossier.pk).update(lookup_secret="NEWSECRET1")
    with (
        time_machine.travel(at(2026, 3, 4, 9, 0), tick=False),
        pytest.raises(NotFound),
    ):
        access_dossier_by_rating_token(token)


def test_a_refusal_at_reception_gives_the_reason(province):
    dossier = submit_online(province, when=START, portal_id="P-2")
    act(
        province,
        dossier,
        A.REFUSE,
        "reception_a",
        START + timedelta(hours=1),
        reason="Không thuộc thẩm quyền của xã",
    )
    (body,) = texts(NotificationKind.REFUSED, Channel.EMAIL)
    assert "Lý do: Không thuộc thẩm quyền của xã" in body


def test_the_rules_are_data_a_deployment_can_replace(province, settings):
    settings.MOTCUA_NOTIFICATION_EVENT_RULES = {
        "receive": [["received", "applicant", ["sms"]]],
    }
    receive_residence(province, when=START)
    assert list(Notification.objects.values_list("kind", "channel")) == [
        ("received", "sms")
    ]


def test_names_are_not_html_escaped_in_plain_text(province):
    receive_residence(province, when=START, name="Công ty A & B <Việt>", type="person")
    email = Notification.objects.get(channel=Channel.EMAIL)
    assert "Kính gửi Công ty A & B <Việt>," in email.body


def test_sms_text_is_one_line_without_diacritics_unless_unicode_is_allowed(settings):
    assert sms_text("Hồ sơ  đã\ncó kết quả") == "Ho so da co ket qua"
    settings.SMS_UNICODE = True
    assert sms_text("Hồ sơ  đã\ncó kết quả") == "Hồ sơ đã có kết quả"


def test_every_kind_has_its_three_templates():
    context = {"code": "X", "items": [], "fees": [], "steps": ["Thẩm định"]}
    for kind in NotificationKind.values:
        for channel in Channel.values:
            subject, body = render(kind, channel, context)
            assert subject and body.strip(), (kind, channel)


def test_email_failure_is_retried_with_backoff_then_dead(province, settings):
    settings.MAILERS = {
        "default": {"BACKEND": "motcua.notifications.tests.broken.Mailer"}
    }
    settings.NOTIFY_MAX_ATTEMPTS = 2
    with time_machine.travel(START, tick=False) as traveller:
        receive_residence(province, when=START, phone="")
        email = Notification.objects.get()
        notification_send(email)
        assert email.status == OutboxStatus.FAILED and email.attempts == 1
        assert "SMTP server unreachable" in email.last_error
        assert 30 <= (email.next_attempt_at - START).total_seconds() <= 60
        # Not due yet: nothing happens.
        notification_send(email)
        assert email.attempts == 1
        traveller.shift(61)
        notification_send(email)
        assert email.status == OutboxStatus.DEAD and email.attempts == 2
        settings.MAILERS = {
            "default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
        }
        assert notification_retry(Notification.objects.all()) == 1
        email.refresh_from_db()
        notification_send(email)
    assert email.status == OutboxStatus.SENT and len(mail.outbox) == 1
