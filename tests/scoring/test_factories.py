"""The scoring factories build valid rows (other helpers' tests rely on them)."""

from apps.scoring.models import ACTIVITY_SOURCES, Grade, RuleSet, Source
from tests.scoring.factories import (
    CommendationFactory, DisputeFactory, GradeBandFactory, RuleItemFactory, RuleSetFactory, ScoreLineFactory,
    VoterReportFactory, item, typical_rule_set,
)


def test_typical_rule_set_has_an_item_for_every_source_and_four_bands(city):
    rule_set = typical_rule_set(city)
    assert rule_set.status == RuleSet.Status.PUBLISHED
    assert set(rule_set.items.values_list("source", flat=True)) == set(Source.values)
    assert set(rule_set.bands.values_list("grade", flat=True)) == set(Grade.values)
    for rule_item in rule_set.items.all():
        assert (rule_item.activity_type_id is not None) == (rule_item.source in ACTIVITY_SOURCES)
    assert item(rule_set, Source.ACTIVITY_PRESENT, "session").label == "出席人代会会议"
    assert typical_rule_set(city, status=RuleSet.Status.DRAFT).version == 2


def test_factories_build_rows(db):
    assert RuleItemFactory().activity_type.code == "inspection"
    assert RuleItemFactory(source=Source.TRAINING).activity_type is None
    assert GradeBandFactory().min_total == 90
    line = ScoreLineFactory(count=3)
    assert line.item.rule_set_id == line.score.rule_set_id
    assert line.points == line.item.points * 3
    dispute = DisputeFactory()
    assert dispute.item.rule_set_id == dispute.score.rule_set_id and dispute.mandate_id == dispute.score.mandate_id
    assert VoterReportFactory().evaluations == 50
    assert CommendationFactory().title
    assert RuleSetFactory().status == RuleSet.Status.DRAFT
