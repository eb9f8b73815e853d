"""
Screenshots of the main pages at 1366×768, for review: ``make screenshots``.

    python -m motcua.staff.screenshots DIR [--only NAME ...] [--user USERNAME]

Builds a throw-away SQLite database (migrate, then ``motcua seed-demo`` when
that command exists, else the small test province with dossiers in every
state, made by the services at instants counted back from now), serves the
project on a free port of 127.0.0.1, signs in through the login form and
saves one PNG per entry of ``SHOTS`` into DIR. Nothing outside DIR and a
temporary folder is touched.

To add a page, append a ``Shot`` to ``SHOTS``: a name (the file name), a path,
whether it needs a signed-in officer (``user`` names one; else ``--user``),
and optionally ``prepare``, a function that gets the Playwright page after it
loaded (fill a form, open a dialog). A path may name the built dossiers, e.g.
``/staff/dossiers/{working.code}/`` (see ``motcua.testing.screenshot_data``).
"""

import argparse
import os
import secrets
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEMO_USERNAME = "tiepnhan.demo"


@dataclass(frozen=True)
class Shot:
    name: str
    path: str
    login: bool = False
    language: str = "vi"
    # Called with the loaded page and the references of the built dossiers.
    prepare: Callable[[Any, dict[str, Any]], None] | None = None
    full_page: bool = False
    user: str | None = None


def _wrong_password(page, refs) -> None:
    page.locator("#id_username").fill(DEMO_USERNAME)
    page.locator("#id_password").fill("sai-mat-khau")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def _fill_counter(page, refs) -> None:
    """Pick a procedure without diacritics, type the applicant, tick the papers."""
    page.locator("#procedure-q").fill("dang ky thuong tru")
    page.get_by_text("thủ tục phù hợp").wait_for()
    page.locator(".proc").first.click()
    page.locator("#id_competent_agency").wait_for()
    page.locator(".chosen").wait_for()
    page.locator("#id_applicant_id_number").fill("001190012345")
    page.locator("#id_applicant_name").fill("Nguyễn Thị Hồng Nhung")
    page.locator("#id_applicant_birth_date").fill("1990-04-12")
    page.locator("#id_applicant_phone").fill("0912 345 678")
    page.locator("#id_applicant_address").fill(
        "Thôn Đông, xã An Hòa, tỉnh Lâm Hải Giang"
    )
    page.locator("#id_identity_verified").check()
    for box in page.locator(".checklist__tick input").all():
        box.check()
    page.locator(".checklist__source select").last.select_option("reused")
    page.evaluate("document.activeElement.blur(); window.scrollTo(0, 0)")
    page.mouse.move(0, 0)


def _receive_at_counter(page, refs) -> None:
    _fill_counter(page, refs)
    page.locator("button[value=receive]").click()
    page.wait_for_url("**/staff/reception/*/")


def _open_action(page, refs) -> None:
    page.locator("#actions details[open] textarea").first.fill(
        "Đã xác minh chỗ ở hợp pháp tại địa chỉ đăng ký; đủ điều kiện."
    )


def _lookup_with_secret(page, refs) -> None:
    page.locator("#id_secret").fill(refs["asking"].lookup_secret)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def _rate_returned(page, refs) -> None:
    dossier = refs["returned"]
    page.locator("#id_code").fill(dossier.code)
    page.locator("#id_secret").fill(dossier.lookup_secret)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    for criterion, level in (("a", 5), ("b", 5), ("c", 4), ("d", 4), ("dd", 5)):
        page.locator(f"label[for=id_c_{criterion}_{5 - level}]").click()
    page.evaluate("window.scrollTo(0, 0)")
    page.mouse.move(0, 0)


