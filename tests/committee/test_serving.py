"""Which committee members serve on a day, in a period or in a year: ``CommitteeMember.objects.serving(on=...)``,
``serving_during``, ``serving_in``, ``serving_q`` (through a relation) and ``CommitteeMember.serves_on`` /
``serves_during`` in memory, the one definition the covenant, liaison and proposals ask.

A member serves on a day if the post started on or before it and has not ended before it: the end date is the
last day served; no end date means the member serves still. Each edge is checked through the queryset and the
in-memory check, which must agree.
"""

import datetime

import pytest

from apps.committee.models import CommitteeMember, Post, SpecialCommittee, serving_q
from tests.factories import PersonFactory

START = datetime.date(2024, 3, 1)
END = datetime.date(2024, 6, 30)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def member(city, city_term):
    """A member serving from ``START`` with no end; each test sets its end."""
    return CommitteeMember.objects.create(term=city_term, jurisdiction=city, person=PersonFactory(name="边界"),
                                          post=Post.MEMBER, start_date=START)


def _end(member, end_date=END):
    CommitteeMember.objects.filter(pk=member.pk).update(end_date=end_date)
    member.refresh_from_db()


def serves_on(member, day) -> bool:
    """Whether ``member`` serves on ``day``, asserting the queryset and the in-memory check agree."""
    by_orm = CommitteeMember.objects.serving(on=day).filter(pk=member.pk).exists()
    assert by_orm == member.serves_on(day), f"the ORM and serves_on disagree on {day}"
    return by_orm


def serves_during(member, first, last) -> bool:
    by_orm = CommitteeMember.objects.serving_during(first, last).filter(pk=member.pk).exists()
    assert by_orm == member.serves_during(first, last), f"the ORM and serves_during disagree on {first}–{last}"
    return by_orm


def test_a_member_serves_from_the_day_the_post_starts(member):
    assert serves_on(member, START)
    assert not serves_on(member, START - DAY)


def test_a_member_with_no_end_date_serves_still(member):
    assert serves_on(member, START + DAY)
    assert serves_on(member, datetime.date(2099, 12, 31))


def test_the_end_date_is_the_last_day_served(member):
    _end(member)
    assert serves_on(member, END)
    assert serves_on(member, END - DAY)
    assert not serves_on(member, END + DAY)


def test_a_member_whose_post_ended_the_day_before_does_not_serve(member):
    _end(member, END - DAY)
    assert not serves_on(member, END)


def test_a_post_ended_on_the_day_it_started_serves_that_one_day(member):
    _end(member, START)
    assert serves_on(member, START)
    assert not serves_on(member, START + DAY)


def test_a_period_finds_a_member_serving_on_any_of_its_days(member):
    _end(member)
    assert serves_during(member, START - 30 * DAY, START)
    assert serves_during(member, END, END + 30 * DAY)
    assert serves_during(member, START - DAY, END + DAY)
    assert not serves_during(member, START - 30 * DAY, START - DAY)
    assert not serves_during(member, END + DAY, END + 30 * DAY)


@pytest.mark.parametrize(("start", "end", "serves_in_2024"), [
    (datetime.date(2024, 12, 31), None, True),  # starts on the year's last day
    (datetime.date(2025, 1, 1), None, False),  # starts the day after it
    (datetime.date(2020, 1, 1), datetime.date(2024, 1, 1), True),  # ends on the year's first day
    (datetime.date(2020, 1, 1), datetime.date(2023, 12, 31), False),  # ends the day before it
])
def test_a_year_counts_a_member_serving_on_its_first_or_last_day(member, start, end, serves_in_2024):
    CommitteeMember.objects.filter(pk=member.pk).update(start_date=start, end_date=end)
    member.refresh_from_db()
    assert CommitteeMember.objects.serving_in(2024).filter(pk=member.pk).exists() is serves_in_2024
    assert serves_during(member, datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)) is serves_in_2024


def test_serving_q_reaches_members_through_a_relation(city, member):
    """``prefix`` is the lookup path to the member: here a special committee with the member on it."""
    _end(member)
    committee = SpecialCommittee.objects.create(jurisdiction=city, name="法制委员会")
    SpecialCommittee.objects.create(jurisdiction=city, name="财政经济委员会")  # no members: never found
    member.special_committees.add(committee)

    def found(first, last):
        return list(SpecialCommittee.objects.filter(serving_q(first, last, "members__")).distinct())

    assert found(END, END) == [committee]
    assert found(START, START) == [committee]
    assert found(END + DAY, END + 30 * DAY) == []
    assert found(START - 30 * DAY, START - DAY) == []
