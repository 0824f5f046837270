"""Reads of stored scores: the staff list with ranks and quality figures, a score's breakdown, the disputes,
and whether a recomputation is waiting.

*Effective* scores: a mandate may be scored by more than one published set of its level (its county's own and
the city's for the counties below it); the one that applies is the nearest set (the deepest jurisdiction), as
``engine.published_rule_set`` chooses. Lists show effective scores only.

*Rank*: within a level and the mandate's jurisdiction (the deputies of one congress), among effective scores
of the year: 1 + the number with a higher total (ties share a rank). Filters by name or grade do not change it.

*Quality* (shown beside every total, never a bare league table), per mandate and year:

- attendance rate: activities present / (present + on leave + absent), activities starting in the year;
- of the suggestions the deputy led (the year's, not drafts): the A-class rate (latest reply of a class that
  counts as solved / replied) and the satisfaction rate (no 不满意 in the latest rated round / rated), with the
  definitions of the supervisors' board (``apps.proposals.selectors.board``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.db.models import (
    Case, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value, When, Window,
)
from django.db.models.functions import Coalesce, Length, Rank
from django.utils import timezone

from apps.activities.models import Participation
from apps.core.models import OutboxMessage
from apps.deputies.attendance import Attendance
from apps.proposals.models import Kind, Proposal, Signature
from apps.proposals.selectors import board
from apps.scoring import engine, sources
from apps.scoring.models import Dispute, GradeBand, RuleItem, RuleSet, Score, ScoreLine, StaleMandate

RECOMPUTE_TASK = "apps.scoring.tasks.recompute_rule_set"
# A job handed to the broker that has not run after this long is taken as lost: a new request queues another.
RECOMPUTE_STALE_AFTER = timedelta(minutes=15)
RECORDS_SHOWN = 50


# --- recomputation requests ---------------------------------------------------------------------------------------

def _waiting(message: OutboxMessage | None, rule_set: RuleSet, now: datetime.datetime) -> OutboxMessage | None:
    if message is None:
        return None
    if rule_set.computed_at is not None and rule_set.computed_at >= message.created_at:
        return None  # computed since it was asked for
    if message.dispatched_at is not None and message.dispatched_at < now - RECOMPUTE_STALE_AFTER:
        return None
    return message


def _requests(rule_set_ids) -> QuerySet[OutboxMessage]:
    return (OutboxMessage.objects.filter(task=RECOMPUTE_TASK, kwargs__rule_set_id__in=list(rule_set_ids))
            .order_by("-created_at", "-pk"))


def pending_recompute(rule_set: RuleSet) -> OutboxMessage | None:
    """The recomputation asked for and not yet run (None if there is none)."""
    return _waiting(_requests([rule_set.pk]).first(), rule_set, timezone.now())


def pending_recomputes(rule_sets) -> dict[int, OutboxMessage]:
    """``pending_recompute`` for several sets in one query."""
    rule_sets = list(rule_sets)
    latest: dict[int, OutboxMessage] = {}
    for message in _requests(rs.pk for rs in rule_sets):
        latest.setdefault(message.kwargs.get("rule_set_id"), message)
    now = timezone.now()
    waiting = {rs.pk: _waiting(latest.get(rs.pk), rs, now) for rs in rule_sets}
    return {pk: message for pk, message in waiting.items() if message is not None}


# --- effective scores and ranks -------------------------------------------------------------------------------------

def effective_scores(qs: QuerySet[Score]) -> QuerySet[Score]:
    """``qs`` narrowed to scores of published sets that are the nearest published set of their mandate."""
    deeper = (Score.objects.filter(mandate_id=OuterRef("mandate_id"), year=OuterRef("year"),
                                   rule_set__status=RuleSet.Status.PUBLISHED,
                                   rule_set__level=OuterRef("rule_set__level"))
              .annotate(set_depth=Length("rule_set__jurisdiction__path"))
              .filter(set_depth__gt=OuterRef("set_depth")))
    return (qs.filter(rule_set__status=RuleSet.Status.PUBLISHED)
            .annotate(set_depth=Length("rule_set__jurisdiction__path"))
            .filter(~Exists(deeper)))


def _rank_subquery() -> Coalesce:
    higher = (effective_scores(Score.objects.filter(
        year=OuterRef("year"), rule_set__level=OuterRef("rule_set__level"),
        mandate__jurisdiction_id=OuterRef("mandate__jurisdiction_id"), total__gt=OuterRef("total")))
        .order_by().values("year").annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(higher, output_field=IntegerField()), 0) + 1


def _line_figures(qs: QuerySet[Score]) -> QuerySet[Score]:
    lines = ScoreLine.objects.filter(score_id=OuterRef("pk")).order_by().values("score_id")
    return qs.annotate(
        items_scored=Coalesce(Subquery(lines.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0),
        occurrences=Coalesce(Subquery(lines.annotate(n=Sum("count")).values("n"), output_field=IntegerField()), 0))


def stale_condition() -> Q:
    """A stale score: its mandate is marked for recomputing (``StaleMandate``) and the refresh job has not yet
    taken it (``apps.scoring.services.freshness``)."""
    return Q(Exists(StaleMandate.objects.filter(mandate_id=OuterRef("mandate_id"))))


def stale_scores(base: QuerySet[Score], *, year: int) -> QuerySet[Score]:
    """The effective scores of ``base`` for a year that are stale: the rows of the list's "stale" filter."""
    return effective_scores(base.filter(year=year)).filter(stale_condition())


