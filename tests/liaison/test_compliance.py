"""Compliance: which contacts count for an assignment, the pace by today, the page, its export, a member's page."""

import datetime
import io

import openpyxl
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.committee.models import Post
from apps.core.models import AuditEvent
from apps.liaison.models import LiaisonPlan
from apps.liaison.selectors.plans import compliance_rows
from tests.liaison import plans_support as support

TZ = datetime.timezone(datetime.timedelta(hours=8))
APRIL_1 = datetime.datetime(2026, 4, 1, 9, 0, tzinfo=TZ)
JULY_15 = datetime.datetime(2026, 7, 15, 9, 0, tzinfo=TZ)


@pytest.fixture
def plan_2026(city):
    return LiaisonPlan.objects.create(jurisdiction=city, year=2026, status=LiaisonPlan.Status.PUBLISHED)


def _row(rows, member):
    return next(r for r in rows if r.member == member)


def _counts(rows, member) -> list[int]:
    return [a.contacts for a in _row(rows, member).assignments]


# --- what counts -------------------------------------------------------------------------------------------

def test_a_contact_counts_when_the_member_made_it_with_the_assigned_deputy(city, city_term, plan_2026):
    roster = support.city_roster(city, city_term)
    member, other = support.member(city_term), support.member(city_term)
    deputy, someone_else = roster["municipal"][0].person, roster["municipal"][1].person
    support.assign(plan_2026, member, mandate=roster["municipal"][0])
    support.contact(member, datetime.date(2026, 2, 1), people=[deputy])
    support.contact(member, datetime.date(2026, 3, 1), people=[deputy])
    support.contact(member, datetime.date(2026, 3, 2), people=[someone_else])  # another deputy
    support.contact(other, datetime.date(2026, 3, 3), people=[deputy])  # another member
    support.contact(member, datetime.date(2025, 12, 30), people=[deputy])  # last year

    rows = compliance_rows(jurisdiction=city, year=2026, on_date=datetime.date(2026, 7, 1))

    assert _counts(rows, member) == [2]
    assert _row(rows, member).contacts_made == 3
    assert _row(rows, other).contacts_made == 1


def test_a_delegation_or_group_meeting_counts_for_that_assignment_and_for_each_deputy_present(
        city, city_term, plan_2026):
    roster = support.city_roster(city, city_term)
    member = support.member(city_term, Post.DIRECTOR)
    delegation, group = roster["delegations"][0], roster["groups"][0]
    present = roster["municipal"][0].person
    support.assign(plan_2026, member, delegation=delegation)
    support.assign(plan_2026, member, group=group)
    support.assign(plan_2026, member, mandate=roster["municipal"][0])
    support.contact(member, datetime.date(2026, 2, 1), delegation=delegation, people=[present])
    support.contact(member, datetime.date(2026, 2, 2), group=group, people=[])
    support.contact(member, datetime.date(2026, 2, 3), group=group, people=[present])
    support.contact(member, datetime.date(2026, 2, 4), group=roster["groups"][1], people=[])  # another group

    rows = compliance_rows(jurisdiction=city, year=2026, on_date=datetime.date(2026, 7, 1))

    by_target = {a.target: a.contacts for a in _row(rows, member).assignments}
    assert by_target == {"delegation": 1, "group": 2, "municipal": 2}


@time_machine.travel(APRIL_1, tick=False)
@pytest.mark.smoke
def test_on_the_first_of_april_no_contact_is_red_and_one_is_green(city, city_term, plan_2026):
    roster = support.city_roster(city, city_term)
    behind, on_pace = support.member(city_term), support.member(city_term)
    support.assign(plan_2026, behind, mandate=roster["municipal"][0])
    support.assign(plan_2026, on_pace, mandate=roster["municipal"][1])
    support.contact(on_pace, datetime.date(2026, 3, 20), people=[roster["municipal"][1].person])

    rows = compliance_rows(jurisdiction=city, year=2026, on_date=timezone.localdate())

    [late], [fine] = _row(rows, behind).assignments, _row(rows, on_pace).assignments
    assert (late.contacts, late.expected, late.status) == (0, 1, "red")
    assert (fine.contacts, fine.expected, fine.status) == (1, 1, "green")
    assert _row(rows, behind).behind and not _row(rows, on_pace).behind


@time_machine.travel(JULY_15, tick=False)
def test_one_behind_is_amber_and_the_member_takes_their_worst_assignment(city, city_term, plan_2026):
    roster = support.city_roster(city, city_term)
    member = support.member(city_term)
    a, b = roster["municipal"][0], roster["municipal"][1]
    support.assign(plan_2026, member, mandate=a)
    support.assign(plan_2026, member, mandate=b)
    for day in (2, 3):
        support.contact(member, datetime.date(2026, 5, day), people=[a.person])
    support.contact(member, datetime.date(2026, 5, 9), people=[b.person])

    row = _row(compliance_rows(jurisdiction=city, year=2026, on_date=datetime.date(2026, 7, 15)), member)

    assert [(x.contacts, x.expected, x.status) for x in row.assignments] == [(2, 2, "green"), (1, 2, "amber")]
    assert row.status == "amber"


