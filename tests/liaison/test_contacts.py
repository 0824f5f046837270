"""Contacts (联系记录): a member logs their own, staff log one for a member; one deputy or a meeting with the
deputies present; requests raised in the same form; the list, its filters and scope; the detail page."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.committee.models import CommitteeMember, Post
from apps.deputies.models import Mandate
from apps.liaison.models import Channel, Contact, DeputyRequest
from apps.liaison.services.contacts import contact_create
from tests.factories import (
    DelegationFactory, DeputyGroupFactory, HandlingUnitFactory, MandateFactory, PersonFactory, UserFactory,
)
from tests.liaison.contacts_support import make_contact

TODAY = datetime.date(2026, 4, 1)
NOON = "2026-04-01 12:00 +0800"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOON, tick=False):
        yield


def contact_data(member, **overrides) -> dict:
    data = {"member": member.pk, "date": "2026-03-20", "channel": Channel.VISIT, "summary": "走访了解代表建议",
            "person": "", "delegation": "", "group": "",
            "r-TOTAL_FORMS": "1", "r-INITIAL_FORMS": "0", "r-MIN_NUM_FORMS": "0", "r-MAX_NUM_FORMS": "10",
            "r-0-category": "", "r-0-content": "", "r-0-office": "", "r-0-office_name": "",
            "r-0-due_date": "2026-05-01"}
    data.update(overrides)
    return data


def post_contact(client, data):
    return client.post(reverse("liaison:contact_create"), data)


@pytest.fixture
def delegation(city_term):
    return DelegationFactory(term=city_term, name="朝阳代表团")


@pytest.fixture
def delegation_members(delegation, city_term):
    """Three serving members of the delegation and one whose mandate ended (not offered)."""
    serving = [MandateFactory(term=city_term, delegation=delegation, person=PersonFactory(name=n))
               for n in ("赵一", "钱二", "孙三")]
    MandateFactory(term=city_term, delegation=delegation, person=PersonFactory(name="李四离任"),
                   status=Mandate.Status.ENDED, end_date=datetime.date(2025, 1, 1),
                   end_reason=Mandate.EndReason.RESIGNED)
    return [m.person for m in serving]


@pytest.fixture
def county_member(county_term, county):
    user = UserFactory(username="county_member", roles=["member"], jurisdiction=county)
    return CommitteeMember.objects.create(term=county_term, jurisdiction=county, person=PersonFactory(name="区常委丙"),
                                          user=user, post=Post.MEMBER, start_date=datetime.date(2022, 1, 1))


# --- logging a contact with one deputy ------------------------------------------------------------------------

@pytest.mark.smoke
def test_member_logs_their_own_contact_with_one_deputy(client_for, member_user, committee_member, municipal_mandate):
    response = post_contact(client_for(member_user), contact_data(committee_member, person=municipal_mandate.person_id))
    contact = Contact.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("liaison:contact_detail", args=[contact.pk])
    assert (contact.member, contact.date, contact.channel) == (committee_member, datetime.date(2026, 3, 20), "visit")
    assert list(contact.participants.all()) == [municipal_mandate.person]
    assert (contact.delegation, contact.group, contact.created_by) == (None, None, member_user)
    assert not DeputyRequest.objects.exists()  # the empty request row is skipped


def test_the_members_own_post_is_chosen_for_them(client_for, member_user, committee_member):
    form = client_for(member_user).get(reverse("liaison:contact_create")).context["form"]
    assert form.initial["member"] == committee_member
    assert list(form.fields["member"].queryset) == [committee_member]


def test_staff_log_a_contact_for_a_member_of_their_jurisdiction(client_for, staff_user, committee_member,
                                                                municipal_mandate):
    response = post_contact(client_for(staff_user), contact_data(committee_member, person=municipal_mandate.person_id))
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert (contact.member, contact.created_by) == (committee_member, staff_user)


def test_a_member_cannot_log_a_contact_for_another_member(client_for, plain_member, committee_member,
                                                         municipal_mandate):
    response = post_contact(client_for(plain_member.user),
                            contact_data(committee_member, person=municipal_mandate.person_id))
    assert response.status_code == 200
    assert "请选择有效的选项" in response.content.decode()
    assert not Contact.objects.exists()


def test_county_staff_cannot_log_a_contact_for_a_city_member(client_for, county_staff_user, committee_member,
                                                            county_mandate):
    response = post_contact(client_for(county_staff_user),
                            contact_data(committee_member, person=county_mandate.person_id))
    assert "请选择有效的选项" in response.content.decode()
    assert not Contact.objects.exists()


def test_a_deputy_outside_the_users_scope_cannot_be_chosen(client_for, county_staff_user, county_member,
                                                          other_county_mandate):
    response = post_contact(client_for(county_staff_user),
                            contact_data(county_member, person=other_county_mandate.person_id))
    assert "请选择有效的选项" in response.content.decode()
    assert not Contact.objects.exists()


def test_a_contact_in_the_future_is_refused_in_chinese(client_for, member_user, committee_member, municipal_mandate):
    response = post_contact(client_for(member_user), contact_data(committee_member, date="2026-04-02",
                                                                  person=municipal_mandate.person_id))
    assert "联系日期不能晚于今天" in response.content.decode()
    assert not Contact.objects.exists()


def test_a_contact_needs_a_deputy_or_a_meeting(client_for, member_user, committee_member):
    response = post_contact(client_for(member_user), contact_data(committee_member))
    assert "请选择所联系的代表，或代表团、代表小组活动" in response.content.decode()
    assert not Contact.objects.exists()


def test_empty_form_shows_chinese_errors_and_writes_nothing(client_for, member_user, committee_member):
    response = post_contact(client_for(member_user), contact_data(committee_member, summary="", channel="", date=""))
    body = response.content.decode()
    assert body.count("这个字段是必填项。") >= 3
    assert not Contact.objects.exists()


# --- requests in the same form ---------------------------------------------------------------------------------

def test_requests_raised_are_saved_with_the_contact(client_for, member_user, committee_member, municipal_mandate,
                                                    city):
    unit = HandlingUnitFactory(jurisdiction=city, name="市教育局")
    data = contact_data(committee_member, person=municipal_mandate.person_id, **{
        "r-TOTAL_FORMS": "2", "r-0-category": "education", "r-0-content": "学校周边交通拥堵", "r-0-office": unit.pk,
        "r-1-category": "urban", "r-1-content": "老旧小区改造", "r-1-office_name": "南关区政府",
        "r-1-due_date": "2026-06-30"})
    response = post_contact(client_for(member_user), data)
    assert response.status_code == 302
    contact = Contact.objects.get()
    requests = list(contact.requests.order_by("due_date"))
    assert [(r.person, r.category, r.office, r.office_name, r.due_date, r.status) for r in requests] == [
        (municipal_mandate.person, "education", unit, "", datetime.date(2026, 5, 1), "open"),
        (municipal_mandate.person, "urban", None, "南关区政府", datetime.date(2026, 6, 30), "open"),
    ]


def test_a_request_without_an_office_writes_neither_request_nor_contact(client_for, member_user, committee_member,
                                                                        municipal_mandate):
    data = contact_data(committee_member, person=municipal_mandate.person_id,
                        **{"r-0-category": "health", "r-0-content": "社区医院缺医生"})
    response = post_contact(client_for(member_user), data)
    assert response.status_code == 200
    assert "请选择承办单位，或填写承办单位名称" in response.content.decode()
    assert not Contact.objects.exists()
    assert not DeputyRequest.objects.exists()


def test_a_due_date_before_the_contact_is_refused(client_for, member_user, committee_member, municipal_mandate):
    data = contact_data(committee_member, person=municipal_mandate.person_id, **{
        "r-0-category": "health", "r-0-content": "社区医院缺医生", "r-0-office_name": "市卫健委",
        "r-0-due_date": "2026-03-01"})
    response = post_contact(client_for(member_user), data)
    assert "办理期限不能早于联系日期" in response.content.decode()
    assert not Contact.objects.exists()


def test_another_request_button_adds_a_row_and_saves_nothing(client_for, member_user, committee_member,
                                                             municipal_mandate):
    data = contact_data(committee_member, person=municipal_mandate.person_id, add_request="1",
                        **{"r-0-category": "health", "r-0-content": "社区医院缺医生"})
    response = post_contact(client_for(member_user), data)
    formset = response.context["formset"]
    assert len(formset.forms) == 2
    assert formset.forms[0]["content"].value() == "社区医院缺医生"
    assert "这个字段是必填项" not in response.content.decode()  # a refresh, not a submission
    assert not Contact.objects.exists()


# --- a delegation or group meeting -------------------------------------------------------------------------------

def test_attendees_of_a_delegation_are_its_serving_members_all_ticked(client_for, member_user, committee_member,
                                                                      delegation, delegation_members):
    response = client_for(member_user).get(reverse("liaison:contact_attendees"), {"delegation": delegation.pk})
    body = response.content.decode()
    assert [p.name for p in response.context["attendees"]] == ["钱二", "孙三", "赵一"]
    assert body.count("checked") == 3
    assert "李四离任" not in body


def test_load_button_ticks_every_member_of_the_meeting_and_saves_nothing(client_for, member_user, committee_member,
                                                                         delegation, delegation_members):
    response = post_contact(client_for(member_user), contact_data(committee_member, delegation=delegation.pk,
                                                                  load="1"))
    assert response.context["checked"] == {p.pk for p in delegation_members}
    assert not Contact.objects.exists()


@pytest.mark.smoke
def test_a_delegation_meeting_counts_for_each_deputy_present(client_for, member_user, committee_member, delegation,
                                                             delegation_members):
    present = delegation_members[:2]  # the third was absent and is unticked
    response = post_contact(client_for(member_user), contact_data(
        committee_member, delegation=delegation.pk, channel=Channel.SYMPOSIUM,
        participants=[p.pk for p in present]))
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert contact.delegation == delegation
    assert set(contact.participants.all()) == set(present)


def test_a_person_with_two_mandates_in_a_group_is_one_participant(client_for, staff_user, committee_member, city,
                                                                  city_term, county_term):
    group = DeputyGroupFactory(jurisdiction=city, name="南湖代表小组")
    person = PersonFactory(name="周五")
    MandateFactory(term=city_term, person=person, group=group)
    MandateFactory(term=county_term, person=person, group=group)
    client = client_for(staff_user)
    attendees = client.get(reverse("liaison:contact_attendees"), {"group": group.pk}).context["attendees"]
    assert attendees == [person]
    response = post_contact(client, contact_data(committee_member, group=group.pk, participants=[person.pk, person.pk]))
    assert response.status_code == 302
    assert list(Contact.objects.get().participants.all()) == [person]


def test_a_meeting_needs_someone_present(client_for, member_user, committee_member, delegation, delegation_members):
    response = post_contact(client_for(member_user), contact_data(committee_member, delegation=delegation.pk))
    assert "请勾选至少一位出席的代表" in response.content.decode()
    assert not Contact.objects.exists()


def test_a_deputy_of_another_delegation_cannot_be_ticked(client_for, member_user, committee_member, delegation,
                                                         delegation_members, municipal_mandate):
    response = post_contact(client_for(member_user), contact_data(
        committee_member, delegation=delegation.pk, participants=[municipal_mandate.person_id]))
    assert response.status_code == 200
    assert "不在可用的选项中" in " ".join(response.context["form"].errors["participants"])
    assert not Contact.objects.exists()


def test_one_deputy_and_a_meeting_at_once_is_refused(client_for, member_user, committee_member, delegation,
                                                     delegation_members, municipal_mandate):
    response = post_contact(client_for(member_user), contact_data(
        committee_member, delegation=delegation.pk, person=municipal_mandate.person_id,
        participants=[delegation_members[0].pk]))
    assert "请选择一位代表或一次活动，不能同时选择" in response.content.decode()
    assert not Contact.objects.exists()


def test_requests_of_a_meeting_are_added_after_saving(client_for, member_user, committee_member, delegation,
                                                      delegation_members):
    response = post_contact(client_for(member_user), contact_data(
        committee_member, delegation=delegation.pk, participants=[delegation_members[0].pk],
        **{"r-0-category": "health", "r-0-content": "社区医院缺医生", "r-0-office_name": "市卫健委"}))
    assert "活动的诉求请在保存联系记录后" in response.content.decode()
    assert not Contact.objects.exists()


# --- the service itself ----------------------------------------------------------------------------------------

def test_service_refuses_a_meeting_participant_who_is_not_a_member(committee_member, delegation, delegation_members,
                                                                   municipal_mandate, member_user):
    with pytest.raises(ValidationError) as exc:
        contact_create(member=committee_member, date=TODAY, channel=Channel.SYMPOSIUM, summary="座谈",
                       participants=[municipal_mandate.person], delegation=delegation, created_by=member_user)
    assert exc.value.message_dict["participants"] == ["以下人员不是该代表团或代表小组的在任代表：张三丰。"]
    assert not Contact.objects.exists()


def test_service_refuses_a_future_date_and_two_deputies_without_a_meeting(committee_member, municipal_mandate,
                                                                          county_mandate, member_user):
    with pytest.raises(ValidationError) as exc:
        contact_create(member=committee_member, date=TODAY + datetime.timedelta(days=1), channel=Channel.PHONE,
                       summary="电话", participants=[municipal_mandate.person, county_mandate.person],
                       created_by=member_user)
    assert set(exc.value.error_dict) == {"date", "person"}
    assert not Contact.objects.exists()


# --- searching deputies --------------------------------------------------------------------------------------

@pytest.mark.parametrize("q", ["zsf", "张三", "zhangsan"])
def test_deputy_search_finds_by_initials_pinyin_or_name(client_for, member_user, committee_member,
                                                        municipal_mandate, q):
    response = client_for(member_user).get(reverse("liaison:contact_deputy_search"), {"q": q})
    assert [p.name for p in response.context["found"]] == ["张三丰"]
    assert f'value="{municipal_mandate.person_id}"' in response.content.decode()


def test_deputy_search_leaves_out_deputies_out_of_scope_and_no_longer_serving(client_for, county_staff_user,
                                                                              county_term, other_county_mandate):
    MandateFactory(term=county_term, person=PersonFactory(name="王五二"), status=Mandate.Status.ENDED,
                   end_date=datetime.date(2025, 1, 1), end_reason=Mandate.EndReason.RESIGNED)
    response = client_for(county_staff_user).get(reverse("liaison:contact_deputy_search"), {"q": "王五"})
    assert response.context["found"] == []
    assert "未找到在任代表" in response.content.decode()


def test_search_button_shows_the_deputies_found_without_saving(client_for, member_user, committee_member,
                                                               municipal_mandate):
    response = post_contact(client_for(member_user), contact_data(committee_member, search="1", q="zsf"))
    assert [p.name for p in response.context["found"]] == ["张三丰"]
    assert not Contact.objects.exists()


# --- list and detail ---------------------------------------------------------------------------------------------

def listed(response):
    return [c.pk for c in response.context["page"].object_list]


@pytest.fixture
def some_contacts(committee_member, plain_member, county_member, municipal_mandate, county_mandate):
    return {
        "mine_visit": make_contact(committee_member, [municipal_mandate.person], date=datetime.date(2026, 1, 10)),
        "mine_phone": make_contact(committee_member, [county_mandate.person], date=datetime.date(2026, 3, 5),
                                   channel=Channel.PHONE),
        "other_member": make_contact(plain_member, [municipal_mandate.person], date=datetime.date(2026, 2, 1)),
        "county": make_contact(county_member, [county_mandate.person], date=datetime.date(2026, 2, 15)),
    }


def test_staff_see_their_jurisdictions_contacts_newest_first(client_for, staff_user, some_contacts):
    response = client_for(staff_user).get(reverse("liaison:contact_list"))
    c = some_contacts
    assert listed(response) == [c["mine_phone"].pk, c["county"].pk, c["other_member"].pk, c["mine_visit"].pk]


def test_county_staff_see_only_their_countys_contacts(client_for, county_staff_user, some_contacts):
    response = client_for(county_staff_user).get(reverse("liaison:contact_list"))
    assert listed(response) == [some_contacts["county"].pk]


def test_a_member_sees_only_their_own_contacts(client_for, member_user, some_contacts):
    response = client_for(member_user).get(reverse("liaison:contact_list"))
    assert listed(response) == [some_contacts["mine_phone"].pk, some_contacts["mine_visit"].pk]


def test_contact_list_filters_by_member_channel_and_dates(client_for, supervisor_user, some_contacts,
                                                         committee_member):
    client = client_for(supervisor_user)
    url = reverse("liaison:contact_list")
    c = some_contacts
    assert listed(client.get(url, {"member": committee_member.pk})) == [c["mine_phone"].pk, c["mine_visit"].pk]
    assert listed(client.get(url, {"channel": "phone"})) == [c["mine_phone"].pk]
    assert listed(client.get(url, {"date_from": "2026-02-01", "date_to": "2026-02-28"})) == [
        c["county"].pk, c["other_member"].pk]


def test_contact_list_is_paginated(client_for, staff_user, committee_member, municipal_mandate):
    for day in range(1, 33):
        make_contact(committee_member, [municipal_mandate.person], date=datetime.date(2026, 1, 1)
                     + datetime.timedelta(days=day))
    client = client_for(staff_user)
    first = client.get(reverse("liaison:contact_list"))
    second = client.get(reverse("liaison:contact_list"), {"page": 2})
    assert len(listed(first)) == 30
    assert len(listed(second)) == 2
    assert "第 1 页，共 2 页" in first.content.decode()


@pytest.mark.parametrize("count", [3, 30])
def test_contact_list_query_count_does_not_grow_with_rows(client_for, staff_user, committee_member, delegation,
                                                          delegation_members, municipal_mandate, county_mandate,
                                                          django_assert_max_num_queries, count, city):
    unit = HandlingUnitFactory(jurisdiction=city)
    for i in range(count):
        if i % 2:
            contact = make_contact(committee_member, delegation_members, delegation=delegation)
        else:
            contact = make_contact(committee_member, [municipal_mandate.person])
        DeputyRequest.objects.create(contact=contact, person=municipal_mandate.person, category="other",
                                     content="x", office=unit, due_date=TODAY)
    client = client_for(staff_user)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("liaison:contact_list"))
    assert len(listed(response)) == count


def test_contact_detail_shows_the_contact_its_people_and_requests(client_for, member_user, committee_member,
                                                                  municipal_mandate):
    contact = make_contact(committee_member, [municipal_mandate.person], date=datetime.date(2026, 3, 20))
    DeputyRequest.objects.create(contact=contact, person=municipal_mandate.person, category="urban",
                                 content="小区加装电梯", office_name="市住建局", due_date=datetime.date(2026, 4, 20))
    body = client_for(member_user).get(reverse("liaison:contact_detail", args=[contact.pk])).content.decode()
    assert "2026年3月20日" in body
    assert "张三丰" in body and "走访" in body
    assert "小区加装电梯" in body and "市住建局" in body and "2026年4月20日" in body


def test_contact_detail_shows_the_meeting(client_for, staff_user, committee_member, delegation, delegation_members):
    contact = make_contact(committee_member, delegation_members, delegation=delegation, channel=Channel.SYMPOSIUM)
    body = client_for(staff_user).get(reverse("liaison:contact_detail", args=[contact.pk])).content.decode()
    assert "朝阳代表团" in body and "座谈会" in body
    assert all(p.name in body for p in delegation_members)


# --- navigation -----------------------------------------------------------------------------------------------

def test_staff_and_members_find_contacts_in_the_navbar(client_for, staff_user, member_user, committee_member):
    for user in (staff_user, member_user):
        body = client_for(user).get(reverse("core:home")).content.decode()
        assert 'id="nav-contacts"' in body and "联系记录" in body


def test_deputies_find_their_requests_and_the_mailbox_in_the_navbar(client_for, deputy_user):
    body = client_for(deputy_user).get(reverse("core:home")).content.decode()
    assert 'id="nav-my-requests"' in body and "我的诉求" in body
    assert 'id="nav-my-mailbox"' in body and "主任信箱" in body
    assert 'id="nav-contacts"' not in body
