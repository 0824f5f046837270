"""Deputies' requests (诉求/意见): added to a contact, followed up, closed with the answer the deputy is told;
the staff list and its filters, the supervisor's page of overdue requests, and the deputy's own pages."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.committee.models import CommitteeMember, Post
from apps.core.models import Notification
from apps.liaison.models import DeputyRequest, RequestNote
from apps.liaison.services import contacts as services
from tests.factories import DelegationFactory, HandlingUnitFactory, MandateFactory, PersonFactory, UserFactory
from tests.liaison.contacts_support import deputy_account, make_contact, make_request

TODAY = datetime.date(2026, 4, 1)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel("2026-04-01 12:00 +0800", tick=False):
        yield


@pytest.fixture
def contact(committee_member, municipal_mandate):
    return make_contact(committee_member, [municipal_mandate.person], date=datetime.date(2026, 3, 1))


@pytest.fixture
def deputy_request(contact, deputy_user):
    return make_request(contact, due_date=datetime.date(2026, 4, 30))


@pytest.fixture
def county_member(county_term, county):
    user = UserFactory(username="county_member", roles=["member"], jurisdiction=county)
    return CommitteeMember.objects.create(term=county_term, jurisdiction=county, person=PersonFactory(name="区常委丙"),
                                          user=user, post=Post.MEMBER, start_date=datetime.date(2022, 1, 1))


def request_data(**overrides) -> dict:
    data = {"person": "", "category": "health", "content": "社区卫生服务中心缺少全科医生", "office": "",
            "office_name": "市卫健委", "due_date": "2026-05-15"}
    data.update(overrides)
    return data


# --- adding a request to a contact -----------------------------------------------------------------------------

def test_a_request_of_a_meeting_is_given_to_the_deputy_who_raised_it(client_for, member_user, committee_member,
                                                                      city_term):
    delegation = DelegationFactory(term=city_term, name="二道代表团")
    people = [MandateFactory(term=city_term, delegation=delegation, person=PersonFactory(name=n)).person
              for n in ("赵一", "钱二")]
    meeting = make_contact(committee_member, people, delegation=delegation, date=datetime.date(2026, 3, 10))
    url = reverse("liaison:request_create", args=[meeting.pk])
    client = client_for(member_user)
    assert list(client.get(url).context["form"].fields["person"].queryset) == [people[1], people[0]]
    response = client.post(url, request_data(person=people[1].pk))
    assert response.status_code == 302
    request = DeputyRequest.objects.get()
    assert (request.contact, request.person, request.office_name, request.status) == (meeting, people[1], "市卫健委",
                                                                                      "open")


def test_a_request_needs_one_of_the_participants(client_for, member_user, contact, county_mandate):
    response = client_for(member_user).post(reverse("liaison:request_create", args=[contact.pk]),
                                            request_data(person=county_mandate.person_id))
    assert "请选择有效的选项" in response.content.decode()
    assert not DeputyRequest.objects.exists()


def test_a_request_to_a_handling_unit_and_an_office_name_at_once_is_refused(client_for, staff_user, contact, city,
                                                                            municipal_mandate):
    unit = HandlingUnitFactory(jurisdiction=city)
    response = client_for(staff_user).post(reverse("liaison:request_create", args=[contact.pk]),
                                           request_data(person=municipal_mandate.person_id, office=unit.pk))
    assert "请选择承办单位或填写名称，不能同时填写" in response.content.decode()
    assert not DeputyRequest.objects.exists()


def test_service_refuses_a_person_who_did_not_take_part(contact, county_mandate):
    with pytest.raises(ValidationError):
        make_request(contact, county_mandate.person)
    assert not DeputyRequest.objects.exists()


# --- following up and closing ------------------------------------------------------------------------------

def test_the_first_note_puts_an_open_request_in_progress(client_for, staff_user, deputy_request):
    response = client_for(staff_user).post(reverse("liaison:request_note_add", args=[deputy_request.pk]),
                                           {"text": "已电话联系市卫健委，正在协调"})
    assert response.status_code == 302
    deputy_request.refresh_from_db()
    assert deputy_request.status == DeputyRequest.Status.IN_PROGRESS
    note = deputy_request.notes.get()
    assert (note.author, note.text) == (staff_user, "已电话联系市卫健委，正在协调")
    body = client_for(staff_user).get(reverse("liaison:request_detail", args=[deputy_request.pk])).content.decode()
    assert "已电话联系市卫健委，正在协调" in body and "办理中" in body


def test_an_empty_note_is_refused_and_nothing_changes(client_for, staff_user, deputy_request):
    response = client_for(staff_user).post(reverse("liaison:request_note_add", args=[deputy_request.pk]), {"text": " "})
    assert "这个字段是必填项" in response.content.decode()
    deputy_request.refresh_from_db()
    assert deputy_request.status == DeputyRequest.Status.OPEN
    assert not RequestNote.objects.exists()


def test_closing_needs_the_answer_given_to_the_deputy(client_for, staff_user, deputy_request, deputy_user):
    response = client_for(staff_user).post(reverse("liaison:request_close", args=[deputy_request.pk]), {"answer": ""})
    assert response.status_code == 200
    assert "这个字段是必填项" in response.content.decode()
    deputy_request.refresh_from_db()
    assert (deputy_request.status, deputy_request.answer) == ("open", "")
    assert not Notification.objects.exists()


@pytest.mark.smoke
def test_closing_tells_the_deputy_the_answer(client_for, staff_user, deputy_request, deputy_user,
                                             django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        response = client_for(staff_user).post(reverse("liaison:request_close", args=[deputy_request.pk]),
                                               {"answer": "市卫健委已安排两名全科医生于5月到岗。"})
    assert response.status_code == 302
    deputy_request.refresh_from_db()
    assert deputy_request.status == DeputyRequest.Status.CLOSED
    assert deputy_request.answer == "市卫健委已安排两名全科医生于5月到岗。"
    assert deputy_request.closed_at is not None
    assert deputy_request.history.first().history_user == staff_user
    notification = Notification.objects.get()
    assert notification.recipient == deputy_user
    assert notification.title == "您提出的诉求已答复"
    assert "市卫健委已安排两名全科医生于5月到岗。" in notification.body
    assert notification.url == reverse("liaison:my_request_detail", args=[deputy_request.pk])
    assert len(callbacks) == 1  # the email is queued after the commit


def test_a_closed_request_takes_no_more_notes_edits_or_closing(client_for, staff_user, deputy_request):
    services.deputy_request_close(request=deputy_request, answer="已解决", closed_by=staff_user)
    client = client_for(staff_user)
    body = client.get(reverse("liaison:request_detail", args=[deputy_request.pk])).content.decode()
    assert reverse("liaison:request_close", args=[deputy_request.pk]) not in body
    response = client.post(reverse("liaison:request_note_add", args=[deputy_request.pk]), {"text": "补充"})
    assert "该诉求已办结，不能再修改" in response.content.decode()
    response = client.post(reverse("liaison:request_edit", args=[deputy_request.pk]), request_data())
    assert "该诉求已办结，不能再修改" in response.content.decode()
    response = client.post(reverse("liaison:request_close", args=[deputy_request.pk]), {"answer": "再次答复"})
    assert "该诉求已办结" in response.content.decode()
    deputy_request.refresh_from_db()
    assert (deputy_request.answer, deputy_request.office_name) == ("已解决", "市住建局")
    assert not RequestNote.objects.exists()


def test_staff_change_the_office_and_the_due_date(client_for, staff_user, deputy_request, city):
    unit = HandlingUnitFactory(jurisdiction=city, name="市城管局")
    response = client_for(staff_user).post(reverse("liaison:request_edit", args=[deputy_request.pk]), request_data(
        category="urban", content=deputy_request.content, office=unit.pk, office_name="", due_date="2026-06-30"))
    assert response.status_code == 302
    deputy_request.refresh_from_db()
    assert (deputy_request.office, deputy_request.office_name, deputy_request.due_date) == (
        unit, "", datetime.date(2026, 6, 30))


def test_a_handling_unit_of_another_county_is_not_offered(client_for, county_staff_user, county_member,
                                                          county_mandate, other_county):
    contact = make_contact(county_member, [county_mandate.person], date=datetime.date(2026, 3, 1))
    request = make_request(contact)
    foreign = HandlingUnitFactory(jurisdiction=other_county)
    response = client_for(county_staff_user).post(reverse("liaison:request_edit", args=[request.pk]),
                                                  request_data(office=foreign.pk, office_name=""))
    assert "请选择有效的选项" in response.content.decode()
    request.refresh_from_db()
    assert request.office is None


# --- the staff list and the overdue page --------------------------------------------------------------------

def listed(response):
    return [r.pk for r in response.context["page"].object_list]


@pytest.fixture
def requests(contact, county_member, county_mandate, city, staff_user):
    unit = HandlingUnitFactory(jurisdiction=city, name="市交通局")
    county_contact = make_contact(county_member, [county_mandate.person], date=datetime.date(2026, 2, 1))
    rows = {
        "overdue_open": make_request(contact, due_date=datetime.date(2026, 3, 20), office=unit),
        "overdue_in_progress": make_request(contact, due_date=datetime.date(2026, 3, 31), office_name="市水务局"),
        "due_today": make_request(contact, due_date=TODAY),
        "closed_late": make_request(contact, due_date=datetime.date(2026, 3, 10)),
        "county_overdue": make_request(county_contact, due_date=datetime.date(2026, 3, 25)),
    }
    services.request_note_add(request=rows["overdue_in_progress"], author=staff_user, text="催办")
    services.deputy_request_close(request=rows["closed_late"], answer="已答复", closed_by=staff_user)
    rows["unit"] = unit
    return rows


def test_request_list_filters_by_status_overdue_and_office(client_for, staff_user, requests):
    client = client_for(staff_user)
    url = reverse("liaison:request_list")
    r = requests
    assert len(listed(client.get(url))) == 5
    assert set(listed(client.get(url, {"status": "closed"}))) == {r["closed_late"].pk}
    assert set(listed(client.get(url, {"overdue": "on"}))) == {
        r["overdue_open"].pk, r["overdue_in_progress"].pk, r["county_overdue"].pk}
    assert listed(client.get(url, {"office": r["unit"].pk})) == [r["overdue_open"].pk]
    assert listed(client.get(url, {"office_name": "水务"})) == [r["overdue_in_progress"].pk]


def test_a_member_sees_the_requests_of_their_own_contacts(client_for, member_user, requests):
    response = client_for(member_user).get(reverse("liaison:request_list"))
    assert requests["county_overdue"].pk not in listed(response)
    assert len(listed(response)) == 4


@pytest.mark.smoke
def test_overdue_page_lists_past_due_unclosed_requests_longest_overdue_first(client_for, supervisor_user, requests):
    response = client_for(supervisor_user).get(reverse("liaison:request_overdue"))
    r = requests
    assert listed(response) == [r["overdue_open"].pk, r["county_overdue"].pk, r["overdue_in_progress"].pk]
    assert [row.days_overdue.days for row in response.context["page"].object_list] == [12, 7, 1]
    body = response.content.decode()
    assert "逾期诉求" in body and "2026年3月20日" in body and "市交通局" in body


def test_county_staff_see_only_their_countys_overdue_requests(client_for, county_staff_user, requests):
    response = client_for(county_staff_user).get(reverse("liaison:request_overdue"))
    assert listed(response) == [requests["county_overdue"].pk]


def _many_requests(committee_member, municipal_mandate, city, count):
    unit = HandlingUnitFactory(jurisdiction=city)
    for i in range(count):
        contact = make_contact(committee_member, [municipal_mandate.person], date=datetime.date(2026, 2, 1))
        make_request(contact, due_date=datetime.date(2026, 3, 1) + datetime.timedelta(days=i % 20),
                     office=unit if i % 2 else None)


@pytest.mark.parametrize("count", [2, 25])
def test_request_pages_query_count_does_not_grow_with_rows(client_for, supervisor_user, committee_member,
                                                           municipal_mandate, city, count,
                                                           django_assert_max_num_queries):
    _many_requests(committee_member, municipal_mandate, city, count)
    client = client_for(supervisor_user)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("liaison:request_list"), {"overdue": "on"})
    assert len(listed(response)) == count
    with django_assert_max_num_queries(6):
        response = client.get(reverse("liaison:request_overdue"))
    assert len(listed(response)) == count


# --- the deputy's own pages -------------------------------------------------------------------------------

def test_a_deputy_sees_their_own_requests_and_the_answers(client_for, deputy_user, staff_user, deputy_request,
                                                          county_member, county_mandate):
    other = make_request(make_contact(county_member, [county_mandate.person], date=datetime.date(2026, 3, 2)))
    client = client_for(deputy_user)
    response = client.get(reverse("liaison:my_request_list"))
    assert listed(response) == [deputy_request.pk]
    assert other.pk not in listed(response)
    detail = reverse("liaison:my_request_detail", args=[deputy_request.pk])
    assert "尚未答复" in client.get(detail).content.decode()
    services.deputy_request_close(request=deputy_request, answer="电梯加装已列入今年计划。", closed_by=staff_user)
    body = client.get(detail).content.decode()
    assert "电梯加装已列入今年计划。" in body and "已办结" in body


def test_a_deputy_without_requests_sees_an_empty_list(client_for, county_mandate):
    user = deputy_account(county_mandate, "deputy_empty")
    body = client_for(user).get(reverse("liaison:my_request_list")).content.decode()
    assert "您还没有诉求记录" in body


@pytest.mark.parametrize("count", [1, 12])
def test_my_requests_query_count_does_not_grow_with_rows(client_for, deputy_user, committee_member,
                                                         municipal_mandate, city, count,
                                                         django_assert_max_num_queries):
    _many_requests(committee_member, municipal_mandate, city, count)
    client = client_for(deputy_user)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("liaison:my_request_list"))
    assert len(listed(response)) == count
