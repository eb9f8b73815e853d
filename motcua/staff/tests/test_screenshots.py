import pytest

from motcua.accounts.tests.factories import DEMO_PASSWORD, MembershipFactory
from motcua.staff.screenshots import DEMO_USERNAME, SHOTS, take

pytestmark = pytest.mark.browser


def test_shots_are_taken_without_page_problems(browser, live_server, tmp_path):
    """A sample covering a prepared form, a signed-in page and English (all of
    SHOTS runs in ``make screenshots``, which fails on any problem too)."""
    MembershipFactory(user__username=DEMO_USERNAME)
    shots = [
        s
        for s in SHOTS
        if s.name in {"staff-login-error", "staff-home", "public-home-en"}
    ]

    results = take(
        shots,
        tmp_path,
        base_url=live_server.url,
        username=DEMO_USERNAME,
        password=DEMO_PASSWORD,
        browser=browser,
    )

    assert len(shots) == 3
    assert [path.name for path, _ in results] == [f"{s.name}.png" for s in shots]
    for path, problems in results:
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert problems == [], path.name