def score_rows(base: QuerySet[Score], *, year: int, level: str | None = None, jurisdiction=None,
               grade: str = "", q: str = "", stale: bool = False) -> QuerySet[Score]:
    """The effective scores of ``base`` (the user's scope) for a year (and level), each with ``rank`` within
    its level and jurisdiction and its lines' figures, ready for the list (one query per page); ``stale`` keeps
    the scores waiting to be recomputed."""
    qs = stale_scores(base, year=year) if stale else effective_scores(base.filter(year=year))
    if level:
        qs = qs.filter(rule_set__level=level)
    if jurisdiction is not None:
        qs = qs.filter(mandate__jurisdiction__path__startswith=jurisdiction.path)
    qs = _line_figures(qs.annotate(rank=_rank_subquery()))
    if grade:
        qs = qs.filter(grade=grade)
    if q:
        qs = qs.filter(Q(mandate__person__name__contains=q) | Q(mandate__person__name_pinyin__startswith=q.lower()))
    return (qs.select_related("rule_set", "rule_set__jurisdiction", "mandate", "mandate__person",
                              "mandate__jurisdiction")
            .order_by("mandate__jurisdiction__path", "rule_set__level", "-total", "mandate__person__name_pinyin",
                      "pk"))


def ranked_scores(base: QuerySet[Score], *, year: int, level: str | None = None) -> QuerySet[Score]:
    """Every effective score of ``base`` for a year (and level) with its ``rank`` by a window function: for
    exports of whole jurisdictions (the same ranks as ``score_rows``, cheaper for thousands of rows; ``base``
    must hold whole jurisdictions, as a scope does)."""
    qs = effective_scores(base.filter(year=year))
    if level:
        qs = qs.filter(rule_set__level=level)
    qs = qs.annotate(rank=Window(Rank(), partition_by=["rule_set__level", "mandate__jurisdiction_id"],
                                 order_by="-total"))
    return (_line_figures(qs).select_related("rule_set", "rule_set__jurisdiction", "mandate", "mandate__person",
                                             "mandate__jurisdiction")
            .order_by("mandate__jurisdiction__path", "rule_set__level", "-total", "mandate__person__name_pinyin",
                      "pk"))


# --- quality figures ------------------------------------------------------------------------------------------------

def percent(numerator: int, denominator: int) -> float | None:
    return board.percent(numerator, denominator)


@dataclass(frozen=True)
class Quality:
    """A mandate's quality figures for a year (rates in per cent; None when there is nothing to divide by)."""

    present: int = 0
    expected: int = 0  # present + on leave + absent
    suggestions: int = 0  # led, not drafts
    replied: int = 0
    solved: int = 0
    rated: int = 0
    satisfied: int = 0

    @property
    def attendance_rate(self) -> float | None:
        return percent(self.present, self.expected)

    @property
    def solved_rate(self) -> float | None:
        return percent(self.solved, self.replied)

    @property
    def satisfaction_rate(self) -> float | None:
        return percent(self.satisfied, self.rated)


NO_QUALITY = Quality()


def quality_for(mandate_ids, year: int, *, today: datetime.date | None = None) -> dict[int, Quality]:
    """Quality figures of the mandates for ``year``: two aggregate queries whatever their number."""
    ids = list(mandate_ids)
    if not ids:
        return {}
    today = today or timezone.localdate()
    first, last = engine.year_bounds(year)
    attendance = {
        row["mandate_id"]: row for row in Participation.objects.filter(
            mandate_id__in=ids, activity__start_date__range=(first, last)).order_by().values("mandate_id").annotate(
            present=Count("pk", filter=Q(attendance=Attendance.PRESENT)),
            expected=Count("pk", filter=Q(attendance__in=Attendance.values)))}
    suggestions = {
        row["signatures__mandate_id"]: row for row in Proposal.objects.filter(
            kind=Kind.SUGGESTION, year=year, signatures__role=Signature.Role.LEAD,
            signatures__mandate_id__in=ids).exclude(state=Proposal.State.DRAFT).order_by()
        .values("signatures__mandate_id").annotate(
            suggestions=Count("pk", distinct=True),
            replied=Count("pk", filter=board.replied(today), distinct=True),
            solved=Count("pk", filter=board.solved(today), distinct=True),
            rated=Count("pk", filter=board.rated(today), distinct=True),
            satisfied=Count("pk", filter=board.satisfied(today), distinct=True))}
    result = {}
    for mandate_id in ids:
        a, s = attendance.get(mandate_id, {}), suggestions.get(mandate_id, {})
        result[mandate_id] = Quality(present=a.get("present", 0), expected=a.get("expected", 0),
                                     suggestions=s.get("suggestions", 0), replied=s.get("replied", 0),
                                     solved=s.get("solved", 0), rated=s.get("rated", 0),
                                     satisfied=s.get("satisfied", 0))
    return result


