"""The reference data pages: handling rules, the working-day calendar, handling units, categories and
congress sessions. Happy paths, bad input (a Chinese message, nothing written) and the lists' query counts."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from apps.core.models import AuditEvent, CalendarDay, HandlingUnit
from apps.deputies.models import Session
from apps.proposals.models import Assignment, Category, HandlingRule, Kind, Proposal
from tests.factories import HandlingUnitFactory, TermFactory, UserFactory
from tests.proposals.config_support import (  # noqa: F401
    category_education, city_rule, city_session, city_unit, county_unit,
)
from tests.proposals.factories import AssignmentFactory, DeadlineFactory, SessionFactory, SuggestionFactory

D = datetime.date

RULE = {"clock_start": "assigned", "base_months": 3, "max_total_months": 6, "co_opinion_months": 1,
        "rehandling_months": 1, "return_working_days": 5, "rating_working_days": 20, "min_signers": 1}


def _text(response) -> str:
    return response.content.decode()


def _errors(response) -> str:
    form = response.context["form"]
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


# --- handling rules -------------------------------------------------------------------------------------------

def test_staff_add_a_rule_for_their_county(client_for, county_staff_user, county):
    data = {**RULE, "jurisdiction": county.pk, "kind": Kind.MOTION, "base_months": 2, "max_total_months": 4,
            "min_signers": 8}
    response = client_for(county_staff_user).post(reverse("proposals:rule_create"), data)
    assert response.status_code == 302
    rule = HandlingRule.objects.get(jurisdiction=county, kind=Kind.MOTION)
    assert (rule.base_months, rule.max_total_months, rule.min_signers) == (2, 4, 8)
    assert AuditEvent.objects.filter(action="create", object_type="proposals.HandlingRule",
                                     object_id=str(rule.pk), user=county_staff_user).exists()


def test_a_maximum_below_the_base_period_is_refused(client_for, staff_user, city):
    data = {**RULE, "jurisdiction": city.pk, "kind": Kind.SUGGESTION, "base_months": 3, "max_total_months": 2}
    response = client_for(staff_user).post(reverse("proposals:rule_create"), data)
    assert response.status_code == 200
    assert "延期后最长期限（2个月）不能短于办理期限（3个月）。" in _errors(response)
    assert not HandlingRule.objects.exists()


def test_a_second_rule_for_the_same_jurisdiction_and_kind_is_refused(client_for, staff_user, city, city_rule):
    data = {**RULE, "jurisdiction": city.pk, "kind": Kind.SUGGESTION, "base_months": 2}
    response = client_for(staff_user).post(reverse("proposals:rule_create"), data)
    assert "长春市已有建议的办理规则，请修改该规则。" in _errors(response)
    assert list(HandlingRule.objects.values_list("base_months", flat=True)) == [3]


def test_county_staff_cannot_add_a_rule_for_the_city(client_for, county_staff_user, city):
    data = {**RULE, "jurisdiction": city.pk, "kind": Kind.SUGGESTION}
    response = client_for(county_staff_user).post(reverse("proposals:rule_create"), data)
    assert response.status_code == 200 and "jurisdiction" in response.context["form"].errors
    assert not HandlingRule.objects.exists()


def test_the_rule_service_checks_the_scope_itself(county_staff_user, city):
    from django.core.exceptions import ValidationError

    from apps.proposals.services import config as services

    with pytest.raises(ValidationError) as caught:
        services.rule_create(user=county_staff_user, jurisdiction=city, kind=Kind.SUGGESTION,
                             **{k: v for k, v in RULE.items()})
    assert "jurisdiction" in caught.value.error_dict
    assert not HandlingRule.objects.exists()


def test_editing_a_rule_keeps_the_deadlines_already_set(client_for, staff_user, city, city_rule):
    proposal = SuggestionFactory(jurisdiction=city, mandate=None, level="municipal", state=Proposal.State.ASSIGNED)
    deadline = DeadlineFactory(assignment=AssignmentFactory(proposal=proposal), rule=city_rule, rule_value=3)
    due_on = deadline.due_on
    client = client_for(staff_user)
    url = reverse("proposals:rule_edit", args=[city_rule.pk])

    page = client.get(url)
    assert "按此规则计算的未结期限：1个。" in _text(page)
    assert "已设定的期限仍按计算时的规则值执行" in _text(page)
    response = client.post(url, {**RULE, "base_months": 4, "max_total_months": 8, "version": city_rule.version})

    assert response.status_code == 302
    city_rule.refresh_from_db()
    assert (city_rule.base_months, city_rule.max_total_months, city_rule.version) == (4, 8, 2)
    deadline.refresh_from_db()
    assert (deadline.rule_value, deadline.due_on) == (3, due_on)
    event = AuditEvent.objects.get(action="update", object_type="proposals.HandlingRule", object_id=str(city_rule.pk))
    assert "base_months" in event.detail and "max_total_months" in event.detail and event.user == staff_user


def test_a_rule_edit_with_a_maximum_below_the_base_writes_nothing(client_for, staff_user, city_rule):
    response = client_for(staff_user).post(reverse("proposals:rule_edit", args=[city_rule.pk]),
                                           {**RULE, "base_months": 5, "max_total_months": 4, "version": 1})
    assert "延期后最长期限（4个月）不能短于办理期限（5个月）。" in _errors(response)
    city_rule.refresh_from_db()
    assert (city_rule.base_months, city_rule.max_total_months, city_rule.version) == (3, 6, 1)
    assert not AuditEvent.objects.filter(action="update", object_type="proposals.HandlingRule").exists()


def test_two_staff_editing_one_rule_cannot_both_save(client_for, staff_user, city, city_rule):
    other = UserFactory(username="staff2", roles=["staff"], jurisdiction=city)
    url = reverse("proposals:rule_edit", args=[city_rule.pk])
    assert client_for(other).post(url, {**RULE, "base_months": 2, "version": 1}).status_code == 302

    response = client_for(staff_user).post(url, {**RULE, "rating_working_days": 15, "version": 1})

    assert response.status_code == 200
    assert "自您打开此记录以来，其他人已修改了它。" in _text(response)
    # What the record holds now where it differs from this input: the other's change, and this one's.
    assert [row["name"] for row in response.context["changed_since"]] == ["base_months", "rating_working_days"]
    city_rule.refresh_from_db()
    assert (city_rule.base_months, city_rule.rating_working_days, city_rule.version) == (2, 20, 2)
    # The form now carries the current version: saving again is a deliberate overwrite.
    assert response.context["form"].data["version"] == "2"
    assert client_for(staff_user).post(url, {**RULE, "rating_working_days": 15, "version": 2}).status_code == 302
    city_rule.refresh_from_db()
    assert (city_rule.base_months, city_rule.rating_working_days) == (3, 15)


def test_county_staff_see_the_citys_rule_above_them_but_cannot_edit_it(client_for, county_staff_user, county,
                                                                      city_rule):
    own = HandlingRule.objects.create(jurisdiction=county, kind=Kind.MOTION, min_signers=10)
    response = client_for(county_staff_user).get(reverse("proposals:rule_list"))
    rows = {rule.pk: rule.editable for rule in response.context["rules"]}
    assert rows == {city_rule.pk: False, own.pk: True}
    assert reverse("proposals:rule_edit", args=[own.pk]) in _text(response)
    assert reverse("proposals:rule_edit", args=[city_rule.pk]) not in _text(response)


def test_the_rule_list_query_count_does_not_grow_with_rows(client_for, staff_user, city,
                                                           django_assert_max_num_queries):
    from tests.factories import JurisdictionFactory

    client = client_for(staff_user)
    client.get(reverse("proposals:rule_list"))
    with django_assert_max_num_queries(5):
        assert client.get(reverse("proposals:rule_list")).status_code == 200
    for i in range(15):
        county = JurisdictionFactory(name=f"区{i}", code=f"3301{i:02d}", parent=city)
        for kind in Kind.values:
            HandlingRule.objects.create(jurisdiction=county, kind=kind)
    with django_assert_max_num_queries(5):
        response = client.get(reverse("proposals:rule_list"))
    assert len(response.context["rules"]) == 30


# --- the working-day calendar ------------------------------------------------------------------------------------

def test_the_calendar_marks_holidays_and_make_up_working_days(client_for, staff_user):
    response = client_for(staff_user).get(reverse("proposals:calendar"), {"year": 2026})
    text = _text(response)
    assert '<td id="day-2026-10-01" class="bg-danger text-white" title="国庆节">' in text
    assert '<td id="day-2026-10-10" class="bg-warning" title="国庆节调休">' in text
    assert '<td id="day-2026-10-11" class="bg-body-tertiary text-secondary">' in text
    assert '<td id="day-2026-10-12" class="">' in text
    entries = response.context["entries"]
    assert [d.date for d in entries][:3] == [D(2026, 1, 1), D(2026, 1, 2), D(2026, 1, 3)]
    assert all(d.date.year == 2026 for d in entries)
    assert "2026年10月10日" in text and "国庆节调休" in text
    assert "chinese-calendar 包覆盖至2026年。" in text
    assert reverse("proposals:calendar_day_edit", args=["2026-10-10"]) in text


@time_machine.travel(datetime.datetime(2026, 11, 20, 10, 0), tick=False)
def test_the_calendar_warns_when_next_year_has_no_entries(client_for, staff_user):
    url = reverse("proposals:calendar")
    text = _text(client_for(staff_user).get(url))
    assert "尚未录入2027年的节假日和调休上班日" in text
    assert "次年的放假安排通常在11月公布，公布后请及时录入。" in text
    CalendarDay.objects.create(date=D(2027, 1, 1), is_working_day=False, name="元旦")
    assert "尚未录入2027年" not in _text(client_for(staff_user).get(url))


@time_machine.travel(datetime.datetime(2025, 11, 20, 10, 0), tick=False)
def test_no_warning_while_next_year_is_in_the_package(client_for, staff_user):
    response = client_for(staff_user).get(reverse("proposals:calendar"))
    assert response.context["year"] == 2025
    assert "next-year-missing" not in _text(response)


@pytest.mark.parametrize("year", ["abc", "99999", "", "-1"])
def test_a_bad_year_shows_this_year(client_for, staff_user, year):
    response = client_for(staff_user).get(reverse("proposals:calendar"), {"year": year})
    assert response.status_code == 200 and response.context["year"] == timezone.localdate().year


def test_staff_enter_a_holiday_of_next_year(client_for, staff_user):
    url = reverse("proposals:calendar_day_edit", args=["2027-01-01"])
    client = client_for(staff_user)
    page = client.get(url)
    assert page.context["form"].initial["is_working_day"] == "0"  # a Friday: usually entered as a holiday
    response = client.post(url, {"is_working_day": "0", "name": "元旦"})
    assert response.status_code == 302
    assert response["Location"] == reverse("proposals:calendar") + "?year=2027#month-1"
    day = CalendarDay.objects.get(date=D(2027, 1, 1))
    assert (day.is_working_day, day.name, day.source) == (False, "元旦", CalendarDay.Source.STAFF)
    assert AuditEvent.objects.filter(action="create", object_type="core.CalendarDay", object_id="2027-01-01",
                                     user=staff_user).exists()
    assert "2027年1月1日已保存到工作日历。" in _text(client.get(response["Location"]))


def test_staff_change_a_package_day(client_for, staff_user):
    url = reverse("proposals:calendar_day_edit", args=["2026-10-10"])
    client = client_for(staff_user)
    assert client.get(url).context["form"].initial == {"is_working_day": "1", "name": "国庆节调休"}
    assert client.post(url, {"is_working_day": "0", "name": "国庆节（调整）"}).status_code == 302
    day = CalendarDay.objects.get(date=D(2026, 10, 10))
    assert (day.is_working_day, day.source) == (False, CalendarDay.Source.STAFF)
    assert AuditEvent.objects.filter(action="update", object_type="core.CalendarDay", object_id="2026-10-10").exists()


def test_staff_remove_a_day(client_for, staff_user):
    url = reverse("proposals:calendar_day_edit", args=["2026-10-10"])
    response = client_for(staff_user).post(url, {"delete": "1"})
    assert response.status_code == 302
    assert not CalendarDay.objects.filter(date=D(2026, 10, 10)).exists()
    assert AuditEvent.objects.filter(action="delete", object_type="core.CalendarDay", object_id="2026-10-10").exists()


def test_a_day_without_a_name_is_refused(client_for, staff_user):
    before = list(CalendarDay.objects.values_list("date", "is_working_day", "name", "source"))
    url = reverse("proposals:calendar_day_edit", args=["2026-10-10"])
    response = client_for(staff_user).post(url, {"is_working_day": "0", "name": "  "})
    assert response.status_code == 200
    assert "请填写名称，例如“国庆节”或“国庆节调休”。" in _errors(response)
    assert list(CalendarDay.objects.values_list("date", "is_working_day", "name", "source")) == before
    assert not AuditEvent.objects.filter(object_type="core.CalendarDay").exists()


def test_the_add_a_day_box_opens_the_days_page(client_for, staff_user, supervisor_user):
    response = client_for(staff_user).get(reverse("proposals:calendar"), {"day": "2027-02-10"})
    assert response["Location"] == reverse("proposals:calendar_day_edit", args=["2027-02-10"])
    assert client_for(supervisor_user).get(reverse("proposals:calendar"), {"day": "2027-02-10"}).status_code == 200


def test_the_sync_button_reports_the_days_written_and_keeps_staff_days(client_for, staff_user):
    from apps.core.calendar import package_days

    client = client_for(staff_user)
    client.post(reverse("proposals:calendar_day_edit", args=["2026-10-10"]), {"is_working_day": "0", "name": "调整"})
    response = client.post(reverse("proposals:calendar_sync"), follow=True)
    assert f"已从 chinese-calendar 包写入{len(package_days()) - 1}天（该包覆盖至2026年）。" in _text(response)
    assert CalendarDay.objects.get(date=D(2026, 10, 10)).name == "调整"

    response = client.post(reverse("proposals:calendar_sync"), {"overwrite_staff": "on"}, follow=True)
    assert f"写入{len(package_days())}天" in _text(response)
    assert CalendarDay.objects.get(date=D(2026, 10, 10)).name == "国庆节调休"


def test_the_calendar_query_count_is_fixed(client_for, staff_user, django_assert_max_num_queries):
    client = client_for(staff_user)
    client.get(reverse("proposals:calendar"))
    with django_assert_max_num_queries(6):
        assert client.get(reverse("proposals:calendar"), {"year": 2026}).status_code == 200


# --- handling units ---------------------------------------------------------------------------------------------

def test_staff_register_a_unit(client_for, staff_user, county):
    data = {"name": "南关区法院", "kind": HandlingUnit.Kind.COURT, "jurisdiction": county.pk,
            "contact_name": "赵六", "contact_phone": "0431-88880000", "is_active": "on"}
    response = client_for(staff_user).post(reverse("proposals:unit_create"), data)
    assert response.status_code == 302
    unit = HandlingUnit.objects.get(name="南关区法院")
    assert (unit.kind, unit.jurisdiction, unit.contact_name, unit.is_active) == ("court", county, "赵六", True)
    assert unit.history.first().history_user == staff_user


def test_a_unit_name_already_registered_is_refused(client_for, staff_user, city, city_unit):
    data = {"name": " 市交通运输局 ", "kind": HandlingUnit.Kind.DEPARTMENT, "jurisdiction": city.pk}
    response = client_for(staff_user).post(reverse("proposals:unit_create"), data)
    assert "名为“市交通运输局”的单位已登记。" in _errors(response)
    assert HandlingUnit.objects.count() == 1


def test_county_staff_cannot_register_a_unit_of_the_city(client_for, county_staff_user, city):
    data = {"name": "市某局", "kind": HandlingUnit.Kind.DEPARTMENT, "jurisdiction": city.pk}
    response = client_for(county_staff_user).post(reverse("proposals:unit_create"), data)
    assert "jurisdiction" in response.context["form"].errors
    assert not HandlingUnit.objects.exists()


def test_deactivating_a_unit_with_open_assignments_warns(client_for, staff_user, city, city_unit):
    proposal = SuggestionFactory(jurisdiction=city, mandate=None, level="municipal", state=Proposal.State.ASSIGNED)
    AssignmentFactory(proposal=proposal, unit=city_unit)
    data = {"name": "市交通运输局", "kind": HandlingUnit.Kind.STATE_COMPANY, "jurisdiction": city.pk,
            "contact_name": "", "contact_phone": ""}
    response = client_for(staff_user).post(reverse("proposals:unit_edit", args=[city_unit.pk]), data, follow=True)
    city_unit.refresh_from_db()
    assert (city_unit.kind, city_unit.is_active) == ("state_company", False)
    assert "市交通运输局仍有1件未办结的交办，如该单位不再承办，请重新交办。" in _text(response)


def test_the_unit_list_shows_accounts_and_open_assignments(client_for, staff_user, city, city_unit, county_unit):
    UserFactory(username="jt1", full_name="交通甲", roles=["unit"], handling_unit=city_unit)
    UserFactory(username="jt2", full_name="交通乙", roles=["unit"], handling_unit=city_unit)
    UserFactory(username="jt3", full_name="已停用", roles=["unit"], handling_unit=city_unit, is_active=False)
    open_item = SuggestionFactory(jurisdiction=city, mandate=None, level="municipal", state=Proposal.State.HANDLING)
    AssignmentFactory(proposal=open_item, unit=city_unit, state=Assignment.State.ACCEPTED)
    AssignmentFactory(proposal=SuggestionFactory(jurisdiction=city, mandate=None, level="municipal",
                                                 state=Proposal.State.ASSIGNED), unit=city_unit)
    # Not open: returned, or the item is closed.
    AssignmentFactory(proposal=SuggestionFactory(jurisdiction=city, mandate=None, level="municipal",
                                                 state=Proposal.State.ASSIGNED),
                      unit=city_unit, state=Assignment.State.RETURNED)
    AssignmentFactory(proposal=SuggestionFactory(jurisdiction=city, mandate=None, level="municipal",
                                                 state=Proposal.State.CLOSED),
                      unit=city_unit, state=Assignment.State.ACCEPTED)

    response = client_for(staff_user).get(reverse("proposals:unit_list"))
    rows = {unit.name: unit for unit in response.context["page"].object_list}
    assert set(rows) == {"市交通运输局", "南关区住建局"}
    assert sorted(str(a) for a in rows["市交通运输局"].accounts) == ["交通乙", "交通甲"]
    assert rows["市交通运输局"].open_assignments == 2
    assert (len(rows["南关区住建局"].accounts), rows["南关区住建局"].open_assignments) == (0, 0)
    assert "交通乙、交通甲" in _text(response) or "交通甲、交通乙" in _text(response)


def test_county_staff_see_only_their_countys_units(client_for, county_staff_user, city_unit, county_unit):
    response = client_for(county_staff_user).get(reverse("proposals:unit_list"))
    assert [u.pk for u in response.context["page"].object_list] == [county_unit.pk]


def test_the_unit_list_filters(client_for, staff_user, city, city_unit, county_unit):
    HandlingUnitFactory(name="市中级人民法院", jurisdiction=city, kind=HandlingUnit.Kind.COURT, is_active=False)
    client = client_for(staff_user)

    def names(**params):
        return [u.name for u in client.get(reverse("proposals:unit_list"), params).context["page"].object_list]

    assert names(kind="court") == ["市中级人民法院"]
    assert names(active="no") == ["市中级人民法院"]
    assert sorted(names(q="局")) == ["南关区住建局", "市交通运输局"]


def test_the_unit_list_query_count_does_not_grow_with_rows(client_for, staff_user, city,
                                                           django_assert_max_num_queries):
    client = client_for(staff_user)
    client.get(reverse("proposals:unit_list"))
    with django_assert_max_num_queries(7):
        assert client.get(reverse("proposals:unit_list")).status_code == 200
    for i in range(20):
        unit = HandlingUnitFactory(name=f"市测试单位{i}", jurisdiction=city)
        for j in range(2):
            UserFactory(username=f"u{i}_{j}", roles=["unit"], handling_unit=unit)
        proposal = SuggestionFactory(jurisdiction=city, mandate=None, level="municipal",
                                     state=Proposal.State.ASSIGNED)
        AssignmentFactory(proposal=proposal, unit=unit)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("proposals:unit_list"))
    rows = response.context["page"].object_list
    assert len(rows) == 20 and all(len(u.accounts) == 2 and u.open_assignments == 1 for u in rows)


# --- categories -------------------------------------------------------------------------------------------------

def test_staff_add_and_retire_a_category(client_for, staff_user):
    client = client_for(staff_user)
    assert client.post(reverse("proposals:category_create"),
                       {"name": "人口与计生", "position": 200, "is_active": "on"}).status_code == 302
    category = Category.objects.get(name="人口与计生")
    assert (category.position, category.is_active) == (200, True)
    response = client.post(reverse("proposals:category_edit", args=[category.pk]),
                           {"name": "人口发展", "position": 210})
    assert response.status_code == 302
    category.refresh_from_db()
    assert (category.name, category.position, category.is_active) == ("人口发展", 210, False)
    assert AuditEvent.objects.filter(action="update", object_type="proposals.Category",
                                     object_id=str(category.pk), user=staff_user).exists()


def test_a_category_name_in_use_is_refused(client_for, staff_user, category_education):
    before = list(Category.objects.values_list("pk", "name", "position", "is_active"))
    other = Category.objects.get(name="卫生")
    response = client_for(staff_user).post(reverse("proposals:category_edit", args=[other.pk]),
                                           {"name": "教育", "position": 1, "is_active": "on"})
    assert "已有名为“教育”的分类。" in _errors(response)
    assert list(Category.objects.values_list("pk", "name", "position", "is_active")) == before


def test_the_category_list_counts_items_in_a_fixed_number_of_queries(client_for, staff_user, city,
                                                                     category_education,
                                                                     django_assert_max_num_queries):
    client = client_for(staff_user)
    client.get(reverse("proposals:category_list"))
    for _i in range(3):
        SuggestionFactory(jurisdiction=city, mandate=None, level="municipal", category=category_education)
    with django_assert_max_num_queries(5):
        response = client.get(reverse("proposals:category_list"))
    counts = {c.name: c.proposal_count for c in response.context["categories"]}
    assert counts["教育"] == 3 and counts["卫生"] == 0 and len(counts) == Category.objects.count()


# --- congress sessions ------------------------------------------------------------------------------------------

def test_staff_add_a_session(client_for, staff_user, city_term):
    data = {"term": city_term.pk, "number": 4, "name": "市第十六届人民代表大会第四次会议",
            "opens_on": "2027-01-12", "closes_on": "2027-01-16"}
    assert client_for(staff_user).post(reverse("proposals:session_create"), data).status_code == 302
    session = Session.objects.get(term=city_term, number=4)
    assert (session.opens_on, session.closes_on) == (D(2027, 1, 12), D(2027, 1, 16))
    assert AuditEvent.objects.filter(action="create", object_type="deputies.Session",
                                     object_id=str(session.pk)).exists()


def test_a_session_closing_before_it_opens_is_refused(client_for, staff_user, city_term):
    data = {"term": city_term.pk, "number": 4, "name": "第四次会议", "opens_on": "2027-01-16",
            "closes_on": "2027-01-12"}
    response = client_for(staff_user).post(reverse("proposals:session_create"), data)
    assert "闭幕日（2027年1月12日）不能早于开幕日（2027年1月16日）。" in _errors(response)
    assert not Session.objects.exists()


def test_a_session_number_taken_in_the_term_is_refused(client_for, staff_user, city_term, city_session):
    data = {"term": city_term.pk, "number": 3, "name": "重复", "opens_on": "2027-01-12", "closes_on": "2027-01-16"}
    response = client_for(staff_user).post(reverse("proposals:session_create"), data)
    assert "市第十六届已有第3次会议。" in _errors(response)
    assert Session.objects.count() == 1


def test_staff_edit_a_session_but_not_its_term(client_for, staff_user, city_session, county_term):
    url = reverse("proposals:session_edit", args=[city_session.pk])
    data = {"term": county_term.pk, "number": 3, "name": "市第十六届人民代表大会第三次会议",
            "opens_on": "2026-01-11", "closes_on": "2026-01-15"}
    term = city_session.term
    assert client_for(staff_user).post(url, data).status_code == 302
    city_session.refresh_from_db()
    assert (city_session.term, city_session.opens_on, city_session.closes_on) == (term, D(2026, 1, 11),
                                                                                   D(2026, 1, 15))


def test_a_session_edit_closing_before_it_opens_writes_nothing(client_for, staff_user, city_session):
    url = reverse("proposals:session_edit", args=[city_session.pk])
    data = {"number": 3, "name": "改名", "opens_on": "2026-01-14", "closes_on": "2026-01-10"}
    response = client_for(staff_user).post(url, data)
    assert "不能早于开幕日" in _errors(response)
    city_session.refresh_from_db()
    assert (city_session.name, city_session.opens_on) == ("市第十六届人民代表大会第三次会议", D(2026, 1, 10))


def test_county_staff_cannot_add_a_session_to_the_citys_term(client_for, county_staff_user, city_term):
    data = {"term": city_term.pk, "number": 4, "name": "第四次会议", "opens_on": "2027-01-12",
            "closes_on": "2027-01-16"}
    response = client_for(county_staff_user).post(reverse("proposals:session_create"), data)
    assert "term" in response.context["form"].errors
    assert not Session.objects.exists()


def test_the_session_list_is_scoped_and_its_query_count_does_not_grow(client_for, county_staff_user, county,
                                                                      county_term, city_session,
                                                                      django_assert_max_num_queries):
    client = client_for(county_staff_user)
    client.get(reverse("proposals:session_list"))
    with django_assert_max_num_queries(5):
        assert client.get(reverse("proposals:session_list")).status_code == 200
    for number in range(1, 6):
        SessionFactory(term=county_term, number=number, name=f"南关区第十九届第{number}次会议")
    for number in range(16, 19):
        term = TermFactory(jurisdiction=county, level="county", number=number, name=f"南关区第{number}届")
        SessionFactory(term=term, number=1, name=f"南关区第{number}届第1次会议")
    with django_assert_max_num_queries(5):
        response = client.get(reverse("proposals:session_list"))
    names = [s.name for s in response.context["sessions"]]
    assert len(names) == 8 and city_session.name not in names
