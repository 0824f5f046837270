"""Plan services: proposing assignments, adding and removing them, publishing, and the shortfalls."""

import datetime
from collections import Counter

import pytest
from django.core.exceptions import ValidationError

from apps.committee.models import Post
from apps.core.models import Notification
from apps.deputies.models import Mandate
from apps.liaison.models import LiaisonAssignment, LiaisonPlan, QuotaRule
from apps.liaison.selectors.plans import contact_assignments_for_person, plan_overview
from apps.liaison.services import plans as services
from tests.factories import DeputyGroupFactory
from tests.liaison import plans_support as support


def _shortfalls(plan) -> dict[str, dict[str, int]]:
    return {row.member.person.name: {r.requirement.target: r.shortfall for r in row.requirements}
            for row in plan_overview(plan=plan).rows}


def _assigned(plan) -> set[tuple]:
    return {(a.member.person.name, a.mandate and a.mandate.person.name, a.delegation_id and a.delegation.name,
             a.group_id and a.group.name) for a in plan.assignments.select_related(
                 "member__person", "mandate__person", "delegation", "group")}


# --- shortfalls ------------------------------------------------------------------------------------------------

def test_an_empty_plan_falls_short_of_every_quota(city, city_term, liaison_plan):
    support.council(city_term)
    support.member(city_term, Post.MEMBER, name="委员甲")
    overview = plan_overview(plan=liaison_plan)
    short = _shortfalls(liaison_plan)
    assert short["主任甲"] == {"national": 1, "provincial": 1, "municipal": 2, "delegation": 1}
    assert short["委员甲"] == {"municipal": 2}
    [groups] = overview.collective
    assert (groups.requirement.target, groups.requirement.quantity, groups.assigned) == ("group", 12, 0)
    assert overview.shortfall == 4 * 5 + 2 + 12


def test_assignments_reduce_the_shortfall_of_their_target(city, city_term, liaison_plan):
    roster = support.city_roster(city, city_term)
    member = support.member(city_term, Post.MEMBER, name="委员甲")
    support.assign(liaison_plan, member, mandate=roster["municipal"][0])
    assert _shortfalls(liaison_plan)["委员甲"] == {"municipal": 1}


@pytest.mark.smoke
def test_a_changed_rule_changes_the_shortfalls(city, city_term, liaison_plan):
    roster = support.city_roster(city, city_term)
    member = support.member(city_term, Post.MEMBER, name="委员甲")
    support.assign(liaison_plan, member, mandate=roster["municipal"][0], per_year=4)
    assert _shortfalls(liaison_plan)["委员甲"] == {"municipal": 1}

    services.quota_rule_set(jurisdiction=city, post=Post.MEMBER, target="municipal", collective=False,
                            quantity=3, contacts_per_year=2)

    assert _shortfalls(liaison_plan)["委员甲"] == {"municipal": 2}
    # The new frequency applies to this year's assignments the rule governs.
    assert LiaisonAssignment.objects.get().contacts_per_year == 2
    services.quota_rule_set(jurisdiction=city, post=Post.MEMBER, target="municipal", collective=False,
                            quantity=0, contacts_per_year=2)
    assert _shortfalls(liaison_plan)["委员甲"] == {}
    assert QuotaRule.objects.filter(jurisdiction=city).count() == 1  # the override was updated, not duplicated


def test_the_plan_overview_takes_three_queries_whatever_the_number_of_members(
        city, city_term, liaison_plan, django_assert_num_queries):
    roster = support.city_roster(city, city_term)
    for i in range(6):
        m = support.member(city_term, Post.MEMBER)
        support.assign(liaison_plan, m, mandate=roster["municipal"][i])
    with django_assert_num_queries(3):
        overview = plan_overview(plan=liaison_plan)
        assert len(overview.rows) == 6


# --- propose -------------------------------------------------------------------------------------------------

@pytest.mark.smoke
def test_propose_fills_every_gap(city, city_term, liaison_plan):
    support.city_roster(city, city_term, national=4, provincial=4, municipal=20)
    support.council(city_term)
    for i in range(3):
        support.member(city_term, Post.MEMBER)

    created = services.plan_propose(plan=liaison_plan)

    overview = plan_overview(plan=liaison_plan)
    assert overview.shortfall == 0
    assert len(created) == 4 * 5 + 3 * 2 + 12
    assert all(r.shortfall == 0 for row in overview.rows for r in row.requirements)
    assert LiaisonAssignment.history.count() == len(created)  # the proposal is in the change history


def test_propose_prefers_deputies_nobody_is_assigned_yet(city, city_term, liaison_plan):
    roster = support.city_roster(city, city_term, municipal=6)
    members = [support.member(city_term, Post.MEMBER) for _ in range(3)]
    support.assign(liaison_plan, members[0], mandate=roster["municipal"][0])

    services.plan_propose(plan=liaison_plan)

    people = Counter(a.mandate.person_id for a in LiaisonAssignment.objects.select_related("mandate"))
    assert len(people) == 6 and set(people.values()) == {1}  # six places, six different deputies


