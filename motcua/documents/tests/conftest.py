import io
from datetime import datetime
from pathlib import Path

import pytest
import time_machine
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    TextStringObject,
)

from motcua.catalog.constants import DataSource
from motcua.catalog.models import Component, ResultType
from motcua.core.calendar import LOCAL_TZ
from motcua.dossiers.constants import DossierAction as A
from motcua.dossiers.services import dossier_apply_action, dossier_create
from motcua.testing.province import applicant, build_small_province

RESIDENCE_RESULT = "KQ-THUONG-TRU"


def at(*args):
    return datetime(*args, tzinfo=LOCAL_TZ)


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    """Every test writes files into its own empty directory."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


def files_on_disk(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


@pytest.fixture
def province(db):
    p = build_small_province()
    # Context for reuse: residence registration yields a confirmation of
    # residence, which birth registration then asks for.
    residence = p.procedures["residence"]
    ResultType.objects.create(
        version=residence, code=RESIDENCE_RESULT, name="Xác nhận thông tin về cư trú"
    )
    Component.objects.create(
        version=p.procedures["birth"],
        order=4,
        name="Xác nhận thông tin về cư trú của người đi đăng ký",
        required=False,
        reusable_source=DataSource.PERSONAL_STORE,
        result_type_code=RESIDENCE_RESULT,
    )
    return p


def every_component(version, source="paper") -> list[dict]:
    return [
        {"component": c.pk, "source": source, "paper_count": 1}
        for c in version.components.all()
    ]


def receive(p, kind="residence", *, when=None, components=None, **extra):
    version = p.procedures[kind]
    competent = p.police_a if kind == "residence" else p.committee_a
    with time_machine.travel(when or at(2026, 3, 2, 9, 0), tick=False):
        return dossier_create(
            procedure_version=version,
            channel="counter",
            receiving_centre=p.centre_a,
            competent_agency=competent,
            applicant=applicant(**extra.pop("applicant", {})),
            components=components
            if components is not None
            else every_component(version),
            actor=p.users["reception_a"],
            receive=True,
            **extra,
        )


def act(p, dossier, action, who, when, **data):
    with time_machine.travel(when, tick=False):
        return dossier_apply_action(
            dossier=dossier,
            action=action,
            actor=p.users[who] if isinstance(who, str) else who,
            data=data,
        )


def ready_for_result(p, dossier=None):
    """A residence dossier whose steps before signing are done."""
    dossier = dossier or receive(p)
    dossier = act(p, dossier, A.COMPLETE_STEP, "reception_a", at(2026, 3, 2, 10))
    return act(p, dossier, A.COMPLETE_STEP, "police_a", at(2026, 3, 2, 11))


# --------------------------------------------------------------- sample files


def pdf_bytes(*widths: float, height: float = 400) -> bytes:
    """A PDF with one blank page per width (widths tell the pages apart)."""
    writer = PdfWriter()
    for width in widths or (300,):
        writer.add_blank_page(width=width, height=height)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_bytes(width: int, height: int = 80, fmt: str = "PNG", **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, format=fmt, **save)
    return out.getvalue()


def tiff_frames(*widths: int) -> bytes:
    frames = [Image.new("L", (w, 60), 128) for w in widths]
    out = io.BytesIO()
    frames[0].save(out, format="TIFF", save_all=True, append_images=frames[1:])
    return out.getvalue()


def scripted_pdf(where: str) -> bytes:
    """A PDF that runs JavaScript: from /OpenAction, a page /AA or the names tree."""
    writer = PdfWriter()
    writer.add_blank_page(width=300, height=400)
    action = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('x')"),
        }
    )
    if where == "open_action":
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    elif where == "page_aa":
        writer.pages[0][NameObject("/AA")] = DictionaryObject(
            {NameObject("/O"): writer._add_object(action)}
        )
    else:
        # The document-level scripts of the names tree (ISO 32000 §7.7.4).
        names = ArrayObject([TextStringObject("x"), writer._add_object(action)])
        writer._root_object[NameObject("/Names")] = DictionaryObject(
            {NameObject("/JavaScript"): DictionaryObject({NameObject("/Names"): names})}
        )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=300, height=400)
    writer.encrypt(user_password="", owner_password="secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
