"""Two expenditures entered at once on two real connections, each within the balance alone but not together:
the budget row's lock makes the second wait and see the first, so exactly one is entered."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from apps.core import roles
from apps.funds import services
from apps.funds.models import Expenditure
from tests.factories import UserFactory
from tests.funds.conftest import make_budget
from tests.proposals.test_concurrency import at_once, outcomes

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_entries_at_once_cannot_both_pass_on_the_same_balance(city, staff_user):
    budget = make_budget(city, staff_user, amount="1000.00")
    other = UserFactory(username="staff2", roles=[roles.STAFF], jurisdiction=city)

    def enter(user):
        return lambda: services.expenditure_create(user=user, budget=budget, date=datetime.date(2026, 3, 1),
                                                   category="printing", payee="印刷厂", amount=Decimal("700.00"),
                                                   purpose="代表手册")

    results = at_once(enter(staff_user), enter(other))
    assert outcomes(results) == ["error", "ok"]
    error = next(value for kind, value in results if kind == "error")
    assert isinstance(error, ValidationError) and "超出预算余额（300.00元）" in error.message_dict["amount"][0]
    assert list(Expenditure.objects.values_list("amount", flat=True)) == [Decimal("700.00")]
