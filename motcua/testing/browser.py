"""
Drive Debian's Chromium with Playwright, as the browser tests and
``make screenshots`` do.

Playwright never downloads a browser here: it launches /usr/bin/chromium
(installed by scripts/ensure-chromium.sh), headless, with everything that
would phone home switched off.
"""

import os
from dataclasses import dataclass, field

CHROMIUM = os.environ.get("MOTCUA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# The screen the staff tool is designed for first (a common office laptop).
VIEWPORT = {"width": 1366, "height": 768}

# Records Content-Security-Policy violations reported to the page. Init
# scripts are injected by the browser itself, so the CSP does not block this.
_CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__motcuaReportCsp && window.__motcuaReportCsp(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"}` +
    ` at ${event.sourceFile}:${event.lineNumber} ${event.sample || ""}`.trim()
  );
});
"""


def chromium_available() -> bool:
    return os.access(CHROMIUM, os.X_OK)


def launch_chromium(playwright):
    """Return a headless Debian Chromium started by ``playwright`` (sync API)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


@dataclass
class PageLog:
    """What a page reported while a test or a screenshot ran."""

    csp_violations: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_responses: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return [
            *(f"CSP violation: {v}" for v in self.csp_violations),
            *(f"console error: {e}" for e in self.console_errors),
            *(f"script error: {e}" for e in self.page_errors),
            *(f"failed request: {r}" for r in self.failed_responses),
        ]

    def clear(self) -> None:
        for items in (
            self.csp_violations,
            self.console_errors,
            self.page_errors,
            self.failed_responses,
        ):
            items.clear()


def watch(context, log: PageLog, *, expected_statuses=(404, 422, 429)) -> None:
    """
    Record into ``log`` the CSP violations, console errors, script errors and
    failed responses of every page of the browser ``context``.

    Pages and htmx requests whose status is in ``expected_statuses`` answer
    with an error on purpose (a 404 page, a form with errors, a locked login);
    a stylesheet, script or image must never fail. Chromium logs every failed
    load on the console as well: those lines are left to the response check.
    """
    context.expose_function(
        "__motcuaReportCsp", lambda text: log.csp_violations.append(text)
    )
    context.add_init_script(_CSP_LISTENER)

    def on_console(message):
        if message.type != "error":
            return
        if message.text.startswith("Failed to load resource"):
            return
        log.console_errors.append(message.text)

    def on_response(response):
        if response.status < 400:
            return
        on_purpose = response.request.resource_type in ("document", "xhr", "fetch")
        if not (on_purpose and response.status in expected_statuses):
            log.failed_responses.append(f"{response.status} {response.url}")

    def on_page(page):
        page.on("console", on_console)
        page.on("pageerror", lambda error: log.page_errors.append(str(error)))
        page.on("response", on_response)

    context.on("page", on_page)
