"""The supervisors' board as Excel: its figures (totals, states, by lead unit, by category) equal the page's, and
the items behind a figure equal the drill-down's rows over all its pages; the page's filters and scope; a fixed
number of queries; audited."""

import datetime
import io

import openpyxl
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.proposals.models import Kind, Proposal
from tests.factories import HandlingUnitFactory
from tests.proposals import board_support as support
from tests.proposals.factories import CategoryFactory, category

S = Proposal.State
TODAY = support.TODAY
pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def frozen():
    with time_machine.travel(support.NOW, tick=False):
        yield


@pytest.fixture
def cast(city, municipal_mandate, county_mandate):
    education = category("教育")
    unit = HandlingUnitFactory(name="市教育局", jurisdiction=city)
    day = datetime.timedelta(days=1)
    submitted = support.item(mandate=municipal_mandate, state=S.SUBMITTED, category=education, title="甲")
    late = support.item(mandate=municipal_mandate, state=S.HANDLING, number=2, title="乙")
    support.deadline(support.assign(late, unit), due_on=TODAY - day)
    motion = support.item(mandate=municipal_mandate, state=S.HANDLING, number=3, kind=Kind.MOTION, title="丙")
    support.assign(motion, unit)
    county_item = support.item(mandate=county_mandate, state=S.SUBMITTED, number=4, title="丁")
    return {"unit": unit, "education": education, "submitted": submitted, "late": late, "motion": motion,
            "county_item": county_item}


def _book(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return openpyxl.load_workbook(io.BytesIO(response.content))


def _values(sheet) -> list[tuple]:
    return list(sheet.iter_rows(min_row=2, values_only=True))


def test_the_board_export_has_the_pages_figures(client_for, supervisor_user, cast):
    client = client_for(supervisor_user)
    board = client.get(reverse("proposals:board")).context["board"]
    book = _book(client.get(reverse("proposals:board_export")))
    assert book.sheetnames == ["统计数字", "按主办单位", "按类别"]
    figures = dict(row for row in _values(book["统计数字"]) if row[0] and row[1] is not None)
    assert figures["件数"] == board.totals.counts["total"] == 4
    assert figures["逾期"] == board.totals.counts["overdue"] == 1
    assert figures["办复率（%）"] == 0  # assigned, none replied
    assert ("满意率（%）", None) in _values(book["统计数字"])  # nothing rated: no rate, an empty cell
    for figure, count in board.states:
        assert figures[str(figure.label)] == count
    units = _values(book["按主办单位"])
    assert [(row[0], row[1]) for row in units] == [(line.name, line.counts["total"]) for line in board.units] == [
        ("市教育局", 2)]
    categories = {row[0]: row[1] for row in _values(book["按类别"])}
    assert categories == {"教育": 1, "未分类": 3}
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT, user=supervisor_user,
                                     detail__startswith="proposal board").count() == 1


def test_the_board_export_takes_the_pages_filters(client_for, staff_user, cast):
    book = _book(client_for(staff_user).get(reverse("proposals:board_export"), {"kind": Kind.MOTION}))
    figures = dict(row for row in _values(book["统计数字"]) if row[0] and row[1] is not None)
    assert figures["件数"] == 1
    assert any("议案" in str(row[0]) for row in _values(book["统计数字"]))  # the title names the filter


def test_county_staff_export_their_countys_figures_only(client_for, county_staff_user, cast):
    book = _book(client_for(county_staff_user).get(reverse("proposals:board_export")))
    figures = dict(row for row in _values(book["统计数字"]) if row[0] and row[1] is not None)
    assert figures["件数"] == 1


def test_the_items_export_equals_the_drill_downs_rows_over_all_pages(client_for, supervisor_user, cast,
                                                                      municipal_mandate):
    for number in range(5, 40):  # more than a page of the drill-down
        support.item(mandate=municipal_mandate, state=S.SUBMITTED, number=number, title=f"件{number}")
    client = client_for(supervisor_user)
    params = {"figure": "state_submitted"}
    listed, page = [], 1
    while True:
        response = client.get(reverse("proposals:board_items"), {**params, "page": page})
        listed += [p.title for p in response.context["page"].object_list]
        if not response.context["page"].has_next():
            break
        page += 1
    rows = _values(_book(client.get(reverse("proposals:board_items_export"), params)).active)
    assert [row[2] for row in rows] == listed
    assert len(rows) == 37


def test_the_items_export_of_a_units_line(client_for, supervisor_user, cast):
    params = {"figure": "overdue", "unit": cast["unit"].pk}
    book = _book(client_for(supervisor_user).get(reverse("proposals:board_items_export"), params))
    assert book.active.title == "逾期 · 市教育局"
    (row,) = _values(book.active)
    year, number, title, key, kind, state, category_name, lead_unit, due = row
    assert (year, number, title, lead_unit, due.date()) == (TODAY.year, cast["late"].number_label, "乙", "市教育局",
                                                            TODAY - datetime.timedelta(days=1))
    assert state == cast["late"].get_state_display()


def test_a_bad_drill_down_link_is_a_400_without_a_file(client_for, supervisor_user, cast):
    response = client_for(supervisor_user).get(reverse("proposals:board_items_export"), {"figure": "nonsense"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


def test_an_unknown_unit_is_a_404(client_for, supervisor_user, cast):
    response = client_for(supervisor_user).get(reverse("proposals:board_items_export"),
                                               {"figure": "total", "unit": 999999})
    assert response.status_code == 404


def test_the_exports_take_a_fixed_number_of_queries(client_for, supervisor_user, cast, municipal_mandate,
                                                    django_assert_max_num_queries):
    client = client_for(supervisor_user)
    urls = [(reverse("proposals:board_export"), {}), (reverse("proposals:board_items_export"), {"figure": "total"})]
    few = []
    for url, params in urls:
        with CaptureQueriesContext(connection) as queries:
            client.get(url, params)
        few.append(len(queries))
    for number in range(5, 25):
        item = support.item(mandate=municipal_mandate, state=S.HANDLING, number=number, category=CategoryFactory(name=f"类{number}"))
        support.assign(item, HandlingUnitFactory(jurisdiction=cast["unit"].jurisdiction))
    for (url, params), budget in zip(urls, few, strict=True):
        with django_assert_max_num_queries(budget):
            assert client.get(url, params).status_code == 200


def test_the_board_and_its_items_link_to_their_exports(client_for, supervisor_user, cast):
    client = client_for(supervisor_user)
    page = client.get(reverse("proposals:board"), {"kind": Kind.MOTION}).content.decode()
    assert f'{reverse("proposals:board_export")}?kind=motion' in page
    page = client.get(reverse("proposals:board_items"), {"figure": "overdue"}).content.decode()
    assert f'{reverse("proposals:board_items_export")}?figure=overdue' in page
