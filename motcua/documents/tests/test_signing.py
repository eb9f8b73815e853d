"""Signer plugins, their configuration, the demo CA and sign_pdf."""

import io
import shutil

from django.core.management import call_command
from django.core.management.base import CommandError

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from motcua.documents.signing import (
    SignerUnavailable,
    SigningFailed,
    demo_ca,
    sign_pdf,
    signer_for_agency,
    signer_for_officer,
    signer_registry,
    trust_roots,
)
from motcua.documents.signing.base import Owner, env_name
from motcua.documents.signing.plugins import (
    Pkcs11Signer,
    Pkcs12Signer,
    pkcs11_config,
    pkcs12_config,
)
from motcua.documents.verification import pdf_verify

from .conftest import pdf_bytes

AGENCY = Owner("agency", "001.01.00.H99", "UBND xã An Hòa", "UBND xã An Hòa")
OFFICER = Owner("user", "tiepnhan.anhoa", "Nguyễn Thị Lan")


def test_environment_names_follow_the_owner():
    assert (
        env_name("MOTCUA_PKCS12_PASSPHRASE", AGENCY)
        == "MOTCUA_PKCS12_PASSPHRASE_AGENCY_001_01_00_H99"
    )
    assert (
        env_name("MOTCUA_PKCS11_KEY_LABEL", OFFICER)
        == "MOTCUA_PKCS11_KEY_LABEL_USER_TIEPNHAN_ANHOA"
    )


class TestPkcs11Configuration:
    def test_a_complete_configuration_is_read_per_owner_with_shared_fallbacks(self):
        config = pkcs11_config(
            {
                "MOTCUA_PKCS11_MODULE": "/usr/lib/softhsm/libsofthsm2.so",
                "MOTCUA_PKCS11_TOKEN_LABEL": "motcua",
                "MOTCUA_PKCS11_TOKEN_LABEL_AGENCY_001_01_00_H99": "ubnd-anhoa",
                "MOTCUA_PKCS11_KEY_LABEL_AGENCY_001_01_00_H99": "khoa-ubnd",
                "MOTCUA_PKCS11_PIN": "1234",
                "MOTCUA_PKCS11_SLOT": "2",
            },
            AGENCY,
        )
        assert config.module == "/usr/lib/softhsm/libsofthsm2.so"
        assert config.token_label == "ubnd-anhoa"  # the owner's own wins
        assert config.key_label == "khoa-ubnd"
        assert config.cert_label == "khoa-ubnd"  # defaults to the key label
        assert config.pin == "1234"  # the shared PIN
        assert config.slot == 2

    def test_missing_settings_are_named(self):
        with pytest.raises(SignerUnavailable) as error:
            pkcs11_config({"MOTCUA_PKCS11_TOKEN_LABEL": "motcua"}, OFFICER)
        assert error.value.code == "signer_not_configured"
        assert error.value.extra["missing"] == [
            "MOTCUA_PKCS11_MODULE",
            "MOTCUA_PKCS11_KEY_LABEL_USER_TIEPNHAN_ANHOA",
        ]

    def test_a_key_label_is_never_shared_between_owners(self):
        with pytest.raises(SignerUnavailable):
            pkcs11_config(
                {
                    "MOTCUA_PKCS11_MODULE": "/lib/p11.so",
                    "MOTCUA_PKCS11_TOKEN_LABEL": "t",
                    "MOTCUA_PKCS11_KEY_LABEL": "shared",
                },
                AGENCY,
            )

    def test_the_slot_must_be_a_number(self):
        with pytest.raises(SignerUnavailable):
            pkcs11_config(
                {
                    "MOTCUA_PKCS11_MODULE": "/lib/p11.so",
                    "MOTCUA_PKCS11_TOKEN_LABEL": "t",
                    "MOTCUA_PKCS11_KEY_LABEL_USER_TIEPNHAN_ANHOA": "k",
                    "MOTCUA_PKCS11_SLOT": "một",
                },
                OFFICER,
            )

    def test_the_plugin_is_registered_and_reads_its_environment(self):
        plugin = signer_registry.get("pkcs11", environ={})
        assert isinstance(plugin, Pkcs11Signer)
        with pytest.raises(SignerUnavailable):
            plugin.identity(AGENCY)


