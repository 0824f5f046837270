"""Activities in a browser: staff record a 视察 and add 20 deputies by pasting their names, mark two as on
leave, and the deputy finds it in "my activities"; a deputy self-reports an activity on a phone and staff
verify it."""

import datetime
import io

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.activities.models import Activity, ActivityType, Participation, SelfReport
from apps.deputies.attendance import Attendance
from tests.browser.conftest import login, open_menu_item
from tests.factories import MandateFactory, PersonFactory

pytestmark = pytest.mark.browser

NAMES = ["赵一鸣", "钱二宝", "孙三立", "李四海", "周五星", "吴六合", "郑七彩", "王八方", "冯九州", "陈十全",
         "褚百川", "卫千里", "蒋万山", "沈亿民", "韩东升", "杨西林", "朱南征", "秦北斗", "尤中正"]


@pytest.fixture
def nineteen_deputies(city_term):
    return [MandateFactory(term=city_term, person=PersonFactory(name=name)) for name in NAMES]


def test_staff_add_20_participants_by_pasting_names_and_the_deputy_sees_the_activity(
        page, staff_user, deputy_user, nineteen_deputies):
    today = timezone.localdate()
    login(page, "staff")
    open_menu_item(page, "nav-activities")
    page.locator("#activity-new").click()
    page.locator("#id_type").select_option(label="视察")
    page.locator("#id_title").fill("视察城市更新项目")
    page.locator("#id_level").select_option(value="municipal")
    page.locator("#id_start_date").fill(today.isoformat())
    page.locator("#id_place").fill("南关区")
    page.locator("#activity-save").click()
    activity = Activity.objects.get(title="视察城市更新项目")
    page.wait_for_url(f"**/activities/{activity.pk}/**")

    # Names pasted as staff receive them: mixed separators, one with a note in brackets.
    pasted = "、".join(NAMES[:10]) + "\n" + "，".join(NAMES[10:]) + "\n张三丰（市人大）"
    page.locator("#paste-names").fill(pasted)
    page.locator("#paste-submit").click()
    expect(page.locator("#participants-table tbody tr")).to_have_count(20)
    assert Participation.objects.filter(activity=activity).count() == 20

    on_leave = [m.person_id for m in nineteen_deputies[:2]]
    for person_id in on_leave:
        page.locator(f"#select-{person_id}").check()
    page.locator("#bulk-leave-reason").fill("外出学习")
    page.locator("#bulk-leave-submit").click()
    for person_id in on_leave:
        expect(page.locator(f"#p-{person_id}")).to_have_attribute("data-attendance", "leave")
    expect(page.locator("#total-leave")).to_contain_text("2")
    expect(page.locator("#total-present")).to_contain_text("18")
    assert set(Participation.objects.filter(activity=activity, attendance=Attendance.LEAVE)
               .values_list("person_id", flat=True)) == set(on_leave)

    page.context.clear_cookies()
    login(page, "deputy")
    open_menu_item(page, "nav-my-activities")
    item = page.locator("#my-activities .timeline-item", has_text="视察城市更新项目")
    expect(item).to_have_attribute("data-status", "verified")


def test_a_deputy_self_reports_on_a_phone_and_staff_verify_it(browser, live_server, transactional_db, staff_user,
                                                              deputy_user):
    phone = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 390, "height": 844},
                                is_mobile=True, has_touch=True)
    page = phone.new_page()
    try:
        login(page, "deputy")
        page.goto("/activities/my/")
        page.locator("#self-report-new").click()
        page.locator("#id_type").select_option(label="代表工作站接待选民")
        page.locator("#id_title").fill("在站接待选民8人次")
        page.locator("#id_start_date").fill((timezone.localdate() - datetime.timedelta(days=2)).isoformat())
        page.locator("#id_place").fill("南关区自由大路代表工作站")
        page.locator("#id_description").fill("听取选民对老旧小区改造的意见，记录3件。")
        page.locator("#self-report-submit").click()
        report = SelfReport.objects.get(title="在站接待选民8人次")
        page.goto("/activities/my/")
        expect(page.locator(f"#item-r{report.pk}")).to_have_attribute("data-status", "pending")
        # The timeline fits the phone's width.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        phone.close()

    staff = browser.new_context(base_url=live_server.url, locale="zh-CN")
    page = staff.new_page()
    try:
        login(page, "staff")
        open_menu_item(page, "nav-self-reports")
        page.locator(f"#review-{report.pk}").click()
        page.locator(f"#verify-{report.pk}-submit").click()
        page.wait_for_url("**/activities/self-reports/")  # back to the queue, with the report decided
        expect(page.locator(f"#review-{report.pk}")).to_have_attribute("data-status", "verified")
    finally:
        staff.close()
    report.refresh_from_db()
    assert report.status == SelfReport.Status.VERIFIED
    assert Participation.objects.get(activity=report.activity).person == deputy_user.person

    deputy = browser.new_context(base_url=live_server.url, locale="zh-CN")
    page = deputy.new_page()
    try:
        login(page, "deputy")
        page.goto("/activities/my/")
        expect(page.locator("#my-activities .timeline-item", has_text="在站接待选民8人次")).to_have_attribute(
            "data-status", "verified")
    finally:
        deputy.close()


