"""Rows the reference data tests share: a rule, a unit, a session of the city, and a category."""

import datetime

import pytest

from apps.core.models import HandlingUnit
from apps.proposals.models import Category, HandlingRule, Kind
from tests.factories import HandlingUnitFactory
from tests.proposals.factories import SessionFactory


@pytest.fixture
def city_rule(city):
    return HandlingRule.objects.create(jurisdiction=city, kind=Kind.SUGGESTION, min_signers=1)


@pytest.fixture
def city_unit(city):
    return HandlingUnitFactory(name="市交通运输局", jurisdiction=city, kind=HandlingUnit.Kind.DEPARTMENT)


@pytest.fixture
def county_unit(county):
    return HandlingUnitFactory(name="南关区住建局", jurisdiction=county, kind=HandlingUnit.Kind.DEPARTMENT)


@pytest.fixture
def city_session(city_term):
    return SessionFactory(term=city_term, number=3, name="市第十六届人民代表大会第三次会议",
                          opens_on=datetime.date(2026, 1, 10), closes_on=datetime.date(2026, 1, 14))


@pytest.fixture
def category_education(db):
    return Category.objects.get(name="教育")
