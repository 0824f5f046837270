"""A typical 《履职管理办法》 rule set: what a new year's draft starts from and what the demo publishes.

The items are the ``defaults`` of the score sources (``apps.scoring.sources``); the grade bands are here.
"""

from decimal import Decimal

from django.db import transaction

from apps.activities.models import ActivityType
from apps.scoring.models import Grade, GradeBand, RuleItem, RuleSet
from apps.scoring.sources import default_items

BASE_POINTS = Decimal("40")
BANDS = [(Grade.EXCELLENT, "85"), (Grade.COMPETENT, "70"), (Grade.BASICALLY_COMPETENT, "60"),
         (Grade.INCOMPETENT, "0")]


@transaction.atomic
def fill_default_rules(rule_set: RuleSet) -> RuleSet:
    """Give an empty rule set the default items and grade bands (activity types missing here are skipped)."""
    types = {t.code: t for t in ActivityType.objects.all()}
    items = []
    for source, default in default_items():
        type_code = default.activity_type
        if type_code and type_code not in types:
            continue
        items.append(RuleItem(rule_set=rule_set, label=default.label, kind=default.kind, source=source,
                              activity_type=types.get(type_code) if type_code else None,
                              points=Decimal(default.points), cap=Decimal(default.cap) if default.cap else None,
                              position=default.position))
    RuleItem.objects.bulk_create(items)
    GradeBand.objects.bulk_create(GradeBand(rule_set=rule_set, grade=grade, min_total=Decimal(cutoff))
                                  for grade, cutoff in BANDS)
    return rule_set
