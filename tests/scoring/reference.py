"""The reference scorer: one mandate at a time, in Python, through the ORM (slow on purpose).

The engine (``apps.scoring.engine``) scores every mandate in a few set-based statements; the tests compare what
it stores with what this gives, mandate by mandate. Counts are the records ``engine.item_records`` lists, so the
record pages and the scores are held to the same rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from apps.deputies.models import Mandate
from apps.scoring.engine import item_records
from apps.scoring.models import RuleSet


@dataclass(frozen=True)
class NaiveLine:
    item_id: int
    count: int
    uncapped: Decimal
    points: Decimal


def naive_counts(rule_set: RuleSet, mandate: Mandate) -> dict[int, int]:
    """Item id → occurrences for one mandate, through the ORM."""
    return {item.pk: item_records(item, mandate).count() for item in rule_set.items.all()}


def naive_score(rule_set: RuleSet, mandate: Mandate) -> tuple[Decimal, Decimal, str, list[NaiveLine]]:
    """(raw_total, total, grade, lines) for one mandate, computed in Python from :func:`naive_counts`."""
    items = {item.pk: item for item in rule_set.items.all()}
    lines = []
    for item_id, count in naive_counts(rule_set, mandate).items():
        if not count:
            continue
        item = items[item_id]
        uncapped = count * item.points
        capped = uncapped if item.cap is None else min(uncapped, item.cap)
        lines.append(NaiveLine(item_id, count, item.sign * uncapped, item.sign * capped))
    raw = rule_set.base_points + sum((line.points for line in lines), Decimal(0))
    total = max(Decimal(0), min(Decimal(100), raw))
    grade = ""
    for band in sorted(rule_set.bands.all(), key=lambda b: b.min_total):
        if band.min_total <= total:
            grade = band.grade
    return raw, total, grade, lines
