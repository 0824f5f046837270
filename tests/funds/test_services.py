"""The funds' rules: the balance (approved and pending apart), the override only a leader may record, approval
by a leader other than the one who entered, a return with a reason; every change audited."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.core.models import AuditEvent
from apps.funds import selectors, services
from apps.funds.models import Expenditure
from tests.funds.conftest import make_expenditure

pytestmark = pytest.mark.django_db


def _enter(budget, user, amount, **kwargs):
    return services.expenditure_create(user=user, budget=budget, date=datetime.date(2026, 5, 1),
                                       category=Expenditure.Category.PRINTING, payee="印刷厂",
                                       amount=Decimal(amount), purpose="代表手册", **kwargs)


def test_the_balance_counts_approved_and_pending_apart(budget, staff_user, supervisor_user):
    make_expenditure(budget, staff_user, amount="1000.00", status=Expenditure.Status.APPROVED)
    make_expenditure(budget, staff_user, amount="500.50")
    make_expenditure(budget, staff_user, amount="9000.00", status=Expenditure.Status.RETURNED)
    row = selectors.budget_for_user(staff_user, budget.pk)
    assert (row.approved_total, row.pending_total) == (Decimal("1000.00"), Decimal("500.50"))
    assert selectors.balance(row) == Decimal("8499.50")


def test_an_expenditure_beyond_the_balance_is_refused_with_a_chinese_message(budget, staff_user):
    make_expenditure(budget, staff_user, amount="9000.00")
    with pytest.raises(ValidationError) as error:
        _enter(budget, staff_user, "1000.01")
    assert "超出预算余额（1,000.00元）" in error.value.message_dict["amount"][0]
    assert budget.expenditures.count() == 1
    assert _enter(budget, staff_user, "1000.00").status == Expenditure.Status.PENDING


def test_staff_cannot_record_an_override(budget, staff_user):
    with pytest.raises(ValidationError) as error:
        _enter(budget, staff_user, "20000.00", override_reason="紧急")
    assert "只有领导" in error.value.message_dict["override_reason"][0]
    assert not budget.expenditures.exists()


def test_a_leader_may_exceed_the_balance_with_a_reason_which_is_kept(budget, supervisor_user):
    within = _enter(budget, supervisor_user, "0.01", override_reason="不需要")
    assert within.override_reason == ""  # no override is recorded where none was needed
    spent = _enter(budget, supervisor_user, "20000.00", override_reason="  闭会期间集中视察，经主任会议同意  ")
    assert spent.override_reason == "闭会期间集中视察，经主任会议同意"


def test_the_date_must_fall_in_the_budgets_year(budget, staff_user):
    with pytest.raises(ValidationError) as error:
        services.expenditure_create(user=staff_user, budget=budget, date=datetime.date(2025, 12, 31),
                                    category="other", payee="x", amount=Decimal("1"), purpose="x")
    assert "2026" in error.value.message_dict["date"][0]


def test_a_leader_approves_and_the_change_is_audited(expenditure, supervisor_user):
    services.expenditure_approve(expenditure=expenditure, user=supervisor_user)
    expenditure.refresh_from_db()
    assert expenditure.status == Expenditure.Status.APPROVED and expenditure.decided_by == supervisor_user
    assert AuditEvent.objects.filter(object_type="funds.Expenditure", object_id=str(expenditure.pk),
                                     action="update").exists()
    with pytest.raises(ValidationError):
        services.expenditure_approve(expenditure=expenditure, user=supervisor_user)


def test_staff_cannot_approve_and_a_leader_cannot_approve_their_own_entry(budget, staff_user, supervisor_user):
    theirs = make_expenditure(budget, staff_user)
    with pytest.raises(PermissionDenied):
        services.expenditure_approve(expenditure=theirs, user=staff_user)
    own = make_expenditure(budget, supervisor_user)
    with pytest.raises(ValidationError) as error:
        services.expenditure_approve(expenditure=own, user=supervisor_user)
    assert error.value.code == "own"


def test_a_return_needs_a_reason_and_frees_the_balance(budget, expenditure, supervisor_user, staff_user):
    with pytest.raises(ValidationError):
        services.expenditure_return(expenditure=expenditure, user=supervisor_user, reason="   ")
    services.expenditure_return(expenditure=expenditure, user=supervisor_user, reason="票据不全")
    expenditure.refresh_from_db()
    assert (expenditure.status, expenditure.return_reason) == (Expenditure.Status.RETURNED, "票据不全")
    assert selectors.balance(selectors.budget_for_user(staff_user, budget.pk)) == Decimal("10000.00")
