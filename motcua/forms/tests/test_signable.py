"""
The forms are plain PDFs that pyHanko can sign later (the documents work does
the signing; this only checks that our output does not stand in its way).
"""

from datetime import UTC, datetime, timedelta
from io import BytesIO

import pytest
from asn1crypto import keys, x509
from cryptography import x509 as cx509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from motcua.forms.services import form_render_pdf

pytestmark = pytest.mark.django_db


def _self_signed():
    key = ec.generate_private_key(ec.SECP256R1())
    name = cx509.Name([cx509.NameAttribute(NameOID.COMMON_NAME, "TTPVHCC An Hòa")])
    now = datetime.now(UTC)
    cert = (
        cx509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(cx509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(
            cx509.KeyUsage(True, True, False, False, False, True, False, False, False),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    der_cert = cert.public_bytes(serialization.Encoding.DER)
    der_key = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return x509.Certificate.load(der_cert), keys.PrivateKeyInfo.load(der_key)


def test_a_receipt_can_be_signed_and_the_signature_validates(build):
    pdf = form_render_pdf(build.received(), "01")
    cert, key = _self_signed()
    signer = signers.SimpleSigner(
        signing_cert=cert,
        signing_key=key,
        cert_registry=SimpleCertificateStore.from_certs([cert]),
    )
    out = signers.sign_pdf(
        IncrementalPdfFileWriter(BytesIO(pdf)),
        signers.PdfSignatureMetadata(field_name="NguoiTiepNhan"),
        signer=signer,
    )
    signature = PdfFileReader(out).embedded_signatures[0]
    status = validate_pdf_signature(signature, ValidationContext(trust_roots=[cert]))
    assert status.intact and status.valid
