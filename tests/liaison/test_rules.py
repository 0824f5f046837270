"""Quota rules (defaults, a jurisdiction's overrides, council rules) and the pace of contacts."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from apps.committee.models import CommitteeMember, Post
from apps.liaison import rules
from apps.liaison.models import QuotaRule
from tests.factories import PersonFactory


def _member(term, post) -> CommitteeMember:
    return CommitteeMember.objects.create(term=term, jurisdiction=term.jurisdiction, person=PersonFactory(),
                                          post=post, start_date=datetime.date(2022, 1, 1))


def _quota(member, **kwargs) -> dict[str, tuple[int, int]]:
    return {r.target: (r.quantity, r.contacts_per_year) for r in rules.required_for(member, **kwargs)}


# --- defaults and overrides -------------------------------------------------------------------------------

@pytest.mark.smoke
@pytest.mark.parametrize("post", [Post.DIRECTOR, Post.VICE_DIRECTOR, Post.SECRETARY_GENERAL])
def test_each_council_post_covers_one_national_one_provincial_two_municipal_and_one_delegation(city_term, post):
    member = _member(city_term, post)
    assert _quota(member) == {"national": (1, 4), "provincial": (1, 4), "municipal": (2, 4), "delegation": (1, 4)}


def test_a_member_covers_two_municipal_deputies(city_term):
    assert _quota(_member(city_term, Post.MEMBER)) == {"municipal": (2, 4)}


def test_the_council_together_covers_twelve_deputy_groups(city):
    collective = rules.collective_requirements(rules.effective_rules(city))
    assert [(r.post, r.target, r.quantity) for r in collective] == [("council", "group", 12)]
    assert rules.requirements_for_post(Post.DIRECTOR, rules.effective_rules(city))[-1].target == "delegation"


def test_a_jurisdictions_own_rule_replaces_the_default_for_the_same_post_and_target(city, city_term):
    member = _member(city_term, Post.MEMBER)
    QuotaRule.objects.create(jurisdiction=city, post=Post.MEMBER, target="municipal", quantity=3,
                             contacts_per_year=2)
    assert _quota(member) == {"municipal": (3, 2)}


def test_another_jurisdictions_rule_does_not_apply(city_term, county):
    member = _member(city_term, Post.MEMBER)
    QuotaRule.objects.create(jurisdiction=county, post=Post.MEMBER, target="municipal", quantity=9)
    assert _quota(member) == {"municipal": (2, 4)}


def test_a_quantity_of_zero_switches_a_default_off(city, city_term):
    member = _member(city_term, Post.DIRECTOR)
    QuotaRule.objects.create(jurisdiction=city, post=QuotaRule.COUNCIL, target="national", quantity=0)
    assert "national" not in _quota(member)


def test_a_rule_for_one_council_post_wins_over_the_council_rule(city, city_term):
    director, vice = _member(city_term, Post.DIRECTOR), _member(city_term, Post.VICE_DIRECTOR)
    QuotaRule.objects.create(jurisdiction=city, post=Post.DIRECTOR, target="municipal", quantity=5)
    assert _quota(director)["municipal"] == (5, 4)
    assert _quota(vice)["municipal"] == (2, 4)


def test_a_new_target_for_a_post_adds_to_its_quota(city, city_term):
    member = _member(city_term, Post.MEMBER)
    QuotaRule.objects.create(jurisdiction=city, post=Post.MEMBER, target="county", quantity=1)
    assert _quota(member) == {"municipal": (2, 4), "county": (1, 4)}


def test_effective_rules_take_one_query(city, django_assert_num_queries):
    with django_assert_num_queries(1):
        effective = rules.effective_rules(city)
    assert len(effective) == 6


def test_how_often_a_target_is_contacted_follows_the_rules(city):
    QuotaRule.objects.create(jurisdiction=city, post=QuotaRule.COUNCIL, target="group", collective=True,
                             quantity=12, contacts_per_year=2)
    effective = rules.effective_rules(city)
    assert rules.contacts_per_year_for(Post.DIRECTOR, "group", effective) == 2  # from the collective rule
    assert rules.contacts_per_year_for(Post.MEMBER, "municipal", effective) == 4
    assert rules.contacts_per_year_for(Post.MEMBER, "township", effective) == rules.DEFAULT_CONTACTS_PER_YEAR


# --- pace --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("day, expected", [
    ("2026-01-01", 0), ("2026-03-31", 0), ("2026-04-01", 1), ("2026-06-30", 1), ("2026-07-01", 2),
    ("2026-10-01", 3), ("2026-12-31", 3),
])
def test_four_a_year_expects_one_more_each_quarter(day, expected):
    assert rules.expected_contacts(4, datetime.date.fromisoformat(day)) == expected


def test_twice_a_year_expects_one_from_july():
    assert rules.expected_contacts(2, datetime.date(2026, 6, 30)) == 0
    assert rules.expected_contacts(2, datetime.date(2026, 7, 1)) == 1


def test_a_year_over_expects_the_whole_quota_and_a_year_to_come_nothing():
    assert rules.expected_contacts(4, datetime.date(2027, 1, 15), year=2026) == 4
    assert rules.expected_contacts(4, datetime.date(2025, 12, 1), year=2026) == 0


@time_machine.travel(datetime.datetime(2026, 4, 1, 9, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8))),
                     tick=False)
@pytest.mark.smoke
def test_on_the_first_of_april_none_of_four_is_red_and_one_is_green():
    today = timezone.localdate()
    expected = rules.expected_contacts(4, today)
    assert expected == 1
    assert rules.pace_status(0, expected) == rules.RED
    assert rules.pace_status(1, expected) == rules.GREEN


@pytest.mark.parametrize("contacts, expected, status", [
    (0, 0, "green"), (3, 2, "green"), (2, 2, "green"), (1, 2, "amber"), (2, 3, "amber"), (0, 1, "red"),
    (1, 3, "red"), (0, 3, "red"),
])
def test_pace_status(contacts, expected, status):
    assert rules.pace_status(contacts, expected) == status


def test_the_worst_status_wins():
    assert rules.worst(["green", "amber", "green"]) == "amber"
    assert rules.worst(["amber", "red"]) == "red"
    assert rules.worst([]) is None
