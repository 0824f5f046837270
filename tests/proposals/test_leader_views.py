"""A leader's pages (我督办的建议): the list of the key items they lead with state, units, deadline, overdue flag
and last supervision record; an item's read-only page; recording supervision; the board's figures of their
items (a read-only board scoped to what they lead)."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.proposals.models import Assignment, Proposal, SupervisionRecord
from tests.factories import HandlingUnitFactory, MandateFactory
from tests.proposals import board_support as support
from tests.proposals.leader_support import item_led_by, led_item
from tests.proposals.office_support import office_item  # noqa: F401

S = Proposal.State
TODAY = datetime.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 9, 0, tzinfo=support.TZ), tick=False):
        yield


@pytest.fixture
def leader(leader_user):
    return leader_user.committee_posts.get()


@pytest.fixture
def items(leader_user, leader, city):
    """The leader's item (“first”), assigned to a lead and a co-unit, its reply overdue since 10 June, with two
    supervision records; a second item of theirs due in July; a third not yet assigned."""
    first = item_led_by(leader_user)
    lead_unit = HandlingUnitFactory(jurisdiction=city, name="市水务局")
    co_unit = HandlingUnitFactory(jurisdiction=city, name="市城市管理局")
    lead = support.assign(first, lead_unit)
    support.assign(first, co_unit, role=Assignment.Role.CO)
    support.deadline(lead, due_on=datetime.date(2026, 6, 10))
    supervision = first.supervision
    SupervisionRecord.objects.create(supervision=supervision, kind="meeting", date=datetime.date(2026, 5, 2),
                                     content="听取汇报")
    SupervisionRecord.objects.create(supervision=supervision, kind="inspection", date=datetime.date(2026, 6, 1),
                                     content="实地察看")
    second = led_item(leader, title="关于增设社区养老服务站的建议", number=8)
    support.deadline(support.assign(second, lead_unit), due_on=datetime.date(2026, 7, 20))
    third = led_item(leader, title="关于规范共享单车停放的建议", number=9, state=S.REGISTERED)
    return {"first": first, "second": second, "third": third, "lead_unit": lead_unit, "co_unit": co_unit}


def _list(client):
    response = client.get(reverse("proposals:leader_list"))
    assert response.status_code == 200
    return response


# --- the list ---------------------------------------------------------------------------------------------------

def test_the_list_shows_each_led_item_with_units_deadline_overdue_flag_and_last_record(client_for, leader_user,
                                                                                       items, office_item):
    response = _list(client_for(leader_user))
    rows = list(response.context["page"].object_list)
    # Overdue first, then by deadline; not the item another leader leads.
    assert [r.pk for r in rows] == [items["first"].pk, items["second"].pk, items["third"].pk]
    first, second, third = rows
    assert (first.is_overdue, first.due_on) == (True, datetime.date(2026, 6, 10))
    assert (second.is_overdue, second.due_on) == (False, datetime.date(2026, 7, 20))
    assert (third.is_overdue, third.due_on) == (None, None)
    assert (first.last_record_date, first.last_record_kind) == (datetime.date(2026, 6, 1), "inspection")
    body = response.content.decode()
    row = body[body.index(f'id="led-{items["first"].pk}"'):body.index(f'id="led-{items["second"].pk}"')]
    assert "市水务局" in row and "市城市管理局" in row and "2026年6月10日" in row and "逾期" in row
    assert "实地察看" not in row and "2026年6月1日" in row
    assert office_item["proposal"].title not in body
    assert reverse("proposals:leader_detail", args=[items["first"].pk]) in body


def test_a_council_member_who_leads_nothing_sees_an_empty_list_and_no_board_link(client_for, council_member_user,
                                                                                 items):
    response = _list(client_for(council_member_user))
    assert list(response.context["page"].object_list) == []
    assert "您目前没有领衔督办的议案建议" in response.content.decode()
    assert 'id="leader-board"' not in response.content.decode()


def test_the_list_query_count_does_not_grow_with_rows(client_for, leader_user, leader, items, city,
                                                      django_assert_max_num_queries):
    client = client_for(leader_user)
    _list(client)  # warm the session and the caches
    with django_assert_max_num_queries(8):
        _list(client)
    unit = HandlingUnitFactory(jurisdiction=city)
    for i in range(30):
        item = led_item(leader, title=f"关于改善第{i}街道照明的建议", number=100 + i,
                        mandate=MandateFactory(term=leader.term))
        a = support.assign(item, unit)
        support.assign(item, HandlingUnitFactory(jurisdiction=city), role=Assignment.Role.CO)
        support.deadline(a, due_on=datetime.date(2026, 5, 1) + datetime.timedelta(days=i * 3))
        SupervisionRecord.objects.create(supervision=item.supervision, kind="other", date=TODAY, content="督办")
    with django_assert_max_num_queries(8):
        response = _list(client)
    assert len(response.context["page"].object_list) == 30


def test_the_menu_has_the_leaders_entry_for_members_only(client_for, leader_user, staff_user):
    assert 'id="nav-leader-items"' in client_for(leader_user).get(reverse("core:home")).content.decode()
    assert 'id="nav-leader-items"' not in client_for(staff_user).get(reverse("core:home")).content.decode()


# --- an item's page and recording supervision ------------------------------------------------------------------

def test_the_item_page_is_read_only_with_its_units_deadlines_and_records(client_for, leader_user, items):
    response = client_for(leader_user).get(reverse("proposals:leader_detail", args=[items["first"].pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert items["first"].title in body and "市水务局" in body and "听取汇报" in body and "实地察看" in body
    assert 'id="record-form"' in body
    # None of the office's actions.
    for form in ("assign-form", "return-form", "register-form", "supervision-form", "merge-form"):
        assert f'id="{form}"' not in body
    assert reverse("proposals:proposal_detail", args=[items["first"].pk]) not in body


def test_a_leader_records_supervision_on_their_item(client_for, leader_user, items):
    item = items["first"]
    client = client_for(leader_user)
    response = client.post(reverse("proposals:leader_record_add", args=[item.pk]),
                           {"kind": "instruction", "date": "2026-06-14", "content": "  请市水务局七月底前答复  "})
    assert response.status_code == 302
    assert response["Location"] == reverse("proposals:leader_detail", args=[item.pk]) + "#supervision"
    record = SupervisionRecord.objects.get(kind="instruction")
    assert (record.supervision.proposal_id, record.date, record.content, record.recorded_by) == (
        item.pk, datetime.date(2026, 6, 14), "请市水务局七月底前答复", leader_user)
    assert AuditEvent.objects.filter(action="create", user=leader_user, object_id=str(record.pk)).exists()
    page = client.get(reverse("proposals:leader_detail", args=[item.pk])).content.decode()
    assert "请市水务局七月底前答复" in page and "督办记录已添加" in page
    listed = _list(client).context["page"].object_list[0]
    assert (listed.last_record_date, listed.last_record_kind) == (datetime.date(2026, 6, 14), "instruction")


@pytest.mark.parametrize(("data", "message"), [
    ({"kind": "meeting", "date": "2026-06-16", "content": "明天开会"}, "督办记录的日期不能晚于今天"),
    ({"kind": "meeting", "date": "2026-06-14", "content": "   "}, None),
    ({"kind": "lunch", "date": "2026-06-14", "content": "x"}, None),
    ({"kind": "meeting", "date": "6月14日", "content": "x"}, None),
])
def test_bad_input_is_refused_with_a_message_and_nothing_written(client_for, leader_user, items, data, message):
    response = client_for(leader_user).post(reverse("proposals:leader_record_add", args=[items["first"].pk]), data)
    assert response.status_code == 200
    assert response.context["record_form"].errors
    if message:
        assert message in response.content.decode()
    assert SupervisionRecord.objects.count() == 2


# --- the board: read-only, the figures of the leader's items ------------------------------------------------

def test_a_leader_sees_the_board_read_only_with_the_figures_of_only_the_items_they_lead(client_for, leader_user,
                                                                                         items, office_item):
    client = client_for(leader_user)
    response = client.get(reverse("proposals:board"))
    assert response.status_code == 200
    counts = response.context["board"].totals.counts
    assert (counts["total"], counts["overdue"], counts["assigned"]) == (3, 1, 2)
    listed = client.get(reverse("proposals:board_items"), {"figure": "total"})
    assert {p.pk for p in listed.context["page"].object_list} == {items[k].pk for k in ("first", "second", "third")}
    body = listed.content.decode()
    assert reverse("proposals:leader_detail", args=[items["first"].pk]) in body
    assert reverse("proposals:proposal_detail", args=[items["first"].pk]) not in body
    assert client.post(reverse("proposals:board"), {}).status_code == 405


def test_a_council_member_who_leads_nothing_gets_403_on_the_board(client_for, council_member_user, items):
    assert client_for(council_member_user).get(reverse("proposals:board")).status_code == 403
    assert client_for(council_member_user).get(reverse("proposals:board_items"),
                                               {"figure": "total"}).status_code == 403


def test_the_office_board_still_counts_the_whole_jurisdiction(client_for, supervisor_user, items, office_item):
    response = client_for(supervisor_user).get(reverse("proposals:board_items"), {"figure": "total"})
    assert response.context["item_url_name"] == "proposals:proposal_detail"
    assert response.context["page"].paginator.count == 4
