"""On a phone: a deputy's own record page fits the screen and the navbar collapses."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 390, "height": 844}, "is_mobile": True,
            "has_touch": True, "device_scale_factor": 3}


def test_deputy_reads_their_own_record_on_a_phone_without_horizontal_scrolling(page, deputy_user):
    login(page, "deputy", "Renda@2026")
    toggler = page.get_by_role("button", name="菜单")
    my_record = page.get_by_role("link", name="我的履职档案", exact=True)
    expect(toggler).to_be_visible()
    expect(my_record).to_be_hidden()

    toggler.click()
    my_record.click()
    expect(page.locator("#record-title")).to_have_text("我的履职档案")
    page.locator("#record-roster-entry").click()

    expect(page.locator("#person-name")).to_contain_text(deputy_user.person.name)
    expect(page.get_by_role("heading", name="代表资格")).to_be_visible()
    widths = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], widths
    expect(toggler).to_be_visible()