def test_a_past_year_is_judged_on_the_whole_quota(city, city_term):
    plan = LiaisonPlan.objects.create(jurisdiction=city, year=2025, status=LiaisonPlan.Status.PUBLISHED)
    roster = support.city_roster(city, city_term)
    member = support.member(city_term)
    support.assign(plan, member, mandate=roster["municipal"][0])
    for month in (2, 5, 8):
        support.contact(member, datetime.date(2025, month, 1), people=[roster["municipal"][0].person])

    [a] = _row(compliance_rows(jurisdiction=city, year=2025, on_date=datetime.date(2026, 3, 1)), member).assignments

    assert (a.contacts, a.expected, a.status) == (3, 4, "amber")


def test_a_draft_plan_is_left_out_when_only_published_plans_count(city, city_term):
    plan = LiaisonPlan.objects.create(jurisdiction=city, year=2026)
    roster = support.city_roster(city, city_term)
    member = support.member(city_term)
    support.assign(plan, member, mandate=roster["municipal"][0])
    on = datetime.date(2026, 5, 1)
    assert len(_row(compliance_rows(jurisdiction=city, year=2026, on_date=on), member).assignments) == 1
    assert _row(compliance_rows(jurisdiction=city, year=2026, on_date=on, published_only=True),
                member).assignments == []


def _cast(city, city_term, plan, n_members: int, roster) -> None:
    for i in range(n_members):
        m = support.member(city_term, Post.DIRECTOR if i == 0 else Post.MEMBER)
        deputy = roster["municipal"][i % len(roster["municipal"])]
        support.assign(plan, m, mandate=deputy)
        support.assign(plan, m, group=roster["groups"][i % len(roster["groups"])])
        support.contact(m, datetime.date(2026, 2, 1), people=[deputy.person])
        support.contact(m, datetime.date(2026, 3, 1), group=roster["groups"][i % len(roster["groups"])])


@pytest.mark.smoke
def test_compliance_rows_take_the_same_few_queries_for_2_and_20_members(city, city_term, plan_2026):
    roster = support.city_roster(city, city_term)
    on = datetime.date(2026, 6, 1)
    _cast(city, city_term, plan_2026, 2, roster)
    with CaptureQueriesContext(connection) as few:
        rows = compliance_rows(jurisdiction=city, year=2026, on_date=on)
    assert len(rows) == 2
    _cast(city, city_term, plan_2026, 18, roster)
    with CaptureQueriesContext(connection) as many:
        rows = compliance_rows(jurisdiction=city, year=2026, on_date=on)
    assert len(rows) == 20
    assert all(a.contacts == 1 for r in rows for a in r.assignments)
    assert len(few) == len(many) <= 10


# --- the page ----------------------------------------------------------------------------------------------

def _page_queries(client, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("liaison:compliance"), params)
    assert response.status_code == 200
    return len(queries)


@time_machine.travel(JULY_15)
def test_the_compliance_page_takes_the_same_few_queries_for_2_and_20_members(client_for, staff_user, city,
                                                                               city_term, plan_2026):
    roster = support.city_roster(city, city_term)
    client = client_for(staff_user)
    _cast(city, city_term, plan_2026, 2, roster)
    client.get(reverse("liaison:compliance"))  # a first request settles the session
    few = _page_queries(client)
    _cast(city, city_term, plan_2026, 18, roster)
    many = _page_queries(client)
    assert few == many <= 10


@time_machine.travel(APRIL_1)
def test_the_page_groups_members_by_post_and_colours_their_pace(client_for, staff_user, city, city_term,
                                                                 plan_2026):
    roster = support.city_roster(city, city_term)
    director = support.member(city_term, Post.DIRECTOR, name="主任甲")
    member = support.member(city_term, Post.MEMBER, name="委员甲")
    support.assign(plan_2026, director, mandate=roster["municipal"][0])
    support.assign(plan_2026, member, mandate=roster["municipal"][1])
    support.contact(member, datetime.date(2026, 3, 1), people=[roster["municipal"][1].person])

    response = client_for(staff_user).get(reverse("liaison:compliance"))

    assert [(post, [r.member.person.name for r in rows]) for post, rows in response.context["groups"]] == [
        ("主任", ["主任甲"]), ("委员", ["委员甲"])]
    html = response.content.decode()
    assert html.count('data-status="red"') == 3  # the director's row, their badge, the assignment's badge
    assert html.count('data-status="green"') == 3
    assert response.context["counts"] == {"green": 1, "amber": 0, "red": 1}
    assert "2026年4月1日" in html


