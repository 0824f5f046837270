"""The Content-Security-Policy in a real browser: the main pages, with their scripts at work (htmx swaps,
Bootstrap's dropdown, tom-select's search), trigger no violation. Chromium reports each refused inline style or
script as a `securitypolicyviolation` event and as a console error; both are collected."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.activities.staff_support import make_activity, participate
from tests.browser.conftest import login
from tests.factories import MandateFactory, PersonFactory

pytestmark = pytest.mark.browser

# Runs before the page's own scripts (through the DevTools protocol, so the CSP does not apply to it).
COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sample || ""));
});
"""


@pytest.fixture
def watched(page):
    """The page, with every CSP complaint of every page it visits collected in ``page.csp_problems``."""
    problems = []
    page.add_init_script(COLLECT_VIOLATIONS)
    page.on("console", lambda msg: problems.append(msg.text)
            if msg.type == "error" and "Content Security Policy" in msg.text else None)
    page.csp_problems = problems
    return page


def violations(page) -> list[str]:
    return [*page.evaluate("window.__cspViolations || []"), *page.csp_problems]


def visit(page, url: str) -> list[str]:
    response = page.goto(url)
    assert response.status < 400, url
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")
    return violations(page)


def test_the_login_page_keeps_to_the_policy(watched):
    assert visit(watched, reverse("accounts:login")) == []
    # htmx did not inject its indicator <style> (app.js turned it off; app.css has the rules).
    assert watched.evaluate("document.querySelectorAll('style').length") == 0


def test_staff_pages_keep_to_the_policy(watched, staff_user, municipal_mandate, city, city_term):
    for name in ("赵一鸣", "钱二宝", "孙三立"):
        MandateFactory(term=city_term, person=PersonFactory(name=name))
    activity = make_activity(city, user=staff_user)
    participate(activity, municipal_mandate)
    login(watched, "staff")
    pages = [
        reverse("core:home"),
        reverse("deputies:roster_list"),
        reverse("deputies:person_detail", args=[municipal_mandate.person_id]),
        reverse("liaison:plan_current"),
        reverse("liaison:contact_create"),
        reverse("activities:activity_list"),
        reverse("activities:activity_calendar"),
        reverse("training:coverage"),
        reverse("stations:station_list"),
        reverse("stations:station_create"),
    ]
    for url in pages:
        assert visit(watched, url) == [], url

    # htmx: the roster filters swap the table and push the URL.
    watched.goto(reverse("deputies:roster_list"))
    watched.locator("#id_q").press_sequentially("zym")
    expect(watched.locator("#roster-table")).to_contain_text("赵一鸣")
    expect(watched.locator("#roster-table")).not_to_contain_text("钱二宝")
    # Bootstrap: the user menu drops down (Popper positions it through element.style, which CSP allows).
    watched.locator("#nav-user-menu").click()
    expect(watched.locator(".dropdown-menu-end")).to_be_visible()
    assert violations(watched) == []

    # tom-select on an activity's page: search and pick a deputy.
    watched.goto(reverse("activities:activity_detail", args=[activity.pk]))
    watched.wait_for_load_state("networkidle")
    watched.locator(".ts-control input").press_sequentially("qeb")
    expect(watched.locator(".ts-dropdown")).to_contain_text("钱二宝")
    watched.locator(".ts-dropdown .option", has_text="钱二宝").first.click()
    expect(watched.locator(".ts-control .item", has_text="钱二宝")).to_be_visible()
    assert violations(watched) == []
    assert watched.evaluate("document.querySelectorAll('style').length") == 0


def test_a_deputys_pages_keep_to_the_policy(watched, deputy_user):
    login(watched, "deputy")
    for url in (reverse("activities:my_activities"), reverse("activities:self_report_create"),
                reverse("deputies:person_detail", args=[deputy_user.person_id])):
        assert visit(watched, url) == [], url
