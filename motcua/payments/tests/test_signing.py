"""Signed parameters: HMAC-SHA256 over the sorted, URL-encoded parameters."""

import hashlib
import hmac

from motcua.payments import signing


def test_the_signed_string_is_sorted_encoded_and_leaves_out_the_signature():
    params = {
        "b": "2",
        "a": "Nộp phí & lệ phí",
        "return_url": "http://x/r?a=1&b=2",
        "signature": "ignored",
    }
    assert signing.canonical(params) == (
        "a=N%E1%BB%99p+ph%C3%AD+%26+l%E1%BB%87+ph%C3%AD&b=2"
        "&return_url=http%3A%2F%2Fx%2Fr%3Fa%3D1%26b%3D2"
    )
    expected = hmac.new(
        b"secret", signing.canonical(params).encode(), hashlib.sha256
    ).hexdigest()
    assert signing.sign(params, "secret") == expected


def test_a_signature_verifies_only_with_the_same_secret_and_content():
    params = signing.signed({"amount": 10000, "order_ref": "MC1"}, "secret")
    assert params["amount"] == "10000"
    assert signing.verify(params, "secret")
    assert signing.verify(
        {**params, "signature": params["signature"].upper()}, "secret"
    )
    assert not signing.verify(params, "other")
    assert not signing.verify({**params, "amount": "1"}, "secret")
    assert not signing.verify({**params, "extra": ""}, "secret")
    assert not signing.verify(
        {k: v for k, v in params.items() if k != "signature"}, "secret"
    )
    assert not signing.verify(params, "")


def test_values_cannot_be_shifted_between_parameters():
    # Without encoding, these two would sign the same string "a=1&b=2".
    assert signing.sign({"a": "1&b=2"}, "s") != signing.sign({"a": "1", "b": "2"}, "s")


def test_the_digest_ignores_the_signature_only():
    params = signing.signed({"a": "1"}, "secret")
    assert signing.digest(params) == signing.digest({"a": "1"})
    assert signing.digest(params) != signing.digest({"a": "2"})


def test_bodies_are_signed_as_raw_bytes():
    body = b'{"code": "00"}'
    signature = signing.sign_body(body, "secret")
    assert signing.verify_body(body, signature, "secret")
    assert not signing.verify_body(body + b" ", signature, "secret")
    assert not signing.verify_body(body, None, "secret")