SHOTS: list[Shot] = [
    Shot("staff-login", "/staff/login/"),
    Shot("staff-login-error", "/staff/login/", prepare=_wrong_password),
    Shot("staff-home", "/staff/", login=True),
    Shot("staff-ui", "/staff/ui/", login=True, full_page=True),
    Shot(
        "staff-counter",
        "/staff/reception/",
        login=True,
        user="tiepnhan.anhoa",
        prepare=_fill_counter,
    ),
    Shot("staff-counter-start", "/staff/reception/", login=True, user="tiepnhan.anhoa"),
    Shot(
        "staff-counter-full",
        "/staff/reception/",
        login=True,
        user="tiepnhan.anhoa",
        prepare=_fill_counter,
        full_page=True,
    ),
    Shot(
        "staff-reception-done",
        "/staff/reception/",
        login=True,
        user="tiepnhan.anhoa",
        prepare=_receive_at_counter,
    ),
    Shot("staff-inbox", "/staff/inbox/?scope=unit", login=True, user="congan.anhoa"),
    Shot("staff-inbox-centre", "/staff/inbox/", login=True, user="tiepnhan.anhoa"),
    Shot(
        "staff-dossier",
        "/staff/dossiers/{working.code}/",
        login=True,
        user="congan.anhoa",
        prepare=_open_action,
    ),
    Shot(
        "staff-dossier-full",
        "/staff/dossiers/{returned.code}/",
        login=True,
        user="tiepnhan.anhoa",
        full_page=True,
    ),
    Shot(
        "staff-dossier-en",
        "/staff/dossiers/{working.code}/",
        login=True,
        user="congan.anhoa",
        language="en",
    ),
    Shot("staff-queues", "/staff/queues/", login=True, user="giamdoc.trungtam"),
    Shot(
        "staff-queues-full",
        "/staff/queues/",
        login=True,
        user="giamdoc.trungtam",
        full_page=True,
    ),
    Shot("public-home", "/", full_page=True),
    Shot("public-home-en", "/", language="en", full_page=True),
    Shot("public-lookup-code", "/lookup/?code={working.code}"),
    Shot(
        "public-lookup",
        "/lookup/?code={asking.code}",
        prepare=_lookup_with_secret,
        full_page=True,
    ),
    Shot("public-procedures", "/procedures/?q=dang+ky"),
    Shot("public-procedure", "/procedures/1.004222/", full_page=True),
    Shot("public-rate", "/rate/", prepare=_rate_returned),
    Shot("public-rate-full", "/rate/", prepare=_rate_returned, full_page=True),
    Shot("public-404", "/khong-co-trang-nay/"),
]


def _configure(workdir: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "motcua.conf.dev"
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'db.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    # The real error pages, not Django's debug pages.
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(32))
    import django

    django.setup()


def _seeded_refs() -> dict[str, Any]:
    """
    Pick from the seeded demo the dossiers the shots name, as the screenshot
    province would give them: a dossier in the police officer's inbox, one
    waiting for a supplement, and a returned one nobody has rated yet.
    """
    from motcua.accounts.models import User
    from motcua.dossiers.constants import DossierStatus
    from motcua.dossiers.models import Dossier
    from motcua.dossiers.selectors import inbox_for

    police = User.objects.get(username="congan.anhoa")
    returned = Dossier.objects.filter(status=DossierStatus.RETURNED)
    refs = {
        "working": inbox_for(user=police, scope="unit").first(),
        "asking": Dossier.objects.filter(status=DossierStatus.NEEDS_SUPPLEMENT)
        .order_by("code")
        .first(),
        "returned": returned.filter(ratings__isnull=True).order_by("code").first()
        or returned.order_by("code").first(),
    }
    missing = [name for name, dossier in refs.items() if dossier is None]
    if missing:
        raise RuntimeError(f"the seeded demo has no dossier for: {', '.join(missing)}")
    return refs


def _demo_officer(username: str, password: str) -> dict[str, Any]:
    """
    Give ``username`` and the officers the shots sign in as the password
    (creating a demo officer if need be); return the dossiers the shots name.
    """
    from django.core.management import call_command, get_commands

    from motcua.accounts.constants import Role
    from motcua.accounts.models import StaffMembership, User
    from motcua.units.constants import AgencyKind, AgencyLevel, Structure, UnitLevel
    from motcua.units.models import (
        AdministrativeUnit,
        Agency,
        OfficePeriod,
        WorkCalendar,
    )

    call_command("migrate", verbosity=0, interactive=False)
    refs: dict[str, Any] = {}
    # Command modules use underscores (motcua seed-demo runs seed_demo.py).
    if "seed_demo" in get_commands():
        call_command("seed_demo", verbosity=0)
        refs = _seeded_refs()
    else:
        from motcua.testing.screenshot_data import build_screenshot_province

        refs = build_screenshot_province().refs
    for shot_user in {s.user for s in SHOTS if s.user}:
        officer = User.objects.filter(username=shot_user).first()
        if officer is not None:
            officer.set_password(password)
            officer.save(update_fields=["password"])

    user = User.objects.filter(username=username).first()
    if user is None:
        province, _ = AdministrativeUnit.objects.get_or_create(
            structure=Structure.TWO_LEVEL,
            code="99",
            defaults={
                "level": UnitLevel.PROVINCE,
                "name": "Demo",
                "full_name": "Tỉnh Demo",
                "unit_type": "Tỉnh",
            },
        )
        centre = Agency.objects.filter(kind=AgencyKind.SERVICE_CENTRE).first()
        if centre is None:
            centre = Agency.objects.create(
                name="Trung tâm Phục vụ hành chính công tỉnh Demo",
                short_name="TTPVHCC tỉnh",
                kind=AgencyKind.SERVICE_CENTRE,
                level=AgencyLevel.PROVINCE,
                administrative_unit=province,
            )
        calendar, created = WorkCalendar.objects.get_or_create(
            is_default=True, defaults={"code": "tinh", "name": "Lịch làm việc của tỉnh"}
        )
        if created:
            OfficePeriod.objects.create(calendar=calendar, start="07:30", end="11:30")
            OfficePeriod.objects.create(calendar=calendar, start="13:30", end="17:30")
        user = User.objects.create(username=username, full_name="Nguyễn Thị Minh Thư")
        StaffMembership.objects.create(
            user=user,
            agency=centre,
            role=Role.RECEPTION,
            title="Chuyên viên",
            sector="Hộ tịch; Chứng thực",
        )
    user.set_password(password)
    user.save(update_fields=["password"])
    return refs


