"""Liaison fixtures on top of the root cast (tests/conftest.py)."""

import datetime

import pytest
from django.utils import timezone

from apps.committee.models import CommitteeMember, Post
from apps.core import roles
from apps.liaison.models import LiaisonPlan
from tests.factories import PersonFactory, UserFactory


@pytest.fixture
def member_person(db):
    return PersonFactory(name="常委甲")


@pytest.fixture
def committee_member(member_user, member_person, city_term, city):
    """A vice director (a council member) linked to ``member_user``."""
    return CommitteeMember.objects.create(term=city_term, jurisdiction=city, person=member_person,
                                          user=member_user, post=Post.VICE_DIRECTOR,
                                          start_date=datetime.date(2022, 1, 1))


@pytest.fixture
def plain_member(city_term, city):
    """A committee member with the post 委员, with an account of their own."""
    user = UserFactory(username="member2", roles=[roles.MEMBER], jurisdiction=city)
    return CommitteeMember.objects.create(term=city_term, jurisdiction=city, person=PersonFactory(name="委员乙"),
                                          user=user, post=Post.MEMBER, start_date=datetime.date(2022, 1, 1))


@pytest.fixture
def liaison_plan(city):
    return LiaisonPlan.objects.create(jurisdiction=city, year=timezone.localdate().year)
