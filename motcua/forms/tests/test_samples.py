"""
Write one PDF of every form into $FORMS_SAMPLES_DIR, to look at by hand:

    FORMS_SAMPLES_DIR=/tmp/forms .venv/bin/pytest -q motcua/forms/tests/test_samples.py
    pdftoppm -png -r 80 /tmp/forms/mau01.pdf /tmp/forms/mau01

The render time of each form (wall and CPU) goes to timings.txt there; the
first one pays for loading the fonts. Skipped in normal runs.
"""

import os
import time
from pathlib import Path

import pytest

from motcua.forms.services import form_render_pdf, tracking_book_pdf, tracking_book_xlsx

SAMPLES_DIR = os.environ.get("FORMS_SAMPLES_DIR")

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not SAMPLES_DIR, reason="set FORMS_SAMPLES_DIR to write samples"
    ),
]


def test_write_one_sample_of_every_form(build, province):
    out = Path(SAMPLES_DIR)
    out.mkdir(parents=True, exist_ok=True)
    samples = {
        "mau01": (build.received(), "01"),
        "mau02": (build.supplement_in_processing(), "02"),
        "mau02-reception": (build.supplement_at_reception(), "02"),
        "mau03": (build.refused(), "03"),
        "mau03-appraisal": (build.rejected(), "03"),
        "mau04": (build.extended(), "04"),
        "mau05": (build.stopped(), "05"),
        "mau06": (build.returned(), "06"),
        "mau06-group": (build.inter_agency(progress=3), "06"),
        "transfer": (build.inter_agency(progress=2), "transfer"),
    }
    renders = {
        name: (lambda d=dossier, k=kind: form_render_pdf(d, k))
        for name, (dossier, kind) in samples.items()
    }
    renders["mau07"] = lambda: tracking_book_pdf(province.centre_a, 2026)
    renders["mau07.xlsx"] = lambda: tracking_book_xlsx(province.centre_a, 2026)
    lines = []
    for name, render in renders.items():
        wall, cpu = time.perf_counter(), time.process_time()
        data = render()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        path = out / (name if "." in name else f"{name}.pdf")
        path.write_bytes(data)
        lines.append(
            f"{path.name:24} {wall * 1000:6.0f} ms wall {cpu * 1000:6.0f} ms CPU"
        )
    (out / "timings.txt").write_text("\n".join(lines) + "\n")
