"""What a deputy's phone receives for /me/: compressed HTML, the favicon the page links (no console error),
and a session cookie that ends with the browser."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def test_the_me_page_arrives_gzipped_with_its_favicon_and_no_console_error(page, live_server, deputy_user):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    login(page, "deputy")
    response = page.goto("/me/")
    assert response.status == 200
    assert response.headers.get("content-encoding") == "gzip"
    icon = page.locator("link[rel=icon]")
    expect(icon).to_have_attribute("href", "/favicon.ico")
    favicon = page.request.get(live_server.url + "/favicon.ico")
    assert favicon.status == 200 and favicon.headers["content-type"].startswith("image/")
    assert errors == []


def test_the_session_cookie_lives_only_as_long_as_the_browser(page, live_server, staff_user):
    login(page, "staff")
    cookie = next(c for c in page.context.cookies() if c["name"] == "sessionid")
    assert cookie["expires"] == -1  # a session cookie: gone when the browser closes
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