class TestPkcs12:
    def test_files_and_passphrases_come_from_the_keys_dir_and_the_environment(
        self, tmp_path
    ):
        config = pkcs12_config(
            {"MOTCUA_PKCS12_PASSPHRASE": "chung"}, AGENCY, keys_dir=tmp_path
        )
        assert config.path == tmp_path / "agency-001.01.00.H99.p12"
        assert config.passphrase == b"chung"
        config = pkcs12_config(
            {
                "MOTCUA_PKCS12_FILE_USER_TIEPNHAN_ANHOA": "/keys/lan.pfx",
                "MOTCUA_PKCS12_PASSPHRASE_USER_TIEPNHAN_ANHOA": "rieng",
                "MOTCUA_PKCS12_PASSPHRASE": "chung",
            },
            OFFICER,
            keys_dir=tmp_path,
        )
        assert str(config.path) == "/keys/lan.pfx" and config.passphrase == b"rieng"

    def test_a_pkcs12_file_signs(self, settings, tmp_path):
        issued = demo_ca.ensure(AGENCY)
        settings.MOTCUA_KEYS_DIR = tmp_path
        shutil.copy(issued.path, tmp_path / issued.path.name)
        environ = {
            env_name("MOTCUA_PKCS12_PASSPHRASE", AGENCY): demo_ca.passphrase(
                issued.path.name
            ).decode()
        }
        identity = Pkcs12Signer(environ=environ).identity(AGENCY)
        assert identity.label == "UBND xã An Hòa" and identity.plugin_id == "pkcs12"
        signed = sign_pdf(
            pdf_bytes(300),
            signer=identity,
            reason="Thử",
            location="An Hòa",
            field_name="Thu",
        )
        assert pdf_verify(signed, trust_roots=trust_roots()).ok

    def test_a_missing_file_or_a_wrong_passphrase_is_reported(self, settings, tmp_path):
        settings.MOTCUA_KEYS_DIR = tmp_path
        with pytest.raises(SignerUnavailable) as error:
            Pkcs12Signer(environ={}).identity(AGENCY)
        assert error.value.code == "signer_key_missing"
        shutil.copy(demo_ca.ensure(AGENCY).path, tmp_path / demo_ca.owner_file(AGENCY))
        with pytest.raises(SignerUnavailable) as error:
            Pkcs12Signer(environ={"MOTCUA_PKCS12_PASSPHRASE": "sai"}).identity(AGENCY)
        assert error.value.code == "signer_key_unreadable"


@pytest.mark.django_db
class TestChoosingTheSigner:
    def test_agencies_and_officers_get_their_own_demo_certificates(self, province):
        agency = signer_for_agency(province.committee_a)
        officer = signer_for_officer(
            province.users["reception_a"], agency=province.centre_a
        )
        assert agency.label == "UBND xã An Hòa" and agency.plugin_id == "demo"
        assert officer.label == "Nguyễn Thị Lan"
        subject = officer.certificate.subject.native
        assert subject["organization_name"] == province.centre_a.name
        issuer = agency.certificate.issuer.native["common_name"]
        assert issuer == "Lâm Hải Giang Root CA"

    def test_the_demo_signer_is_refused_when_demo_plugins_are_off(
        self, settings, province
    ):
        settings.MOTCUA_DEMO_PLUGINS = False
        with pytest.raises(SignerUnavailable) as error:
            signer_for_agency(province.committee_a)
        assert error.value.code == "signer_unavailable"

    def test_an_owner_may_use_another_plugin(self, monkeypatch, settings, province):
        monkeypatch.setenv("MOTCUA_SIGNER_AGENCY_001_01_00_H99", "pkcs11")
        with pytest.raises(SignerUnavailable) as error:
            signer_for_agency(province.committee_a)
        assert error.value.code == "signer_not_configured"


def test_a_damaged_pdf_or_a_used_field_cannot_be_signed():
    identity = demo_ca_identity()
    with pytest.raises(SigningFailed):
        sign_pdf(
            b"%PDF-1.7 nonsense",
            signer=identity,
            reason="",
            location="",
            field_name="A",
        )
    signed = sign_pdf(
        pdf_bytes(300), signer=identity, reason="", location="", field_name="A"
    )
    with pytest.raises(SigningFailed):
        sign_pdf(signed, signer=identity, reason="", location="", field_name="A")
    twice = sign_pdf(
        signed, signer=identity.signer, reason="", location="", field_name="B"
    )
    signatures = PdfFileReader(io.BytesIO(twice)).embedded_signatures
    assert [s.field_name for s in signatures] == ["A", "B"]
    assert pdf_verify(twice, trust_roots=trust_roots()).ok


def demo_ca_identity():
    return signer_registry.get("demo").identity(AGENCY)


@pytest.mark.django_db
def test_demo_ca_is_created_once_with_keys_for_every_agency_and_officer(
    settings, tmp_path, province
):
    settings.MOTCUA_DEMO_CA_DIR = tmp_path / "ca"
    out = io.StringIO()
    call_command("demo-ca", stdout=out)
    assert "created" in out.getvalue()
    assert "Certificates: 23 created, 0 kept (9 agencies, 14 staff)." in out.getvalue()
    files = sorted(p.name for p in (tmp_path / "ca").glob("*.p12"))
    assert "root.p12" in files and "agency-001.01.00.H99.p12" in files
    assert "user-tiepnhan.anhoa.p12" in files
    assert (tmp_path / "ca" / "root.pem").read_bytes().startswith(b"-----BEGIN")
    before = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "ca").glob("*.p12")}
    out = io.StringIO()
    call_command("demo-ca", stdout=out)
    assert "Certificates: 0 created, 23 kept" in out.getvalue()
    assert "(kept)" in out.getvalue()
    after = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "ca").glob("*.p12")}
    assert after == before


@pytest.mark.django_db
def test_demo_ca_refuses_to_run_outside_development(settings):
    settings.MOTCUA_DEMO_PLUGINS = False
    with pytest.raises(CommandError):
        call_command("demo-ca", stdout=io.StringIO())


def test_configured_trust_roots_are_read(settings, tmp_path):
    root_pem = demo_ca.root_certificate_pem() or b""
    if not root_pem:
        demo_ca.ensure_root()
        root_pem = demo_ca.root_certificate_pem()
    (tmp_path / "root.pem").write_bytes(root_pem)
    settings.MOTCUA_DEMO_PLUGINS = False
    assert trust_roots() == []
    settings.MOTCUA_TRUST_ROOTS = [str(tmp_path / "root.pem")]
    [root] = trust_roots()
    assert root.subject.native["common_name"] == "Lâm Hải Giang Root CA"
