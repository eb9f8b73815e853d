"""``motcua due-date``: the deadline rule on a unit's calendar, from the shell."""

import os
import subprocess
import sys
from datetime import time
from io import StringIO

from django.core.management import CommandError, call_command

import pytest

from motcua.units.models import OfficePeriod

from .factories import AgencyCodeFactory, AgencyFactory, WorkCalendarFactory

pytestmark = pytest.mark.django_db

EXAMPLE = [
    "--received",
    "2026-02-12T16:00",
    "--duration",
    "3",
    "--unit",
    "working_days",
]


def due(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("due_date", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def official():
    call_command("import_holidays", stdout=StringIO())


@pytest.mark.usefixtures("official")
@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (EXAMPLE, "2026-02-24T16:00"),
        ([*EXAMPLE, "--convention", "hours"], "2026-02-24T16:00"),
        ([*EXAMPLE, "--convention", "days", "--cutoff", "15:00"], "2026-02-24T17:30"),
        ([*EXAMPLE, "--cutoff", "15:00"], "2026-02-24T17:30"),
        ([*EXAMPLE, "--cutoff", "16:01"], "2026-02-24T16:00"),
        (
            [
                "--received",
                "2026-02-12 16:00",
                "--duration",
                "0.5",
                "--unit",
                "working_days",
            ],
            "2026-02-13T10:00",
        ),
        (
            [
                "--received",
                "2026-02-12T16:00",
                "--duration",
                "3",
                "--unit",
                "working_hours",
            ],
            "2026-02-13T09:00",
        ),
        (
            [
                "--received",
                "2026-02-12T16:00",
                "--duration",
                "10",
                "--unit",
                "calendar_days",
            ],
            "2026-02-23T17:30",
        ),
        (
            [
                "--received",
                "2026-01-31T10:00",
                "--duration",
                "1",
                "--unit",
                "calendar_months",
            ],
            "2026-03-02T17:30",
        ),
        (["--received", "2026-02-13T18:00", "--unit", "immediate"], "2026-02-23T17:30"),
        (
            [
                "--received",
                "2025-12-31T17:00",
                "--duration",
                "1",
                "--unit",
                "working_hours",
            ],
            "2026-01-05T08:00",
        ),
        (
            [
                "--received",
                "2026-02-12T09:00+00:00",
                "--duration",
                "3",
                "--unit",
                "working_days",
            ],
            "2026-02-24T16:00",
        ),
    ],
)
def test_due_date_prints_the_due_time(args, expected):
    """The due time is printed as YYYY-MM-DDTHH:MM, local time, with no warning."""
    assert due(*args) == (expected + "\n", "")


def test_the_default_convention_comes_from_the_settings(official, settings):
    """MOTCUA_DEADLINE_CONVENTION applies when --convention is not given."""
    settings.MOTCUA_DEADLINE_CONVENTION = "days"
    assert due(*EXAMPLE)[0] == "2026-02-24T17:30\n"


def test_before_import_holidays_the_statutory_proposal_is_used_with_a_warning():
    """Without official data the command still answers, from python-holidays, and warns."""
    out, err = due(*EXAMPLE)
    assert out == "2026-02-24T16:00\n"
    assert err.startswith("warning: no official schedule of days off for 2026;")
    # python-holidays misses the New Year 2026 swap: the warning is deserved.
    out, _ = due(
        "--received", "2025-12-31T17:00", "--duration", "1", "--unit", "working_hours"
    )
    assert out == "2026-01-02T08:00\n"


def test_an_unconfirmed_year_warns_on_stderr(official):
    """2027 has no official schedule yet: the answer comes with a warning."""
    out, err = due(
        "--received", "2027-02-03T10:00", "--duration", "1", "--unit", "working_days"
    )
    assert out == "2027-02-11T10:00\n"
    assert "no official schedule of days off for 2027" in err
    out, err = due(
        "--received", "2026-12-30T10:00", "--duration", "5", "--unit", "working_days"
    )
    assert "for 2027" in err


