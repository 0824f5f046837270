"""Factories for the scoring models, and a typical published rule set (one item per ``Source``, four bands).

Other scoring test modules (rules, record, reports) import from here.
"""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from apps.activities.models import ActivityType
from apps.deputies.models import Level
from apps.scoring.models import (
    ACTIVITY_SOURCES, Commendation, Dispute, Grade, GradeBand, RuleItem, RuleSet, Score, ScoreLine, Source,
    VoterReport,
)
from tests.factories import JurisdictionFactory, MandateFactory

YEAR = 2024


def activity_type(code: str = "inspection") -> ActivityType:
    """A default activity type (created by the activities migration)."""
    return ActivityType.objects.get(code=code)


class RuleSetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RuleSet

    jurisdiction = factory.SubFactory(JurisdictionFactory)
    level = Level.MUNICIPAL
    year = YEAR
    version = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda o: f"{o.year}年度代表履职考核办法 第{o.version}版")
    status = RuleSet.Status.DRAFT
    base_points = Decimal("60")


class RuleItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RuleItem

    rule_set = factory.SubFactory(RuleSetFactory)
    label = factory.Sequence(lambda n: f"考核项目{n}")
    kind = RuleItem.Kind.ITEM
    source = Source.ACTIVITY_PRESENT
    points = Decimal("2")
    cap = None
    position = factory.Sequence(lambda n: n)

    @factory.lazy_attribute
    def activity_type(self):
        return activity_type("inspection") if self.source in ACTIVITY_SOURCES else None


class GradeBandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GradeBand

    rule_set = factory.SubFactory(RuleSetFactory)
    grade = Grade.EXCELLENT
    min_total = Decimal("90")


DEFAULT_BANDS = {
    Grade.EXCELLENT: Decimal("90"),
    Grade.COMPETENT: Decimal("75"),
    Grade.BASICALLY_COMPETENT: Decimal("60"),
    Grade.INCOMPETENT: Decimal("0"),
}

# (label, kind, source, activity type code, points, cap): a typical 办法, one item per Source.
TYPICAL_ITEMS = [
    ("出席人代会会议", RuleItem.Kind.ITEM, Source.ACTIVITY_PRESENT, "session", "5", "10"),
    ("视察", RuleItem.Kind.ITEM, Source.ACTIVITY_PRESENT, "inspection", "2", "8"),
    ("参加培训", RuleItem.Kind.ITEM, Source.TRAINING, None, "2", "6"),
    ("代表工作站接待选民", RuleItem.Kind.ITEM, Source.RECEPTION, None, "1", "6"),
    ("领衔提出建议", RuleItem.Kind.ITEM, Source.SUGGESTION_LEAD, None, "2", "8"),
    ("附议建议", RuleItem.Kind.ITEM, Source.SUGGESTION_COSIGN, None, "0.5", "3"),
    ("领衔提出议案", RuleItem.Kind.ITEM, Source.MOTION_LEAD, None, "3", "6"),
    ("附议议案", RuleItem.Kind.ITEM, Source.MOTION_COSIGN, None, "1", "3"),
    ("向选民述职", RuleItem.Kind.ITEM, Source.VOTER_REPORT, None, "3", "3"),
    ("重点建议", RuleItem.Kind.BONUS, Source.KEY_SUGGESTION, None, "3", "6"),
    ("意见被采纳", RuleItem.Kind.BONUS, Source.ADOPTED_OPINION, None, "1", "5"),
    ("受到表彰", RuleItem.Kind.BONUS, Source.COMMENDATION, None, "5", "5"),
    ("请假缺席人代会", RuleItem.Kind.DEDUCTION, Source.ACTIVITY_LEAVE, "session", "2", None),
    ("无故缺席人代会", RuleItem.Kind.DEDUCTION, Source.ACTIVITY_ABSENT, "session", "10", None),
]


def add_bands(rule_set: RuleSet, bands: dict | None = None) -> list[GradeBand]:
    return [GradeBand.objects.create(rule_set=rule_set, grade=grade, min_total=Decimal(str(cut)))
            for grade, cut in (bands or DEFAULT_BANDS).items()]