def test_propose_shares_deputies_out_only_when_everyone_has_one(city, city_term, liaison_plan):
    support.city_roster(city, city_term, municipal=3)
    for _ in range(3):
        support.member(city_term, Post.MEMBER)

    services.plan_propose(plan=liaison_plan)

    people = Counter(a.mandate.person_id for a in LiaisonAssignment.objects.select_related("mandate"))
    assert sorted(people.values()) == [2, 2, 2]


def test_propose_spreads_delegations_before_giving_one_a_second_member(city, city_term, liaison_plan):
    roster = support.city_roster(city, city_term, delegations=3, municipal=12)
    support.council(city_term)

    services.plan_propose(plan=liaison_plan)

    per_delegation = Counter(LiaisonAssignment.objects.filter(delegation__isnull=False)
                             .values_list("delegation_id", flat=True))
    assert set(per_delegation) == {d.pk for d in roster["delegations"]}
    assert sorted(per_delegation.values()) == [1, 1, 2]


def test_propose_deals_the_councils_twelve_groups_out_among_its_members(city, city_term, liaison_plan):
    support.city_roster(city, city_term, groups=14)
    support.council(city_term)

    services.plan_propose(plan=liaison_plan)

    groups = LiaisonAssignment.objects.filter(group__isnull=False)
    assert groups.values("group").distinct().count() == 12
    assert sorted(Counter(groups.values_list("member_id", flat=True)).values()) == [3, 3, 3, 3]


def test_propose_never_assigns_members_to_themselves(city, city_term, liaison_plan):
    roster = support.city_roster(city, city_term, municipal=2)
    member = support.member(city_term, Post.MEMBER)
    member.person = roster["municipal"][0].person
    member.save()

    services.plan_propose(plan=liaison_plan)

    assert [a.mandate.person for a in LiaisonAssignment.objects.select_related("mandate__person")] == [
        roster["municipal"][1].person]


def test_propose_picks_only_serving_deputies_of_the_needed_level_in_the_plans_jurisdiction(
        city, city_term, liaison_plan, county_mandate):
    roster = support.city_roster(city, city_term, municipal=3)
    ended = roster["municipal"][0]
    Mandate.objects.filter(pk=ended.pk).update(status=Mandate.Status.ENDED, end_date=datetime.date(2025, 1, 1),
                                               end_reason=Mandate.EndReason.RESIGNED)
    support.member(city_term, Post.MEMBER)
    support.member(city_term, Post.MEMBER)

    services.plan_propose(plan=liaison_plan)

    picked = set(LiaisonAssignment.objects.values_list("mandate_id", flat=True))
    assert picked == {roster["municipal"][1].pk, roster["municipal"][2].pk}


def test_propose_is_deterministic_and_a_second_run_adds_nothing(city, city_term, liaison_plan):
    support.city_roster(city, city_term, municipal=9)
    support.council(city_term)
    support.member(city_term, Post.MEMBER)

    services.plan_propose(plan=liaison_plan)
    first = _assigned(liaison_plan)
    assert services.plan_propose(plan=liaison_plan) == []
    LiaisonAssignment.objects.all().delete()
    services.plan_propose(plan=liaison_plan)

    assert _assigned(liaison_plan) == first


def test_propose_leaves_a_gap_when_there_is_nobody_to_choose(city, city_term, liaison_plan):
    support.member(city_term, Post.MEMBER, name="委员甲")
    assert services.plan_propose(plan=liaison_plan) == []
    assert _shortfalls(liaison_plan)["委员甲"] == {"municipal": 2}


def test_propose_ignores_members_who_left_before_the_plans_year(city, city_term, liaison_plan):
    support.city_roster(city, city_term, municipal=4)
    support.member(city_term, Post.MEMBER, end_date=datetime.date(liaison_plan.year - 1, 12, 31))
    assert services.plan_propose(plan=liaison_plan) == []


# --- add, remove, publish -----------------------------------------------------------------------------------

def test_an_assignment_takes_its_frequency_from_the_rules(city, city_term, liaison_plan):
    roster = support.city_roster(city, city_term)
    member = support.member(city_term, Post.MEMBER)
    QuotaRule.objects.create(jurisdiction=city, post=Post.MEMBER, target="municipal", quantity=2,
                             contacts_per_year=12)
    assignment = services.assignment_add(plan=liaison_plan, member=member, mandate=roster["municipal"][0])
    assert assignment.contacts_per_year == 12


