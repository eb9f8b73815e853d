"""The API docs page in Debian's Chromium: Swagger UI runs under the CSP."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_swagger_ui_renders_every_endpoint_from_self_without_csp_violations(
    page, live_server
):
    outside = []
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith(live_server.url)
            else outside.append(request.url)
        ),
    )
    page.goto("/api/v1/docs")

    expect(page.locator(".swagger-ui .info .title")).to_contain_text("motcua API")
    expect(page.locator(".opblock")).to_have_count(11)
    page.locator(".opblock-summary", has_text="/api/v1/dossiers/{ref}/actions").click()
    expect(page.locator(".opblock-body").first).to_be_visible()
    # The fixture fails the test on any CSP violation or script error; nothing
    # may be fetched from outside (no CDN, no validator badge).
    assert outside == []
