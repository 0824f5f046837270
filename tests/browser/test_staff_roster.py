"""Committee staff work with the roster: search, edit, history, unmasking; and the harness itself."""

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from apps.core import roles
from apps.core.models import AuditEvent
from tests.browser.conftest import login, open_menu_item

pytestmark = pytest.mark.browser


@pytest.mark.smoke
def test_login_page_is_in_chinese_and_its_stylesheets_load(page):
    stylesheets = {}
    page.on("response", lambda r: stylesheets.__setitem__(r.url, r.status) if r.url.endswith(".css") else None)

    page.goto("/accounts/login/")

    expect(page.get_by_role("button", name="登录")).to_be_visible()
    expect(page.get_by_label("用户名")).to_be_visible()
    bootstrap = [url for url in stylesheets if url.endswith("/static/vendor/bootstrap/css/bootstrap.min.css")]
    app_css = [url for url in stylesheets if url.endswith("/static/css/app.css")]
    assert bootstrap and stylesheets[bootstrap[0]] == 200
    assert app_css and stylesheets[app_css[0]] == 200
    # Bootstrap and the app's palette are applied, not merely fetched: .btn-danger has the palette's red (#b02a37,
    # darker than Bootstrap's #dc3545 for WCAG AA contrast).
    background = page.get_by_role("button", name="登录").evaluate("el => getComputedStyle(el).backgroundColor")
    assert background == "rgb(176, 42, 55)"


def test_staff_finds_a_deputy_by_initials_edits_the_phone_and_sees_it_in_the_history(
        page, staff_user, municipal_mandate, county_mandate):
    person = municipal_mandate.person
    person.phone = "13811112222"
    person.save()

    login(page, "staff", "Renda@2026")
    open_menu_item(page, "nav-roster")
    expect(page.get_by_role("heading", name="代表名册")).to_be_visible()
    table = page.locator("#roster-table tbody")
    expect(table).to_contain_text("李四")

    page.get_by_label("姓名、拼音或首字母").press_sequentially("zsf")

    expect(table).not_to_contain_text("李四")
    expect(table.get_by_role("link", name="张三丰")).to_be_visible()
    expect(table.locator("tr")).to_have_count(1)
    table.get_by_role("link", name="张三丰").click()

    expect(page.locator("#person-name")).to_contain_text("张三丰")
    expect(page.locator("#phone")).to_have_text("138****2222")
    page.get_by_role("link", name="编辑").first.click()
    phone = page.get_by_label("电话", exact=True)
    expect(phone).to_have_value("13811112222")
    phone.fill("13987650000")
    page.get_by_role("button", name="保存").click()

    expect(page.get_by_role("alert")).to_contain_text("修改已保存。")
    expect(page.locator("#phone")).to_have_text("139****0000")
    page.get_by_role("link", name="修改历史").click()

    expect(page.get_by_role("heading", name=re.compile("修改历史"))).to_contain_text("张三丰")
    change = page.locator("#history tbody tr").filter(has_text="139****0000")
    expect(change).to_have_count(1)
    expect(change).to_contain_text(str(staff_user))
    expect(change).to_contain_text("电话")
    expect(change).to_contain_text("138****2222")
    expect(page.locator("#history")).not_to_contain_text("13987650000")
    expect(page.locator("#history")).not_to_contain_text("13811112222")


def test_staff_reveals_a_masked_id_number_and_the_view_is_audited(page, staff_user, municipal_mandate):
    person = municipal_mandate.person
    login(page, "staff", "Renda@2026")
    page.goto(f"/deputies/{person.pk}/")
    id_number = page.locator("#id-number")
    expect(id_number).to_have_text(person.masked_id_number)
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VIEW_PERSONAL_DATA).exists()

    page.get_by_role("button", name=re.compile("显示完整身份证号和电话")).click()

    expect(id_number).to_have_text(person.id_number)
    expect(page.locator("#phone")).to_have_text(person.phone)
    event = AuditEvent.objects.get(action=AuditEvent.Action.VIEW_PERSONAL_DATA)
    assert event.user == staff_user
    assert event.object_id == str(person.pk)


def test_role_groups_survive_the_flush_after_a_browser_test(transactional_db):
    """Runs after the browser tests above: their flush must leave every role group with its permissions."""
    for role, wanted in roles.ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role)
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
        assert held >= set(wanted), role