def test_staff_mark_several_participants_in_the_grid_and_save_once(page, staff_user, nineteen_deputies, city):
    """One grid, one save: a leave with its reason and an absence, then a bad row refuses everything."""
    activity = Activity.objects.create(type=ActivityType.objects.get(code="inspection"), title="视察供热",
                                       jurisdiction=city, level="municipal", start_date=timezone.localdate())
    rows = [Participation.objects.create(activity=activity, person=m.person, mandate=m)
            for m in nineteen_deputies[:4]]
    login(page, "staff")
    page.goto(f"/activities/{activity.pk}/")
    on_leave, absent = rows[0].person_id, rows[1].person_id
    page.locator(f"#attendance-{on_leave}").select_option("leave")
    page.locator(f"#leave-reason-{on_leave}").fill("外出考察")
    page.locator(f"#attendance-{absent}").select_option("absent")
    page.locator("#participants-save").click()
    expect(page.locator(f"#p-{on_leave}")).to_have_attribute("data-attendance", "leave")
    expect(page.locator(f"#p-{absent}")).to_have_attribute("data-attendance", "absent")
    expect(page.locator("#total-present")).to_contain_text("2")
    assert dict(Participation.objects.filter(activity=activity).values_list("person_id", "attendance")) == {
        rows[0].person_id: "leave", rows[1].person_id: "absent", rows[2].person_id: "present",
        rows[3].person_id: "present"}

    # A leave without a reason: the row is named and nothing is saved, the other change included.
    page.locator(f"#attendance-{rows[2].person_id}").select_option("absent")
    page.locator(f"#attendance-{rows[3].person_id}").select_option("leave")
    page.locator("#participants-save").click()
    expect(page.locator("#grid-errors")).to_be_visible()
    expect(page.locator(f"#p-{rows[3].person_id} .grid-row-error")).to_contain_text(rows[3].person.name)
    assert Participation.objects.get(pk=rows[2].pk).attendance == "present"


def test_staff_reverse_a_verification_and_the_self_report_is_pending_again(page, staff_user, deputy_user):
    from apps.activities.services.self_reports import self_report_create, self_report_verify

    report = self_report_create(person=deputy_user.person, submitted_by=deputy_user,
                                type=ActivityType.objects.get(code="inspection"), title="走访社区",
                                start_date=timezone.localdate() - datetime.timedelta(days=1),
                                description="走访老旧小区。")
    activity = self_report_verify(report=report, user=staff_user)
    login(page, "staff")
    page.goto(f"/activities/self-reports/{report.pk}/")
    page.locator(f"#unverify-{report.pk} textarea[name=reason]").fill("活动日期与佐证不符")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(f"#unverify-{report.pk}-submit").click()
    expect(page.locator("#self-report")).to_have_attribute("data-status", "pending")
    expect(page.locator(f"#verify-{report.pk}-submit")).to_be_visible()  # it can be decided again
    report.refresh_from_db()
    assert report.status == SelfReport.Status.PENDING and not Activity.objects.filter(pk=activity.pk).exists()


def test_staff_download_the_totals_workbook(page, staff_user, city):
    Activity.objects.create(type=ActivityType.objects.get(code="inspection"), title="视察", jurisdiction=city,
                            level="municipal", start_date=timezone.localdate())
    login(page, "staff")
    page.goto("/activities/totals/")
    with page.expect_download() as info:
        page.locator("#totals-export").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(download.path().read_bytes())).active
    assert [r[:2] for r in sheet.iter_rows(min_row=3, values_only=True)] == [("视察", 1), ("合计", 1)]
