"""Reads of the funds: budgets in a user's scope with their approved and pending sums, and yearly statements."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from apps.core.access import scope_queryset
from apps.funds.models import Budget, Expenditure

ZERO = Decimal("0.00")


def _sum(status: str):
    return Coalesce(Sum("expenditures__amount", filter=Q(expenditures__status=status)),
                    Value(ZERO), output_field=DecimalField(max_digits=16, decimal_places=2))


def with_sums(qs: QuerySet) -> QuerySet:
    """Budgets with ``approved_total`` and ``pending_total`` (one query, no query per row)."""
    return qs.annotate(approved_total=_sum(Expenditure.Status.APPROVED),
                       pending_total=_sum(Expenditure.Status.PENDING))


def visible_budgets(user) -> QuerySet:
    return scope_queryset(Budget.objects.all(), user).select_related("jurisdiction", "delegation", "station")


def budget_rows(user, year: int | None = None) -> QuerySet:
    qs = visible_budgets(user)
    if year:
        qs = qs.filter(year=year)
    return with_sums(qs).order_by("-year", "jurisdiction__path", "name")


def budget_for_user(user, pk) -> Budget:
    """A budget of the user's scope, with its sums; 404 otherwise."""
    return get_object_or_404(with_sums(visible_budgets(user)), pk=pk)


def expenditure_for_user(user, pk) -> Expenditure:
    qs = Expenditure.objects.select_related("budget__jurisdiction", "entered_by", "decided_by")
    return get_object_or_404(qs.filter(budget__in=visible_budgets(user)), pk=pk)


def budget_expenditures(budget) -> QuerySet:
    return budget.expenditures.select_related("entered_by", "decided_by").order_by("-date", "-pk")


def pending_for_user(user) -> QuerySet:
    return (Expenditure.objects.filter(budget__in=visible_budgets(user), status=Expenditure.Status.PENDING)
            .select_related("budget", "entered_by").order_by("date", "pk"))


def balance(budget) -> Decimal:
    """What is left to spend: the budget less what is approved and what awaits approval."""
    return budget.amount - budget.approved_total - budget.pending_total


@dataclass
class BudgetStatement:
    """One budget's part of a yearly statement (年度决算): its approved expenditures and their total."""

    budget: Budget
    lines: list = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)

    @property
    def balance(self) -> Decimal:
        return self.budget.amount - self.total


@dataclass
class Statement:
    year: int
    parts: list

    @property
    def budgeted(self) -> Decimal:
        return sum((part.budget.amount for part in self.parts), ZERO)

    @property
    def total(self) -> Decimal:
        return sum((part.total for part in self.parts), ZERO)

    @property
    def balance(self) -> Decimal:
        return self.budgeted - self.total


def statement(user, year: int, budget_pk=None) -> Statement:
    """The yearly statement of the user's scope (or of one budget of it): approved expenditures only, two
    queries whatever the number of budgets and lines."""
    budgets = visible_budgets(user).filter(year=year).order_by("jurisdiction__path", "name")
    if budget_pk is not None:
        budgets = budgets.filter(pk=budget_pk)
    parts = {b.pk: BudgetStatement(b) for b in budgets}
    lines = (Expenditure.objects.filter(budget_id__in=list(parts), status=Expenditure.Status.APPROVED)
             .order_by("date", "pk")) if parts else []
    for line in lines:
        parts[line.budget_id].lines.append(line)
    return Statement(year=year, parts=list(parts.values()))
