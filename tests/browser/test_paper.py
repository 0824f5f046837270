"""Paper that lands in the record, in a browser: staff print an activity's sign-in sheet (a PDF with the short code),
come back with the filled sheet, type the code read off the paper at /p/ (the workbench's box is the same form),
land on the activity's attendance and enter it."""

import re

import pytest
from playwright.sync_api import expect

from apps.activities.models import Participation
from apps.core.models import PaperCode
from apps.deputies.attendance import Attendance
from tests.activities.staff_support import deputies, make_activity, participate
from tests.browser.conftest import login
from tests.paper_support import pdf_text

pytestmark = pytest.mark.browser


def test_staff_print_a_sign_in_sheet_open_it_by_its_code_and_enter_the_attendance(page, live_server, city, city_term,
                                                                                  staff_user):
    activity = make_activity(city, title="视察老旧小区改造", user=staff_user)
    present, away = [participate(activity, m) for m in deputies(city_term, ["艾小文", "钱二宝"])]
    login(page, "staff")
    page.goto(f"/activities/{activity.pk}/")

    with page.expect_download() as download:
        page.locator("#activity-sign-in-sheet").click()
    assert download.value.suggested_filename == f"sign-in-sheet-{activity.pk}.pdf"
    text = pdf_text(download.value.path().read_bytes())
    assert text.find("艾小文") < text.find("钱二宝")  # the grid's order
    printed = re.search(r"\b([2-9A-Z]{3}-[2-9A-Z]{3})\b", text).group(1)
    assert printed.replace("-", "") == PaperCode.objects.get(object_id=activity.pk).code

    page.goto("/p/")
    page.locator("#paper-code").fill(printed.lower())  # typed as read, in lower case
    page.locator("#paper-submit").click()
    page.wait_for_url(f"**/activities/{activity.pk}/#participants")
    page.locator(f"#attendance-{away.person_id}").select_option("leave")
    page.locator(f"#leave-reason-{away.person_id}").fill("外出学习")
    page.locator("#participants-save").click()
    expect(page.locator(f"#p-{away.person_id}")).to_have_attribute("data-attendance", "leave")
    assert Participation.objects.get(pk=away.pk).attendance == Attendance.LEAVE
    assert Participation.objects.get(pk=present.pk).attendance == Attendance.PRESENT
