"""The meeting notice story: staff publish a meeting notice for an activity to two deputies, a deputy asks for
leave with a reason on a phone, staff open the activity from the notice, see the reply pre-filled, confirm it at
the door and the attendance is recorded."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.core import roles
from tests.activities.staff_support import make_activity
from tests.browser.conftest import login
from tests.browser.test_notices import PHONE
from tests.factories import MandateFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.browser


def test_a_meeting_notices_replies_pre_fill_the_activitys_attendance(
        browser, browser_context_args, staff_user, deputy_user, municipal_mandate, city, city_term):
    activity = make_activity(city, title="集中视察城市供热", day=timezone.localdate() + datetime.timedelta(days=3),
                             user=staff_user)
    other = MandateFactory(term=city_term, person=PersonFactory(name="刘一"))
    UserFactory(username="deputy2", roles=[roles.DEPUTY], person=other.person)
    deadline = timezone.localtime() + datetime.timedelta(days=2)

    staff = browser.new_context(**browser_context_args).new_page()
    login(staff, "staff")
    staff.goto("/notices/office/new/")
    expect(staff.locator("#id_target")).to_be_hidden()  # a plain notice announces no meeting
    staff.get_by_label("类别").select_option(label="视察")
    staff.get_by_label("标题").fill("关于集中视察城市供热的通知")
    staff.get_by_label("正文").fill("<p>请回复是否参加。</p>")
    staff.get_by_label("回执截止时间").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    staff.locator("#id_target").select_option(value=f"activity:{activity.pk}")
    staff.get_by_label("指定人员").fill("张三丰，刘一")
    staff.locator("#notice-save").click()
    expect(staff.locator("#notice-announced-link")).to_contain_text("集中视察城市供热")
    detail_url = staff.url

    deputy = browser.new_context(**{**browser_context_args, **PHONE}).new_page()
    login(deputy, "deputy")
    deputy.goto("/notices/")
    deputy.get_by_role("link", name=re.compile("关于集中视察城市供热的通知")).click()
    deputy.get_by_label("请假", exact=True).check()
    deputy.locator("#id_reason").fill("赴外地考察")
    deputy.locator("#reply-save").click()
    expect(deputy.locator("#reply-current")).to_have_text("请假: 赴外地考察")
    deputy.context.close()

    staff.goto(detail_url)
    staff.locator("#notice-announced-link").click()
    person = municipal_mandate.person_id
    expect(staff.locator(f"#proposal-{person}")).to_contain_text("回执：请假（赴外地考察）")
    expect(staff.locator(f"#proposal-attendance-{person}")).to_have_value("leave")
    expect(staff.locator("#total-participants")).to_have_text("0")  # a reply is not attendance
    staff.locator("#reply-proposals-confirm").click()
    expect(staff.locator(f"#p-{person}")).to_have_attribute("data-attendance", "leave")
    expect(staff.locator(f"#leave-reason-{person}")).to_have_value("赴外地考察")
    expect(staff.locator("#total-leave")).to_have_text("1")
    staff.context.close()
