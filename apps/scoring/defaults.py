"""A typical 《履职管理办法》 rule set: what a new year's draft starts from and what the demo publishes.

(label, kind, source, activity type code or None, points per occurrence, cap or None)
"""

from decimal import Decimal

from django.db import transaction

from apps.activities.models import ActivityType
from apps.scoring.models import Grade, GradeBand, RuleItem, RuleSet, Source

ITEM, BONUS, DEDUCTION = RuleItem.Kind.ITEM, RuleItem.Kind.BONUS, RuleItem.Kind.DEDUCTION
BASE_POINTS = Decimal("40")
ITEMS = [
    ("出席人民代表大会会议", ITEM, Source.ACTIVITY_PRESENT, "session", "10", "10"),
    ("列席常委会会议", ITEM, Source.ACTIVITY_PRESENT, "standing_meeting", "3", "6"),
    ("参加视察", ITEM, Source.ACTIVITY_PRESENT, "inspection", "2", "6"),
    ("参加专题调研", ITEM, Source.ACTIVITY_PRESENT, "survey", "2", "6"),
    ("参加执法检查", ITEM, Source.ACTIVITY_PRESENT, "enforcement_check", "2", "6"),
    ("参加履职培训", ITEM, Source.TRAINING, None, "1", "5"),
    ("参加主题实践活动", ITEM, Source.ACTIVITY_PRESENT, "theme_practice", "2", "6"),
    ("参加代表小组活动", ITEM, Source.ACTIVITY_PRESENT, "group_activity", "1", "4"),
    ("进站接待选民", ITEM, Source.RECEPTION, None, "1", "4"),
    ("领衔提出建议", ITEM, Source.SUGGESTION_LEAD, None, "2", "8"),
    ("附议建议", ITEM, Source.SUGGESTION_COSIGN, None, "0.5", "2"),
    ("领衔提出议案", ITEM, Source.MOTION_LEAD, None, "4", "8"),
    ("附议议案", ITEM, Source.MOTION_COSIGN, None, "1", "3"),
    ("向选民述职", ITEM, Source.VOTER_REPORT, None, "5", "5"),
    ("重点建议", BONUS, Source.KEY_SUGGESTION, None, "2", "4"),
    ("意见建议被采纳", BONUS, Source.ADOPTED_OPINION, None, "1", "3"),
    ("受到表彰", BONUS, Source.COMMENDATION, None, "3", "6"),
    ("无故缺席人民代表大会会议", DEDUCTION, Source.ACTIVITY_ABSENT, "session", "10", None),
    ("请假缺席人民代表大会会议", DEDUCTION, Source.ACTIVITY_LEAVE, "session", "2", None),
]
BANDS = [(Grade.EXCELLENT, "85"), (Grade.COMPETENT, "70"), (Grade.BASICALLY_COMPETENT, "60"),
         (Grade.INCOMPETENT, "0")]


@transaction.atomic
def fill_default_rules(rule_set: RuleSet) -> RuleSet:
    """Give an empty rule set the default items and grade bands (activity types missing here are skipped)."""
    types = {t.code: t for t in ActivityType.objects.all()}
    items = []
    for position, (label, kind, source, type_code, points, cap) in enumerate(ITEMS, start=1):
        if type_code and type_code not in types:
            continue
        items.append(RuleItem(rule_set=rule_set, label=label, kind=kind, source=source,
                              activity_type=types.get(type_code) if type_code else None, points=Decimal(points),
                              cap=Decimal(cap) if cap else None, position=position * 10))
    RuleItem.objects.bulk_create(items)
    GradeBand.objects.bulk_create(GradeBand(rule_set=rule_set, grade=grade, min_total=Decimal(cutoff))
                                  for grade, cutoff in BANDS)
    return rule_set