@time_machine.travel(APRIL_1)
def test_the_page_filters_by_status_post_and_name(client_for, staff_user, city, city_term, plan_2026):
    roster = support.city_roster(city, city_term)
    director = support.member(city_term, Post.DIRECTOR, name="主任甲")
    member = support.member(city_term, Post.MEMBER, name="委员甲")
    support.assign(plan_2026, director, mandate=roster["municipal"][0])
    support.assign(plan_2026, member, mandate=roster["municipal"][1])
    support.contact(member, datetime.date(2026, 3, 1), people=[roster["municipal"][1].person])
    client = client_for(staff_user)

    def names(**params):
        return [r.member.person.name for r in client.get(reverse("liaison:compliance"), params).context["rows"]]

    assert names(status="red") == ["主任甲"]
    assert names(status="green") == ["委员甲"]
    assert names(post="member") == ["委员甲"]
    assert names(q="zr") == ["主任甲"]


def test_county_staff_see_their_county_and_cannot_ask_for_the_city(client_for, county_staff_user, city):
    client = client_for(county_staff_user)
    response = client.get(reverse("liaison:compliance"))
    assert response.context["jurisdiction"] == county_staff_user.jurisdiction
    response = client.get(reverse("liaison:compliance"), {"jurisdiction": city.pk})
    assert response.context["jurisdiction"] == county_staff_user.jurisdiction  # not a choice: ignored


@time_machine.travel(APRIL_1)
def test_a_member_sees_only_their_own_rows_of_the_published_plan(client_for, member_user, committee_member,
                                                                 plain_member, city, city_term, plan_2026):
    roster = support.city_roster(city, city_term)
    support.assign(plan_2026, committee_member, mandate=roster["municipal"][0])
    support.assign(plan_2026, plain_member, mandate=roster["municipal"][1])

    response = client_for(member_user).get(reverse("liaison:compliance"), {"jurisdiction": "", "status": ""})

    assert [r.member for r in response.context["rows"]] == [committee_member]
    assert "委员乙" not in response.content.decode()
    plan_2026.status = LiaisonPlan.Status.DRAFT
    plan_2026.save()
    response = client_for(member_user).get(reverse("liaison:compliance"))
    assert [r.assignments for r in response.context["rows"]] == [[]]


@time_machine.travel(APRIL_1)
def test_the_export_is_a_workbook_of_every_assignment_and_is_audited(client_for, staff_user, city, city_term,
                                                                    plan_2026):
    roster = support.city_roster(city, city_term)
    member = support.member(city_term, Post.MEMBER, name="委员甲")
    support.member(city_term, Post.MEMBER, name="委员丙")  # no assignments
    support.assign(plan_2026, member, mandate=roster["municipal"][0])
    support.assign(plan_2026, member, mandate=roster["municipal"][1])
    support.contact(member, datetime.date(2026, 3, 1), people=[roster["municipal"][0].person])

    response = client_for(staff_user).get(reverse("liaison:compliance_export"), {"post": "member"})

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert [(r[1], r[4], r[6], r[7], r[8]) for r in rows] == [
        ("委员丙", "无联系对象", None, None, None), ("委员甲", "市甲", 1, 1, "进度正常"), ("委员甲", "市乙", 0, 1, "滞后")]
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert event.user == staff_user and "post=member" in event.detail


# --- a member's own page --------------------------------------------------------------------------------------

@time_machine.travel(APRIL_1)
def test_a_member_sees_their_assignments_with_counts_and_status(client_for, member_user, committee_member,
                                                                plain_member, city, city_term, plan_2026):
    roster = support.city_roster(city, city_term)
    support.assign(plan_2026, committee_member, mandate=roster["municipal"][0])
    support.assign(plan_2026, committee_member, delegation=roster["delegations"][0])
    support.assign(plan_2026, plain_member, mandate=roster["municipal"][1])
    support.contact(committee_member, datetime.date(2026, 3, 1), people=[roster["municipal"][0].person])

    response = client_for(member_user).get(reverse("liaison:member_my"))

    [row] = response.context["rows"]
    assert row.member == committee_member
    assert [(a.name, a.contacts, a.status) for a in row.assignments] == [("市甲", 1, "green"), ("代表团0", 0, "red")]
    html = response.content.decode()
    assert "市乙" not in html


def test_a_member_without_a_linked_post_is_told_so(client_for, member_user):
    response = client_for(member_user).get(reverse("liaison:member_my"))
    assert response.status_code == 200
    assert 'id="member-not-linked"' in response.content.decode()


def test_member_page_query_count_does_not_grow_with_assignments(client_for, member_user, committee_member, city,
                                                                city_term, plan_2026, django_assert_max_num_queries):
    roster = support.city_roster(city, city_term)
    client = client_for(member_user)
    client.get(reverse("liaison:member_my"))
    support.assign(plan_2026, committee_member, mandate=roster["municipal"][0])
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("liaison:member_my"))
    for deputy in roster["municipal"][1:]:
        support.assign(plan_2026, committee_member, mandate=deputy)
    with django_assert_max_num_queries(10):
        with CaptureQueriesContext(connection) as many:
            client.get(reverse("liaison:member_my"))
    assert len(few) == len(many)
