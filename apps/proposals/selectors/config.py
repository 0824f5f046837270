"""Reads of the reference data staff maintain: handling rules, the working-day calendar, handling units,
categories and congress sessions. Rows with a jurisdiction are read within the user's (out of scope → 404).
"""

from __future__ import annotations

import calendar as _calendar
import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import (
    BooleanField, Count, Exists, ExpressionWrapper, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from apps.core.access import is_pk, jurisdiction_scope
from apps.core.models import CalendarDay, HandlingUnit, Jurisdiction
from apps.deputies.models import Session, Term
from apps.proposals.models import Assignment, Category, Deadline, HandlingRule, Proposal
from apps.proposals.selectors.office import UNIT_DEADLINES

# An assignment still to be worked on: not returned or cancelled, and its item not closed or withdrawn.
OPEN_ASSIGNMENT_STATES = (Assignment.State.PENDING, Assignment.State.ACCEPTED)
FINISHED_PROPOSAL_STATES = (Proposal.State.CLOSED, Proposal.State.WITHDRAWN)


def _get(qs: QuerySet, pk):
    if not is_pk(pk):
        raise Http404
    return get_object_or_404(qs, pk=pk)


def jurisdictions_for(user) -> QuerySet[Jurisdiction]:
    """The user's jurisdiction and those below it (the choices of a rule's or a unit's jurisdiction)."""
    if user.jurisdiction_id is None:
        return Jurisdiction.objects.none()
    return Jurisdiction.objects.filter(path__startswith=user.jurisdiction.path)


# --- handling rules -------------------------------------------------------------------------------------------

def _ancestor_ids(user) -> list[int]:
    """The jurisdictions above the user's (their rules apply where the user's own has none); no query."""
    path = user.jurisdiction.path if user.jurisdiction_id else "/"
    ids = [int(part) for part in path.strip("/").split("/") if part]
    return ids[:-1]


def rule_rows(user) -> QuerySet[HandlingRule]:
    """The rules of the user's jurisdiction and below, and those of the jurisdictions above it (read only
    here: ``editable`` is False), each with its open deadlines counted."""
    return (HandlingRule.objects
            .filter(jurisdiction_scope(user) | Q(jurisdiction_id__in=_ancestor_ids(user)))
            .select_related("jurisdiction")
            .annotate(open_deadlines=Count("deadlines", filter=Q(deadlines__is_open=True)),
                      editable=ExpressionWrapper(Q(jurisdiction__path__startswith=user.jurisdiction.path),
                                                 output_field=BooleanField())))


def rule_for_office(user, pk) -> HandlingRule:
    """A rule the user may edit (their jurisdiction or below)."""
    return _get(HandlingRule.objects.filter(jurisdiction_scope(user)).select_related("jurisdiction"), pk)


def open_deadlines_of(rule: HandlingRule) -> int:
    return Deadline.objects.filter(rule=rule, is_open=True).count()


# --- calendar ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Cell:
    date: datetime.date
    in_month: bool
    day: CalendarDay | None  # the exception entered for this date, if any

    @property
    def is_weekend(self) -> bool:
        return self.date.weekday() >= 5

    @property
    def is_working_day(self) -> bool:
        return self.day.is_working_day if self.day is not None else not self.is_weekend


@dataclass(frozen=True)
class Month:
    first: datetime.date
    weeks: list[list[Cell]]


def year_days(year: int) -> dict[datetime.date, CalendarDay]:
    """The holidays and make-up working days entered for ``year`` (one query)."""
    return {day.date: day for day in CalendarDay.objects.filter(date__year=year)}


def year_months(year: int, days: dict[datetime.date, CalendarDay]) -> list[Month]:
    """The twelve month grids of ``year`` (weeks from Monday), each cell with its calendar entry."""
    weeks_of = _calendar.Calendar(firstweekday=0)
    return [Month(first=datetime.date(year, month, 1),
                  weeks=[[Cell(date=d, in_month=d.month == month, day=days.get(d) if d.month == month else None)
                          for d in week]
                         for week in weeks_of.monthdatescalendar(year, month)])
            for month in range(1, 13)]


def package_last_year() -> int:
    """The last year the ``chinese-calendar`` package has the State Council's schedule for."""
    from chinese_calendar.constants import holidays

    return max(holidays).year


def year_has_entries(year: int) -> bool:
    return CalendarDay.objects.filter(date__year=year).exists()


def calendar_day(date: datetime.date) -> CalendarDay | None:
    return CalendarDay.objects.filter(date=date).first()


# --- handling units ---------------------------------------------------------------------------------------------

def _open_assignments() -> Subquery:
    return Subquery(
        Assignment.objects.filter(unit=OuterRef("pk"), state__in=OPEN_ASSIGNMENT_STATES)
        .exclude(proposal__state__in=FINISHED_PROPOSAL_STATES)
        .order_by().values("unit").annotate(n=Count("pk")).values("n"),
        output_field=IntegerField())


def falling_behind_condition(today: datetime.date) -> Q:
    """A unit falling behind (办理进度落后): it holds an open assignment with an open deadline of its own (sign,
    reply, co-unit opinion, new handling) already past on ``today``: the office list's "overdue" rule, seen
    from the unit."""
    return Q(Exists(Deadline.objects.filter(
        assignment__unit=OuterRef("pk"), assignment__state__in=OPEN_ASSIGNMENT_STATES, is_open=True,
        kind__in=UNIT_DEADLINES, due_on__lt=today).exclude(proposal__state__in=FINISHED_PROPOSAL_STATES)))


def unit_rows(user, *, q: str = "", kind: str = "", active: str = "", behind: bool = False,
              today: datetime.date | None = None) -> QuerySet[HandlingUnit]:
    """Units of the user's jurisdiction and below, with their open assignments counted and their active
    accounts (``accounts``: one query for the whole page); ``behind`` keeps the units falling behind."""
    accounts = get_user_model().objects.filter(is_active=True).only(
        "pk", "username", "full_name", "handling_unit_id").order_by("full_name", "username")
    qs = (HandlingUnit.objects.filter(jurisdiction_scope(user)).select_related("jurisdiction")
          .annotate(open_assignments=Coalesce(_open_assignments(), Value(0)))
          .prefetch_related(Prefetch("users", queryset=accounts, to_attr="accounts")))
    if q:
        qs = qs.filter(name__icontains=q)
    if kind:
        qs = qs.filter(kind=kind)
    if active == "yes":
        qs = qs.filter(is_active=True)
    elif active == "no":
        qs = qs.filter(is_active=False)
    if behind:
        qs = qs.filter(falling_behind_condition(today or timezone.localdate()))
    return qs.order_by("-is_active", "jurisdiction__path", "name")


def unit_for_office(user, pk) -> HandlingUnit:
    return _get(HandlingUnit.objects.filter(jurisdiction_scope(user)).select_related("jurisdiction"), pk)


def open_assignments_of(unit: HandlingUnit) -> int:
    return (Assignment.objects.filter(unit=unit, state__in=OPEN_ASSIGNMENT_STATES)
            .exclude(proposal__state__in=FINISHED_PROPOSAL_STATES).count())


# --- categories and sessions ------------------------------------------------------------------------------------

def category_rows() -> QuerySet[Category]:
    return Category.objects.annotate(proposal_count=Count("proposals"))


def category_by_pk(pk) -> Category:
    return _get(Category.objects.all(), pk)


def terms_for(user) -> QuerySet[Term]:
    return Term.objects.filter(jurisdiction_scope(user)).select_related("jurisdiction")


def session_rows(user) -> QuerySet[Session]:
    return (Session.objects.filter(jurisdiction_scope(user, "term__jurisdiction"))
            .select_related("term", "term__jurisdiction")
            .annotate(proposal_count=Count("proposals"))
            .order_by("term__jurisdiction__path", "-term__number", "-number"))


def session_for_office(user, pk) -> Session:
    return _get(Session.objects.filter(jurisdiction_scope(user, "term__jurisdiction")).select_related("term"), pk)
