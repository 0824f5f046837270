"""The staff's score list (ranks within level and jurisdiction, quality beside the total, the nearest rule set's
score), its query count, the Excel summary, and a score's breakdown (its items sum to the total)."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.deputies.attendance import Attendance
from apps.deputies.models import Level
from apps.proposals.models import Proposal, Rating
from apps.scoring import engine, exports
from apps.scoring.models import Grade, Score, Source
from apps.scoring.selectors import scores as selectors
from tests.factories import MandateFactory, PersonFactory
from tests.proposals.factories import make_replied, rate_all
from tests.scoring.factories import YEAR, CommendationFactory, VoterReportFactory, item, typical_rule_set
from tests.scoring.rules_support import attend, make_activity, score_of

D = Decimal
# name → inspections attended (2 points each, cap 8)
CITY = {"甲": 5, "乙": 3, "丙": 3, "丁": 1, "戊": 0}


@pytest.fixture
def city_deputies(city, city_term):
    mandates = {name: MandateFactory(term=city_term, person=PersonFactory(name=f"市代表{name}")) for name in CITY}
    inspections = [make_activity(city, title=f"视察{n}") for n in range(max(CITY.values()))]
    for name, count in CITY.items():
        for activity in inspections[:count]:
            attend(activity, mandates[name])
    return mandates


@pytest.fixture
def city_rules(city, city_deputies):
    rule_set = typical_rule_set(city)
    engine.compute(rule_set)
    return rule_set


def _rows(client, **params):
    response = client.get(reverse("scoring:score_list"), {"year": YEAR, "level": Level.MUNICIPAL} | params)
    assert response.status_code == 200
    return response.context["rows"]


def test_ranks_are_within_level_and_jurisdiction_and_ties_share_a_rank(client_for, staff_user, city_rules,
                                                                     city_deputies):
    rows = _rows(client_for(staff_user))
    ranks = {row.mandate.person.name: row.rank for row in rows}
    assert ranks == {"市代表甲": 1, "市代表乙": 2, "市代表丙": 2, "市代表丁": 4, "市代表戊": 5}
    assert [row.total for row in rows] == [D("68"), D("66"), D("66"), D("62"), D("60")]


def test_filtering_by_name_or_grade_keeps_the_rank(client_for, staff_user, city_rules, city_deputies):
    client = client_for(staff_user)
    assert [(r.mandate.person.name, r.rank) for r in _rows(client, q="丁")] == [("市代表丁", 4)]
    assert {r.rank for r in _rows(client, grade=Grade.BASICALLY_COMPETENT)} == {1, 2, 4, 5}
    assert _rows(client, grade=Grade.EXCELLENT) == []


def test_the_window_ranks_of_the_export_equal_the_lists(staff_user, city, city_rules, county, county_term):
    county_rules = typical_rule_set(county, level=Level.COUNTY)
    for n in range(3):
        mandate = MandateFactory(term=county_term)
        for _ in range(n):
            attend(make_activity(county, level=Level.COUNTY), mandate)
    engine.compute(county_rules)
    base = Score.objects.all()
    listed = {s.pk: s.rank for s in selectors.score_rows(base, year=YEAR)}
    windowed = {s.pk: s.rank for s in selectors.ranked_scores(base, year=YEAR)}
    assert listed == windowed and len(listed) == len(CITY) + 3


def test_the_list_shows_the_nearest_published_rule_sets_score(client_for, staff_user, city, county, other_county,
                                                             county_term, other_county_term):
    """The city's county-level rules cover every county; a county with rules of its own uses those."""
    own = MandateFactory(term=county_term)
    other = MandateFactory(term=other_county_term)
    city_county_rules = typical_rule_set(city, level=Level.COUNTY)
    county_rules = typical_rule_set(county, level=Level.COUNTY, base_points="70")
    engine.compute(city_county_rules), engine.compute(county_rules)
    assert Score.objects.filter(mandate=own).count() == 2
    rows = {r.mandate_id: r for r in _rows(client_for(staff_user), level=Level.COUNTY)}
    assert set(rows) == {own.pk, other.pk}
    assert rows[own.pk].rule_set == county_rules and rows[own.pk].total == D("70")
    assert rows[other.pk].rule_set == city_county_rules and rows[other.pk].total == D("60")
    assert engine.published_rule_set(own.jurisdiction, Level.COUNTY, YEAR) == county_rules