def test_verbose_output_explains_the_start_on_stderr(official):
    """At verbosity 2 the start of the clock is shown, stdout stays the due time."""
    out, err = due(*EXAMPLE, "--cutoff", "15:00", "--verbosity", "2")
    assert out == "2026-02-24T17:30\n"
    assert (
        err
        == "clock starts 2026-02-13T07:30; convention hours; 480 working minutes a day\n"
    )


def test_calendar_by_code_or_agency_identifier(official):
    """--calendar names a calendar or an agency (by its electronic identifier)."""
    own = WorkCalendarFactory(code="xa-dai-mo")
    OfficePeriod.objects.create(calendar=own, start=time(8), end=time(12))
    AgencyCodeFactory(agency=AgencyFactory(calendar=own), code="000.21.01.H99")
    for code in ["xa-dai-mo", "000.21.01.H99"]:
        assert due(*EXAMPLE, "--calendar", code)[0] == "2026-02-24T12:00\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--duration", "3", "--unit", "working_days"], "--received is required"),
        (
            [
                "--received",
                "12/02/2026 16:00",
                "--duration",
                "3",
                "--unit",
                "working_days",
            ],
            "--received: '12/02/2026 16:00' is not a date and time",
        ),
        (
            [
                "--received",
                "2026-02-30T16:00",
                "--duration",
                "3",
                "--unit",
                "working_days",
            ],
            "is not a date and time",
        ),
        (
            ["--received", "2026-02-12T16:00", "--unit", "working_days"],
            "--duration is required",
        ),
        (
            [
                "--received",
                "2026-02-12T16:00",
                "--duration",
                "-1",
                "--unit",
                "working_days",
            ],
            "--duration: a duration cannot be negative",
        ),
        (
            [
                "--received",
                "2026-02-12T16:00",
                "--duration",
                "ba",
                "--unit",
                "working_days",
            ],
            "--duration: 'ba' is not a number",
        ),
        (
            [
                "--received",
                "2026-02-12T16:00",
                "--duration",
                "NaN",
                "--unit",
                "working_days",
            ],
            "--duration: 'NaN' is not a number",
        ),
        (["--received", "2026-02-12T16:00", "--duration", "3"], "--unit is required"),
        (
            ["--received", "2026-02-12T16:00", "--duration", "3", "--unit", "days"],
            "--unit: unknown value 'days'",
        ),
        (
            [
                "--received",
                "2026-02-12T16:00",
                "--duration",
                "3",
                "--unit",
                "ngay_lam_viec",
            ],
            "--unit: unknown value",
        ),
        (
            [*EXAMPLE, "--convention", "weeks"],
            "--convention: unknown value 'weeks' (one of: hours, days)",
        ),
        ([*EXAMPLE, "--cutoff", "3pm"], "--cutoff: '3pm' is not a time"),
        ([*EXAMPLE, "--cutoff", "25:00"], "--cutoff: '25:00' is not a time"),
        ([*EXAMPLE, "--cutoff", "15:00:30"], "--cutoff: '15:00:30' is not a time"),
        (
            [*EXAMPLE, "--calendar", "khong-co"],
            "--calendar: no calendar or agency has the code 'khong-co'",
        ),
        (
            [
                "--received",
                "2040-01-02T10:00",
                "--duration",
                "1",
                "--unit",
                "working_days",
            ],
            "2040-01-02 is outside the calendar",
        ),
    ],
)
def test_bad_input_is_refused_with_a_one_line_message(args, message):
    """Each bad argument gets a one-line error naming it."""
    with pytest.raises(CommandError) as raised:
        due(*args)
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


def test_the_motcua_command_exits_non_zero_with_one_line():
    """From the shell, `motcua due-date` with bad input prints one line and exits 1."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "motcua.conf.test"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "motcua",
            "due-date",
            "--received",
            "yesterday",
            "--unit",
            "immediate",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        "CommandError: --received: 'yesterday' is not a date and time (YYYY-MM-DDTHH:MM)\n"
    )
