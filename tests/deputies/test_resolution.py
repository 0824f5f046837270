"""Resolving who took part: names, bodies and levels to people, each under one mandate; sign-in sheets."""

import datetime
import io

import pytest
from django.utils import translation
from openpyxl import Workbook

from apps.deputies.attendance import Attendance
from apps.deputies.models import Level, Mandate
from apps.deputies.participants import body_mandates, mandates_for_people, resolve_names, split_names
from apps.deputies.signin import read_sign_in
from tests.factories import DeputyGroupFactory, MandateFactory, PersonFactory

DAY = datetime.date(2026, 5, 10)


def test_split_names_handles_separators_annotations_and_repeats():
    text = "张三、李四（请假）\n王五, 张三　赵六；欧阳·娜娜 /孙七"
    assert split_names(text) == ["张三", "李四", "王五", "赵六", "欧阳·娜娜", "孙七"]
    assert split_names("") == []


@pytest.mark.django_db
def test_a_person_with_two_mandates_is_recorded_once_under_the_organisers_level(city, city_term, county_term):
    person = PersonFactory(name="双重代表")
    municipal = MandateFactory(person=person, term=city_term)
    county_seat = MandateFactory(person=person, term=county_term)

    assert mandates_for_people([person.pk], jurisdiction=city, level=Level.MUNICIPAL, on=DAY) == {
        person.pk: municipal.pk}
    assert mandates_for_people([person.pk], jurisdiction=city, level=Level.COUNTY, on=DAY) == {
        person.pk: county_seat.pk}
    # Organised by the county: the municipal mandate (the city's) is outside the organiser's subtree.
    assert mandates_for_people([person.pk], jurisdiction=county_term.jurisdiction, level=Level.MUNICIPAL,
                               on=DAY) == {person.pk: county_seat.pk}


@pytest.mark.django_db
def test_mandates_not_serving_on_the_day_are_not_candidates(city, city_term):
    ended = MandateFactory(term=city_term, person=PersonFactory(name="已离任"), status=Mandate.Status.ENDED,
                           end_date=datetime.date(2025, 12, 31), end_reason=Mandate.EndReason.RESIGNED)
    later = MandateFactory(term=city_term, person=PersonFactory(name="后补选"), start_date=datetime.date(2026, 6, 1))
    result = resolve_names(["已离任", "后补选"], jurisdiction=city, level=Level.MUNICIPAL, on=DAY)
    assert result.unknown == ["已离任", "后补选"]
    assert not result.ok
    # On a day they served, both resolve.
    assert resolve_names(["已离任"], jurisdiction=city, level=Level.MUNICIPAL,
                         on=datetime.date(2025, 6, 1)).people == {ended.person_id: ended.pk}
    assert resolve_names(["后补选"], jurisdiction=city, level=Level.MUNICIPAL,
                         on=datetime.date(2026, 6, 2)).people == {later.person_id: later.pk}


@pytest.mark.django_db
def test_ambiguous_names_offer_candidates_and_resolve_with_a_choice(city, city_term, county_term,
                                                                    django_assert_max_num_queries):
    first = MandateFactory(term=city_term, person=PersonFactory(name="王伟", employer="一汽集团"))
    second = MandateFactory(term=county_term, person=PersonFactory(name="王伟", employer="南关区医院"))
    unique = MandateFactory(term=city_term, person=PersonFactory(name="刘洋"))

    with django_assert_max_num_queries(1):
        result = resolve_names(["王伟", "刘洋", "查无此人"], jurisdiction=city, level=Level.MUNICIPAL, on=DAY)
    assert result.people == {unique.person_id: unique.pk}
    assert result.unknown == ["查无此人"]
    assert {c.person_id for c in result.ambiguous["王伟"]} == {first.person_id, second.person_id}
    assert any("南关区医院" in c.description for c in result.ambiguous["王伟"])

    chosen = resolve_names(["王伟", "刘洋"], jurisdiction=city, level=Level.MUNICIPAL, on=DAY,
                           choices={"王伟": second.person_id})
    assert chosen.ok
    assert chosen.people == {second.person_id: second.pk, unique.person_id: unique.pk}
    # A choice that is not one of the candidates leaves the name ambiguous.
    assert "王伟" in resolve_names(["王伟"], jurisdiction=city, level=Level.MUNICIPAL, on=DAY,
                                  choices={"王伟": unique.person_id}).ambiguous


@pytest.mark.django_db
def test_a_whole_group_or_level_in_two_queries(city, city_term, county_term, django_assert_max_num_queries):
    group = DeputyGroupFactory(jurisdiction=city)
    members = [MandateFactory(term=city_term, group=group) for _ in range(5)]
    MandateFactory(term=city_term)  # not in the group
    county_people = [MandateFactory(term=county_term) for _ in range(3)]

    with django_assert_max_num_queries(1):
        in_group = body_mandates(jurisdiction=city, level=Level.MUNICIPAL, on=DAY, group_id=group.pk)
    assert in_group == {m.person_id: m.pk for m in members}
    assert body_mandates(jurisdiction=city, level=Level.MUNICIPAL, on=DAY, mandate_level=Level.COUNTY) == {
        m.person_id: m.pk for m in county_people}
    assert body_mandates(jurisdiction=city, level=Level.MUNICIPAL, on=DAY) == {}


def _workbook(rows) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(["2026年5月视察活动签到表"])
    ws.merge_cells("A1:D1")
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    return buffer


def test_sign_in_sheet_with_a_title_row_attendance_words_and_reasons():
    sheet = read_sign_in(_workbook([
        ["序号", "姓 名", "签到", "备注"],
        [1, " 张三 ", "√", ""],
        [2, "李四", "请假", "出差"],
        [3, "王五", None, None],
        [4, "赵六", "缺席", ""],
        [None, None, None, None],
    ]))
    assert sheet.ok, sheet.errors
    assert [(r.row, r.name, r.attendance, r.leave_reason) for r in sheet.rows] == [
        (3, "张三", Attendance.PRESENT, ""),
        (4, "李四", Attendance.LEAVE, "出差"),
        (5, "王五", Attendance.PRESENT, ""),
        (6, "赵六", Attendance.ABSENT, ""),
    ]


def test_sign_in_sheet_lists_every_bad_row():
    with translation.override("en"):
        sheet = read_sign_in(_bad_rows())
    assert not sheet.ok
    assert [(e.row, e.column) for e in sheet.errors] == [(3, "Attendance"), (5, "Name"), (6, "Name")]
    assert "迟到早退" in sheet.errors[0].message
    assert "row 4" in sheet.errors[1].message
    # In Chinese (the default), the column is named as staff know it.
    assert read_sign_in(_bad_rows()).errors[1].column == "姓名"


def _bad_rows():
    return _workbook([
        ["姓名", "出席情况"],
        ["张三", "迟到早退"],
        ["李四", "出席"],
        ["李四", "出席"],
        [None, "出席"],
    ])


def test_sign_in_sheet_without_a_name_header_or_not_a_workbook():
    assert "姓名" in read_sign_in(_workbook([["单位", "签到"], ["一汽", "√"]])).errors[0].message
    assert read_sign_in(io.BytesIO(b"not a workbook")).errors[0].row is None
