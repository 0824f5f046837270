"""Fixtures of the staff's scoring pages (imported by the test modules that use them): a published rule set of
the city (municipal deputies) and of a county (county deputies) with computed scores, a draft copied from the
city's, and a dispute on each side."""

import datetime

import pytest

from apps.activities.models import Activity, Participation
from apps.deputies.attendance import Attendance
from apps.deputies.models import Level
from apps.scoring import engine
from apps.scoring.models import RuleSet, Score, Source
from apps.scoring.services import rules as rule_services
from tests.scoring.factories import YEAR, DisputeFactory, activity_type, item, typical_rule_set


def make_activity(jurisdiction, *, code="inspection", level=Level.MUNICIPAL, day=datetime.date(YEAR, 5, 10),
                  title=None) -> Activity:
    return Activity.objects.create(type=activity_type(code), title=title or f"{activity_type(code).name}活动",
                                   jurisdiction=jurisdiction, level=level, start_date=day)


def attend(activity, mandate, attendance=Attendance.PRESENT) -> Participation:
    return Participation.objects.create(activity=activity, person=mandate.person, mandate=mandate,
                                        attendance=attendance)


def score_of(rule_set: RuleSet, mandate) -> Score:
    return Score.objects.get(rule_set=rule_set, mandate=mandate)


@pytest.fixture
def city_published(city, municipal_mandate):
    rule_set = typical_rule_set(city, name="2024年度市人大代表履职考核办法")
    attend(make_activity(city), municipal_mandate)
    engine.compute(rule_set)
    return rule_set


@pytest.fixture
def county_published(county, county_mandate):
    rule_set = typical_rule_set(county, level=Level.COUNTY, name="2024年度南关区人大代表履职考核办法")
    engine.compute(rule_set)
    return rule_set


@pytest.fixture
def city_draft(city_published, staff_user):
    return rule_services.rule_set_copy(user=staff_user, source=city_published, name="2024年度考核办法（修订稿）")


@pytest.fixture
def county_draft(county_published, county_staff_user):
    return rule_services.rule_set_copy(user=county_staff_user, source=county_published, name="南关区修订稿")


@pytest.fixture
def city_score(city_published, municipal_mandate):
    return score_of(city_published, municipal_mandate)


@pytest.fixture
def county_score(county_published, county_mandate):
    return score_of(county_published, county_mandate)


@pytest.fixture
def city_dispute(city_score, deputy_user):
    return DisputeFactory(score=city_score, item=item(city_score.rule_set, Source.TRAINING), raised_by=deputy_user)


@pytest.fixture
def county_dispute(county_score):
    return DisputeFactory(score=county_score, item=item(county_score.rule_set, Source.TRAINING))