def _suggestions(mandate):
    """Two suggestions led by ``mandate`` in the year: one replied A and rated satisfied, one replied C."""
    solved = rate_all(make_replied(mandate=mandate, reply_class="A"), Rating.Result.SATISFIED)
    pending = make_replied(mandate=mandate, reply_class="C", title="关于增设公交线路的建议")
    Proposal.objects.filter(pk__in=[solved.pk, pending.pk]).update(year=YEAR)


def test_quality_figures_beside_the_total(client_for, staff_user, city, city_rules, city_deputies):
    first = city_deputies["甲"]
    attend(make_activity(city, code="session"), first, Attendance.LEAVE)
    attend(make_activity(city, code="survey"), first, Attendance.ABSENT)
    _suggestions(first)
    rows = {r.mandate_id: r for r in _rows(client_for(staff_user))}
    quality = rows[first.pk].quality
    assert (quality.present, quality.expected) == (5, 7)
    assert quality.attendance_rate == pytest.approx(500 / 7)
    assert (quality.suggestions, quality.replied, quality.solved, quality.rated, quality.satisfied) == (2, 2, 1, 1, 1)
    assert quality.solved_rate == 50.0 and quality.satisfaction_rate == 100.0
    nothing = rows[city_deputies["戊"].pk].quality
    assert nothing.attendance_rate is None and nothing.solved_rate is None and nothing.satisfaction_rate is None


def test_the_list_takes_the_same_number_of_queries_for_5_or_40_deputies(client_for, staff_user, city, city_term,
                                                                       city_rules, django_assert_max_num_queries):
    client = client_for(staff_user)
    _rows(client)  # warm the session and the permission caches
    with django_assert_max_num_queries(14) as few:
        _rows(client)
    activity = make_activity(city, title="大型视察")
    for n in range(35):
        attend(activity, MandateFactory(term=city_term))
    engine.compute(city_rules)
    with django_assert_max_num_queries(len(few.captured_queries)):
        rows = _rows(client)
    assert len(rows) == 30  # a page


def test_the_excel_summary_has_scores_grades_item_counts_and_quality(city, city_rules, city_deputies):
    _suggestions(city_deputies["甲"])
    book = openpyxl.load_workbook(io.BytesIO(exports.summary_xlsx(city, YEAR)))
    assert len(book.sheetnames) == 1
    sheet = book[book.sheetnames[0]]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    labels = list(city_rules.items.order_by("position").values_list("label", flat=True))
    assert len(header) == 13 + len(labels)
    assert all(label in header[13 + n] for n, label in enumerate(labels))
    inspection = 13 + labels.index("视察")
    by_name = {row[1]: row for row in rows[1:]}
    assert set(by_name) == {f"市代表{name}" for name in CITY}
    first = by_name["市代表甲"]
    assert first[0] == 1 and first[4] == 68 and first[inspection] == 5
    assert first[5] == str(Grade.BASICALLY_COMPETENT.label)
    assert first[9] == 100.0  # attendance rate: 5 of 5
    assert (first[10], first[11], first[12]) == (2, 50.0, 100.0)
    assert by_name["市代表戊"][inspection] == 0 and by_name["市代表戊"][9] is None
    assert list(openpyxl.load_workbook(io.BytesIO(exports.summary_xlsx(city, YEAR, level=Level.COUNTY)))
                .active.iter_rows(values_only=True))[1:] == []


def test_the_export_is_audited_and_covers_the_users_scope(client_for, county_staff_user, city_rules, county,
                                                          county_term):
    mandate = MandateFactory(term=county_term, person=PersonFactory(name="区代表"))
    engine.compute(typical_rule_set(county, level=Level.COUNTY))
    response = client_for(county_staff_user).get(reverse("scoring:score_export"), {"year": YEAR, "level": ""})
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    names = [row[1] for sheet in book for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == [mandate.person.name]
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT, user=county_staff_user).count() == 1


