"""The browser-test harness: Playwright's sync API driving Chromium against pytest-django's live server.

One browser per session, a fresh context and page per test. The live server runs in a thread of this
process and reads the database through its own connection, so every browser test uses a transactional
database (data is committed, then the tables are flushed). The flush also empties the role groups and
permissions; Django's ``flush`` emits ``post_migrate`` afterwards, which recreates the content types,
the permissions and, through ``apps.core.roles.sync_role_groups``, the role groups with their permissions
(checked by ``test_role_groups_survive_the_flush_after_a_browser_test``).

Chromium: ``CHROMIUM_PATH``, else Debian's ``/usr/bin/chromium``, else Playwright's own bundled browser
(on a machine with internet access after ``playwright install chromium``).
"""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from a thread with a
# running loop unless told this is fine (it is: the loop only drives the browser).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DEBIAN_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
PASSWORD = "Renda@2026"  # what tests.factories.UserFactory gives every user

expect.set_options(timeout=10_000)
_reports = pytest.StashKey[dict]()


def chromium_path() -> str | None:
    """The Chromium to drive, or None for Playwright's bundled one."""
    for candidate in (os.environ.get("CHROMIUM_PATH"), DEBIAN_CHROMIUM, shutil.which("chromium")):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item so the page fixture knows whether the test failed."""
    report = yield
    item.stash.setdefault(_reports, {})[report.when] = report
    return report


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        executable = chromium_path()
        launch = {"headless": True, "args": CHROMIUM_ARGS}
        if executable:
            launch["executable_path"] = executable
        browser = playwright.chromium.launch(**launch)
        yield browser
        browser.close()


@pytest.fixture
def browser_context_args(live_server, transactional_db):
    """Keyword arguments of the test's browser context; override in a test module for another viewport."""
    return {"base_url": live_server.url, "locale": "zh-CN", "viewport": {"width": 1366, "height": 900}}


@pytest.fixture
def page(request, browser, browser_context_args) -> Page:
    """A fresh context and page; on failure a full-page screenshot goes to test-artifacts/."""
    context = browser.new_context(**browser_context_args)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    reports = request.node.stash.get(_reports, {})
    if any(r.failed for r in reports.values()):
        ARTIFACTS.mkdir(exist_ok=True)
        name = "".join(c if c.isalnum() or c in "-_." else "_" for c in request.node.nodeid)
        try:
            page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        except Exception as exc:  # noqa: BLE001 - a failed screenshot must not hide the test's failure
            print(f"screenshot failed: {exc}")
    context.close()


def login(page: Page, username: str, password: str = PASSWORD) -> None:
    """Sign in through the login form, as a person would, and wait to leave the login page."""
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def open_menu_item(page: Page, item_id: str) -> None:
    """Click entry ``#item_id`` of the main menu as a person would: open the hamburger on a narrow screen and the
    entry's task drop-down (代表, 履职, 议案建议, 联系, 考核, 系统) first."""
    page.wait_for_load_state()  # the stylesheets applied: before them the hamburger shows at any width
    toggler = page.locator("nav.app-navbar .navbar-toggler")
    if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
        toggler.click()
    item = page.locator(f"#{item_id}")
    if not item.is_visible():
        page.locator(f"nav.app-navbar li.dropdown:has(#{item_id}) > .dropdown-toggle").click()
    item.click()