def typical_rule_set(jurisdiction, *, level: str = Level.MUNICIPAL, year: int = YEAR,
                     status: str = RuleSet.Status.PUBLISHED, version: int | None = None, base_points="60",
                     bands: dict | None = None, **fields) -> RuleSet:
    """A rule set with one item for every ``Source`` (activity items on default types) and four grade bands.

    A published one supersedes the published set of the same jurisdiction, level and year (as publishing does).
    """
    if status == RuleSet.Status.PUBLISHED:
        RuleSet.objects.filter(jurisdiction=jurisdiction, level=level, year=year,
                               status=RuleSet.Status.PUBLISHED).update(status=RuleSet.Status.SUPERSEDED)
    if version is None:
        version = (RuleSet.objects.filter(jurisdiction=jurisdiction, level=level, year=year)
                   .order_by("-version").values_list("version", flat=True).first() or 0) + 1
    extra = {}
    if status != RuleSet.Status.DRAFT:
        extra["published_at"] = timezone.now()
    rule_set = RuleSetFactory(jurisdiction=jurisdiction, level=level, year=year, status=status, version=version,
                              base_points=Decimal(str(base_points)), **extra, **fields)
    for position, (label, kind, source, code, points, cap) in enumerate(TYPICAL_ITEMS, start=1):
        RuleItem.objects.create(rule_set=rule_set, label=label, kind=kind, source=source,
                                activity_type=activity_type(code) if code else None, points=Decimal(points),
                                cap=Decimal(cap) if cap is not None else None, position=position * 10)
    add_bands(rule_set, bands)
    return rule_set


def item(rule_set: RuleSet, source: str, code: str | None = None) -> RuleItem:
    """The rule set's (first) item counting ``source`` (and activity type ``code``)."""
    items = rule_set.items.filter(source=source)
    if code:
        items = items.filter(activity_type__code=code)
    return items.order_by("position", "pk").first()


class ScoreFactory(factory.django.DjangoModelFactory):
    """A stored score without lines (tests that need real lines call ``engine.compute``)."""

    class Meta:
        model = Score

    rule_set = factory.SubFactory(RuleSetFactory, status=RuleSet.Status.PUBLISHED)
    mandate = factory.SubFactory(MandateFactory)
    year = factory.SelfAttribute("rule_set.year")
    raw_total = Decimal("60")
    total = factory.LazyAttribute(lambda o: min(max(o.raw_total, Decimal("0")), Decimal("100")))
    grade = Grade.BASICALLY_COMPETENT
    computed_at = factory.LazyFunction(timezone.now)


class ScoreLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScoreLine

    score = factory.SubFactory(ScoreFactory)
    item = factory.SubFactory(RuleItemFactory, rule_set=factory.SelfAttribute("..score.rule_set"))
    count = 1
    uncapped_points = factory.LazyAttribute(lambda o: o.item.points * o.count * o.item.sign)
    points = factory.SelfAttribute("uncapped_points")


class DisputeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dispute

    score = factory.SubFactory(ScoreFactory)
    mandate = factory.SelfAttribute("score.mandate")
    year = factory.SelfAttribute("score.year")
    item = factory.SubFactory(RuleItemFactory, rule_set=factory.SelfAttribute("..score.rule_set"))
    item_label = factory.SelfAttribute("item.label")
    comment = "漏记了一次视察活动。"
    status = Dispute.Status.OPEN


class VoterReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VoterReport

    mandate = factory.SubFactory(MandateFactory)
    date = datetime.date(YEAR, 6, 15)
    place = "南关区代表联络站"
    attendance = 50
    satisfied = 40
    basically_satisfied = 8
    unsatisfied = 2
    text = "本人一年来履职情况汇报。"


class CommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commendation

    mandate = factory.SubFactory(MandateFactory)
    date = datetime.date(YEAR, 12, 20)
    title = "优秀人大代表"
    awarded_by = "市人大常委会"