class _Server:
    """The project's WSGI application with its static files, in a thread."""

    def __init__(self) -> None:
        from django.contrib.staticfiles.handlers import StaticFilesHandler
        from django.core.handlers.wsgi import WSGIHandler
        from django.core.servers.basehttp import ThreadedWSGIServer
        from django.test.testcases import QuietWSGIRequestHandler

        self.httpd = ThreadedWSGIServer(("127.0.0.1", 0), QuietWSGIRequestHandler)
        self.httpd.set_app(StaticFilesHandler(WSGIHandler()))
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> "_Server":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _sign_in(page, username: str, password: str) -> None:
    page.goto("/staff/login/")
    # By id, not by label: the shot may be in any language.
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/staff/")


def take(
    shots: list[Shot],
    out: Path,
    *,
    base_url: str,
    username: str,
    password: str,
    browser=None,
    refs: dict[str, Any] | None = None,
) -> list[tuple[Path, list[str]]]:
    """
    Save ``shots`` as PNG files in ``out``; return each path with the problems
    its page reported (CSP violations, script errors, failed requests).

    Start Chromium unless a Playwright ``browser`` is given.
    """
    if browser is None:
        from playwright.sync_api import sync_playwright

        from motcua.testing.browser import launch_chromium

        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            try:
                return take(
                    shots,
                    out,
                    base_url=base_url,
                    username=username,
                    password=password,
                    browser=browser,
                    refs=refs,
                )
            finally:
                browser.close()

    from django.conf import settings

    from motcua.testing.browser import VIEWPORT, PageLog, watch

    results = []
    for shot in shots:
        context = browser.new_context(
            viewport=VIEWPORT,
            base_url=base_url,
            locale="vi-VN",
            timezone_id="Asia/Ho_Chi_Minh",
        )
        log = PageLog()
        watch(context, log)
        if shot.language != "vi":
            context.add_cookies(
                [
                    {
                        "name": settings.LANGUAGE_COOKIE_NAME,
                        "value": shot.language,
                        "url": base_url,
                    }
                ]
            )
        page = context.new_page()
        if shot.login:
            _sign_in(page, shot.user or username, password)
        page.goto(shot.path.format(**(refs or {})))
        if shot.prepare:
            shot.prepare(page, refs or {})
        path = out / f"{shot.name}.png"
        page.screenshot(path=path, full_page=shot.full_page)
        results.append((path, log.problems()))
        context.close()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder for the PNG files")
    parser.add_argument(
        "--only", nargs="*", metavar="NAME", help="take only these shots"
    )
    parser.add_argument(
        "--user",
        default=DEMO_USERNAME,
        help="officer to sign in as (an existing demo user gets a fresh password)",
    )
    args = parser.parse_args(argv)

    shots = [s for s in SHOTS if not args.only or s.name in args.only]
    if not shots:
        parser.error(f"no shot named {args.only}; known: {[s.name for s in SHOTS]}")
    args.out.mkdir(parents=True, exist_ok=True)

    from motcua.testing.browser import chromium_available

    if not chromium_available():
        sys.stderr.write("Chromium is missing: run scripts/ensure-chromium.sh\n")
        return 1

    with tempfile.TemporaryDirectory(prefix="motcua-shots-") as tmp:
        _configure(Path(tmp))
        password = secrets.token_urlsafe(16)
        refs = _demo_officer(args.user, password)
        with _Server() as server:
            results = take(
                shots,
                args.out,
                base_url=server.url,
                username=args.user,
                password=password,
                refs=refs,
            )
    failed = False
    for path, problems in results:
        sys.stdout.write(f"{path}\n")
        for problem in problems:
            failed = True
            sys.stderr.write(f"  {path.name}: {problem}\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
