"""
pytest fixtures for browser tests: ``browser`` (one Chromium per test module) and
``page`` (a fresh context at 1366×768 on the ``live_server``, watched for CSP
violations and script errors, which fail the test).

Loaded from the root conftest.py. Tests that use them are marked ``browser``
automatically; ``pytest -m "not browser"`` leaves them out.
"""

import os

import pytest

from .browser import VIEWPORT, PageLog, chromium_available, launch_chromium, watch

BROWSER_FIXTURES = {"browser", "page", "page_log"}


def pytest_collection_modifyitems(items):
    for item in items:
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)


# Module scope, not session: while Playwright's sync API is started, its event
# loop counts as running in the main thread, so any later asyncio.run() (pyHanko
# signing, for one) fails. pytest-randomly shuffles modules but keeps each
# module's tests together, so stopping Playwright after each browser module
# leaves every other module a thread without a running loop.
@pytest.fixture(scope="module")
def _playwright():
    if not chromium_available():
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is missing: run scripts/ensure-chromium.sh")
        pytest.skip("Chromium is missing: run scripts/ensure-chromium.sh")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop in this thread; Django then
    # takes every ORM call of the test itself for one made from async code.
    # The calls are synchronous in fact, so tell Django so, for tests only.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    yield playwright
    playwright.stop()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="module")
def browser(_playwright):
    browser = launch_chromium(_playwright)
    yield browser
    browser.close()


@pytest.fixture
def page_log():
    return PageLog()


@pytest.fixture
def page(browser, live_server, page_log):
    """
    A page in a fresh browser context (no cookies) whose relative URLs go to
    the live server. The test fails if the page reported a CSP violation, a
    script error or an unexpected failed request; a test that provokes one on
    purpose clears ``page_log`` afterwards.
    """
    context = browser.new_context(
        viewport=VIEWPORT,
        base_url=live_server.url,
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
    )
    context.set_default_timeout(10_000)
    watch(context, page_log)
    page = context.new_page()
    yield page
    context.close()
    problems = page_log.problems()
    if problems:
        pytest.fail("The page reported problems:\n" + "\n".join(problems))
