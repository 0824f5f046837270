"""Data for the analysis tests: a city and two counties with deputies, motions and suggestions and activities of
several shapes, built with factories (``scale`` copies of everything, for the query-count tests)."""

from __future__ import annotations

import datetime

from apps.deputies.models import Level, Mandate
from apps.proposals.models import Assignment, Category, Proposal, Rating
from tests.activities.staff_support import make_activity
from tests.factories import HandlingUnitFactory, MandateFactory, PersonFactory
from tests.proposals.board_support import assign, deadline, item, lead, rate, reply

TODAY = datetime.date(2026, 6, 15)
YEAR = TODAY.year
S = Proposal.State


def _mandate(term, *, gender="male", party="cpc", sector="", occupation="", birth=None, **extra) -> Mandate:
    person = PersonFactory(gender=gender, party=party, sector=sector, occupation=occupation)
    person.birth_date = birth  # None: not given
    person.save(update_fields=["birth_date"])
    return MandateFactory(term=term, person=person, **extra)


def build(*, city, county, other_county, city_term, county_term, other_county_term, scale: int = 1) -> dict:
    """``scale`` copies of: municipal, county and other-county deputies of varied composition (one ended before
    the year, one without a birth date), items in every stage of handling under two units, and activities of
    two types in several months. Returns the units."""
    units = [HandlingUnitFactory(jurisdiction=city, name=f"市教育局{scale}"),
             HandlingUnitFactory(jurisdiction=city, name=f"市住建局{scale}")]
    education, city_building = Category.objects.get(name="教育"), Category.objects.get(name="城建")
    for _copy in range(scale):
        deputies = [
            _mandate(city_term, gender="female", party="cpc", sector="工人", occupation="worker",
                     birth=datetime.date(1990, 3, 1)),
            _mandate(city_term, gender="male", party="cdl", sector="=HYPERLINK(\"x\")", occupation="professional",
                     birth=datetime.date(1960, 6, 15)),
            _mandate(city_term, gender="male", party="nonpartisan", birth=None),
            _mandate(county_term, gender="female", party="cpc", sector="农民", occupation="farmer",
                     birth=datetime.date(1975, 8, 1)),
            _mandate(other_county_term, gender="male", party="cpc", sector="工人", occupation="worker",
                     birth=datetime.date(1980, 1, 1)),
        ]
        _mandate(city_term, gender="female", status=Mandate.Status.ENDED, end_date=datetime.date(2025, 6, 30),
                 end_reason=Mandate.EndReason.RESIGNED, birth=datetime.date(1970, 1, 1))
        municipal, other_municipal = deputies[0], deputies[1]

        # motions and suggestions: submitted, assigned, replied and rated (satisfied / unsatisfied), closed
        item(mandate=municipal, state=S.SUBMITTED, category=education)
        item(mandate=municipal, state=S.DRAFT)
        assigned = item(mandate=municipal, state=S.HANDLING, category=education)
        deadline(assign(assigned, units[0]), due_on=TODAY - datetime.timedelta(days=3))
        happy = item(mandate=other_municipal, state=S.CLOSED, category=city_building)
        rate(reply(assign(happy, units[0]), code="A"), lead(happy))
        unhappy = item(mandate=other_municipal, state=S.REPLIED, category=None)
        rate(reply(assign(unhappy, units[1]), code="B"), lead(unhappy), Rating.Result.UNSATISFIED)
        returned = item(mandate=municipal, state=S.HANDLING, category=city_building)
        assign(returned, units[1], state=Assignment.State.RETURNED)
        item(mandate=deputies[3], state=S.REGISTERED, category=education)
        item(mandate=deputies[4], state=S.REGISTERED, category=education)
        item(mandate=municipal, state=S.CLOSED, category=education, year=YEAR - 2)
        item(mandate=municipal, state=S.WITHDRAWN, category=education, year=YEAR - 1)

        # activities
        make_activity(city, code="inspection", day=datetime.date(YEAR, 3, 5))
        make_activity(city, code="inspection", day=datetime.date(YEAR, 3, 20))
        make_activity(city, code="survey", day=datetime.date(YEAR, 5, 2))
        make_activity(county, level=Level.COUNTY, code="survey", day=datetime.date(YEAR, 5, 9))
        make_activity(other_county, level=Level.COUNTY, code="inspection", day=datetime.date(YEAR, 4, 1))
        make_activity(city, code="survey", day=datetime.date(YEAR - 1, 5, 2))
    return {"units": units}
