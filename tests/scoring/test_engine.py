"""The set-based scoring engine against the per-mandate reference, on random data (hypothesis), and its rules.

Each example builds deputies (one holding a municipal and a county mandate, one whose mandate ended last year,
one in another county), random records of every kind the items count (some in other years, some in states or
attendances that must not count), and a random rule set; ``compute`` must store exactly what the reference scorer
(``tests/scoring/reference.py``) gives each mandate, line by line, and every stored breakdown must add up to its
total.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from apps.activities.models import Activity, ActivityType, Participation
from apps.deputies.models import Level
from apps.liaison.models import Invitation, Invitee, Opinion
from apps.proposals.models import Kind, Proposal, Signature
from apps.scoring import engine
from apps.scoring.models import Commendation, Grade, GradeBand, RuleItem, RuleSet, Score, ScoreLine, Source, VoterReport
from apps.stations.models import ReceptionDay, Station
from apps.training.models import TrainingAttendance, TrainingProgram, TrainingSession
from tests.factories import MandateFactory, PersonFactory
from tests.scoring.reference import naive_score

YEAR = 2025
pytestmark = pytest.mark.django_db

ATTENDANCES = ["present", "leave", "absent"]
STATES = [s.value for s in Proposal.State]


def _date(rng_day: int, other_year: bool) -> datetime.date:
    return datetime.date(YEAR - 1 if other_year else YEAR, 1, 1) + datetime.timedelta(days=rng_day % 365)


@pytest.fixture
def world(city, county, other_county, city_term, county_term, other_county_term):
    both = PersonFactory(name="两级代表")
    people = [PersonFactory(name=f"代表{i}") for i in range(3)]
    mandates = [
        MandateFactory(term=city_term, person=both),
        MandateFactory(term=county_term, person=both),
        MandateFactory(term=city_term, person=people[0]),
        MandateFactory(term=city_term, person=people[1], start_date=datetime.date(YEAR - 3, 1, 1),
                       end_date=datetime.date(YEAR - 1, 6, 30)),
        MandateFactory(term=other_county_term, person=people[2]),
    ]
    types = [ActivityType.objects.get(code="inspection"), ActivityType.objects.get(code="session")]
    station = Station.objects.create(name="南湖代表工作站", jurisdiction=county, address="南湖大路1号",
                                     responsible_name="赵六")
    program = TrainingProgram.objects.create(title="履职培训", form="central", topic="law", jurisdiction=city,
                                             level=Level.MUNICIPAL, start_date=datetime.date(YEAR, 3, 1))
    invitation = Invitation.objects.create(jurisdiction=city, kind="attend_meeting", title="列席常委会",
                                           date=datetime.date(YEAR, 5, 1))
    old_invitation = Invitation.objects.create(jurisdiction=city, kind="attend_meeting", title="列席常委会（上年）",
                                               date=datetime.date(YEAR - 1, 5, 1))
    return {"city": city, "county": county, "mandates": mandates, "types": types, "station": station,
            "program": program, "invitations": [invitation, old_invitation]}


record = st.tuples(st.integers(0, 4), st.integers(0, 364), st.booleans(), st.integers(0, 10), st.integers(0, 10))
item_spec = st.tuples(st.sampled_from([s.value for s in Source]), st.integers(0, 1),
                      st.sampled_from([k.value for k in RuleItem.Kind]),
                      st.decimals(min_value=Decimal("0.5"), max_value=Decimal("12"), places=1),
                      st.one_of(st.none(), st.decimals(min_value=Decimal("0"), max_value=Decimal("30"), places=1)))


def _build_records(world, records):
    mandates, types = world["mandates"], world["types"]
    for index, (who, day, other_year, a, b) in enumerate(records):
        mandate = mandates[who]
        when = _date(day, other_year)
        kind = (a + index) % 7
        if kind == 0:
            activity = Activity.objects.create(type=types[b % 2], title=f"活动{index}", jurisdiction=world["city"],
                                               level=mandate.level, start_date=when)
            Participation.objects.create(activity=activity, person=mandate.person, mandate=mandate,
                                         attendance=ATTENDANCES[b % 3], leave_reason="公务" if b % 3 == 1 else "")
        elif kind == 1:
            session = TrainingSession.objects.create(program=world["program"], title=f"第{index}讲", date=when,
                                                     hours=Decimal("2"))
            TrainingAttendance.objects.create(session=session, person=mandate.person, mandate=mandate,
                                              attendance=ATTENDANCES[b % 3])
        elif kind == 2:
            reception, _ = ReceptionDay.objects.get_or_create(station=world["station"], date=when)
            reception.deputies.add(mandate.person)
        elif kind == 3:
            proposal = Proposal.objects.create(
                kind=Kind.MOTION if b % 2 else Kind.SUGGESTION, state=STATES[(a + b) % len(STATES)],
                jurisdiction=mandate.jurisdiction, level=mandate.level, year=when.year, title=f"建议{index}",
                is_key=b % 3 == 0)
            Signature.objects.create(proposal=proposal, person=mandate.person, mandate=mandate,
                                     role="lead" if a % 2 else "cosigner",
                                     confirmed_at=timezone.now() if b % 4 else None)
        elif kind == 4:
            VoterReport.objects.create(mandate=mandate, date=when, place="社区会议室", attendance=40 + b,
                                       satisfied=30, basically_satisfied=b, unsatisfied=0)
        elif kind == 5:
            Commendation.objects.create(mandate=mandate, date=when, title="优秀人大代表", awarded_by="市人大常委会")
        else:
            invitee, _ = Invitee.objects.get_or_create(invitation=world["invitations"][int(other_year)],
                                                       person=mandate.person, defaults={"attended": True})
            outcome = ["adopted", "partly_adopted", "not_adopted", "pending"][b % 4]
            Opinion.objects.create(invitee=invitee, content=f"意见{index}", outcome=outcome,
                                   explanation="与上位法不符" if outcome == "not_adopted" else "")


def _rule_set(world, level, base, items, bands) -> RuleSet:
    rule_set = RuleSet.objects.create(jurisdiction=world["city"], level=level, year=YEAR, name="考核办法",
                                      base_points=base)
    for position, (source, type_index, kind, points, cap) in enumerate(items):
        activity_type = world["types"][type_index] if source.startswith("activity_") else None
        RuleItem.objects.create(rule_set=rule_set, label=f"项目{position}", kind=kind, source=source,
                                activity_type=activity_type, points=points, cap=cap, position=position)
    for grade, cutoff in zip([Grade.EXCELLENT, Grade.COMPETENT, Grade.BASICALLY_COMPETENT], bands):
        GradeBand.objects.create(rule_set=rule_set, grade=grade, min_total=cutoff)
    return rule_set


@settings(max_examples=30, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(records=st.lists(record, max_size=40), items=st.lists(item_spec, min_size=1, max_size=8),
       base=st.decimals(min_value=Decimal("0"), max_value=Decimal("100"), places=1),
       level=st.sampled_from([Level.MUNICIPAL, Level.COUNTY]),
       bands=st.lists(st.integers(0, 100), min_size=3, max_size=3, unique=True).map(sorted).map(reversed).map(list))
def test_set_based_scores_equal_the_per_mandate_reference(world, records, items, base, level, bands):
    with transaction.atomic():
        _build_records(world, records)
        rule_set = _rule_set(world, level, base, items, bands)
        count = engine.compute(rule_set)
        in_scope = list(engine.mandates_in_scope(rule_set))
        assert count == len(in_scope)
        stored = {score.mandate_id: score for score in Score.objects.filter(rule_set=rule_set)}
        assert set(stored) == {m.pk for m in in_scope}
        for mandate in in_scope:
            raw, total, grade, lines = naive_score(rule_set, mandate)
            score = stored[mandate.pk]
            assert (score.raw_total, score.total, score.grade) == (raw, total, grade)
            got = {(line.item_id, line.count, line.uncapped_points, line.points) for line in score.lines.all()}
            assert got == {(line.item_id, line.count, line.uncapped, line.points) for line in lines}
            assert rule_set.base_points + sum((line.points for line in score.lines.all()), Decimal(0)) == score.raw_total
        assert engine.what_if(rule_set) == {pk: score.total for pk, score in stored.items()}
        transaction.set_rollback(True)


def test_a_person_with_two_mandates_is_counted_once_per_score(world):
    both_city, both_county = world["mandates"][0], world["mandates"][1]
    activity = Activity.objects.create(type=world["types"][0], title="视察", jurisdiction=world["city"],
                                       level=Level.MUNICIPAL, start_date=datetime.date(YEAR, 4, 1))
    Participation.objects.create(activity=activity, person=both_city.person, mandate=both_city)
    reception = ReceptionDay.objects.create(station=world["station"], date=datetime.date(YEAR, 4, 2))
    reception.deputies.add(both_city.person)
    city_rules = _rule_set(world, Level.MUNICIPAL, Decimal(60),
                           [("activity_present", 0, "item", Decimal(5), None), ("reception", 0, "item", Decimal(2), None)],
                           [90, 75, 60])
    engine.compute(city_rules)
    lines = ScoreLine.objects.filter(score__mandate=both_city).order_by("item__position")
    assert [(line.count, line.points) for line in lines] == [(1, Decimal(5)), (1, Decimal(2))]
    county_rules = _rule_set(world, Level.COUNTY, Decimal(60),
                             [("activity_present", 0, "item", Decimal(5), None)], [90, 75, 60])
    engine.compute(county_rules)
    assert not ScoreLine.objects.filter(score__mandate=both_county).exists()  # recorded under the city mandate


def test_caps_deductions_clipping_and_grades(world):
    mandate = world["mandates"][2]
    for day in range(1, 6):
        activity = Activity.objects.create(type=world["types"][0], title=f"视察{day}", jurisdiction=world["city"],
                                           level=Level.MUNICIPAL, start_date=datetime.date(YEAR, 4, day))
        Participation.objects.create(activity=activity, person=mandate.person, mandate=mandate)
    session = Activity.objects.create(type=world["types"][1], title="人代会", jurisdiction=world["city"],
                                      level=Level.MUNICIPAL, start_date=datetime.date(YEAR, 1, 10))
    Participation.objects.create(activity=session, person=mandate.person, mandate=mandate, attendance="absent")
    rules = _rule_set(world, Level.MUNICIPAL, Decimal(80),
                      [("activity_present", 0, "item", Decimal(4), Decimal(12)),
                       ("activity_absent", 1, "deduction", Decimal(10), None)], [90, 75, 60])
    engine.compute(rules)
    score = Score.objects.get(rule_set=rules, mandate=mandate)
    lines = list(score.lines.order_by("item__position"))
    assert [(line.count, line.uncapped_points, line.points, line.capped) for line in lines] == [
        (5, Decimal(20), Decimal(12), True), (1, Decimal(-10), Decimal(-10), False)]
    assert (score.raw_total, score.total, score.grade) == (Decimal(82), Decimal(82), Grade.COMPETENT)
    RuleSet.objects.filter(pk=rules.pk).update(base_points=Decimal(99))
    rules.refresh_from_db()
    engine.compute(rules)
    score.refresh_from_db()
    assert (score.raw_total, score.total, score.grade) == (Decimal(101), Decimal(100), Grade.EXCELLENT)
    assert Score.objects.filter(rule_set=rules).count() == len(engine.mandates_in_scope(rules))


def test_recomputing_keeps_the_score_a_dispute_points_at_and_drops_mandates_out_of_scope(world, deputy_user):
    from apps.scoring.models import Dispute

    mandate, ended = world["mandates"][2], world["mandates"][0]
    rules = _rule_set(world, Level.MUNICIPAL, Decimal(60), [("commendation", 0, "bonus", Decimal(5), None)], [90, 75, 60])
    engine.compute(rules)
    score = Score.objects.get(rule_set=rules, mandate=mandate)
    dispute = Dispute.objects.create(score=score, mandate=mandate, year=YEAR, item_label="表彰", comment="漏计")
    gone = Score.objects.get(rule_set=rules, mandate=ended)
    Dispute.objects.create(score=gone, mandate=ended, year=YEAR, item_label="表彰", comment="漏计")
    ended.end_date = datetime.date(YEAR - 1, 12, 31)
    ended.start_date = datetime.date(YEAR - 2, 1, 1)
    ended.save()
    Commendation.objects.create(mandate=mandate, date=datetime.date(YEAR, 6, 1), title="优秀", awarded_by="市")
    engine.compute(rules)
    dispute.refresh_from_db()
    assert dispute.score_id == score.pk
    assert Score.objects.get(pk=score.pk).total == Decimal(65)
    assert not Score.objects.filter(rule_set=rules, mandate=ended).exists()


def test_computing_is_a_few_statements_whatever_the_number_of_deputies(world, city_term,
                                                                       django_assert_max_num_queries):
    for _ in range(30):
        MandateFactory(term=city_term)
    rules = _rule_set(world, Level.MUNICIPAL, Decimal(60), [("training", 0, "item", Decimal(1), None)], [90, 75, 60])
    with django_assert_max_num_queries(24):  # a constant number of statements (the engine writes only the difference)
        assert engine.compute(rules) == len(engine.mandates_in_scope(rules))


def test_the_planner_settings_of_the_computation_end_with_it(world):
    """The engine forces hash joins and more memory for its own statements only: the caller's transaction goes
    on with the settings it had."""
    from django.db import connection

    settings_now = "SELECT current_setting('enable_nestloop'), current_setting('enable_mergejoin'), " \
                   "current_setting('jit'), current_setting('work_mem')"
    rules = _rule_set(world, Level.MUNICIPAL, Decimal(60), [("training", 0, "item", Decimal(1), None)], [90, 75, 60])
    with connection.cursor() as cursor:
        cursor.execute(settings_now)
        before = cursor.fetchone()
        engine.compute(rules)
        cursor.execute(settings_now)
        assert cursor.fetchone() == before
    assert before[0] == before[1] == "on"


def test_the_published_set_is_the_jurisdictions_own_or_the_nearest_above(world):
    city_rules = _rule_set(world, Level.COUNTY, Decimal(60), [], [90, 75, 60])
    assert engine.published_rule_set(world["county"], Level.COUNTY, YEAR) is None
    RuleSet.objects.filter(pk=city_rules.pk).update(status=RuleSet.Status.PUBLISHED)
    assert engine.published_rule_set(world["county"], Level.COUNTY, YEAR) == city_rules
    own = RuleSet.objects.create(jurisdiction=world["county"], level=Level.COUNTY, year=YEAR, name="区考核",
                                 status=RuleSet.Status.PUBLISHED)
    assert engine.published_rule_set(world["county"], Level.COUNTY, YEAR) == own
    assert engine.published_rule_set(world["county"], Level.COUNTY, YEAR + 1) is None
