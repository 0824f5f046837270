"""The covenant in a browser: staff record a meeting's attendance on the grid — a leave without its reason is
refused and nothing is saved — then the yearly flags page lists the member who was away."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.committee.models import Post
from apps.covenant.models import MeetingAttendance
from apps.covenant.services import cell_key
from tests.browser.conftest import login
from tests.covenant import factories as f

pytestmark = pytest.mark.browser


def test_staff_enter_attendance_and_the_flags_page_lists_the_member_away(page, staff_user, city, city_term):
    start = timezone.localdate() - datetime.timedelta(days=30)  # held, whatever the day the test runs
    meeting = f.meeting(city_term, start, days=2, title="市人大常委会第三十次会议")
    away = f.member(city_term, Post.MEMBER, name="缺席委员")
    present = f.member(city_term, Post.MEMBER, name="出席委员")
    day1, day2 = meeting.dates

    login(page, "staff")
    page.goto(f"/covenant/meetings/{meeting.pk}/")
    page.locator("#meeting-attendance").click()
    page.locator(f"#s-{cell_key(away.pk, day1)}").select_option("absent")
    page.locator(f"#s-{cell_key(away.pk, day2)}").select_option("leave")  # no reason given
    page.locator(f"#s-{cell_key(present.pk, day1)}").select_option("present")
    page.locator(f"#s-{cell_key(present.pk, day2)}").select_option("present")
    page.locator("#attendance-save").click()

    expect(page.locator("#grid-errors")).to_be_visible()
    expect(page.locator(f"#cell-{cell_key(away.pk, day2)} .invalid-feedback")).to_contain_text("缺席委员")
    assert not MeetingAttendance.objects.exists()

    page.locator(f"#r-{cell_key(away.pk, day2)}").fill("身体原因")
    page.locator("#attendance-save").click()
    expect(page.locator("#attendance-table")).to_contain_text("身体原因")
    assert MeetingAttendance.objects.count() == 4

    page.goto(f"/covenant/flags/?year={start.year}")
    page.locator("#flags-only").click()
    row = page.locator(f"#flags-member-{away.pk}")
    expect(row).to_contain_text("缺席委员")
    expect(row).to_have_class("table-warning flagged")
    expect(row.locator("td").nth(2)).to_have_text("1")  # one meeting missed
    expect(row.locator(".flag")).not_to_have_count(0)
