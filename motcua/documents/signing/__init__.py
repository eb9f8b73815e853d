"""
PAdES signatures with pyHanko: pick the signer of an agency or an officer,
sign a PDF, and list the trusted roots used to verify.

Which plugin signs is MOTCUA_SIGNER (``demo`` when demo plugins are on,
``pkcs12`` otherwise), or per owner MOTCUA_SIGNER_AGENCY_<CODE> /
MOTCUA_SIGNER_USER_<USERNAME> (see ``env_name``). A timestamp from TSA_URL is
added when that setting is not empty (PAdES B-T instead of B-B).
"""

import io
import logging
import os
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from . import demo_ca
from . import plugins as _plugins  # noqa: F401  (registers the plugins)
from .base import (
    BaseSignerPlugin,
    Owner,
    SignerUnavailable,
    SigningFailed,
    SigningIdentity,
    env_name,
    owner_for_agency,
    owner_for_officer,
    signer_registry,
)

__all__ = [
    "BaseSignerPlugin",
    "Owner",
    "SignerUnavailable",
    "SigningFailed",
    "SigningIdentity",
    "sign_pdf",
    "signer_for_agency",
    "signer_for_officer",
    "signer_registry",
    "trust_roots",
]

logger = logging.getLogger(__name__)


def _plugin_for(owner: Owner, registry) -> BaseSignerPlugin:
    plugin_id = (
        os.environ.get(env_name("MOTCUA_SIGNER", owner)) or settings.MOTCUA_SIGNER
    )
    try:
        return registry.get(plugin_id)
    except KeyError:
        raise SignerUnavailable(
            _("Phương thức ký số “%(plugin)s” không có hoặc không được bật.")
            % {"plugin": plugin_id},
            code="signer_unavailable",
        ) from None


def signer_for_agency(agency: Any, *, registry=None) -> SigningIdentity:
    """Return the organisation signer of ``agency`` (results, certified copies)."""
    owner = owner_for_agency(agency)
    return _plugin_for(owner, registry or signer_registry).identity(owner)


def signer_for_officer(
    user: Any, *, agency: Any = None, registry=None
) -> SigningIdentity:
    """Return the personal signer of the officer ``user`` (scans, forms)."""
    owner = owner_for_officer(user, agency=agency)
    return _plugin_for(owner, registry or signer_registry).identity(owner)


def _timestamper():
    if not settings.TSA_URL:
        return None
    from pyhanko.sign.timestamps.aiohttp_client import HTTPTimeStamper

    return HTTPTimeStamper(settings.TSA_URL, timeout=10)


def sign_pdf(
    pdf_bytes: bytes,
    *,
    signer: SigningIdentity | Any,
    reason: str,
    location: str,
    field_name: str,
) -> bytes:
    """
    Return ``pdf_bytes`` with a PAdES signature of ``signer`` added in an
    incremental update (earlier signatures stay valid).

    ``signer`` is a SigningIdentity or a pyHanko Signer. Raise SigningFailed
    if the PDF cannot be signed (damaged, encrypted, field already signed).
    """
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    pyhanko_signer = signer.signer if isinstance(signer, SigningIdentity) else signer
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        reason=reason,
        location=location,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
    )
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
        output = signers.PdfSigner(
            meta, signer=pyhanko_signer, timestamper=_timestamper()
        ).sign_pdf(writer)
    except Exception as error:
        logger.warning("Signing failed: %s", error)
        raise SigningFailed(
            _("Không ký số được tài liệu: %(error)s") % {"error": error},
            code="signing_failed",
        ) from error
    return output.getvalue()


def trust_roots(paths: Iterable[str] = (), *, include_configured: bool = True) -> list:
    """
    Return the trusted root certificates (asn1crypto) used to verify:
    ``paths``, then MOTCUA_TRUST_ROOTS, then the demo root when demo plugins
    are on and it exists.
    """
    from asn1crypto import pem, x509

    certificates = []
    sources = list(paths)
    if include_configured:
        sources += list(settings.MOTCUA_TRUST_ROOTS)
    for path in sources:
        with open(path, "rb") as handle:
            data = handle.read()
        if pem.detect(data):
            certificates += [
                x509.Certificate.load(der) for _type, _h, der in pem.unarmor(data, True)
            ]
        else:
            certificates.append(x509.Certificate.load(data))
    if include_configured and settings.MOTCUA_DEMO_PLUGINS:
        demo_root = demo_ca.root_certificate_pem()
        if demo_root is not None:
            _type, _headers, der = pem.unarmor(demo_root)
            certificates.append(x509.Certificate.load(der))
    return certificates
