"""The notices story: staff publish a notice to a delegation, a deputy reads it on a phone, staff see the receipt
and remind the rest."""

import re

import pytest
from playwright.sync_api import expect

from apps.core import roles
from tests.browser.conftest import login, open_menu_item
from tests.factories import DelegationFactory, MandateFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 3}


def test_staff_publish_to_a_delegation_a_deputy_reads_it_on_a_phone_and_staff_remind_the_rest(
        browser, browser_context_args, staff_user, deputy_user, municipal_mandate, city_term):
    delegation = DelegationFactory(term=city_term, name="南关代表团")
    municipal_mandate.delegation = delegation
    municipal_mandate.save()
    other = MandateFactory(term=city_term, delegation=delegation, person=PersonFactory(name="刘一"))
    UserFactory(username="deputy2", roles=[roles.DEPUTY], person=other.person)

    staff = browser.new_context(**browser_context_args).new_page()
    login(staff, "staff")
    open_menu_item(staff, "nav-notices-office")
    staff.locator("#notice-new").click()
    staff.get_by_label("标题").fill("关于代表团集中视察的通知")
    staff.get_by_label("正文").fill("<p>请于周五上午到市人大集合。</p><script>alert(1)</script>")
    staff.get_by_label("代表团").select_option(label="南关代表团")
    staff.locator("#notice-save").click()
    expect(staff.locator("#notice-read-count")).to_have_text("2 人中 0 人已读")
    detail_url = staff.url

    deputy = browser.new_context(**{**browser_context_args, **PHONE}).new_page()
    login(deputy, "deputy")
    open_menu_item(deputy, "nav-notices")
    deputy.get_by_role("link", name=re.compile("关于代表团集中视察的通知")).click()
    expect(deputy.locator("#notice-body")).to_have_text("请于周五上午到市人大集合。")
    widths = deputy.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], widths

    staff.goto(detail_url)
    expect(staff.locator("#notice-read-count")).to_have_text("2 人中 1 人已读")
    staff.locator("#notice-remind").click()
    expect(staff.get_by_text("已提醒 1 人。")).to_be_visible()
    staff.locator("#notice-remind").click()
    expect(staff.get_by_text("今天已经提醒过此通知的接收人，请明天再提醒。")).to_be_visible()
    staff.context.close()
    deputy.context.close()
