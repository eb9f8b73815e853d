"""
The "hmac-gateway" protocol, version 1: field names, codes and time format
shared by the provider plugin and the gateway simulator. Standard library
only. See docs/payments.md for the full exchange.

Modelled on the gateways Vietnamese public services use (VNPay, the national
portal's payment platform): amounts in whole đồng, times as
``yyyyMMddHHmmss`` in Vietnam time (GMT+7), signed with HMAC-SHA256
(``motcua.payments.signing``), the IPN answered with ``RspCode``/``Message``.
"""

from datetime import datetime, timedelta, timezone

VERSION = "1"
VIETNAM_TIME = timezone(timedelta(hours=7), "GMT+7")
TIME_FORMAT = "%Y%m%d%H%M%S"
DATE_FORMAT = "%Y%m%d"

# The payer's browser is sent to {gateway}/pay with these, signed.
PAY_FIELDS = (
    "version",
    "merchant_id",
    "order_ref",
    "amount",
    "currency",
    "order_info",
    "locale",
    "return_url",
    "ipn_url",
    "create_date",
    "expire_date",
)
# The IPN (server to server, POST form) and the browser return (GET query)
# carry these, signed.
CALLBACK_FIELDS = (
    "merchant_id",
    "order_ref",
    "amount",
    "currency",
    "transaction_id",
    "response_code",
    "pay_date",
    "bank_code",
)

# response_code of a callback.
RC_SUCCESS = "00"
RC_EXPIRED = "11"
RC_CANCELLED = "24"
RC_DECLINED = "51"
RC_ERROR = "99"

# RspCode of our answer to an IPN (VNPay's vocabulary where it has one).
ANSWER_CONFIRMED = "00"
ANSWER_ORDER_NOT_FOUND = "01"
ANSWER_ALREADY_CONFIRMED = "02"
ANSWER_TRANSACTION_CONFLICT = "03"
ANSWER_INVALID_AMOUNT = "04"
ANSWER_INVALID_SIGNATURE = "97"
ANSWER_OTHER = "99"

# Header that carries the signature of a JSON response body (refund, settlements).
BODY_SIGNATURE_HEADER = "X-Signature"


def format_time(moment: datetime) -> str:
    return moment.astimezone(VIETNAM_TIME).strftime(TIME_FORMAT)


def parse_time(value: str) -> datetime:
    return datetime.strptime(value, TIME_FORMAT).replace(tzinfo=VIETNAM_TIME)
