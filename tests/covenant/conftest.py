"""Covenant fixtures on top of the root cast (tests/conftest.py): the city's committee (``member_user``'s own
row among them) and a county committee, with meetings in 2026."""

import datetime

import pytest

from apps.committee.models import Post
from tests.covenant import factories as f


@pytest.fixture
def committee(city, city_term, member_user):
    """The city's committee: the ``member`` account's vice director 常委甲 (in 法制委员会) and member 委员乙."""
    legal = f.special_committee(city)
    return {
        "own": f.member(city_term, Post.VICE_DIRECTOR, name="常委甲", user=member_user, committees=[legal]),
        "other": f.member(city_term, Post.MEMBER, name="委员乙", committees=[legal]),
        "legal": legal,
    }


@pytest.fixture
def county_committee(county, county_term):
    return {"member": f.member(county_term, Post.MEMBER, name="区委员丙",
                               committees=[f.special_committee(county, "区法制委员会")])}


@pytest.fixture
def city_meeting(city_term):
    return f.meeting(city_term, datetime.date(2026, 6, 24), days=2, number=20, title="市人大常委会第二十次会议")


@pytest.fixture
def county_meeting(county_term):
    return f.meeting(county_term, datetime.date(2026, 6, 26), days=1, number=8, title="区人大常委会第八次会议")
