"""The frame every page shares, in a real browser: each role's main menu fits on one line on the office PCs'
1,366 px screens (a screenshot of each goes to test-artifacts/), collapses behind a hamburger on a 390 px phone
and still works there; the interface is Chinese whatever the browser's language until the user chooses English;
and the key pages of each role pass axe-core's accessibility rules with no serious or critical violation
(colour contrast of WCAG 2.1 AA among them)."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, login

pytestmark = pytest.mark.browser

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
MENU_ROLES = ["staff_user", "county_staff_user", "supervisor_user", "member_user", "deputy_user", "unit_user",
              "sysadmin_user", "secadmin_user", "auditor_user"]


def sign_in(context, live_server, user) -> None:
    """Put a signed-in session of ``user`` into the browser context (the login form is tested elsewhere; the
    administrator roles would be asked for a second factor there)."""
    client = Client()
    client.force_login(user)
    context.clear_cookies()
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])


def test_every_roles_menu_fits_on_one_line_at_1366_pixels(request, page, live_server):
    ARTIFACTS.mkdir(exist_ok=True)
    for role in MENU_ROLES:
        user = request.getfixturevalue(role)
        sign_in(page.context, live_server, user)
        page.goto("/")
        navbar = page.locator("nav.app-navbar")
        expect(navbar.locator("#nav-home")).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / f"menu-1366-{role}.png"))
        height = navbar.bounding_box()["height"]
        assert height <= 64, f"{role}: the menu is {height}px high (more than one line)"
        items = navbar.locator(".app-menu > .nav-item > .nav-link")
        tops = {round(items.nth(i).bounding_box()["y"]) for i in range(items.count())}
        assert len(tops) == 1, f"{role}: menu entries on {len(tops)} lines"
        for i in range(items.count()):  # no label wraps inside itself ("首/页")
            link = items.nth(i)
            lines = link.evaluate("e => Math.round(e.getBoundingClientRect().height / "
                                  "parseFloat(getComputedStyle(e).lineHeight || 24))")
            assert lines <= 2 and link.bounding_box()["height"] < 48, (role, link.inner_text())


@pytest.fixture
def phone_context(browser, live_server, transactional_db):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 390, "height": 844},
                                  is_mobile=True, has_touch=True)
    yield context
    context.close()


def test_at_390_pixels_the_menu_collapses_behind_a_hamburger_and_works(phone_context, live_server, staff_user):
    page = phone_context.new_page()
    login(page, "staff")
    toggler = page.get_by_role("button", name="菜单")
    expect(toggler).to_be_visible()
    expect(page.locator("#nav-group-duties")).to_be_hidden()
    toggler.click()
    page.locator("#nav-group-duties").click()
    page.locator("#nav-activities").click()
    page.wait_for_url(f"**{reverse('activities:activity_list')}")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "menu-390-staff.png"))
    widths = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], widths


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "en-US"}  # an English browser (Accept-Language: en-US)


def test_an_english_browser_gets_chinese_until_the_user_chooses_english_which_their_account_keeps(
        browser, page, live_server, staff_user):
    page.goto(reverse("accounts:login"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    login(page, "staff")
    expect(page.locator("#nav-home")).to_have_text("首页")

    page.locator("#nav-user-menu").click()
    page.get_by_label("语言").select_option("en")
    expect(page.locator("#nav-home")).to_have_text("Home")

    other = browser.new_context(base_url=live_server.url, locale="zh-CN")  # another PC, a Chinese browser
    try:
        again = other.new_page()
        login(again, "staff")
        expect(again.locator("html")).to_have_attribute("lang", "en")
        expect(again.locator("#nav-home")).to_have_text("Home")
    finally:
        other.close()


# --- accessibility -------------------------------------------------------------------------------------------

def test_axe_core_is_installed():
    assert AXE.exists(), "npm install (axe-core is pinned in package.json)"


@pytest.fixture
def world(city, city_term, municipal_mandate, staff_user, supervisor_user, member_user, deputy_user, unit_user):
    from apps.deputies.attendance import Attendance
    from tests.activities.staff_support import make_activity, participate

    from tests.factories import HandlingUnitFactory
    from tests.opendata.conftest import published

    activity = make_activity(city, user=staff_user)
    participate(activity, municipal_mandate, attendance=Attendance.PRESENT)
    reply = published(mandate=municipal_mandate, unit=HandlingUnitFactory(jurisdiction=city), number=1,
                      title="关于改善老旧小区供暖的建议", cosigners=1)
    return {"activity": activity, "person": municipal_mandate.person, "published": reply}


def _pages(world) -> dict[str, list[str]]:
    person = world["person"].pk
    return {
        "staff_user": ["/", reverse("deputies:roster_list"), reverse("deputies:person_detail", args=[person]),
                       reverse("activities:activity_list"),
                       reverse("activities:activity_detail", args=[world["activity"].pk]),
                       reverse("proposals:proposal_list"), reverse("proposals:board"),
                       reverse("covenant:meeting_list"), reverse("covenant:flags"), reverse("reports:batch_list"),
                       reverse("liaison:plan_current"), reverse("stations:station_list"),
                       reverse("training:program_list"), reverse("scoring:deputy_record", args=[person])],
        "supervisor_user": ["/", reverse("proposals:board"), reverse("proposals:published_list"),
                            # the public portal (the same pages as for the anonymous: they read no user): its list with
                            # the search and the year's figures, and a reply's page
                            reverse("opendata:index"), reverse("opendata:reply_detail", args=[world["published"].pk])],
        "deputy_user": ["/", reverse("me:me"), reverse("deputies:person_detail", args=[person]),
                        reverse("proposals:mine"), reverse("activities:my_activities")],
        "member_user": ["/", reverse("liaison:member_my"), reverse("deputies:roster_list")],
        "unit_user": ["/", reverse("proposals:unit_inbox")],
    }


def _serious_violations(page) -> list[dict]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("""async () => {
        const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
        const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
        return r.violations
                 .filter(v => v.impact === 'serious' || v.impact === 'critical' || v.id === 'empty-table-header')
                 .map(v => ({id: v.id, impact: v.impact,
                             nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' :: ' + n.failureSummary)}));
    }""")
    return result


def test_key_pages_of_each_role_have_no_serious_accessibility_violation(request, browser, live_server, world):
    assert AXE.exists(), "axe-core is missing: npm install"
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1366, "height": 900})
    try:
        page = context.new_page()
        found = {}
        for role, urls in _pages(world).items():
            sign_in(context, live_server, request.getfixturevalue(role))
            for url in urls:
                response = page.goto(url)
                assert response.status < 400, (role, url, response.status)
                page.evaluate("() => new Promise(r => setTimeout(r, 50))")
                page.evaluate(AXE.read_text(encoding="utf-8"))
                violations = _serious_violations(page)
                if violations:
                    found[f"{role} {url}"] = violations
        assert not found, json.dumps(found, ensure_ascii=False, indent=1)
    finally:
        context.close()
