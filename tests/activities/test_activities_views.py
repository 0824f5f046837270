"""Pages of the staff side: the list's query count, pasting names, importing a sign-in workbook, the
calendar, totals computed from the rows, the search box, attachments."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.activities.models import Activity, Attachment, Participation
from apps.deputies.attendance import Attendance
from apps.deputies.models import Level
from tests.activities.staff_support import DAY, PNG, deputies, make_activity, participate, workbook
from tests.factories import MandateFactory, PersonFactory


def _list(client, **params):
    return client.get(reverse("activities:activity_list"), params)


def test_the_list_query_count_does_not_grow_with_rows(client_for, staff_user, city, city_term,
                                                      django_assert_max_num_queries):
    client = client_for(staff_user)
    mandates = [MandateFactory(term=city_term) for _i in range(3)]
    make_activity(city)
    _list(client)  # warm the session and the caches
    with django_assert_max_num_queries(10):
        assert _list(client).status_code == 200
    for i in range(40):
        activity = make_activity(city, title=f"活动{i}", day=DAY + datetime.timedelta(days=i))
        for m in mandates:
            participate(activity, m)
    with django_assert_max_num_queries(10):
        response = _list(client, level="municipal", q="活动")
    rows = response.context["page"].object_list
    assert len(rows) == 30 and all(a.participant_count == 3 and a.present_count == 3 for a in rows)


def test_the_list_filters(client_for, staff_user, city, county):
    make_activity(city, title="供热视察")
    survey = make_activity(county, level=Level.COUNTY, code="survey", title="农村调研")
    client = client_for(staff_user)
    assert [a.pk for a in _list(client, type=survey.type_id).context["page"].object_list] == [survey.pk]
    assert [a.pk for a in _list(client, jurisdiction=county.pk).context["page"].object_list] == [survey.pk]
    assert [a.pk for a in _list(client, q="调研").context["page"].object_list] == [survey.pk]
    assert len(_list(client, date_from="2024-05-11").context["page"].object_list) == 0


def test_create_then_detail(client_for, staff_user, city):
    response = client_for(staff_user).post(reverse("activities:activity_create"), {
        "type": Activity._meta.get_field("type").related_model.objects.get(code="inspection").pk,
        "title": "视察供热", "jurisdiction": city.pk, "level": "municipal", "start_date": "2024-05-10"})
    activity = Activity.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("activities:activity_detail",
                                                                           args=[activity.pk])
    page = client_for(staff_user).get(response["Location"])
    assert "participants-table" in page.content.decode()


@pytest.fixture
def namesakes(city, city_term, county_term):
    """Two 王芳 (one municipal, one county), plus 赵六 and 钱七."""
    return {
        "wang_city": MandateFactory(term=city_term, person=PersonFactory(name="王芳", employer="一汽")),
        "wang_county": MandateFactory(term=county_term, person=PersonFactory(name="王芳", employer="南关小学")),
        "zhao": MandateFactory(term=city_term, person=PersonFactory(name="赵六")),
        "qian": MandateFactory(term=county_term, person=PersonFactory(name="钱七")),
    }


def test_paste_with_an_ambiguous_and_an_unknown_name_saves_nothing_then_saves_with_a_choice(
        client_for, staff_user, city, namesakes):
    activity = make_activity(city)
    url = reverse("activities:participants_paste", args=[activity.pk])
    client = client_for(staff_user)
    response = client.post(url, {"text": "赵六、王芳\n无此人", "attendance": "present"})
    html = response.content.decode()
    assert response.status_code == 200 and Participation.objects.count() == 0
    resolution = response.context["resolution"]
    assert resolution.unknown == ["无此人"] and list(resolution.ambiguous) == ["王芳"]
    assert "赵六、王芳" in html and "一汽" in html and "南关小学" in html
    response = client.post(url, {"text": "赵六、王芳", "attendance": "present",
                                 "choice-王芳": namesakes["wang_county"].person_id})
    assert response.status_code == 302
    assert set(activity.participations.values_list("mandate_id", flat=True)) == {
        namesakes["zhao"].pk, namesakes["wang_county"].pk}


def test_paste_records_everyone_on_leave_with_the_reason(client_for, staff_user, city, namesakes):
    activity = make_activity(city)
    url = reverse("activities:participants_paste", args=[activity.pk])
    response = client_for(staff_user).post(url, {"text": "赵六 钱七", "attendance": "leave", "leave_reason": ""})
    assert response.status_code == 200 and Participation.objects.count() == 0
    client_for(staff_user).post(url, {"text": "赵六 钱七", "attendance": "leave", "leave_reason": "出差"})
    assert list(activity.participations.values_list("attendance", "leave_reason").order_by().distinct()) == [("leave", "出差")]


def test_workbook_with_one_unknown_and_one_ambiguous_name_writes_nothing_and_lists_both(
        client_for, staff_user, city, namesakes):
    activity = make_activity(city)
    data = workbook([(1, "赵六", "签到", ""), (2, "王芳", "请假", "出差"), (3, "无此人", "签到", "")])
    response = client_for(staff_user).post(reverse("activities:participants_import", args=[activity.pk]),
                                           {"file": SimpleUploadedFile("签到表.xlsx", data.getvalue())})
    html = response.content.decode()
    assert response.status_code == 200
    assert Participation.objects.count() == 0
    assert response.context["resolution"].unknown == ["无此人"]
    assert list(response.context["resolution"].ambiguous) == ["王芳"]
    assert "无此人" in html and 'name="choice-王芳"' in html


def test_workbook_import_takes_attendance_and_reasons_from_the_sheet(client_for, staff_user, city, namesakes):
    activity = make_activity(city)
    data = workbook([(1, "赵六", "签到", ""), (2, "钱七", "请假", "出差")])
    response = client_for(staff_user).post(reverse("activities:participants_import", args=[activity.pk]),
                                           {"file": SimpleUploadedFile("签到表.xlsx", data.getvalue())})
    assert response.status_code == 302
    assert sorted(activity.participations.values_list("person__name", "attendance", "leave_reason")) == [
        ("赵六", "present", ""), ("钱七", "leave", "出差")]


def test_workbook_row_errors_are_listed_and_nothing_written(client_for, staff_user, city, namesakes):
    activity = make_activity(city)
    data = workbook([(1, "赵六", "签到", ""), (2, "钱七", "迟到", "")])
    response = client_for(staff_user).post(reverse("activities:participants_import", args=[activity.pk]),
                                           {"file": SimpleUploadedFile("签到表.xlsx", data.getvalue())})
    assert response.status_code == 200 and Participation.objects.count() == 0
    assert [e.row for e in response.context["sheet"].errors] == [4]
    assert "sheet-errors" in response.content.decode()


def test_add_a_whole_level_and_the_search_box(client_for, staff_user, city, namesakes):
    activity = make_activity(city)
    client = client_for(staff_user)
    found = client.get(reverse("activities:participant_search", args=[activity.pk]), {"q": "wf"}).json()["results"]
    assert {r["value"] for r in found} == {namesakes["wang_city"].person_id, namesakes["wang_county"].person_id}
    client.post(reverse("activities:participants_add", args=[activity.pk]),
                {"person": [namesakes["zhao"].person_id], "attendance": "present"})
    client.post(reverse("activities:participants_add_body", args=[activity.pk]), {"mandate_level": "county"})
    assert set(activity.participations.values_list("person__name", flat=True)) == {"赵六", "王芳", "钱七"}


def test_attendance_per_row_and_bulk_leave(client_for, staff_user, city, namesakes):
    activity = make_activity(city)
    rows = [participate(activity, namesakes[k]) for k in ("zhao", "qian")]
    client = client_for(staff_user)
    client.post(reverse("activities:participation_update", args=[activity.pk, rows[0].pk]),
                {"attendance": "leave", "leave_reason": ""})
    rows[0].refresh_from_db()
    assert rows[0].attendance == Attendance.PRESENT  # a reason is required
    client.post(reverse("activities:participants_mark_leave", args=[activity.pk]),
                {"person": [r.person_id for r in rows], "leave_reason": "开会"})
    assert set(activity.participations.values_list("attendance", flat=True)) == {"leave"}


def test_attachment_upload_rejects_content_not_matching_and_downloads_through_the_view(client_for, staff_user,
                                                                                      city):
    activity = make_activity(city)
    client = client_for(staff_user)
    url = reverse("activities:attachment_upload", args=[activity.pk])
    response = client.post(url, {"kind": "photo", "file": SimpleUploadedFile("x.png", b"MZ\x90\x00evil")})
    assert response.status_code == 200 and Attachment.objects.count() == 0
    assert "attachment-errors" in response.content.decode()
    client.post(url, {"kind": "photo", "file": SimpleUploadedFile("x.png", PNG)})
    attachment = Attachment.objects.get()
    download = client.get(reverse("activities:attachment_download", args=[activity.pk, attachment.pk]))
    assert download["Content-Type"] == "image/png" and b"".join(download.streaming_content) == PNG


def test_calendar_lists_activities_on_their_days(client_for, staff_user, city):
    one = make_activity(city, title="一日视察", day=datetime.date(2024, 5, 10))
    make_activity(city, title="三日调研", code="survey", day=datetime.date(2024, 5, 30),
                  end_date=datetime.date(2024, 6, 1))
    make_activity(city, title="四月活动", day=datetime.date(2024, 4, 30))
    response = client_for(staff_user).get(reverse("activities:activity_calendar"), {"month": "2024-05"})
    days = {d["date"]: [a.title for a in d["activities"]] for w in response.context["weeks"] for d in w}
    assert days[datetime.date(2024, 5, 10)] == [one.title]
    assert days[datetime.date(2024, 5, 30)] == days[datetime.date(2024, 5, 31)] == ["三日调研"]
    assert days.get(datetime.date(2024, 4, 30)) == []


def test_totals_are_computed_from_the_rows(client_for, staff_user, city, county, city_term, county_term):
    mandates = deputies(city_term, ["甲", "乙"]) + deputies(county_term, ["丙"])
    practice = make_activity(city, code="theme_practice", title="走进基层听民意")
    for i, m in enumerate(mandates):
        participate(practice, m, attendance=Attendance.LEAVE if i == 2 else Attendance.PRESENT,
                    leave_reason="病" if i == 2 else "", suggestions_raised=i + 1, households_helped=10 * (i + 1),
                    people_helped=30, funds_donated=Decimal("1000.50"))
    inspection = make_activity(county, level=Level.COUNTY)
    participate(inspection, mandates[2])
    make_activity(city, day=datetime.date(2023, 1, 1))  # outside the period
    response = client_for(staff_user).get(reverse("activities:activity_totals"),
                                          {"date_from": "2024-01-01", "date_to": "2024-12-31"})
    rows = {r["type"].code: r for r in response.context["totals"]["rows"]}
    assert rows["theme_practice"]["activities"] == 1 and rows["theme_practice"]["present"] == 2
    assert rows["theme_practice"]["suggestions"] == 6 and rows["theme_practice"]["households"] == 60
    assert rows["theme_practice"]["people"] == 90 and rows["theme_practice"]["funds"] == Decimal("3001.50")
    assert rows["inspection"]["activities"] == 1 and rows["inspection"]["present"] == 1
    assert response.context["totals"]["total"]["present"] == 3
    county_only = client_for(staff_user).get(reverse("activities:activity_totals"), {
        "date_from": "2024-01-01", "date_to": "2024-12-31", "jurisdiction": county.pk}).context["totals"]
    assert [r["type"].code for r in county_only["rows"]] == ["inspection"]


def test_activity_type_add_and_edit(client_for, staff_user):
    client = client_for(staff_user)
    client.post(reverse("activities:activity_type_create"), {"name": "新类型", "code": "new_kind", "position": 5,
                                                             "is_active": "on"})
    from apps.activities.models import ActivityType

    new = ActivityType.objects.get(code="new_kind")
    response = client.post(reverse("activities:activity_type_edit", args=[new.pk]),
                           {"name": "视察", "code": "new_kind", "position": 5})
    assert response.status_code == 200 and "name" in response.context["form"].errors
    client.post(reverse("activities:activity_type_edit", args=[new.pk]),
                {"name": "更名", "code": "new_kind", "position": 5, "has_outcomes": "on"})
    new.refresh_from_db()
    assert (new.name, new.has_outcomes, new.is_active) == ("更名", True, False)
