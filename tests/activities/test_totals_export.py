"""The activity totals page as an Excel workbook: the same filters, the same numbers, text cells that a
spreadsheet would run as a formula escaped, audited, only for the office in scope."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from apps.core.excel import is_formula_like
from apps.activities.models import ActivityType
from apps.core.models import AuditEvent
from apps.deputies.models import Level
from tests.activities.staff_support import deputies, make_activity, participate


@pytest.fixture
def period(city, county, city_term):
    people = deputies(city_term, ["赵一", "钱二", "孙三"])
    inspection = make_activity(city, title="视察", day=datetime.date(2024, 5, 10))
    for m in people:
        participate(inspection, m)
    theme = make_activity(city, code="theme_practice", title="主题实践", day=datetime.date(2024, 6, 1))
    participate(theme, people[0], suggestions_raised=2, households_helped=3, people_helped=9,
                funds_donated=Decimal("1200.50"))
    participate(theme, people[1], attendance="absent")
    make_activity(county, level=Level.COUNTY, code="survey", title="县调研", day=datetime.date(2024, 6, 2))
    make_activity(city, title="年外", day=datetime.date(2023, 12, 31))
    return {"date_from": "2024-01-01", "date_to": "2024-12-31"}


def _sheet(response):
    return openpyxl.load_workbook(io.BytesIO(response.content)).active


def _page_rows(totals):
    rows = []
    for row in totals["rows"]:
        outcomes = ([row["suggestions"], row["households"], row["people"], float(row["funds"])]
                    if row["type"].has_outcomes else [None] * 4)
        rows.append([row["type"].name, row["activities"], row["present"], *outcomes])
    t = totals["total"]
    rows.append(["合计", t["activities"], t["present"], t["suggestions"], t["households"], t["people"],
                 float(t["funds"])])
    return rows


@pytest.mark.parametrize("extra", [{}, {"jurisdiction": "county"}])
def test_the_workbook_rows_equal_the_page(client_for, staff_user, period, county, extra):
    query = {**period, **({"jurisdiction": county.pk} if extra else {})}
    client = client_for(staff_user)
    page = client.get(reverse("activities:activity_totals"), query)
    response = client.get(reverse("activities:activity_totals_export"), query)
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert "attachment" in response["Content-Disposition"]
    sheet = _sheet(response)
    assert sheet["A2"].value == "类型"
    rows = [list(r) for r in sheet.iter_rows(min_row=3, values_only=True)]
    assert rows == _page_rows(page.context["totals"])
    assert len(rows) == (2 if extra else 4)  # the county's survey alone, or three types; and the total
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT, detail__startswith="activity totals").exists()


def test_this_years_totals_when_no_filter_is_given(client_for, staff_user, city):
    with time_machine.travel(datetime.datetime(2024, 7, 1, 12, tzinfo=datetime.UTC), tick=False):
        make_activity(city, title="今年", day=datetime.date(2024, 5, 10))
        make_activity(city, title="去年", day=datetime.date(2023, 5, 10))
        sheet = _sheet(client_for(staff_user).get(reverse("activities:activity_totals_export")))
    assert [r[:2] for r in sheet.iter_rows(min_row=3, values_only=True)] == [("视察", 1), ("合计", 1)]


def test_a_type_name_read_as_a_formula_is_escaped(client_for, staff_user, city):
    evil = ActivityType.objects.create(code="evil", name='=HYPERLINK("http://x","点")')
    make_activity(city, code="evil", day=datetime.date(2024, 5, 10))
    sheet = _sheet(client_for(staff_user).get(reverse("activities:activity_totals_export"),
                                              {"date_from": "2024-01-01", "date_to": "2024-12-31"}))
    cell = sheet["A3"]
    assert cell.value == evil.name and cell.data_type == "s" and cell.quotePrefix  # text shown as typed, never run


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)"])
def test_text_read_as_a_formula_is_recognised_by_the_shared_helper(value):
    assert is_formula_like(value)


@pytest.mark.parametrize("value", ["视察", "", 12, None, Decimal("-3")])
def test_other_values_are_left_as_they_are(value):
    assert not is_formula_like(value)


def test_bad_filters_go_back_to_the_page_with_the_error(client_for, staff_user, city):
    response = client_for(staff_user).get(reverse("activities:activity_totals_export"),
                                          {"date_from": "2024-05-01", "date_to": "2024-04-01"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("activities:activity_totals"))
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


def test_county_staff_export_only_their_countys_activities(client_for, county_staff_user, period):
    sheet = _sheet(client_for(county_staff_user).get(reverse("activities:activity_totals_export"), period))
    assert [r[:2] for r in sheet.iter_rows(min_row=3, values_only=True)] == [("专题调研", 1), ("合计", 1)]
