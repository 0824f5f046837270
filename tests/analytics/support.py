"""Data for the analysis tests: a city and two counties with deputies, motions and suggestions and activities of
several shapes, built with factories (``scale`` copies of everything, for the query-count tests)."""

from __future__ import annotations

import datetime

from decimal import Decimal

from django.utils import timezone

from apps.committee.models import CommitteeMember, Post
from apps.covenant.models import CommitteeMeeting, MeetingAttendance
from apps.deputies.attendance import Attendance
from apps.deputies.models import Level, Mandate
from apps.liaison.models import Contact, LiaisonAssignment, LiaisonPlan
from apps.scoring.models import RuleSet, Score
from apps.stations.models import Station, VoterVisit
from apps.training.models import Form, Topic, TrainingAttendance, TrainingProgram, TrainingSession
from apps.proposals.models import Assignment, Category, Proposal, Rating
from tests.activities.staff_support import make_activity, participate
from tests.factories import HandlingUnitFactory, MandateFactory, PersonFactory
from tests.proposals.board_support import assign, deadline, item, lead, rate, reply
from tests.scoring.factories import typical_rule_set

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
        january = datetime.datetime(YEAR, 1, 5, 9, tzinfo=datetime.timezone.utc)
        happy = item(mandate=other_municipal, state=S.CLOSED, category=city_building, assigned_at=january,
                     replied_at=january + datetime.timedelta(days=40))
        rate(reply(assign(happy, units[0]), code="A"), lead(happy))
        unhappy = item(mandate=other_municipal, state=S.REPLIED, category=None, assigned_at=january,
                       replied_at=january + datetime.timedelta(days=19))
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
        # a theme practice activity in July with its outcomes (two participations), one of last year
        practice = make_activity(city, code="theme_practice", day=datetime.date(YEAR, 7, 1))
        participate(practice, deputies[0], suggestions_raised=3, households_helped=2, people_helped=5,
                    funds_donated=Decimal("1000.50"))
        participate(practice, deputies[1], suggestions_raised=1, people_helped=2)
        participate(make_activity(city, code="theme_practice", day=datetime.date(YEAR - 1, 7, 1)), deputies[0],
                    suggestions_raised=9)

        _training(city, deputies)
        _liaison(city, county, city_term, county_term, deputies[0])
        _stations(city, county, other_county)
        _scores(city, county, deputies)
        _publicity(city, county, other_county, deputies[0])
    return {"units": units}


def _publicity(city, county, other_county, deputy) -> None:
    """Two city newspaper columns (April) and a feature (June) featuring the deputy, a county article, another
    county's report, and a column of last year."""
    from apps.publicity.models import PublicityItem
    from tests.factories import UserFactory

    K = PublicityItem.Kind
    author = UserFactory()
    for place, kind, day in ((city, K.COLUMN, datetime.date(YEAR, 4, 3)), (city, K.COLUMN, datetime.date(YEAR, 4, 17)),
                             (city, K.FEATURE, datetime.date(YEAR, 6, 1)), (county, K.ARTICLE, datetime.date(YEAR, 5, 4)),
                             (other_county, K.REPORT, datetime.date(YEAR, 3, 9)),
                             (city, K.COLUMN, datetime.date(YEAR - 1, 11, 6))):
        item = PublicityItem.objects.create(
            kind=kind, jurisdiction=place, date=day, outlet="长春日报", title="人大代表风采",
            issue_number="第1期" if kind == K.COLUMN else "", url="https://example.gov.cn/a", created_by=author)
        item.deputies.add(deputy.person)


def _training(city, deputies) -> None:
    """Trained this year: the first municipal deputy and the county deputy; last year: the second municipal one."""
    program = TrainingProgram.objects.create(title="代表集中培训班", form=Form.CENTRAL, topic=Topic.DUTIES, jurisdiction=city,
                                             level=Level.MUNICIPAL, start_date=datetime.date(YEAR, 3, 10))
    this_year = TrainingSession.objects.create(program=program, title="履职讲座", date=datetime.date(YEAR, 3, 10),
                                               hours="3.0")
    last_year = TrainingSession.objects.create(program=program, title="往年讲座", date=datetime.date(YEAR - 1, 3, 10),
                                               hours="3.0")
    for session, mandate, attendance in ((this_year, deputies[0], Attendance.PRESENT),
                                         (this_year, deputies[3], Attendance.PRESENT),
                                         (this_year, deputies[1], Attendance.LEAVE),
                                         (last_year, deputies[1], Attendance.PRESENT)):
        TrainingAttendance.objects.create(session=session, person=mandate.person, mandate=mandate,
                                          attendance=attendance)


