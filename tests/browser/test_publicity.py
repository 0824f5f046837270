"""Publicity in a browser: staff record a newspaper column (专版) issue featuring a deputy; the year's counts
show it, and so does the deputy's performance record."""

import pytest
import time_machine
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import login, open_menu_item

pytestmark = pytest.mark.browser


@time_machine.travel("2026-06-01 10:00 +0800", tick=True)
def test_staff_record_a_column_issue_and_the_count_and_the_deputys_record_show_it(page, city, staff_user,
                                                                                  municipal_mandate):
    person = municipal_mandate.person
    login(page, "staff")
    open_menu_item(page, "nav-publicity")
    page.locator("#publicity-new").click()
    page.locator("#id_kind").select_option("column")
    page.locator("#id_date").fill("2026-05-20")
    page.locator("#id_outlet").fill("长春日报")
    page.locator("#id_title").fill("人大代表风采")
    page.locator("#id_issue_number").fill("第13期")
    page.locator("#id_url").fill("https://example.gov.cn/column/13")
    page.locator("#id_deputy_names").fill(person.name)
    page.locator("#publicity-form button[type=submit]").click()
    expect(page.locator("#publicity-deputies")).to_have_text(person.name)

    open_menu_item(page, "nav-publicity")
    expect(page.locator("#publicity-count-column")).to_have_attribute("data-count", "1")
    expect(page.locator("#publicity-counts-text")).to_have_text("专版1期")

    page.goto(reverse("scoring:deputy_record", args=[person.pk]) + "?year=2026")
    expect(page.locator("#section-publicity")).to_contain_text("人大代表风采")
    expect(page.locator("#publicity-summary")).to_have_text("专版1期")
