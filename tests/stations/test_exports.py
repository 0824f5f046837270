"""The voter visit log as an Excel workbook: every row the list's filters select (not only a page), phones
masked, an issue read as a formula escaped, audited, for the office in scope."""

import datetime
import io

import openpyxl
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.stations.models import VoterVisit
from tests.stations.conftest import VISITOR_PHONE, make_station, make_visit


def _rows(response):
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]


def test_the_export_has_the_rows_of_the_list_with_its_filters(client_for, staff_user, city_station, visit,
                                                              municipal_mandate, today):
    for i in range(35):
        make_visit(city_station, today - datetime.timedelta(days=3), issue=f"问题{i}",
                   category=VoterVisit.Category.HEALTH)
    client = client_for(staff_user)
    query = {"category": "health"}
    page = client.get(reverse("stations:visit_list"), query)
    response = client.get(reverse("stations:visit_export"), query)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    rows = _rows(response)
    assert len(rows) == page.context["page"].paginator.count == 35  # the whole list, not the first page
    listed = list(page.context["page"].paginator.object_list)
    assert [r[5] for r in rows] == [v.issue for v in listed]
    assert {r[4] for r in rows} == {"医疗卫生"}
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT, detail__startswith="voter visits").exists()


def test_the_row_of_a_visit_masks_the_phone(client_for, staff_user, visit, municipal_mandate):
    [row] = _rows(client_for(staff_user).get(reverse("stations:visit_export")))
    assert row[1] == visit.station.name and row[2] == "赵女士"
    assert row[3] != VISITOR_PHONE and row[3].endswith(VISITOR_PHONE[-4:])
    assert row[6] == municipal_mandate.person.name and row[9] == "待办" and row[0].date() == visit.date


def test_an_issue_read_as_a_formula_is_escaped(client_for, staff_user, city_station, today):
    make_visit(city_station, today, issue='=HYPERLINK("http://evil","点我")', visitor_name="@某人")
    response = client_for(staff_user).get(reverse("stations:visit_export"))
    [row] = _rows(response)
    assert row[5] == '=HYPERLINK("http://evil","点我")' and row[2] == "@某人"  # shown as typed
    cells = next(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=2))
    assert all(cells[i].data_type == "s" and cells[i].quotePrefix for i in (2, 5))  # text, never a formula


def test_county_staff_export_only_their_countys_visits(client_for, county_staff_user, visit, county, today):
    mine = make_visit(make_station(county, name="南关区代表工作站"), today, issue="县里的事")
    rows = _rows(client_for(county_staff_user).get(reverse("stations:visit_export")))
    assert [r[5] for r in rows] == [mine.issue]


def test_the_export_query_count_does_not_grow_with_rows(client_for, staff_user, city_station, municipal_mandate,
                                                        today, django_assert_max_num_queries):
    client = client_for(staff_user)
    make_visit(city_station, today, deputies=[municipal_mandate.person])
    client.get(reverse("stations:visit_export"))  # warm the session
    with django_assert_max_num_queries(12):
        client.get(reverse("stations:visit_export"))
    for i in range(40):
        make_visit(city_station, today, issue=f"问题{i}", deputies=[municipal_mandate.person])
    with django_assert_max_num_queries(12):
        assert len(_rows(client.get(reverse("stations:visit_export")))) == 41
