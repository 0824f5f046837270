"""Contacts in a browser: a member finds a deputy by pinyin initials, logs the contact with a request, staff
close it with an answer, and the deputy reads the answer; a meeting's deputies are listed for unticking; a
deputy writes to the director's mailbox on a phone."""

import datetime

import pytest
from playwright.sync_api import expect

from apps.committee.models import CommitteeMember, Post
from apps.liaison.models import Contact, DeputyRequest, MailboxThread
from tests.browser.conftest import login, open_menu_item
from tests.factories import DelegationFactory, MandateFactory, PersonFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def committee_member(member_user, city_term, city):
    return CommitteeMember.objects.create(term=city_term, jurisdiction=city, person=PersonFactory(name="常委甲"),
                                          user=member_user, post=Post.VICE_DIRECTOR,
                                          start_date=datetime.date(2022, 1, 1))


def test_member_logs_a_contact_with_a_request_and_the_deputy_reads_the_answer(page, member_user, committee_member,
                                                                              deputy_user, staff_user):
    login(page, "member")
    open_menu_item(page, "nav-contacts")
    page.locator("#contact-new").click()
    page.get_by_label("联系方式").select_option(label="走访")
    page.locator("#deputy-q").fill("zsf")
    page.get_by_label("张三丰").check()  # found by htmx as the initials are typed
    page.get_by_label("联系情况").fill("到代表单位走访，听取意见。")
    requests = page.locator("#requests")
    requests.get_by_label("类别").select_option(label="城市建设")
    requests.get_by_label("或其他承办单位").fill("市住建局")
    requests.get_by_label("诉求内容").fill("老旧小区加装电梯进展缓慢")
    page.locator("#contact-save").click()

    expect(page.locator("#participants")).to_have_text("张三丰")
    expect(page.locator("#contact-requests")).to_contain_text("老旧小区加装电梯进展缓慢")
    request = DeputyRequest.objects.get()
    assert Contact.objects.get().member == committee_member

    page.context.clear_cookies()
    login(page, "staff")
    page.goto(f"/liaison/requests/{request.pk}/")
    page.locator("#request-close").click()
    page.get_by_label("给代表的答复").fill("已列入今年改造计划，9月底前完工。")
    page.locator("#close-save").click()
    expect(page.locator("#request-status")).to_have_text("已办结")

    page.context.clear_cookies()
    login(page, "deputy")
    open_menu_item(page, "nav-my-requests")
    page.get_by_role("link", name="老旧小区加装电梯进展缓慢").click()
    expect(page.locator("#request-answer")).to_have_text("已列入今年改造计划，9月底前完工。")


def test_a_meetings_deputies_are_listed_ticked_and_the_absent_are_unticked(page, member_user, committee_member,
                                                                           city_term):
    delegation = DelegationFactory(term=city_term, name="南关代表团")
    for name in ("赵一", "钱二", "孙三"):
        MandateFactory(term=city_term, delegation=delegation, person=PersonFactory(name=name))
    login(page, "member")
    page.goto("/liaison/contacts/new/")
    page.get_by_label("联系方式").select_option(label="座谈会")
    page.get_by_label("代表团活动").select_option(label="南关代表团（市第十六届）")
    expect(page.get_by_label("钱二")).to_be_checked()  # listed by htmx, everyone ticked
    page.get_by_label("钱二").uncheck()
    page.get_by_label("联系情况").fill("召开代表团座谈会。")
    page.locator("#contact-save").click()

    expect(page.locator("#participants")).to_have_text("孙三、赵一")
    assert Contact.objects.get().delegation == delegation


def test_a_deputy_writes_to_the_directors_mailbox_on_a_phone(browser, live_server, transactional_db, deputy_user):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 390, "height": 844},
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        login(page, "deputy")
        open_menu_item(page, "nav-my-mailbox")
        page.locator("#thread-new").click()
        page.get_by_label("主题").fill("建议增设公交线路")
        page.get_by_label("内容").fill("新区居民出行不便，建议增设公交线路。")
        page.locator("#thread-send").click()
        expect(page.locator("#thread-messages")).to_contain_text("新区居民出行不便")
        widths = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert widths[0] <= widths[1], widths
        assert MailboxThread.objects.get().person == deputy_user.person
    finally:
        context.close()
