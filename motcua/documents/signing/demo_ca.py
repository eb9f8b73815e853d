"""
The demo certificate authority: "Lâm Hải Giang Root CA", which issues an
organisation certificate to every agency and a personal certificate to every
officer, stored as PKCS#12 files under MOTCUA_DEMO_CA_DIR (var/, not in git).

For development and tests only. Passphrases are derived from SECRET_KEY, so
anyone with the settings can sign: never trust this root in production.

Keys are ECDSA P-256: a key takes well under a millisecond to generate (an
RSA-2048 key takes tens of milliseconds, and varies), signatures are small,
and pyHanko, Adobe Acrobat and Foxit validate them. Real certificates (RSA
from the national CA) come through the pkcs12 and pkcs11 plugins, which do
not care about the algorithm.
"""

import contextlib
import hashlib
import hmac
import os
import tempfile
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from .base import Owner

ROOT_NAME = "Lâm Hải Giang Root CA"
ROOT_FILE = "root.p12"
ROOT_PEM = "root.pem"
# Fixed, wide validity: tests travel in time (2026) and demo documents must
# still validate years later.
NOT_BEFORE = datetime(2020, 1, 1, tzinfo=UTC)
ROOT_NOT_AFTER = datetime(2050, 1, 1, tzinfo=UTC)
LEAF_NOT_AFTER = datetime(2045, 1, 1, tzinfo=UTC)

_lock = threading.Lock()


def ca_dir() -> Path:
    return Path(settings.MOTCUA_DEMO_CA_DIR)


def passphrase(name: str) -> bytes:
    """Return the demo passphrase of the key file ``name`` (from SECRET_KEY)."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"motcua-demo-ca:{name}".encode(), hashlib.sha256
    )
    return digest.hexdigest()[:32].encode()


def owner_file(owner: Owner) -> str:
    return f"{owner.kind}-{owner.slug}.p12"


@dataclass(frozen=True)
class Issued:
    path: Path
    created: bool


@contextlib.contextmanager
def _directory_lock(directory: Path):
    """Serialise creation between threads and processes (test workers)."""
    directory.mkdir(parents=True, exist_ok=True)
    with _lock, open(directory / ".lock", "w") as handle:
        try:
            import fcntl

            fcntl.flock(handle, fcntl.LOCK_EX)
        except ImportError:  # pragma: no cover - not on Linux
            pass
        yield


def _write_atomic(path: Path, data: bytes) -> None:
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temp, 0o600)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise


def _name(common_name: str, organisation: str, serial: str = "") -> x509.Name:
    attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if organisation:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation))
    if serial:
        attributes.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, serial))
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(attributes)


def _key_usage(*, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not ca,
        content_commitment=not ca,  # non-repudiation, which pyHanko requires
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def _create_root(directory: Path) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name(ROOT_NAME, "motcua (chứng thư thử nghiệm)")
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOT_BEFORE)
        .not_valid_after(ROOT_NOT_AFTER)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(ca=True), critical=True)
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False
        )
        .sign(key, hashes.SHA256())
    )
    _write_atomic(
        directory / ROOT_FILE,
        pkcs12.serialize_key_and_certificates(
            ROOT_NAME.encode(),
            key,
            cert,
            None,
            serialization.BestAvailableEncryption(passphrase(ROOT_FILE)),
        ),
    )
    _write_atomic(directory / ROOT_PEM, cert.public_bytes(serialization.Encoding.PEM))


def _load_root(directory: Path):
    try:
        key, cert, _others = pkcs12.load_key_and_certificates(
            (directory / ROOT_FILE).read_bytes(), passphrase(ROOT_FILE)
        )
    except ValueError:
        raise RuntimeError(
            f"The demo CA in {directory} was made with another SECRET_KEY; "
            "delete the directory and run `motcua demo-ca` again."
        ) from None
    return key, cert


def ensure_root() -> Issued:
    """Create the root CA unless it exists; return where it is."""
    directory = ca_dir()
    path = directory / ROOT_FILE
    if path.exists() and (directory / ROOT_PEM).exists():
        return Issued(path, False)
    with _directory_lock(directory):
        if path.exists() and (directory / ROOT_PEM).exists():
            return Issued(path, False)
        _create_root(directory)
        return Issued(path, True)


def root_certificate_pem() -> bytes | None:
    path = ca_dir() / ROOT_PEM
    return path.read_bytes() if path.exists() else None


def ensure(owner: Owner) -> Issued:
    """
    Issue a certificate to ``owner`` unless one exists; return its PKCS#12 file.

    Idempotent and safe to call from several processes at once.
    """
    directory = ca_dir()
    path = directory / owner_file(owner)
    if path.exists():
        return Issued(path, False)
    ensure_root()
    with _directory_lock(directory):
        if path.exists():
            return Issued(path, False)
        root_key, root_cert = _load_root(directory)
        key = ec.generate_private_key(ec.SECP256R1())
        organisation = owner.organisation or owner.name
        serial = owner.ident if owner.kind == "agency" else ""
        cert = (
            x509.CertificateBuilder()
            .subject_name(_name(owner.name, organisation, serial))
            .issuer_name(root_cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(NOT_BEFORE)
            .not_valid_after(LEAF_NOT_AFTER)
            .add_extension(
                x509.BasicConstraints(ca=False, path_length=None), critical=True
            )
            .add_extension(_key_usage(ca=False), critical=True)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(
                    root_key.public_key()
                ),
                critical=False,
            )
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                critical=False,
            )
            .sign(root_key, hashes.SHA256())
        )
        _write_atomic(
            path,
            pkcs12.serialize_key_and_certificates(
                owner.name.encode(),
                key,
                cert,
                [root_cert],
                serialization.BestAvailableEncryption(passphrase(path.name)),
            ),
        )
        return Issued(path, True)
