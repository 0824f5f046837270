"""Funds fixtures on top of the root cast: the city's 2026 budget of 10,000 yuan with one pending expenditure of
1,200 entered by staff, and a county budget that city staff see and county staff own."""

import datetime
from decimal import Decimal

import pytest

from apps.funds.models import Budget, Expenditure


def make_budget(jurisdiction, user, *, name="市人大代表活动经费", amount="10000.00", year=2026, **kwargs):
    return Budget.objects.create(year=year, jurisdiction=jurisdiction, name=name, amount=Decimal(amount),
                                 created_by=user, **kwargs)


def make_expenditure(budget, user, *, amount="1200.00", status=Expenditure.Status.PENDING, **kwargs):
    kwargs.setdefault("date", datetime.date(budget.year, 3, 15))
    kwargs.setdefault("category", Expenditure.Category.TRAINING)
    kwargs.setdefault("payee", "市委党校")
    kwargs.setdefault("purpose", "代表履职培训")
    return Expenditure.objects.create(budget=budget, amount=Decimal(amount), status=status, entered_by=user,
                                      **kwargs)


@pytest.fixture
def budget(city, staff_user):
    return make_budget(city, staff_user)


@pytest.fixture
def expenditure(budget, staff_user):
    return make_expenditure(budget, staff_user)
