"""
The signer plugin interface, the owners of signing keys (an agency, an
officer) and the environment naming scheme for per-owner key settings.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from motcua.core.exceptions import DomainError
from motcua.core.registry import Registry


class SignerUnavailable(DomainError):
    code = "signer_unavailable"
    status = 503
    default_message = _("Chưa cấu hình chữ ký số cho đơn vị hoặc cán bộ này.")


class SigningFailed(DomainError):
    code = "signing_failed"
    status = 422
    default_message = _("Không ký số được tài liệu.")


@dataclass(frozen=True, slots=True)
class Owner:
    """Who holds a signing key: an agency (results) or an officer (scans)."""

    kind: str  # "agency" or "user"
    ident: str  # the agency's electronic id, or the officer's username
    name: str  # the certificate's common name
    organisation: str = ""

    @property
    def slug(self) -> str:
        return re.sub(r"[^A-Za-z0-9._-]", "_", self.ident)


def owner_for_agency(agency: Any) -> Owner:
    ident = agency.current_code or f"id{agency.pk}"
    return Owner("agency", ident, agency.name, agency.name)


def owner_for_officer(user: Any, *, agency: Any = None) -> Owner:
    name = getattr(user, "display_name", "") or user.get_username()
    return Owner(
        "user", user.get_username(), name, agency.name if agency is not None else ""
    )


def env_name(prefix: str, owner: Owner) -> str:
    """
    Return the environment variable holding ``prefix`` for ``owner``, e.g.
    MOTCUA_PKCS12_PASSPHRASE_AGENCY_001_01_00_H99 or
    MOTCUA_PKCS11_KEY_LABEL_USER_TIEPNHAN_ANHOA: the identifier upper-cased,
    every character other than a letter or a digit replaced by "_".
    """
    ident = re.sub(r"[^A-Za-z0-9]", "_", owner.ident).upper()
    return f"{prefix}_{owner.kind.upper()}_{ident}"


def env_lookup(environ: Mapping[str, str], prefix: str, owner: Owner) -> str | None:
    """Return the per-owner value of ``prefix``, else the shared one, else None."""
    value = environ.get(env_name(prefix, owner)) or environ.get(prefix)
    return value or None


@dataclass
class SigningIdentity:
    """A ready pyHanko signer with what to record about it."""

    signer: Any  # pyhanko.sign.signers.Signer
    plugin_id: str
    owner: Owner
    close: Callable[[], None] | None = None

    @property
    def certificate(self) -> Any:
        return self.signer.signing_cert

    @property
    def label(self) -> str:
        cert = self.certificate
        if cert is not None:
            common_name = cert.subject.native.get("common_name")
            if common_name:
                return str(common_name)
        return self.owner.name

    @property
    def serial(self) -> str:
        cert = self.certificate
        return format(cert.serial_number, "x") if cert is not None else ""

    def release(self) -> None:
        if self.close is not None:
            self.close()


class BaseSignerPlugin:
    """
    A way to sign: keys in files, on a token, or from the demo CA.

    ``identity`` returns a SigningIdentity for an agency or an officer, or
    raises SignerUnavailable with a message an administrator can act on.
    """

    plugin_id: str
    verbose_name: Any = ""
    is_demo = False

    def identity(self, owner: Owner) -> SigningIdentity:
        raise NotImplementedError


signer_registry: Registry[BaseSignerPlugin] = Registry("signer")