def test_a_member_cannot_be_assigned_the_same_person_twice(city, city_term, liaison_plan):
    roster = support.city_roster(city, city_term)
    member = support.member(city_term, Post.MEMBER)
    person = roster["municipal"][0].person
    second = roster["provincial"][0]
    Mandate.objects.filter(pk=second.pk).update(person=person)
    services.assignment_add(plan=liaison_plan, member=member, mandate=roster["municipal"][0])
    with pytest.raises(ValidationError):
        services.assignment_add(plan=liaison_plan, member=member, mandate=Mandate.objects.get(pk=second.pk))
    assert LiaisonAssignment.objects.count() == 1


def test_an_assignment_must_stay_in_the_plans_jurisdiction(county, county_term, other_county_mandate):
    plan = LiaisonPlan.objects.create(jurisdiction=county, year=2026)
    member = support.member(county_term, Post.MEMBER)
    with pytest.raises(ValidationError):
        services.assignment_add(plan=plan, member=member, mandate=other_county_mandate)
    with pytest.raises(ValidationError):
        services.assignment_add(plan=plan, member=member, group=DeputyGroupFactory())
    assert not LiaisonAssignment.objects.exists()


def test_a_member_of_another_committee_cannot_be_assigned(city, county_term, liaison_plan, municipal_mandate):
    county_member = support.member(county_term, Post.MEMBER)
    with pytest.raises(ValidationError):
        services.assignment_add(plan=liaison_plan, member=county_member, mandate=municipal_mandate)


def test_publishing_notifies_each_member_of_their_assignments(city, city_term, liaison_plan, committee_member,
                                                             plain_member, staff_user, municipal_mandate):
    roster = support.city_roster(city, city_term)
    support.assign(liaison_plan, committee_member, mandate=municipal_mandate)
    support.assign(liaison_plan, committee_member, delegation=roster["delegations"][0])
    support.assign(liaison_plan, plain_member, mandate=roster["municipal"][0])

    services.plan_publish(plan=liaison_plan, user=staff_user)

    liaison_plan.refresh_from_db()
    assert liaison_plan.status == LiaisonPlan.Status.PUBLISHED
    assert (liaison_plan.published_by, liaison_plan.published_at is not None) == (staff_user, True)
    mine = Notification.objects.get(recipient=committee_member.user)
    assert str(liaison_plan.year) in mine.title
    assert "张三丰" in mine.body and "代表团0" in mine.body
    assert mine.url == "/liaison/my/"
    assert Notification.objects.get(recipient=plain_member.user).body.startswith("市甲")
    with pytest.raises(ValidationError):
        services.plan_publish(plan=liaison_plan, user=staff_user)
    assert Notification.objects.count() == 2


def test_after_publishing_a_change_is_notified_to_the_member(city, city_term, liaison_plan, plain_member,
                                                            staff_user):
    roster = support.city_roster(city, city_term)
    services.plan_publish(plan=liaison_plan, user=staff_user)
    assignment = services.assignment_add(plan=liaison_plan, member=plain_member, mandate=roster["municipal"][1])
    services.assignment_remove(assignment=assignment)
    notes = Notification.objects.filter(recipient=plain_member.user).order_by("pk")
    assert [n.body.split()[0] for n in notes] == ["市乙", "市乙"]
    assert notes[0].title != notes[1].title  # added, then removed
    assert not LiaisonAssignment.objects.exists()


def test_a_draft_plans_changes_are_not_notified(city, city_term, liaison_plan, plain_member):
    roster = support.city_roster(city, city_term)
    services.assignment_add(plan=liaison_plan, member=plain_member, mandate=roster["municipal"][1])
    assert not Notification.objects.exists()


# --- a deputy's contact member ----------------------------------------------------------------------------

def test_a_deputy_is_contacted_directly_or_through_their_delegation_or_group(city, city_term, liaison_plan,
                                                                             committee_member, plain_member):
    roster = support.city_roster(city, city_term)
    mandate = roster["municipal"][0]
    Mandate.objects.filter(pk=mandate.pk).update(delegation=roster["delegations"][0], group=roster["groups"][0])
    support.assign(liaison_plan, plain_member, mandate=mandate)
    support.assign(liaison_plan, committee_member, delegation=roster["delegations"][0])
    support.assign(liaison_plan, committee_member, group=roster["groups"][1])  # not theirs
    assert contact_assignments_for_person(mandate.person, year=liaison_plan.year) == []  # a draft

    liaison_plan.status = LiaisonPlan.Status.PUBLISHED
    liaison_plan.save()

    found = contact_assignments_for_person(mandate.person, year=liaison_plan.year)
    assert [(a.member, a.delegation_id is not None) for a in found] == [(plain_member, False),
                                                                      (committee_member, True)]
    assert contact_assignments_for_person(mandate.person, year=liaison_plan.year + 1) == []
