"""On random budgets and expenditures (any status, any amount up to the column's limit), the yearly statement's
totals equal the sum of their lines: each budget's total is the sum of its approved lines, the whole scope's
total the sum of the budgets', and the Excel file says the same."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.funds import exports, selectors
from apps.funds.models import Expenditure
from tests.funds.conftest import make_budget, make_expenditure

cents = st.integers(min_value=1, max_value=10**12 - 1).map(lambda n: Decimal(n).scaleb(-2))
line = st.tuples(st.integers(min_value=0, max_value=2), cents, st.sampled_from(list(Expenditure.Status)))
budgets = st.lists(st.tuples(cents, st.lists(line, max_size=6)), min_size=1, max_size=3)


@pytest.mark.django_db
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(spec=budgets)
def test_statement_totals_equal_the_sum_of_their_lines(spec, city, staff_user):
    with transaction.atomic():
        expected = {}
        for index, (amount, lines) in enumerate(spec):
            budget = make_budget(city, staff_user, name=f"经费{index}", amount=str(amount))
            expected[budget.pk] = Decimal("0.00")
            for day, value, status in lines:
                make_expenditure(budget, staff_user, amount=str(value), status=status,
                                 date=datetime.date(2026, 1 + day, 1))
                if status == Expenditure.Status.APPROVED:
                    expected[budget.pk] += value
        statement = selectors.statement(staff_user, 2026)
        assert {part.budget.pk: part.total for part in statement.parts} == expected
        for part in statement.parts:
            assert part.total == sum((line.amount for line in part.lines), Decimal("0.00"))
            assert part.balance == part.budget.amount - part.total
        assert statement.total == sum(expected.values()) == sum(part.total for part in statement.parts)
        sheet = openpyxl.load_workbook(io.BytesIO(exports.statement_xlsx(statement))).active
        last = [cell.value for cell in list(sheet.iter_rows())[-1]]
        assert Decimal(str(last[5])).quantize(Decimal("0.01")) == statement.total
        transaction.set_rollback(True)