def test_the_breakdowns_items_sum_to_the_total(client_for, staff_user, city, city_term):
    """Base points + every line's points = the total before clipping; clipped to 0–100; caps marked."""
    mandate = MandateFactory(term=city_term, person=PersonFactory(name="赵六"))
    for n in range(6):
        attend(make_activity(city, title=f"视察{n}"), mandate)  # 12 points, capped at 8
    attend(make_activity(city, code="session"), mandate)
    attend(make_activity(city, code="session", title="第二次会议"), mandate, Attendance.LEAVE)
    VoterReportFactory(mandate=mandate)
    CommendationFactory(mandate=mandate)
    for base in ("60", "95", "0"):
        rule_set = typical_rule_set(city, base_points=base)
        engine.compute(rule_set)
        score = score_of(rule_set, mandate)
        breakdown = selectors.score_breakdown(score)
        assert breakdown.raw_total == score.raw_total == D(base) + D(8) + D(5) - D(2) + D(3) + D(5)
        assert score.total == max(D(0), min(D(100), breakdown.raw_total))
        assert sum(line.count for line in breakdown.lines) == 6 + 1 + 1 + 1 + 1
        assert len(breakdown.lines) == rule_set.items.count()
        capped = {line.item.label for line in breakdown.lines if line.capped}
        assert capped == {"视察"}
        assert breakdown.band.grade == score.grade
        response = client_for(staff_user).get(reverse("scoring:score_detail", args=[score.pk]))
        assert response.status_code == 200
        assert response.context["breakdown"].raw_total == score.raw_total
    inspection = next(line for line in breakdown.lines if line.item.label == "视察")
    assert (inspection.count, inspection.uncapped_points, inspection.points) == (6, D(12), D(8))
    assert len(inspection.records) == 6
    assert all(record.url.startswith("/activities/") for record in inspection.records)
    html = response.content.decode()
    assert 'id="capped-' in html and inspection.records[0].url in html
    deduction = next(line for line in breakdown.lines if line.item.source == Source.ACTIVITY_LEAVE)
    assert deduction.points == D(-2)
    assert item(rule_set, Source.TRAINING).pk in {line.item.pk for line in breakdown.lines if line.count == 0}


def test_the_detail_page_of_a_score_takes_a_bounded_number_of_queries(client_for, staff_user, city_rules,
                                                                      city_deputies, django_assert_max_num_queries):
    score = score_of(city_rules, city_deputies["甲"])
    client = client_for(staff_user)
    client.get(reverse("scoring:score_detail", args=[score.pk]))
    with django_assert_max_num_queries(20):
        assert client.get(reverse("scoring:score_detail", args=[score.pk])).status_code == 200


def test_deputies_of_two_counties_under_one_rule_set_are_ranked_within_their_county(
        client_for, staff_user, city, county, other_county, county_term, other_county_term):
    rule_set = typical_rule_set(city, level=Level.COUNTY)
    for term, jurisdiction in ((county_term, county), (other_county_term, other_county)):
        for n in range(3):
            mandate = MandateFactory(term=term)
            for _ in range(n):
                attend(make_activity(jurisdiction, level=Level.COUNTY), mandate)
    engine.compute(rule_set)
    rows = _rows(client_for(staff_user), level=Level.COUNTY)
    by_county = {}
    for row in rows:
        by_county.setdefault(row.mandate.jurisdiction_id, []).append((row.rank, row.total))
    assert by_county == {county.pk: [(1, D(64)), (2, D(62)), (3, D(60))],
                         other_county.pk: [(1, D(64)), (2, D(62)), (3, D(60))]}
    only = _rows(client_for(staff_user), level=Level.COUNTY, jurisdiction=other_county.pk)
    assert [(r.mandate.jurisdiction_id, r.rank) for r in only] == [(other_county.pk, 1), (other_county.pk, 2),
                                                                   (other_county.pk, 3)]
