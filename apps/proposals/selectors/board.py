"""Reads of the supervisors' board (督办看板): figures of motions and suggestions and the items behind each.

Every figure is one function returning a ``Q`` over ``Proposal`` that selects exactly the items it counts; the
board counts with it (``COUNT(*) FILTER (WHERE ...)``) and the drill-down lists with it (``filter(...)``), so a
number and its list cannot disagree. The conditions are uncorrelated ``pk IN (SELECT proposal_id ...)``
subqueries, which PostgreSQL hashes once per query: the board takes one query whatever the number of items.

The board's items are those of the user's jurisdiction and below that have been submitted (drafts are the
deputy's own and are never counted). Definitions (shown on the page too):

- *assigned* (已交办): items with a lead assignment (主办), in any round and state.
- *replied* (已答复): items with a reply; 办复率 ``reply_rate`` = replied / assigned.
- *overdue* (已逾期) / *due soon* (14日内到期): items with an open reply or re-handling deadline due before
  today / from today to 14 days on.
- *rated* (已测评): items with at least one rating. Their latest rated round is the highest round that has a
  rating; the item is *satisfied* when no rating of that round is 不满意 (every signer who rated it there rated
  满意 or 基本满意). 满意率 ``satisfaction_rate`` = satisfied / rated.
- 初次满意率 ``first_round_satisfaction_rate``: the same with round-1 ratings only (items rated in round 1,
  and those of them with no 不满意 in round 1).
- A-class rate ``solved_rate``: items whose latest reply (highest round) is of a class that counts as solved
  (A), over replied items.
- *co-units not signed* (协办单位未签收): assignments, not items — each co-unit of an item's present round that
  has not signed for it (nor had its opinion waived by the office), on items still being handled or replied;
  the figure opens the list of exactly those assignments.
- By unit: each item under its present lead unit, the unit of its live (awaiting signature or signed) lead
  assignment of the highest round that has one; an item returned by its lead unit and not yet reassigned is
  under no unit.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection
from django.db.models import (
    BooleanField, Exists, ExpressionWrapper, F, Max, OuterRef, Q, QuerySet, Subquery,
)
from django.utils.translation import gettext_lazy as _

from apps.proposals.models import Assignment, Deadline, Proposal, Rating, Reply

DUE_SOON_DAYS = 14
BOARD_CACHE_SECONDS = 600
HANDLING_DEADLINES = (Deadline.Kind.REPLY, Deadline.Kind.REHANDLING)
LIVE_ASSIGNMENT = (Assignment.State.PENDING, Assignment.State.ACCEPTED)
UNSATISFIED = Rating.Result.UNSATISFIED
# States the board shows (a draft is not yet anyone's business but its deputy's).
BOARD_STATES = [state for state in Proposal.State if state != Proposal.State.DRAFT]


# --- the population -----------------------------------------------------------------------------------------

def board_scope(base: QuerySet[Proposal], *, session=None, year: int | None = None,
                kind: str | None = None) -> QuerySet[Proposal]:
    """The items the board counts: ``base`` (the user's scope) without drafts, narrowed by the filters."""
    qs = base.exclude(state=Proposal.State.DRAFT)
    if session is not None:
        qs = qs.filter(session=session)
    if year:
        qs = qs.filter(year=year)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def present_leads() -> QuerySet[Assignment]:
    """Each item's present lead assignment: the live (awaiting signature or signed) lead assignment of the
    highest round that has one."""
    return (Assignment.objects.filter(role=Assignment.Role.LEAD, state__in=LIVE_ASSIGNMENT)
            .order_by("proposal_id", "-round", "-pk").distinct("proposal_id"))


def unit_condition(unit_id: int) -> Q:
    """Items whose present lead unit is ``unit_id``: the lines of the by-unit table."""
    return Q(pk__in=Assignment.objects.filter(pk__in=present_leads().values("pk"), unit_id=unit_id)
             .values("proposal_id"))


def category_condition(category_id: int | None) -> Q:
    """Items of a category (``None``: items without one): the rows of the by-category table."""
    return Q(category__isnull=True) if category_id is None else Q(category_id=category_id)


# --- one function per figure --------------------------------------------------------------------------------

def all_items(today: datetime.date) -> Q:
    return Q(pk__isnull=False)


def in_state(state: str) -> Callable[[datetime.date], Q]:
    def condition(today: datetime.date) -> Q:
        return Q(state=state)

    return condition


def _open_handling_deadlines():
    return Deadline.objects.filter(is_open=True, kind__in=HANDLING_DEADLINES)


def overdue(today: datetime.date) -> Q:
    return Q(pk__in=_open_handling_deadlines().filter(due_on__lt=today).values("proposal_id"))


def due_soon(today: datetime.date) -> Q:
    last = today + datetime.timedelta(days=DUE_SOON_DAYS)
    return Q(pk__in=_open_handling_deadlines().filter(due_on__range=(today, last)).values("proposal_id"))


def assigned(today: datetime.date) -> Q:
    return Q(pk__in=Assignment.objects.filter(role=Assignment.Role.LEAD).values("proposal_id"))


def replied(today: datetime.date) -> Q:
    return Q(pk__in=Reply.objects.values("proposal_id"))


def rated(today: datetime.date) -> Q:
    return Q(pk__in=Rating.objects.values("proposal_id"))


def satisfied(today: datetime.date) -> Q:
    """Rated, and no 不满意 in the latest rated round (the highest round having a rating)."""
    latest = (Rating.objects.order_by().values("proposal_id")
              .annotate(last=Max("round"), last_unsatisfied=Max("round", filter=Q(result=UNSATISFIED)))
              .filter(Q(last_unsatisfied__isnull=True) | Q(last_unsatisfied__lt=F("last"))))
    return Q(pk__in=latest.values("proposal_id"))


def first_rated(today: datetime.date) -> Q:
    return Q(pk__in=Rating.objects.filter(round=1).values("proposal_id"))


def first_satisfied(today: datetime.date) -> Q:
    unsatisfied = Rating.objects.filter(round=1, result=UNSATISFIED).values("proposal_id")
    return Q(pk__in=Rating.objects.filter(round=1).exclude(proposal_id__in=unsatisfied).values("proposal_id"))


def solved(today: datetime.date) -> Q:
    """The latest reply (no reply of a later round) is of a class counted as solved (A)."""
    later = Reply.objects.filter(proposal_id=OuterRef("proposal_id"), round__gt=OuterRef("round"))
    return Q(pk__in=Reply.objects.filter(reply_class__counts_as_solved=True).filter(~Exists(later))
             .values("proposal_id"))


@dataclass(frozen=True)
class Figure:
    name: str
    label: str
    condition: Callable[[datetime.date], Q]


MEASURES = [
    Figure("total", _("Items"), all_items),
    Figure("assigned", _("Assigned to a unit"), assigned),
    Figure("replied", _("Replied"), replied),
    Figure("overdue", _("Overdue"), overdue),
    Figure("due_soon", _("Due within 14 days"), due_soon),
    Figure("rated", _("Rated"), rated),
    Figure("satisfied", _("Satisfied (latest round)"), satisfied),
    Figure("first_rated", _("Rated in round 1"), first_rated),
    Figure("first_satisfied", _("Satisfied in round 1"), first_satisfied),
    Figure("solved", _("Latest reply of class A"), solved),
]
STATE_FIGURES = [Figure(f"state_{state.value}", state.label, in_state(state.value)) for state in BOARD_STATES]
FIGURES: dict[str, Figure] = {f.name: f for f in MEASURES + STATE_FIGURES}

# rate → (numerator figure, denominator figure)
RATES = {
    "reply_rate": ("replied", "assigned"),
    "satisfaction_rate": ("satisfied", "rated"),
    "first_round_satisfaction_rate": ("first_satisfied", "first_rated"),
    "solved_rate": ("solved", "replied"),
}


def percent(numerator: int, denominator: int) -> float | None:
    """``numerator`` as a share of ``denominator`` in per cent; None when there is nothing to divide by."""
    return 100.0 * numerator / denominator if denominator else None


# --- the board ----------------------------------------------------------------------------------------------

@dataclass
class Figures:
    """The counts of one line of the board (the whole scope, a unit or a category) and its rates."""

    counts: dict[str, int]
    pk: int | None = None
    name: str = ""
    param: str = ""  # the line's drill-down parameter: "unit=7", "category=3", "category=none"

    def rate(self, name: str) -> float | None:
        numerator, denominator = RATES[name]
        return percent(self.counts[numerator], self.counts[denominator])

    @property
    def reply_rate(self) -> float | None:
        return self.rate("reply_rate")

    @property
    def satisfaction_rate(self) -> float | None:
        return self.rate("satisfaction_rate")

    @property
    def first_round_satisfaction_rate(self) -> float | None:
        return self.rate("first_round_satisfaction_rate")

    @property
    def solved_rate(self) -> float | None:
        return self.rate("solved_rate")


@dataclass
class Board:
    today: datetime.date
    totals: Figures
    unsigned_co_units: int = 0
    states: list[tuple[Figure, int]] = field(default_factory=list)
    units: list[Figures] = field(default_factory=list)
    categories: list[Figures] = field(default_factory=list)


_BOARD_SQL = """
WITH items AS MATERIALIZED ({items}), leads AS ({leads})
SELECT GROUPING(leads.lead_unit, leads.lead_name), GROUPING(items.cat, items.cat_name, items.cat_pos),
       leads.lead_unit, leads.lead_name, items.cat, items.cat_name, items.cat_pos, {counts}
  FROM items LEFT JOIN leads ON leads.lead_item = items.item
 GROUP BY GROUPING SETS ((), (items.cat, items.cat_name, items.cat_pos), (leads.lead_unit, leads.lead_name))
"""


def board_rows(scope: QuerySet[Proposal], *, today: datetime.date) -> list[tuple]:
    """One query: every figure's condition evaluated once per item (the very ``Q`` the lists filter with),
    then counted for the whole scope, each category and each present lead unit (``GROUPING SETS``)."""
    figures = MEASURES + STATE_FIGURES
    flags = {f"f{i}": ExpressionWrapper(f.condition(today), output_field=BooleanField())
             for i, f in enumerate(figures)}
    items = scope.order_by().annotate(**flags).values(
        *flags, item=F("pk"), cat=F("category_id"), cat_name=F("category__name"), cat_pos=F("category__position"))
    leads = present_leads().values(lead_item=F("proposal_id"), lead_unit=F("unit_id"), lead_name=F("unit__name"))
    items_sql, items_params = items.query.sql_with_params()
    leads_sql, leads_params = leads.query.sql_with_params()
    counts = ", ".join(f"COUNT(*) FILTER (WHERE items.{flag})" for flag in flags)
    with connection.cursor() as cursor:
        cursor.execute(_BOARD_SQL.format(items=items_sql, leads=leads_sql, counts=counts),
                       [*items_params, *leads_params])
        return cursor.fetchall()


def board(scope: QuerySet[Proposal], *, today: datetime.date, cache_key: str | None = None) -> Board:
    """The figures of ``scope`` (``board_scope``'s items): totals and states, by present lead unit, by
    category. One query; none when ``cache_key`` names rows already computed (the caller's key must change
    with every write the figures depend on, and with the day)."""
    if cache_key:
        rows = cache.get_or_set(cache_key, lambda: board_rows(scope, today=today), BOARD_CACHE_SECONDS)
    else:
        rows = board_rows(scope, today=today)
    names = [f.name for f in MEASURES + STATE_FIGURES]
    result = None
    units, categories = [], []
    for by_unit, by_category, unit_id, unit_name, category_id, category_name, position, *numbers in rows:
        counts = dict(zip(names, numbers))
        measures = {f.name: counts[f.name] for f in MEASURES}
        if by_unit and by_category:
            result = Board(today=today, totals=Figures(measures),
                           states=[(f, counts[f.name]) for f in STATE_FIGURES])
        elif not by_category:
            categories.append((position is None, position or 0, category_name or "", Figures(
                measures, pk=category_id, name=category_name or "", param=f"category={category_id or 'none'}")))
        elif unit_id is not None:  # not the items without a present lead unit
            units.append((unit_name, unit_id, Figures(measures, pk=unit_id, name=unit_name,
                                                      param=f"unit={unit_id}")))
    if result is None:  # nothing in scope: GROUPING SETS still returns the () line, but be safe
        result = Board(today=today, totals=Figures({f.name: 0 for f in MEASURES}),
                       states=[(f, 0) for f in STATE_FIGURES])
    result.unsigned_co_units = unsigned_co_assignments(scope).count()
    result.units = [row[-1] for row in sorted(units, key=lambda row: row[:2])]
    result.categories = [row[-1] for row in sorted(categories, key=lambda row: row[:3])]
    return result


def figure_items(scope: QuerySet[Proposal], *, figure: str, today: datetime.date, unit_id: int | None = None,
                 category: int | None | str = "") -> QuerySet[Proposal]:
    """The items ``figure`` counts in ``scope`` (of one unit's or one category's line when given; ``category``
    ``None`` is the line of items without a category, ``""`` no category line), ready to list."""
    qs = scope.filter(FIGURES[figure].condition(today))
    if unit_id is not None:
        qs = qs.filter(unit_condition(unit_id))
    if category != "":
        qs = qs.filter(category_condition(category))
    handling_due = (_open_handling_deadlines().filter(proposal_id=OuterRef("pk")).order_by("due_on")
                    .values("due_on")[:1])
    lead_unit = (Assignment.objects.filter(proposal_id=OuterRef("pk"), role=Assignment.Role.LEAD,
                                           state__in=LIVE_ASSIGNMENT)
                 .order_by("-round", "-pk").values("unit__name")[:1])
    return (qs.select_related("category", "session")
            .annotate(handling_due_on=Subquery(handling_due), lead_unit_name=Subquery(lead_unit))
            .order_by("-year", "kind", F("number").asc(nulls_last=True), "-pk"))


# --- co-units that have not signed -----------------------------------------------------------------------------

# Items on which a co-unit's signature is still awaited (before the reply, and replied ones of earlier data).
CO_SIGNATURE_ITEM_STATES = (Proposal.State.ASSIGNED, Proposal.State.HANDLING, Proposal.State.REHANDLING,
                            Proposal.State.REPLIED)


def unsigned_co_assignments(scope: QuerySet[Proposal]) -> QuerySet[Assignment]:
    """The co-units' assignments of the present round of ``scope``'s items that await the unit's signature
    (and whose opinion the office has not waived): the board's figure and its list."""
    return Assignment.objects.filter(
        role=Assignment.Role.CO, state=Assignment.State.PENDING, opinion_waived_at__isnull=True,
        round=F("proposal__round"), proposal__state__in=CO_SIGNATURE_ITEM_STATES,
        proposal_id__in=scope.order_by().values("pk"))


def unsigned_co_rows(scope: QuerySet[Proposal]) -> QuerySet[Assignment]:
    """``unsigned_co_assignments`` ready to list: with the item, the unit, the lead unit and the signing
    deadline, the longest waiting first."""
    sign_due = (Deadline.objects.filter(assignment_id=OuterRef("pk"), kind=Deadline.Kind.SIGN)
                .order_by("-due_on").values("due_on")[:1])
    lead_unit = (Assignment.objects.filter(proposal_id=OuterRef("proposal_id"), role=Assignment.Role.LEAD,
                                           round=OuterRef("round"), state__in=LIVE_ASSIGNMENT)
                 .values("unit__name")[:1])
    return (unsigned_co_assignments(scope).select_related("proposal", "unit")
            .annotate(sign_due_on=Subquery(sign_due), lead_unit_name=Subquery(lead_unit))
            .order_by("assigned_at", "pk"))