def with_quality(scores, year: int) -> list[Score]:
    """The scores (a page's) as a list, each with ``quality`` set (two queries in all)."""
    rows = list(scores)
    figures = quality_for({s.mandate_id for s in rows}, year)
    for row in rows:
        row.quality = figures.get(row.mandate_id, NO_QUALITY)
    return rows


# --- a score's breakdown --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Record:
    """A record an item counted: when, what, and where it is shown (empty when it has no page)."""

    date: datetime.date | None
    text: str
    url: str


def record_label(obj) -> tuple[datetime.date | None, str]:
    """(date, text) of a record counted by a score line, for lists of them (its kind in ``apps.scoring.sources``)."""
    kind = sources.kind_of(obj)
    return kind.label(obj) if kind else (None, str(obj))


@dataclass
class BreakdownLine:
    item: RuleItem
    count: int = 0
    uncapped_points: Decimal = Decimal("0")
    points: Decimal = Decimal("0")
    records: list[Record] = field(default_factory=list)
    more_records: int = 0

    @property
    def capped(self) -> bool:
        return self.points != self.uncapped_points


@dataclass
class Breakdown:
    score: Score
    rule_set: RuleSet
    lines: list[BreakdownLine]
    band: GradeBand | None
    bands: list[GradeBand]

    @property
    def base_points(self) -> Decimal:
        return self.rule_set.base_points

    @property
    def items_total(self) -> Decimal:
        return sum((line.points for line in self.lines), Decimal("0"))

    @property
    def raw_total(self) -> Decimal:
        return self.base_points + self.items_total

    @property
    def clipped(self) -> bool:
        return self.score.total != self.score.raw_total


def score_breakdown(score: Score, *, with_records: bool = True) -> Breakdown:
    """Every item of the score's rules with what it gave (zero when nothing was counted), the records behind
    each counted item (the first ``RECORDS_SHOWN``, with links), and the grade's band."""
    rule_set = score.rule_set
    items = list(rule_set.items.select_related("activity_type").order_by("position", "pk"))
    for item in items:
        item.rule_set = rule_set  # item_records reads the year from it
    stored = {line.item_id: line for line in score.lines.all()}
    lines = []
    for item in items:
        line = stored.get(item.pk)
        row = BreakdownLine(item=item)
        if line is not None:
            row.count, row.uncapped_points, row.points = line.count, line.uncapped_points, line.points
            if with_records:
                records = list(engine.item_records(item, score.mandate)[:RECORDS_SHOWN + 1])
                row.more_records = max(0, line.count - RECORDS_SHOWN) if len(records) > RECORDS_SHOWN else 0
                for obj in records[:RECORDS_SHOWN]:
                    date, text = record_label(obj)
                    row.records.append(Record(date=date, text=text, url=engine.record_url(obj)))
        lines.append(row)
    bands = list(rule_set.bands.all())
    band = next((b for b in bands if b.grade == score.grade), None)
    return Breakdown(score=score, rule_set=rule_set, lines=lines, band=band, bands=bands)


# --- disputes -------------------------------------------------------------------------------------------------------

def dispute_rows(base: QuerySet[Dispute], *, status: str = "", year: int | None = None) -> QuerySet[Dispute]:
    """Disputes of the user's scope, open ones first, then the newest."""
    qs = base
    if status:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(year=year)
    return (qs.select_related("mandate", "mandate__person", "mandate__jurisdiction", "score", "raised_by",
                              "resolved_by")
            .order_by(Case(When(status=Dispute.Status.OPEN, then=Value(0)), default=Value(1)), "-raised_at", "-pk"))


def open_disputes(base: QuerySet[Dispute]) -> QuerySet[Dispute]:
    return base.filter(status=Dispute.Status.OPEN)


def open_disputes_count(base: QuerySet[Dispute]) -> int:
    return open_disputes(base).count()
