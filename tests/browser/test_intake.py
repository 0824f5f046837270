"""A voter on a phone scans a deputy's code (opens its URL), leaves an opinion and gets a lookup code; the deputy
accepts it into a voter visit and tells back the result; the voter's lookup shows it."""

import pytest
from playwright.sync_api import expect

from apps.intake import services
from apps.stations.models import Station
from tests.browser.conftest import login

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 390, "height": 844}, "is_mobile": True,
            "has_touch": True, "device_scale_factor": 3}


@pytest.fixture
def code(city, deputy_user):
    station = Station.objects.create(jurisdiction=city, name="南湖社区代表工作站", address="南湖路1号",
                                     responsible_name="刘站长")
    station.deputies.set([deputy_user.person])
    return services.intake_code_get_or_create(person=deputy_user.person)


def test_a_voter_sends_an_opinion_the_deputy_tells_back_and_the_lookup_shows_it(page, browser, browser_context_args,
                                                                                  deputy_user, code):
    csp = []
    voter = browser.new_context(**browser_context_args).new_page()
    for tab in (voter, page):
        tab.on("console", lambda msg: csp.append(msg.text)
               if msg.type == "error" and "Content Security Policy" in msg.text else None)
    voter.goto(f"/intake/v/{code.token}/")
    expect(voter.locator("#intake-addressee")).to_contain_text(deputy_user.person.name)
    voter.get_by_label("类别").select_option("urban")
    voter.get_by_label("您的意见").fill("南湖小区门口的路灯坏了一个月，晚上很黑。")
    voter.get_by_label("您的电话（可不填）").fill("13812345678")
    voter.locator("#intake-send").click()
    lookup_code = voter.locator("#intake-code").inner_text().strip()
    assert len(lookup_code) == 8
    widths = voter.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], widths

    login(page, "deputy")
    page.goto("/intake/codes/mine/")  # the code the deputy shows on the phone
    expect(page.locator("#code-qr svg")).to_be_visible()
    page.goto("/")
    page.get_by_role("link", name="待处理的选民意见").click()
    page.get_by_text("南湖小区门口的路灯坏了一个月").click()
    page.locator("#intake-accept").click()
    expect(page.locator("#intake-status")).to_have_text("已转来访办理")
    page.locator("#intake-tell-back").click()
    page.get_by_label("向来访人反馈的结果").fill("已联系街道办，路灯已于本周修复。")
    page.locator("#step-save").click()
    expect(page.locator("#intake-result")).to_have_text("已联系街道办，路灯已于本周修复。")

    voter.locator("#intake-check").click()
    voter.locator("#lookup-send").click()
    expect(voter.locator("#lookup-state")).to_have_text("已办结，结果如下")
    expect(voter.locator("#lookup-text")).to_have_text("已联系街道办，路灯已于本周修复。")
    assert csp == []
    voter.context.close()
