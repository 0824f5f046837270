"""The Excel exports of the liaison lists (contacts, deputies' requests, invitations): the page's filters, scope and
rows, in its order, in a fixed number of queries, and audited."""

import datetime
import io

import openpyxl
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.liaison.models import Channel, DeputyRequest, Invitation, Invitee, Opinion
from tests.factories import MandateFactory
from tests.liaison.contacts_support import make_contact, make_request

NOW = datetime.datetime(2026, 6, 15, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
TODAY = NOW.date()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _rows(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return list(sheet.iter_rows(min_row=2, values_only=True))


def _page_pks(client, url_name, params) -> list[int]:
    """Every row of every page of the list, in its order."""
    pks, page = [], 1
    while True:
        response = client.get(reverse(url_name), {**params, "page": page})
        pks += [row.pk for row in response.context["page"].object_list]
        if not response.context["page"].has_next():
            return pks
        page += 1


def _max_queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


# --- contacts -----------------------------------------------------------------------------------------------

def test_the_contact_export_has_the_lists_rows_and_filters(client_for, staff_user, committee_member,
                                                           municipal_mandate):
    visit = make_contact(committee_member, [municipal_mandate.person], date=TODAY - datetime.timedelta(days=3),
                         summary="走访代表")
    call = make_contact(committee_member, [municipal_mandate.person], date=TODAY - datetime.timedelta(days=1),
                        channel=Channel.PHONE, summary="电话联系")
    make_request(call)
    client = client_for(staff_user)

    rows = _rows(client.get(reverse("liaison:contact_export")))
    assert [row[4] for row in rows] == ["电话联系", "走访代表"]  # the list's order: newest first
    assert _page_pks(client, "liaison:contact_list", {}) == [call.pk, visit.pk]
    date, member, channel, contacted, _summary, requests = rows[0]
    assert (date.date(), member, channel, contacted, requests) == (call.date, "常委甲", "电话",
                                                                   municipal_mandate.person.name, 1)
    filtered = _rows(client.get(reverse("liaison:contact_export"), {"channel": Channel.VISIT}))
    assert [row[4] for row in filtered] == ["走访代表"]
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT, user=staff_user, detail__contains="channel")
    assert event.detail.startswith("liaison contacts")


def test_a_member_exports_only_their_own_contacts(client_for, committee_member, plain_member, municipal_mandate,
                                                  member_user):
    make_contact(committee_member, [municipal_mandate.person], summary="本人走访")
    make_contact(plain_member, [municipal_mandate.person], summary="他人走访")
    rows = _rows(client_for(member_user).get(reverse("liaison:contact_export")))
    assert [row[4] for row in rows] == ["本人走访"]


def test_county_staff_export_none_of_the_citys_contacts(client_for, county_staff_user, committee_member,
                                                        municipal_mandate):
    make_contact(committee_member, [municipal_mandate.person])
    assert _rows(client_for(county_staff_user).get(reverse("liaison:contact_export"))) == []


def test_the_contact_export_takes_a_fixed_number_of_queries(client_for, staff_user, committee_member, city_term,
                                                            django_assert_max_num_queries):
    client = client_for(staff_user)
    url = reverse("liaison:contact_export")
    make_contact(committee_member, [MandateFactory(term=city_term).person])
    few = _max_queries(client, url, {})
    for _i in range(6):
        make_contact(committee_member, [MandateFactory(term=city_term).person])
    with django_assert_max_num_queries(few):
        assert len(_rows(client.get(url))) == 7


def test_a_bad_filter_is_ignored_as_on_the_page(client_for, staff_user, committee_member, municipal_mandate):
    make_contact(committee_member, [municipal_mandate.person])
    client = client_for(staff_user)
    params = {"date_from": "not a date"}
    rows = _rows(client.get(reverse("liaison:contact_export"), params))
    assert len(rows) == len(_page_pks(client, "liaison:contact_list", params)) == 1


# --- requests -----------------------------------------------------------------------------------------------

def test_the_request_export_has_the_lists_rows_order_and_overdue_mark(client_for, staff_user, committee_member,
                                                                      municipal_mandate):
    contact = make_contact(committee_member, [municipal_mandate.person], date=TODAY - datetime.timedelta(days=40))
    late = make_request(contact, content="小区加装电梯", due_date=TODAY - datetime.timedelta(days=5))
    on_time = make_request(contact, content="道路维修", due_date=TODAY + datetime.timedelta(days=5))
    client = client_for(staff_user)

    rows = _rows(client.get(reverse("liaison:request_export")))
    assert _page_pks(client, "liaison:request_list", {}) == [late.pk, on_time.pk]
    assert [row[2] for row in rows] == ["小区加装电梯", "道路维修"]
    deputy, category, _content, office, member, due, overdue, status = rows[0]
    assert (deputy, office, member, due.date(), overdue) == (municipal_mandate.person.name, "市住建局", "常委甲",
                                                             late.due_date, "是")
    assert category == late.get_category_display() and status == late.get_status_display()
    assert rows[1][6] is None  # not overdue: an empty cell
    assert [row[2] for row in _rows(client.get(reverse("liaison:request_export"), {"overdue": "on"}))] == [
        "小区加装电梯"]


def test_the_request_export_filters_by_status(client_for, staff_user, committee_member, municipal_mandate):
    contact = make_contact(committee_member, [municipal_mandate.person])
    make_request(contact, content="未办结")
    rows = _rows(client_for(staff_user).get(reverse("liaison:request_export"),
                                            {"status": DeputyRequest.Status.CLOSED}))
    assert rows == []


def test_the_request_export_takes_a_fixed_number_of_queries(client_for, staff_user, committee_member, city_term,
                                                            django_assert_max_num_queries):
    client = client_for(staff_user)
    url = reverse("liaison:request_export")
    make_request(make_contact(committee_member, [MandateFactory(term=city_term).person]))
    few = _max_queries(client, url, {})
    for _i in range(6):
        make_request(make_contact(committee_member, [MandateFactory(term=city_term).person]))
    with django_assert_max_num_queries(few):
        assert len(_rows(client.get(url))) == 7


# --- invitations --------------------------------------------------------------------------------------------

def _invitation(city, title, date, *, people=(), opinions=0):
    invitation = Invitation.objects.create(jurisdiction=city, kind=Invitation.Kind.ATTEND_MEETING, title=title,
                                           date=date)
    for index, person in enumerate(people):
        invitee = Invitee.objects.create(invitation=invitation, person=person, attended=index == 0)
        for _i in range(opinions):
            Opinion.objects.create(invitee=invitee, content="建议")
    return invitation


def test_the_invitation_export_has_the_lists_rows_counts_and_filters(client_for, staff_user, city, city_term):
    people = [MandateFactory(term=city_term).person for _i in range(3)]
    june = _invitation(city, "常委会第二十次会议", datetime.date(2026, 6, 1), people=people, opinions=1)
    march = _invitation(city, "执法检查", datetime.date(2026, 3, 1))
    _invitation(city, "去年的会议", datetime.date(2025, 6, 1))
    client = client_for(staff_user)

    rows = _rows(client.get(reverse("liaison:invitation_export"), {"year": 2026}))
    assert _page_pks(client, "liaison:invitation_list", {"year": 2026}) == [june.pk, march.pk]
    assert [row[2] for row in rows] == ["常委会第二十次会议", "执法检查"]
    assert rows[0][3:] == (city.name, 3, 1, 3)
    assert rows[0][1] == june.get_kind_display()
    assert [row[2] for row in _rows(client.get(reverse("liaison:invitation_export"), {"q": "执法"}))] == ["执法检查"]


def test_county_staff_export_none_of_the_citys_invitations(client_for, county_staff_user, city):
    _invitation(city, "常委会会议", datetime.date(2026, 6, 1))
    assert _rows(client_for(county_staff_user).get(reverse("liaison:invitation_export"))) == []


def test_the_invitation_export_takes_a_fixed_number_of_queries(client_for, staff_user, city, city_term,
                                                               django_assert_max_num_queries):
    client = client_for(staff_user)
    url = reverse("liaison:invitation_export")
    _invitation(city, "会议", datetime.date(2026, 1, 5), people=[MandateFactory(term=city_term).person])
    few = _max_queries(client, url, {})
    for day in range(6):
        _invitation(city, "会议", datetime.date(2026, 2, day + 1), people=[MandateFactory(term=city_term).person])
    with django_assert_max_num_queries(few):
        assert len(_rows(client.get(url))) == 7


def test_the_lists_link_to_their_exports_with_the_filters(client_for, staff_user):
    client = client_for(staff_user)
    page = client.get(reverse("liaison:contact_list"), {"channel": Channel.PHONE}).content.decode()
    assert f'{reverse("liaison:contact_export")}?channel=phone' in page
    page = client.get(reverse("liaison:request_list"), {"status": "open"}).content.decode()
    assert f'{reverse("liaison:request_export")}?status=open' in page
    page = client.get(reverse("liaison:invitation_list"), {"year": 2026}).content.decode()
    assert f'{reverse("liaison:invitation_export")}?year=2026' in page
