"""The Excel export of the reports to voters: the list's filters, scope and rows, in its order, with the electoral
unit and the text the list leaves out, in a fixed number of queries, audited."""

import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.deputies.models import Level
from tests.factories import ElectoralUnitFactory, MandateFactory, PersonFactory
from tests.scoring.factories import YEAR, VoterReportFactory

pytestmark = pytest.mark.django_db
URL = "scoring:voter_report_export"


def _rows(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True))


def _page_pks(client, params) -> list[int]:
    response = client.get(reverse("scoring:voter_report_list"), params)
    return [r.pk for r in response.context["page"].object_list]


def test_the_export_has_the_lists_rows_in_its_order(client_for, staff_user, city, city_term):
    unit = ElectoralUnitFactory(jurisdiction=city, name="南关区第一选区")
    first = MandateFactory(term=city_term, person=PersonFactory(name="王五"), electoral_unit=unit)
    second = MandateFactory(term=city_term, person=PersonFactory(name="赵六"))
    older = VoterReportFactory(mandate=first, date=datetime.date(YEAR, 3, 1), electoral_unit=unit,
                               text="履职汇报全文")
    newer = VoterReportFactory(mandate=second, date=datetime.date(YEAR, 9, 1), place="朝阳区代表之家",
                               attendance=30, satisfied=20, basically_satisfied=5, unsatisfied=1)
    client = client_for(staff_user)

    rows = _rows(client.get(reverse(URL)))
    assert _page_pks(client, {}) == [newer.pk, older.pk]
    assert [row[1] for row in rows] == ["赵六", "王五"]
    date, name, level, term, electoral_unit, place, present, satisfied, basically, unsatisfied, text = rows[1]
    assert (date.date(), name, level, term, electoral_unit, place, text) == (
        older.date, "王五", "市", city_term.name, "南关区第一选区", "南关区代表联络站", "履职汇报全文")
    assert (present, satisfied, basically, unsatisfied) == (50, 40, 8, 2)
    assert rows[0][6:10] == (30, 20, 5, 1)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT, user=staff_user,
                                     detail__startswith="voter reports").count() == 1


def test_the_export_takes_the_lists_filters(client_for, staff_user, city_term):
    wang = MandateFactory(term=city_term, person=PersonFactory(name="王五"))
    VoterReportFactory(mandate=wang, date=datetime.date(YEAR, 3, 1))
    VoterReportFactory(mandate=MandateFactory(term=city_term, person=PersonFactory(name="赵六")),
                       date=datetime.date(YEAR, 4, 1))
    VoterReportFactory(mandate=wang, date=datetime.date(YEAR - 1, 5, 1))
    client = client_for(staff_user)
    for params, names in [({"year": YEAR}, ["赵六", "王五"]), ({"q": "王五"}, ["王五", "王五"]),
                          ({"year": YEAR, "q": "王五"}, ["王五"]), ({"level": Level.COUNTY}, [])]:
        rows = _rows(client.get(reverse(URL), params))
        assert [row[1] for row in rows] == names
        assert len(rows) == len(_page_pks(client, params))


def test_county_staff_export_only_their_countys_reports(client_for, county_staff_user, municipal_mandate,
                                                        county_mandate):
    VoterReportFactory(mandate=municipal_mandate)
    VoterReportFactory(mandate=county_mandate)
    rows = _rows(client_for(county_staff_user).get(reverse(URL)))
    assert [row[1] for row in rows] == [county_mandate.person.name]


def test_a_bad_year_is_ignored_as_on_the_page(client_for, staff_user, municipal_mandate):
    VoterReportFactory(mandate=municipal_mandate)
    rows = _rows(client_for(staff_user).get(reverse(URL), {"year": "abc"}))
    assert len(rows) == 1


def test_the_export_takes_a_fixed_number_of_queries(client_for, staff_user, city_term,
                                                    django_assert_max_num_queries):
    client = client_for(staff_user)
    VoterReportFactory(mandate=MandateFactory(term=city_term))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse(URL))
    for _i in range(8):
        VoterReportFactory(mandate=MandateFactory(term=city_term), electoral_unit=None)
    with django_assert_max_num_queries(len(few)):
        assert len(_rows(client.get(reverse(URL)))) == 9


def test_the_list_links_to_the_export_with_its_filters(client_for, staff_user):
    page = client_for(staff_user).get(reverse("scoring:voter_report_list"), {"year": YEAR}).content.decode()
    assert f"{reverse(URL)}?year={YEAR}" in page
