"""What-if: a draft's scores beside the published ones differ exactly where the draft's rules differ (one item's
points changed: only the deputies counted by that item change, by count × the change, within the item's cap
and the 0–100 clipping)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from apps.deputies.attendance import Attendance
from apps.deputies.models import Level
from apps.scoring.models import Source
from apps.scoring.selectors import rules as selectors
from apps.scoring.services import rules as services
from tests.factories import MandateFactory, PersonFactory
from tests.scoring.factories import VoterReportFactory, item, typical_rule_set
from tests.scoring.rules_support import attend, make_activity

D = Decimal
INSPECTIONS = [0, 1, 2, 3, 4, 5, 7]  # 视察: 2 points each, cap 8


def _clip(value: Decimal) -> Decimal:
    return max(D(0), min(D(100), value))


# The other points each deputy has under the typical rules: a report to voters (+3), a session missed without
# leave (−10), a session attended (+5).
EXTRAS = {2: D(3), 3: D(-10), 4: D(5)}


@pytest.fixture
def deputies(city, city_term):
    """Municipal deputy → (inspections, other points): 0 … 7 inspections, some with other items."""
    mandates = [MandateFactory(term=city_term, person=PersonFactory(name=f"代表{n}")) for n in range(len(INSPECTIONS))]
    inspections = [make_activity(city, title=f"视察{n}") for n in range(max(INSPECTIONS))]
    session = make_activity(city, code="session", title="市人代会")
    for mandate, count in zip(mandates, INSPECTIONS):
        for activity in inspections[:count]:
            attend(activity, mandate)
    VoterReportFactory(mandate=mandates[2])
    attend(session, mandates[3], Attendance.ABSENT)
    attend(session, mandates[4])
    return {m.pk: (count, EXTRAS.get(n, D(0))) for n, (m, count) in enumerate(zip(mandates, INSPECTIONS))}


def _expected(base: Decimal, points: Decimal, cap: Decimal, count: int, extra: Decimal) -> Decimal:
    return _clip(base + min(count * points, cap) + extra)


@pytest.mark.parametrize("base_points, new_points", [("60", "3"), ("60", "1"), ("95", "3"), ("60", "2"), ("5", "1")])
def test_the_what_if_differs_from_the_published_scores_exactly_where_the_draft_does(
        staff_user, city, deputies, base_points, new_points):
    published = typical_rule_set(city, base_points=base_points)
    draft = services.rule_set_copy(user=staff_user, source=published, name="草案")
    inspection = item(draft, Source.ACTIVITY_PRESENT, "inspection")
    old_points, cap, base = inspection.points, inspection.cap, D(base_points)
    services.rule_item_update(user=staff_user, item=inspection, label=inspection.label, kind=inspection.kind,
                              source=inspection.source, activity_type=inspection.activity_type,
                              points=D(new_points), cap=cap, position=inspection.position)

    result = selectors.what_if(draft)
    assert result.baseline == published
    published_totals = {pk: total for pk, (total, _grade) in result.baseline_results.items()}
    draft_totals = {pk: total for pk, (total, _grade) in result.draft_results.items()}
    assert published_totals == {pk: _expected(base, old_points, cap, n, extra) for pk, (n, extra) in deputies.items()}
    assert draft_totals == {pk: _expected(base, D(new_points), cap, n, extra) for pk, (n, extra) in deputies.items()}
    # Changed: only deputies the item counted (count > 0), and only where neither the cap nor the clipping
    # absorbs the change.
    changed = set(result.changed_ids)
    assert changed == {pk for pk in deputies if published_totals[pk] != draft_totals[pk]}
    assert all(deputies[pk][0] > 0 for pk in changed)
    for pk in changed:
        count = deputies[pk][0]
        assert draft_totals[pk] - published_totals[pk] == (
            _clip(base + min(count * D(new_points), cap) + deputies[pk][1])
            - _clip(base + min(count * old_points, cap) + deputies[pk][1]))
    if new_points == "2":
        assert changed == set()
    if (base_points, new_points) == ("60", "3"):
        # 1 → +1, 2 → +2, 3 → from 6 to 8 (the cap) +2; 4 and more: capped either way.
        assert sorted(draft_totals[pk] - published_totals[pk] for pk in deputies) == [0, 0, 0, 0, 1, 2, 2]
    if base_points == "95":
        assert any(total == 100 for total in draft_totals.values())


def test_a_changed_grade_band_changes_only_grades(staff_user, city, deputies):
    published = typical_rule_set(city)
    draft = services.rule_set_copy(user=staff_user, source=published, name="草案")
    cutoffs = {band.grade: band.min_total for band in draft.bands.all()}
    cutoffs["basically_competent"] = D("64")
    services.grade_bands_save(user=staff_user, rule_set=draft, cutoffs=cutoffs)
    result = selectors.what_if(draft)
    for pk in deputies:
        assert result.draft_results[pk][0] == result.baseline_results[pk][0]
    changed = set(result.changed_ids)
    assert changed == {pk for pk in deputies if D(60) <= result.baseline_results[pk][0] < D(64)}
    assert changed


def test_without_a_published_set_the_draft_is_shown_alone(staff_user, county, county_term):
    MandateFactory(term=county_term)
    draft = typical_rule_set(county, level=Level.COUNTY, status="draft")
    result = selectors.what_if(draft)
    assert result.baseline is None and result.baseline_results == {}
    assert len(result.draft_results) == 1


def test_the_what_if_page_lists_every_deputy_and_filters_the_changed_ones(client_for, staff_user, city, deputies,
                                                                          django_assert_max_num_queries):
    published = typical_rule_set(city)
    draft = services.rule_set_copy(user=staff_user, source=published, name="草案")
    inspection = item(draft, Source.ACTIVITY_PRESENT, "inspection")
    services.rule_item_update(user=staff_user, item=inspection, label=inspection.label, kind=inspection.kind,
                              source=inspection.source, activity_type=inspection.activity_type, points=D("3"),
                              cap=inspection.cap, position=inspection.position)
    client = client_for(staff_user)
    url = reverse("scoring:rule_set_whatif", args=[draft.pk])
    with django_assert_max_num_queries(14):
        response = client.get(url)
    assert response.status_code == 200
    rows = response.context["rows"]
    assert {row.mandate.pk for row in rows} == set(deputies)
    assert response.context["changed"] == 3
    changed = client.get(url, {"changed": "on"}).context["rows"]
    assert {row.mandate.pk for row in changed} == {pk for pk, (n, _extra) in deputies.items() if n in (1, 2, 3)}
    assert all(row.difference > 0 for row in changed)
    by_name = client.get(url, {"q": "代表3"}).context["rows"]
    assert [row.mandate.person.name for row in by_name] == ["代表3"]
