"""Activity funds in a browser: staff enter an expenditure with its receipt, a leader (supervisor) approves it,
and the yearly statement shows it in its total."""

import pytest
import time_machine
from playwright.sync_api import expect

from apps.funds.models import Expenditure
from tests.browser.conftest import login, open_menu_item
from tests.funds.conftest import make_budget

pytestmark = pytest.mark.browser


@time_machine.travel("2026-06-01 10:00 +0800", tick=True)
def test_staff_enter_an_expenditure_a_leader_approves_it_and_the_statement_shows_it(
        page, city, staff_user, supervisor_user, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    budget = make_budget(city, staff_user, amount="5000.00")
    receipt = tmp_path / "发票.pdf"
    receipt.write_bytes(b"%PDF-1.4 receipt")

    login(page, "staff")
    open_menu_item(page, "nav-funds")
    page.get_by_role("link", name=budget.name).click()
    page.locator("#expenditure-new").click()
    page.locator("#id_date").fill("2026-05-20")
    page.locator("#id_category").select_option("printing")
    page.locator("#id_payee").fill("新华印刷厂")
    page.locator("#id_amount").fill("1234.50")
    page.locator("#id_purpose").fill("印制代表履职手册")
    page.locator("#id_receipt").set_input_files(str(receipt))
    page.locator("#expenditure-form button[type=submit]").click()
    expect(page.locator("#budget-pending")).to_have_text("1,234.50")
    expect(page.locator("#budget-balance")).to_have_text("3,765.50")

    page.context.clear_cookies()
    login(page, "supervisor")
    page.goto("/funds/")
    page.locator("#funds-pending a").first.click()
    page.locator("#expenditure-approve button").click()
    expect(page.locator("#expenditure-status")).to_have_text("已批准")
    assert Expenditure.objects.get().status == Expenditure.Status.APPROVED

    page.goto("/funds/statement/?year=2026")
    expect(page.locator("#statement-table")).to_contain_text("新华印刷厂")
    expect(page.locator("#statement-total")).to_have_text("1,234.50")
