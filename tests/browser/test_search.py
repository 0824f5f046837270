"""The header's search box in a real browser (issue 16): a staff member types a name in the box, moves to the
suggestion with the arrow key and opens the record with Enter; the results page has no serious or critical
accessibility violation (axe-core)."""

import json
from urllib.parse import quote

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.test_layout_and_accessibility import AXE, _serious_violations, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def found(city, municipal_mandate, staff_user):
    from tests.activities.staff_support import make_activity

    make_activity(city, title="张家村调研", user=staff_user)
    return municipal_mandate.person


def test_type_arrow_down_and_enter_open_the_record_and_the_results_page_is_accessible(page, live_server,
                                                                                       staff_user, found):
    sign_in(page.context, live_server, staff_user)
    page.goto("/")
    box = page.get_by_role("combobox", name="查询代表、议案建议、履职活动、承办单位")
    box.fill("张三")
    options = page.locator("#nav-search-list [role=option]")
    expect(options.first).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    page.evaluate(AXE.read_text(encoding="utf-8"))
    violations = _serious_violations(page)  # the drop-down open: a listbox of grouped options
    assert not violations, json.dumps(violations, ensure_ascii=False, indent=1)
    box.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", options.first.get_attribute("id"))
    box.press("Enter")
    page.wait_for_url(f"**{reverse('deputies:person_detail', args=[found.pk])}")
    expect(page.locator("h1")).to_contain_text("张三丰")

    # Enter with no suggestion highlighted goes to the results page (the form works without JavaScript too).
    box = page.get_by_role("combobox", name="查询代表、议案建议、履职活动、承办单位")
    box.fill("张")
    box.press("Enter")
    page.wait_for_url(f"**/search/?q={quote('张')}")
    expect(page.locator("#search-count-people")).to_contain_text("1")
    expect(page.locator("#search-count-activities")).to_contain_text("1")
    assert AXE.exists(), "axe-core is missing: npm install"
    page.evaluate(AXE.read_text(encoding="utf-8"))
    violations = _serious_violations(page)
    assert not violations, json.dumps(violations, ensure_ascii=False, indent=1)
