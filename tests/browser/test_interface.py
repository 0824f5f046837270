"""The interface itself: switching language."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def test_language_switch_in_the_user_menu_changes_the_interface_to_english_and_back(page, staff_user):
    login(page, "staff", "Renda@2026")
    nav = page.locator("nav.navbar")
    expect(nav.get_by_role("link", name="首页")).to_be_visible()

    nav.locator("#nav-user-menu").click()
    page.get_by_label("语言").select_option("en")

    expect(nav.get_by_role("link", name="Home")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")

    nav.locator("#nav-user-menu").click()
    page.get_by_label("Language").select_option("zh-hans")

    expect(nav.get_by_role("link", name="首页")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("heading", level=1)).to_contain_text("欢迎")