def _liaison(city, county, city_term, county_term, deputy) -> None:
    """A city member with contacts in March (2) and May (1), a county member with one in March, one last year.
    The city's plan asks the city member for 4 contacts a year with ``deputy``, who took part in none: by
    15 June one is expected, so the member is behind (red); the county member is in no plan of the city."""
    city_member = CommitteeMember.objects.create(term=city_term, jurisdiction=city, person=PersonFactory(),
                                                 post=Post.MEMBER, start_date=datetime.date(2022, 1, 1))
    county_member = CommitteeMember.objects.create(term=county_term, jurisdiction=county, person=PersonFactory(),
                                                   post=Post.MEMBER, start_date=datetime.date(2022, 1, 1))
    for member, day, channel in ((city_member, datetime.date(YEAR, 3, 2), "visit"),
                                 (city_member, datetime.date(YEAR, 3, 20), "phone"),
                                 (city_member, datetime.date(YEAR, 5, 6), "visit"),
                                 (county_member, datetime.date(YEAR, 3, 9), "visit"),
                                 (county_member, datetime.date(YEAR - 1, 3, 9), "visit")):
        Contact.objects.create(member=member, date=day, channel=channel, summary="走访代表")
    plan, _new = LiaisonPlan.objects.get_or_create(jurisdiction=city, year=YEAR)
    LiaisonAssignment.objects.create(plan=plan, member=city_member, mandate=deputy, contacts_per_year=4)
    # the covenant: the city member was on leave for the one day of a committee meeting in April (flags: days
    # away, never spoke, no motion or suggestion; the county member only the last)
    meeting = CommitteeMeeting.objects.create(jurisdiction=city, term=city_term, title="常委会会议",
                                              number=CommitteeMeeting.objects.filter(term=city_term).count() + 1,
                                              start_date=datetime.date(YEAR, 4, 10), days=1)
    MeetingAttendance.objects.create(meeting=meeting, member=city_member, date=meeting.start_date,
                                     status=Attendance.LEAVE, leave_reason="出差")


def _stations(city, county, other_county) -> None:
    """Visits at a city station (2), a county station (1) and another county's (1); one of last year."""
    stations = [Station.objects.create(name=f"{place.name}代表工作站{Station.objects.count()}", jurisdiction=place,
                                       address="某街道1号", responsible_name="刘站长")
                for place in (city, county, other_county)]
    for station, day, category, status in (
            (stations[0], datetime.date(YEAR, 4, 8), "urban", "open"),
            (stations[0], datetime.date(YEAR, 4, 9), "urban", "closed"),
            (stations[1], datetime.date(YEAR, 6, 1), "health", "in_progress"),
            (stations[2], datetime.date(YEAR, 6, 2), "urban", "open"),
            (stations[0], datetime.date(YEAR - 1, 6, 2), "urban", "open")):
        closed = {"result": "已修复", "result_told_at": day} if status == "closed" else {}
        VoterVisit.objects.create(station=station, date=day, issue="小区道路破损", category=category, status=status,
                                  **closed)


def _scores(city, county, deputies) -> None:
    """Municipal scores 92 (excellent), 72 (basically competent), 55 (incompetent); county 80 (competent)."""
    def published(place, level):
        return (RuleSet.objects.filter(jurisdiction=place, level=level, year=YEAR,
                                       status=RuleSet.Status.PUBLISHED).first()
                or typical_rule_set(place, level=level, year=YEAR))

    city_set, county_set = published(city, Level.MUNICIPAL), published(county, Level.COUNTY)
    for rule_set, mandate, total, grade in ((city_set, deputies[0], "92", "excellent"),
                                            (city_set, deputies[1], "72", "basically_competent"),
                                            (city_set, deputies[2], "55", "incompetent"),
                                            (county_set, deputies[3], "80", "competent")):
        Score.objects.create(rule_set=rule_set, mandate=mandate, year=YEAR, raw_total=Decimal(total),
                             total=Decimal(total), grade=grade, computed_at=timezone.now())
