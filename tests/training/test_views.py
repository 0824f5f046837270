"""Training pages: the fast attendance entry (paste, sign-in workbook), the list's query count, coverage."""

import datetime
import io

import openpyxl
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.training.models import TrainingAttendance, TrainingProgram
from tests.factories import MandateFactory, PersonFactory
from tests.training.conftest import make_program, make_session


def _workbook(rows) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["2026年市人大代表培训签到表"])
    sheet.append(["序号", "姓名", "签到", "请假原因"])
    for i, row in enumerate(rows, start=1):
        sheet.append([i, *row])
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("签到表.xlsx", out.getvalue())


@pytest.fixture
def namesakes(city_term):
    return [MandateFactory(term=city_term, person=PersonFactory(name="王芳")) for _i in range(2)]


def test_sign_in_with_an_unknown_and_an_ambiguous_name_saves_nothing_and_lists_both(
        client_for, staff_user, session, municipal_mandate, namesakes):
    client = client_for(staff_user)
    response = client.post(reverse("training:attendance_import", args=[session.pk]),
                           {"file": _workbook([["张三丰", "签到", ""], ["王芳", "签到", ""], ["查无此人", "", ""]])})
    assert response.status_code == 200
    assert TrainingAttendance.objects.count() == 0
    html = response.content.decode()
    assert "查无此人" in html and 'name="choice:王芳"' in html

    # Choosing the 王芳 meant and dropping the unknown row is done again without the file.
    rows = response.context["import_rows"]
    assert "查无此人" in rows
    import json

    kept = [r for r in json.loads(rows) if r["name"] != "查无此人"]
    response = client.post(reverse("training:attendance_import", args=[session.pk]),
                           {"rows": json.dumps(kept), "choice:王芳": namesakes[1].person_id})
    assert response.status_code == 302
    assert set(TrainingAttendance.objects.values_list("person_id", flat=True)) == {
        municipal_mandate.person_id, namesakes[1].person_id}


def test_sign_in_leave_rows_keep_their_reason(client_for, staff_user, session, municipal_mandate, county_mandate):
    response = client_for(staff_user).post(
        reverse("training:attendance_import", args=[session.pk]),
        {"file": _workbook([["张三丰", "出席", ""], ["李四", "请假", "出差"]])})
    assert response.status_code == 302
    assert dict(TrainingAttendance.objects.values_list("person__name", "leave_reason")) == {"张三丰": "", "李四": "出差"}


def test_paste_with_an_ambiguous_name_asks_then_saves(client_for, staff_user, session, municipal_mandate, namesakes):
    client = client_for(staff_user)
    url = reverse("training:attendance_paste", args=[session.pk])
    response = client.post(url, {"names": "张三丰、王芳", "attendance": "present"})
    assert response.status_code == 200 and TrainingAttendance.objects.count() == 0
    assert 'name="choice:王芳"' in response.content.decode()
    response = client.post(url, {"names": "张三丰、王芳", "attendance": "present",
                                 "choice:王芳": namesakes[0].person_id})
    assert response.status_code == 302
    assert TrainingAttendance.objects.count() == 2


def test_paste_on_leave_without_reason_is_a_form_error(client_for, staff_user, session, municipal_mandate):
    response = client_for(staff_user).post(reverse("training:attendance_paste", args=[session.pk]),
                                           {"names": "张三丰", "attendance": "leave"})
    assert response.status_code == 200 and TrainingAttendance.objects.count() == 0


def test_add_a_whole_level_and_search(client_for, staff_user, session, municipal_mandate, county_mandate):
    client = client_for(staff_user)
    response = client.get(reverse("training:attendance_search", args=[session.pk]), {"q": "zsf"})
    assert "张三丰" in response.content.decode()
    response = client.post(reverse("training:attendance_add", args=[session.pk]),
                           {"body": "level:county", "attendance": "present"})
    assert response.status_code == 302
    assert list(TrainingAttendance.objects.values_list("person__name", flat=True)) == ["李四"]
    response = client.post(reverse("training:attendance_add", args=[session.pk]),
                           {"people": [municipal_mandate.person_id], "attendance": "present"})
    assert TrainingAttendance.objects.count() == 2


def test_staff_create_a_program_and_a_session(client_for, staff_user, city):
    client = client_for(staff_user)
    response = client.post(reverse("training:program_create"), {
        "title": "专题培训", "form": "thematic", "topic": "rule_of_law", "jurisdiction": city.pk,
        "level": "municipal", "start_date": "2026-04-01"})
    program = TrainingProgram.objects.get()
    assert response["Location"] == reverse("training:program_detail", args=[program.pk])
    response = client.post(reverse("training:session_create", args=[program.pk]), {
        "title": "人民讲堂", "date": "2026-03-01", "hours": "2"})
    assert response.status_code == 200 and not program.sessions.exists()
    response = client.post(reverse("training:session_create", args=[program.pk]), {
        "title": "人民讲堂", "date": "2026-04-01", "hours": "2", "lecturer": "李教授"})
    assert response.status_code == 302 and program.sessions.count() == 1


def test_program_list_query_count_does_not_grow(client_for, staff_user, city, county,
                                                django_assert_max_num_queries):
    client = client_for(staff_user)
    make_session(make_program(city))

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("training:program_list"), {"year": 2026}).status_code == 200
        return len(ctx)

    few = count()
    for i in range(12):
        make_session(make_program(county if i % 2 else city, title=f"培训{i}"))
    assert count() == few
    with django_assert_max_num_queries(10):
        client.get(reverse("training:program_list"))


def test_county_staff_list_shows_their_county_only(client_for, county_staff_user, city, county, other_county):
    make_program(county, title="南关区培训")
    make_program(other_county, title="朝阳区培训")
    make_program(city, title="市培训")
    response = client_for(county_staff_user).get(reverse("training:program_list"))
    assert [p.title for p in response.context["page"].object_list] == ["南关区培训"]


@time_machine.travel(datetime.datetime(2026, 11, 26, 9, 0), tick=False)
def test_coverage_page_says_person_times_and_trained_share(client_for, staff_user, city, county, county_term):
    session = make_session(make_program(county, level="county", start=datetime.date(2026, 5, 1)))
    mandates = [MandateFactory(term=county_term) for _i in range(4)]
    for mandate in mandates[:3]:
        TrainingAttendance.objects.create(session=session, person=mandate.person, mandate=mandate)
    response = client_for(staff_user).get(reverse("training:coverage"))  # this year by default
    assert response.context["year"] == 2026
    line = [g for g in response.context["groups"] if g["total"].level == "county"][0]
    assert (line["total"].person_times, line["total"].trained, line["total"].serving) == (3, 3, 4)
    assert "75%" in response.content.decode()

    response = client_for(staff_user).get(reverse("training:coverage_untrained"),
                                          {"level": "county", "jurisdiction": county.pk})
    assert [m.pk for m in response.context["page"].object_list] == [mandates[3].pk]
    assert "*" in response.content.decode()  # phones masked


def test_coverage_exports_are_audited(client_for, staff_user, county_mandate, county):
    client = client_for(staff_user)
    response = client.get(reverse("training:coverage_export"), {"year": 2026})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.active.max_row >= 2
    response = client.get(reverse("training:coverage_export"), {"year": 2026, "level": "county"})
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.active["A2"].value == "李四"
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).count() == 2


def test_drill_down_into_another_countys_area_is_404(client_for, county_staff_user, other_county):
    response = client_for(county_staff_user).get(reverse("training:coverage_untrained"),
                                                 {"level": "county", "jurisdiction": other_county.pk})
    assert response.status_code == 404
