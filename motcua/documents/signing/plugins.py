"""
The signer plugins: ``demo`` (the demo CA), ``pkcs12`` (key files) and
``pkcs11`` (a token or HSM). Secrets come from the environment only.
"""

import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from . import demo_ca
from .base import (
    BaseSignerPlugin,
    Owner,
    SignerUnavailable,
    SigningIdentity,
    env_lookup,
    env_name,
    signer_registry,
)


@lru_cache(maxsize=256)
def _load_pkcs12(path: str, mtime_ns: int, secret: bytes | None):
    # Keyed by modification time: a renewed key file is read again.
    from pyhanko.sign import signers

    return signers.SimpleSigner.load_pkcs12_data(
        Path(path).read_bytes(), other_certs=[], passphrase=secret
    )


def load_pkcs12(path: Path, secret: bytes | None):
    try:
        return _load_pkcs12(str(path), path.stat().st_mtime_ns, secret)
    except FileNotFoundError:
        raise SignerUnavailable(
            _("Không tìm thấy tệp khóa ký số %(path)s.") % {"path": path},
            code="signer_key_missing",
        ) from None
    except ValueError:
        raise SignerUnavailable(
            _("Không mở được tệp khóa ký số %(path)s (sai mật khẩu hoặc tệp hỏng).")
            % {"path": path},
            code="signer_key_unreadable",
        ) from None


@signer_registry.register("demo")
class DemoSigner(BaseSignerPlugin):
    """Keys from the demo CA, issued on first use. Development and tests only."""

    verbose_name = _("CA thử nghiệm (chỉ dùng để trình diễn)")
    is_demo = True

    def identity(self, owner: Owner) -> SigningIdentity:
        issued = demo_ca.ensure(owner)
        signer = load_pkcs12(issued.path, demo_ca.passphrase(issued.path.name))
        return SigningIdentity(signer=signer, plugin_id="demo", owner=owner)


@dataclass(frozen=True)
class Pkcs12Config:
    path: Path
    passphrase: bytes | None
    passphrase_variable: str


def pkcs12_config(
    environ: Mapping[str, str], owner: Owner, *, keys_dir: Path
) -> Pkcs12Config:
    """
    Return where ``owner``'s PKCS#12 file is and its passphrase.

    The file is MOTCUA_PKCS12_FILE_<OWNER> if set, else
    ``keys_dir/agency-<code>.p12`` or ``keys_dir/user-<username>.p12``; the
    passphrase is MOTCUA_PKCS12_PASSPHRASE_<OWNER>, else the shared
    MOTCUA_PKCS12_PASSPHRASE.
    """
    path = environ.get(env_name("MOTCUA_PKCS12_FILE", owner))
    secret = env_lookup(environ, "MOTCUA_PKCS12_PASSPHRASE", owner)
    return Pkcs12Config(
        path=Path(path) if path else Path(keys_dir) / demo_ca.owner_file(owner),
        passphrase=secret.encode() if secret else None,
        passphrase_variable=env_name("MOTCUA_PKCS12_PASSPHRASE", owner),
    )


@signer_registry.register("pkcs12")
class Pkcs12Signer(BaseSignerPlugin):
    """A key and certificate chain in a PKCS#12 (.p12/.pfx) file per owner."""

    verbose_name = _("Tệp khóa PKCS#12")

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self.environ = os.environ if environ is None else environ

    def identity(self, owner: Owner) -> SigningIdentity:
        config = pkcs12_config(
            self.environ, owner, keys_dir=Path(settings.MOTCUA_KEYS_DIR)
        )
        signer = load_pkcs12(config.path, config.passphrase)
        return SigningIdentity(signer=signer, plugin_id="pkcs12", owner=owner)


@dataclass(frozen=True)
class Pkcs11Config:
    module: str
    token_label: str
    key_label: str
    cert_label: str
    pin: str | None
    slot: int | None


def pkcs11_config(environ: Mapping[str, str], owner: Owner) -> Pkcs11Config:
    """
    Return the token settings of ``owner`` from the environment:
    MOTCUA_PKCS11_MODULE (the PKCS#11 library), MOTCUA_PKCS11_SLOT (optional),
    and per owner, each falling back to the shared variable without suffix:
    MOTCUA_PKCS11_TOKEN_LABEL_<OWNER>, MOTCUA_PKCS11_KEY_LABEL_<OWNER>,
    MOTCUA_PKCS11_CERT_LABEL_<OWNER> (defaults to the key label) and
    MOTCUA_PKCS11_PIN_<OWNER> (none: the token's PIN pad asks).

    Raise SignerUnavailable naming every missing variable.
    """
    module = environ.get("MOTCUA_PKCS11_MODULE") or ""
    token = env_lookup(environ, "MOTCUA_PKCS11_TOKEN_LABEL", owner)
    key = environ.get(env_name("MOTCUA_PKCS11_KEY_LABEL", owner)) or ""
    missing = [
        variable
        for variable, value in (
            ("MOTCUA_PKCS11_MODULE", module),
            (env_name("MOTCUA_PKCS11_TOKEN_LABEL", owner), token),
            (env_name("MOTCUA_PKCS11_KEY_LABEL", owner), key),
        )
        if not value
    ]
    if missing:
        raise SignerUnavailable(
            _("Thiếu cấu hình ký số PKCS#11: %(variables)s.")
            % {"variables": ", ".join(missing)},
            code="signer_not_configured",
            extra={"missing": missing},
        )
    slot = environ.get("MOTCUA_PKCS11_SLOT") or None
    try:
        slot_number = int(slot) if slot is not None else None
    except ValueError:
        raise SignerUnavailable(
            _("MOTCUA_PKCS11_SLOT phải là một số."), code="signer_not_configured"
        ) from None
    return Pkcs11Config(
        module=module,
        token_label=token or "",
        key_label=key,
        cert_label=environ.get(env_name("MOTCUA_PKCS11_CERT_LABEL", owner)) or key,
        pin=env_lookup(environ, "MOTCUA_PKCS11_PIN", owner),
        slot=slot_number,
    )


@signer_registry.register("pkcs11")
class Pkcs11Signer(BaseSignerPlugin):
    """
    A key on a USB token or an HSM through its PKCS#11 library. Needs the
    python-pkcs11 package (pyHanko's ``pkcs11`` extra), not installed by default.
    """

    verbose_name = _("Thiết bị ký số PKCS#11 (token, HSM)")

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self.environ = os.environ if environ is None else environ

    def identity(self, owner: Owner) -> SigningIdentity:  # pragma: no cover - hardware
        config = pkcs11_config(self.environ, owner)
        try:
            from pyhanko.config.pkcs11 import TokenCriteria
            from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session
        except ImportError:
            raise SignerUnavailable(
                _("Chưa cài thư viện python-pkcs11 để dùng thiết bị ký số."),
                code="signer_unavailable",
            ) from None
        session = open_pkcs11_session(
            config.module,
            slot_no=config.slot,
            token_criteria=TokenCriteria(label=config.token_label),
            user_pin=config.pin,
        )
        signer = PKCS11Signer(
            session, key_label=config.key_label, cert_label=config.cert_label
        )
        return SigningIdentity(
            signer=signer, plugin_id="pkcs11", owner=owner, close=session.close
        )
