"""The plan, composition and quota rule pages as staff meet them, and a deputy's contact member card."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.committee.models import CommitteeMember, Post, SpecialCommittee
from apps.core.models import Notification
from apps.liaison.models import LiaisonAssignment, LiaisonPlan, QuotaRule
from tests.factories import DelegationFactory, DeputyGroupFactory
from tests.liaison import plans_support as support

YEAR = timezone.localdate().year


def plan_url(year=YEAR, **params) -> str:
    url = reverse("liaison:plan_detail", args=[year])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def _page_shortfalls(response) -> dict[str, dict[str, int]]:
    return {row.member.person.name: {r.requirement.target: r.shortfall for r in row.requirements}
            for row in response.context["overview"].rows}


# --- the plan page ---------------------------------------------------------------------------------------------

def test_the_current_plan_link_opens_this_years_plan(client_for, staff_user):
    response = client_for(staff_user).get(reverse("liaison:plan_current"))
    assert response.status_code == 302
    assert response["Location"] == plan_url()


def test_staff_create_the_years_plan_when_it_is_missing(client_for, staff_user, city):
    client = client_for(staff_user)
    html = client.get(plan_url()).content.decode()
    assert 'id="plan-create"' in html
    assert not LiaisonPlan.objects.exists()  # a page view writes nothing

    response = client.post(reverse("liaison:plan_create", args=[YEAR]))

    assert response.status_code == 302
    plan = LiaisonPlan.objects.get()
    assert (plan.jurisdiction, plan.year, plan.status) == (city, YEAR, LiaisonPlan.Status.DRAFT)
    client.post(reverse("liaison:plan_create", args=[YEAR]))
    assert LiaisonPlan.objects.count() == 1


@pytest.mark.smoke
def test_staff_propose_and_publish_a_plan_from_the_page(client_for, staff_user, city, city_term, liaison_plan,
                                                        committee_member):
    support.city_roster(city, city_term, national=5, provincial=5, municipal=12)
    support.council(city_term)
    client = client_for(staff_user)
    before = client.get(plan_url())
    assert _page_shortfalls(before)["常委甲"] == {"national": 1, "provincial": 1, "municipal": 2, "delegation": 1}

    response = client.post(reverse("liaison:plan_propose", args=[YEAR]), follow=True)

    assert all(v == 0 for v in _page_shortfalls(response)["常委甲"].values())
    assert response.context["overview"].shortfall == 0
    assert 'id="plan-publish"' in response.content.decode()
    response = client.post(reverse("liaison:plan_publish", args=[YEAR]), follow=True)
    liaison_plan.refresh_from_db()
    assert liaison_plan.status == LiaisonPlan.Status.PUBLISHED
    assert 'id="plan-publish"' not in response.content.decode()
    note = Notification.objects.get(recipient=committee_member.user)
    # 1 national, 1 provincial and 2 municipal deputies, 1 delegation, and 3 of the council's 12 groups
    assert len(note.body.splitlines()) == 1 + 1 + 2 + 1 + 3


def test_a_rule_changed_on_the_quota_page_changes_the_plans_shortfalls(client_for, staff_user, city, city_term,
                                                                      liaison_plan):
    support.member(city_term, Post.MEMBER, name="委员甲")
    client = client_for(staff_user)
    assert _page_shortfalls(client.get(plan_url()))["委员甲"] == {"municipal": 2}
    form = client.get(reverse("liaison:quota_rule_edit"), {"post": "member", "target": "municipal",
                                                           "collective": "0"}).context["form"]
    assert (form.initial["quantity"], form.initial["contacts_per_year"]) == (2, 4)

    response = client.post(reverse("liaison:quota_rule_edit"), {"post": "member", "target": "municipal",
                                                                "quantity": 4, "contacts_per_year": 2})

    assert response.status_code == 302
    rule = QuotaRule.objects.get(jurisdiction=city)
    assert (rule.post, rule.target, rule.quantity, rule.contacts_per_year) == ("member", "municipal", 4, 2)
    assert _page_shortfalls(client.get(plan_url()))["委员甲"] == {"municipal": 4}
    html = client.get(reverse("liaison:quota_rules")).content.decode()
    assert "本级规则" in html


def test_a_bad_quota_rule_is_refused_with_a_form_error(client_for, staff_user, city):
    response = client_for(staff_user).post(reverse("liaison:quota_rule_edit"), {
        "post": "member", "target": "municipal", "quantity": -1, "contacts_per_year": 0})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"quantity", "contacts_per_year"}
    assert not QuotaRule.objects.filter(jurisdiction=city).exists()


def test_staff_find_a_deputy_by_pinyin_initials_and_assign_them(client_for, staff_user, city, liaison_plan,
                                                                plain_member, municipal_mandate):
    client = client_for(staff_user)
    response = client.get(plan_url(), {"q": "zsf", "member": plain_member.pk})
    form = response.context["form"]
    assert [label for value, label in form.fields["mandate"].choices if value][0].startswith("张三丰")
    assert 'selected>委员乙' in response.content.decode()

    response = client.post(reverse("liaison:assignment_add", args=[YEAR]), {
        "member": plain_member.pk, "mandate": municipal_mandate.pk, "q": "zsf"})

    assert response.status_code == 302
    assignment = LiaisonAssignment.objects.get()
    assert (assignment.member, assignment.mandate, assignment.contacts_per_year) == (plain_member, municipal_mandate, 4)


def test_staff_assign_a_delegation_and_a_group(client_for, staff_user, city, city_term, liaison_plan,
                                               committee_member):
    roster = support.city_roster(city, city_term)
    client = client_for(staff_user)
    client.post(reverse("liaison:assignment_add", args=[YEAR]), {
        "member": committee_member.pk, "delegation": roster["delegations"][1].pk})
    client.post(reverse("liaison:assignment_add", args=[YEAR]), {
        "member": committee_member.pk, "group": roster["groups"][2].pk})
    assert {(a.delegation_id, a.group_id) for a in LiaisonAssignment.objects.all()} == {
        (roster["delegations"][1].pk, None), (None, roster["groups"][2].pk)}


@pytest.mark.parametrize("data", [
    {},  # nothing chosen
    {"delegation": "DELEGATION", "group": "GROUP"},  # two targets
    {"mandate": "OUTSIDE"},  # a deputy of another county
])
def test_a_bad_assignment_is_refused_with_a_form_error_and_nothing_written(
        client_for, county_staff_user, county, county_term, other_county_mandate, data):
    plan = LiaisonPlan.objects.create(jurisdiction=county, year=YEAR)
    member = support.member(county_term, Post.MEMBER)
    delegation = DelegationFactory(term=county_term)
    group = DeputyGroupFactory(jurisdiction=county)
    values = {"DELEGATION": delegation.pk, "GROUP": group.pk, "OUTSIDE": other_county_mandate.pk}
    post = {"member": member.pk, **{k: values[v] for k, v in data.items()}}

    response = client_for(county_staff_user).post(reverse("liaison:assignment_add", args=[YEAR]), post)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not LiaisonAssignment.objects.filter(plan=plan).exists()


def test_assigning_a_deputy_twice_to_the_same_member_is_a_form_error(client_for, staff_user, liaison_plan,
                                                                    plain_member, municipal_mandate):
    support.assign(liaison_plan, plain_member, mandate=municipal_mandate)
    response = client_for(staff_user).post(reverse("liaison:assignment_add", args=[YEAR]), {
        "member": plain_member.pk, "mandate": municipal_mandate.pk})
    assert response.status_code == 200
    assert "已安排" in response.content.decode()
    assert LiaisonAssignment.objects.count() == 1


def test_staff_remove_an_assignment(client_for, staff_user, liaison_plan, plain_member, municipal_mandate):
    assignment = support.assign(liaison_plan, plain_member, mandate=municipal_mandate)
    response = client_for(staff_user).post(reverse("liaison:assignment_remove", args=[assignment.pk]))
    assert response.status_code == 302
    assert not LiaisonAssignment.objects.exists()


def test_county_staff_cannot_remove_a_city_assignment(client_for, county_staff_user, liaison_plan, plain_member,
                                                      municipal_mandate):
    assignment = support.assign(liaison_plan, plain_member, mandate=municipal_mandate)
    response = client_for(county_staff_user).post(reverse("liaison:assignment_remove", args=[assignment.pk]))
    assert response.status_code == 404
    assert LiaisonAssignment.objects.filter(pk=assignment.pk).exists()


def test_city_staff_open_a_countys_plan_but_county_staff_not_the_citys(client_for, staff_user, county_staff_user,
                                                                       city, county):
    LiaisonPlan.objects.create(jurisdiction=county, year=YEAR)
    response = client_for(staff_user).get(plan_url(jurisdiction=county.pk))
    assert response.context["plan"].jurisdiction == county
    assert client_for(county_staff_user).get(plan_url(jurisdiction=city.pk)).status_code == 404


def test_supervisors_see_the_plan_without_its_buttons(client_for, supervisor_user, liaison_plan, plain_member):
    html = client_for(supervisor_user).get(plan_url()).content.decode()
    assert "委员乙" in html
    for button in ('id="plan-propose"', 'id="plan-publish"', 'id="assignment-add"', 'bi-x-circle'):
        assert button not in html


def _plan_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(plan_url()).status_code == 200
    return len(queries)


def test_the_plan_page_query_count_is_the_same_for_2_and_20_members(client_for, staff_user, city, city_term,
                                                                    liaison_plan):
    roster = support.city_roster(city, city_term, municipal=20)
    client = client_for(staff_user)
    client.get(plan_url())

    def cast(n, offset):
        for i in range(n):
            m = support.member(city_term, Post.DIRECTOR if i == 0 and not offset else Post.MEMBER)
            support.assign(liaison_plan, m, mandate=roster["municipal"][offset + i])
            support.assign(liaison_plan, m, group=roster["groups"][(offset + i) % 14])

    cast(2, 0)
    few = _plan_queries(client)
    cast(18, 2)
    many = _plan_queries(client)
    assert few == many <= 12


# --- composition -----------------------------------------------------------------------------------------------

def test_staff_add_a_committee_member_found_by_search(client_for, staff_user, city, city_term, member_user,
                                                      municipal_mandate):
    client = client_for(staff_user)
    committee = SpecialCommittee.objects.create(jurisdiction=city, name="法制委员会")
    url = reverse("liaison:member_create") + "?q=zsf"
    form = client.get(url).context["form"]
    assert [value for value, _label in form.fields["person"].choices if value] == [municipal_mandate.person_id]

    response = client.post(url, {"term": city_term.pk, "person": municipal_mandate.person_id,
                                 "post": "vice_director", "special_committees": [committee.pk],
                                 "start_date": "2022-01-06", "end_date": "", "user": member_user.pk})

    assert response.status_code == 302
    member = CommitteeMember.objects.get()
    assert (member.person, member.post, member.jurisdiction, member.user) == (
        municipal_mandate.person, Post.VICE_DIRECTOR, city, member_user)
    assert list(member.special_committees.all()) == [committee]
    assert "张三丰" in client.get(reverse("liaison:member_list")).content.decode()


def test_a_member_ending_before_they_start_is_a_form_error(client_for, staff_user, city_term, municipal_mandate):
    response = client_for(staff_user).post(reverse("liaison:member_create") + "?q=zsf", {
        "term": city_term.pk, "person": municipal_mandate.person_id, "post": "member",
        "start_date": "2022-01-06", "end_date": "2021-01-01"})
    assert response.status_code == 200
    assert "end_date" in response.context["form"].errors
    assert not CommitteeMember.objects.exists()


def test_staff_edit_a_member_keeping_their_person(client_for, staff_user, plain_member, city):
    client = client_for(staff_user)
    url = reverse("liaison:member_edit", args=[plain_member.pk])
    form = client.get(url).context["form"]
    assert [v for v, _label in form.fields["person"].choices if v] == [plain_member.person_id]
    response = client.post(url, {"term": plain_member.term_id, "person": plain_member.person_id,
                                 "post": "secretary_general", "start_date": "2022-01-01",
                                 "end_date": "2026-12-31", "user": ""})
    assert response.status_code == 302
    plain_member.refresh_from_db()
    assert (plain_member.post, plain_member.end_date, plain_member.user) == (
        Post.SECRETARY_GENERAL, datetime.date(2026, 12, 31), None)


def test_county_staff_cannot_edit_a_city_member(client_for, county_staff_user, plain_member):
    response = client_for(county_staff_user).get(reverse("liaison:member_edit", args=[plain_member.pk]))
    assert response.status_code == 404


def test_staff_add_a_special_committee_once(client_for, staff_user, city):
    client = client_for(staff_user)
    url = reverse("liaison:special_committee_create")
    assert client.post(url, {"jurisdiction": city.pk, "name": "财政经济委员会"}).status_code == 302
    response = client.post(url, {"jurisdiction": city.pk, "name": "财政经济委员会"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"name": ["该专门委员会已存在。"]}
    assert SpecialCommittee.objects.count() == 1
    assert "财政经济委员会" in client.get(reverse("liaison:special_committee_list")).content.decode()


# --- a deputy's contact member ---------------------------------------------------------------------------------

def _card(client, person) -> str:
    html = client.get(reverse("deputies:person_detail", args=[person.pk])).content.decode()
    start = html.find('id="contact-member-card"')
    return html[start:start + 1500] if start >= 0 else ""


def test_a_deputy_sees_their_contact_member_once_the_plan_is_published(client_for, deputy_user, staff_user,
                                                                        liaison_plan, committee_member,
                                                                        municipal_mandate):
    support.assign(liaison_plan, committee_member, mandate=municipal_mandate)
    client = client_for(deputy_user)
    assert "常委甲" not in _card(client, municipal_mandate.person)  # still a draft
    liaison_plan.status = LiaisonPlan.Status.PUBLISHED
    liaison_plan.save()
    card = _card(client, municipal_mandate.person)
    assert "常委甲" in card and "副主任" in card
    assert "常委甲" in _card(client_for(staff_user), municipal_mandate.person)


def test_the_card_is_not_shown_to_a_member(client_for, member_user, liaison_plan, committee_member,
                                           municipal_mandate):
    support.assign(liaison_plan, committee_member, mandate=municipal_mandate)
    liaison_plan.status = LiaisonPlan.Status.PUBLISHED
    liaison_plan.save()
    assert _card(client_for(member_user), municipal_mandate.person) == ""


def test_the_card_costs_the_record_page_one_query(client_for, deputy_user, liaison_plan, committee_member,
                                                  plain_member, municipal_mandate):
    liaison_plan.status = LiaisonPlan.Status.PUBLISHED
    liaison_plan.save()
    client = client_for(deputy_user)
    url = reverse("deputies:person_detail", args=[municipal_mandate.person_id])
    client.get(url)
    support.assign(liaison_plan, committee_member, mandate=municipal_mandate)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    support.assign(liaison_plan, plain_member, mandate=municipal_mandate)
    with CaptureQueriesContext(connection) as two:
        client.get(url)
    assert len(one) == len(two)


# --- navigation --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("role, links", [
    ("staff_user", {"nav-liaison-plan"}), ("supervisor_user", {"nav-liaison-plan"}),
    ("member_user", {"nav-member-my"}), ("deputy_user", set()), ("unit_user", set()),
])
def test_the_navbar_shows_the_liaison_links_of_the_role(request, client_for, role, links):
    html = client_for(request.getfixturevalue(role)).get("/").content.decode()
    assert {link for link in ("nav-liaison-plan", "nav-member-my") if f'id="{link}"' in html} == links


@time_machine.travel(datetime.datetime(2026, 11, 26, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8))))
def test_dates_on_the_plan_page_are_written_the_chinese_way(client_for, staff_user, city, published_plan_2026):
    html = client_for(staff_user).get(reverse("liaison:plan_detail", args=[2026])).content.decode()
    assert "2026年11月26日" in html


@pytest.fixture
def published_plan_2026(city, staff_user):
    # A fixed moment, not "now": fixtures run before the test's time travel, and after 16:00 UTC "now" is
    # already the next day in Beijing.
    published_at = datetime.datetime(2026, 11, 26, 9, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
    return LiaisonPlan.objects.create(jurisdiction=city, year=2026, status=LiaisonPlan.Status.PUBLISHED,
                                      published_at=published_at, published_by=staff_user)


def _list_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_member_and_special_committee_lists_take_the_same_queries_for_1_and_10_rows(client_for, staff_user,
                                                                                       city, city_term):
    client = client_for(staff_user)
    urls = [reverse("liaison:member_list"), reverse("liaison:special_committee_list")]

    def add(n):
        for _i in range(n):
            name = f"委员会{SpecialCommittee.objects.count()}"
            committee = SpecialCommittee.objects.create(jurisdiction=city, name=name)
            support.member(city_term, Post.MEMBER).special_committees.add(committee)

    add(1)
    client.get(urls[0])
    few = [_list_queries(client, url) for url in urls]
    add(9)
    many = [_list_queries(client, url) for url in urls]
    assert few == many
    assert max(many) <= 8
