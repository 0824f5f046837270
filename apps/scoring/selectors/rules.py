"""Reads of rule sets: the list, one set with its items and bands, and the what-if comparison of a draft.

*What-if*: every mandate in the draft's scope with its total and grade under the published rules and under the
draft, both computed now from the same records (``engine.what_if_grades``, one statement each), so that the
two differ exactly where the rules do. The published rules are those of the draft's jurisdiction, level and
year, else the nearest published set above (``engine.published_rule_set``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet

from apps.core.models import Jurisdiction
from apps.deputies.models import Mandate
from apps.scoring import engine
from apps.scoring.models import Grade, RuleSet


def jurisdictions_for(user) -> QuerySet[Jurisdiction]:
    """The user's jurisdiction and those below it."""
    if getattr(user, "jurisdiction_id", None) is None:
        return Jurisdiction.objects.none()
    return Jurisdiction.objects.filter(path__startswith=user.jurisdiction.path).order_by("path")


def rule_set_rows(base: QuerySet[RuleSet], *, year: int | None = None, level: str = "",
                  jurisdiction: Jurisdiction | None = None, status: str = "") -> QuerySet[RuleSet]:
    """Rule sets of the user's scope, newest year first, each with its items and scores counted."""
    qs = base
    if year:
        qs = qs.filter(year=year)
    if level:
        qs = qs.filter(level=level)
    if jurisdiction is not None:
        qs = qs.filter(jurisdiction__path__startswith=jurisdiction.path)
    if status:
        qs = qs.filter(status=status)
    return (qs.select_related("jurisdiction", "published_by")
            .annotate(item_count=Count("items", distinct=True), score_count=Count("scores", distinct=True))
            .order_by("-year", "jurisdiction__path", "level", "-version"))


def rule_set_years(base: QuerySet[RuleSet]) -> list[int]:
    return sorted(set(base.values_list("year", flat=True)), reverse=True)


def rule_set_detail(rule_set: RuleSet) -> dict:
    """The set's items (with their activity types) and bands, the other versions of its jurisdiction, level and
    year, and the largest points each item can give."""
    items = list(rule_set.items.select_related("activity_type").order_by("position", "pk"))
    bands = list(rule_set.bands.order_by("-min_total"))
    versions = list(RuleSet.objects.filter(jurisdiction_id=rule_set.jurisdiction_id, level=rule_set.level,
                                           year=rule_set.year).exclude(pk=rule_set.pk).order_by("-version"))
    most = rule_set.base_points + sum((item.cap for item in items if item.kind != item.Kind.DEDUCTION
                                       and item.cap is not None), Decimal("0"))
    uncapped = any(item.cap is None and item.kind != item.Kind.DEDUCTION for item in items)
    return {"items": items, "bands": bands, "versions": versions, "most_points": most,
            "has_uncapped": uncapped}


# --- what-if -------------------------------------------------------------------------------------------------------

@dataclass
class WhatIfRow:
    mandate: Mandate
    published_total: Decimal | None
    published_grade: str
    draft_total: Decimal | None
    draft_grade: str

    @property
    def difference(self) -> Decimal | None:
        if self.published_total is None or self.draft_total is None:
            return None
        return self.draft_total - self.published_total

    @property
    def changed(self) -> bool:
        return (self.published_total, self.published_grade) != (self.draft_total, self.draft_grade)

    @property
    def published_grade_label(self) -> str:
        return Grade(self.published_grade).label if self.published_grade else ""

    @property
    def draft_grade_label(self) -> str:
        return Grade(self.draft_grade).label if self.draft_grade else ""


@dataclass
class WhatIf:
    draft: RuleSet
    baseline: RuleSet | None
    draft_results: dict[int, tuple[Decimal, str]]
    baseline_results: dict[int, tuple[Decimal, str]]

    def row(self, mandate: Mandate) -> WhatIfRow:
        published = self.baseline_results.get(mandate.pk, (None, ""))
        draft = self.draft_results.get(mandate.pk, (None, ""))
        return WhatIfRow(mandate=mandate, published_total=published[0], published_grade=published[1],
                         draft_total=draft[0], draft_grade=draft[1])

    @property
    def changed_ids(self) -> list[int]:
        return [pk for pk, result in self.draft_results.items() if self.baseline_results.get(pk) != result]

    def grade_counts(self) -> list[tuple[str, int, int]]:
        """(grade label, deputies under the published rules, under the draft) for each grade."""
        ids = set(self.draft_results)
        published = Counter(self.baseline_results[pk][1] for pk in ids if pk in self.baseline_results)
        draft = Counter(grade for _total, grade in self.draft_results.values())
        return [(grade.label, published.get(grade.value, 0), draft.get(grade.value, 0)) for grade in Grade]


def what_if(draft: RuleSet) -> WhatIf:
    """The draft's and the published rules' results for the mandates of the draft's scope (two statements)."""
    baseline = (RuleSet.objects.filter(jurisdiction_id=draft.jurisdiction_id, level=draft.level, year=draft.year,
                                       status=RuleSet.Status.PUBLISHED).select_related("jurisdiction").first()
                or engine.published_rule_set(draft.jurisdiction, draft.level, draft.year))
    draft_results = engine.what_if_grades(draft)
    baseline_results = engine.what_if_grades(baseline) if baseline is not None else {}
    return WhatIf(draft=draft, baseline=baseline, draft_results=draft_results, baseline_results=baseline_results)


def what_if_mandates(result: WhatIf, *, only_changed: bool = False, q: str = "") -> QuerySet[Mandate]:
    qs = (engine.mandates_in_scope(result.draft).select_related("person", "jurisdiction")
          .order_by("jurisdiction__path", "person__name_pinyin", "pk"))
    if only_changed:
        qs = qs.filter(pk__in=result.changed_ids)
    if q:
        qs = qs.filter(Q(person__name__contains=q) | Q(person__name_pinyin__startswith=q.lower()))
    return qs
