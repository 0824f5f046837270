"""Editing and deleting budgets and expenditures: a budget's amount never below what is committed, deleted only
without expenditures; an expenditure changed or deleted only while not approved, a returned one resubmitted by
its correction. Chinese messages, nothing half-written, every change audited."""

from decimal import Decimal

import pytest
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.funds.models import Budget, Expenditure
from tests.funds.conftest import make_budget, make_expenditure

pytestmark = pytest.mark.django_db


def _budget_form(budget, **change):
    data = {"year": budget.year, "jurisdiction": budget.jurisdiction_id, "name": budget.name,
            "amount": str(budget.amount)}
    return {**data, **change}


def _expenditure_form(expenditure, **change):
    data = {"date": expenditure.date.isoformat(), "category": expenditure.category, "payee": expenditure.payee,
            "amount": str(expenditure.amount), "purpose": expenditure.purpose}
    return {**data, **change}


def test_a_budget_is_edited_but_never_below_what_is_committed_nor_into_another_year(
        client_for, staff_user, budget, expenditure):
    client = client_for(staff_user)
    url = reverse("funds:budget_edit", args=[budget.pk])
    for change, field, message in [({"amount": "1000.00"}, "amount", "1,200.00"),
                                   ({"year": "2027"}, "year", "2026年度的支出"),
                                   ({"amount": "99999999999999999"}, "amount", "14 个数字")]:
        response = client.post(url, _budget_form(budget, name="改名", **change))
        assert response.status_code == 200
        assert message in " ".join(response.context["form"].errors[field])
    assert Budget.objects.get().name == budget.name
    assert client.post(url, _budget_form(budget, name="市代表活动经费", amount="1200.00")).status_code == 302
    assert Budget.objects.values_list("name", "amount").get() == ("市代表活动经费", Decimal("1200.00"))
    assert AuditEvent.objects.filter(object_type="funds.Budget", object_id=str(budget.pk), action="update",
                                     user=staff_user).exists()


def test_a_budget_is_deleted_only_without_expenditures(client_for, city, staff_user, budget, expenditure):
    client = client_for(staff_user)
    refused = client.post(reverse("funds:budget_delete", args=[budget.pk]), follow=True)
    assert "已有支出的预算不能删除" in refused.content.decode() and Budget.objects.count() == 1
    empty = make_budget(city, staff_user, name="空预算")
    assert client.post(reverse("funds:budget_delete", args=[empty.pk])).status_code == 302
    assert list(Budget.objects.all()) == [budget]
    assert AuditEvent.objects.filter(object_type="funds.Budget", object_id=str(empty.pk), action="delete").exists()


def test_a_returned_expenditure_is_corrected_and_resubmitted_within_the_balance(
        client_for, staff_user, supervisor_user, budget, expenditure):
    make_expenditure(budget, staff_user, amount="8000.00")  # pending: 1,200 + 8,000 of 10,000 committed
    Expenditure.objects.filter(pk=expenditure.pk).update(status=Expenditure.Status.RETURNED,
                                                         decided_by=supervisor_user, return_reason="缺发票")
    client = client_for(staff_user)
    url = reverse("funds:expenditure_edit", args=[expenditure.pk])
    assert "缺发票" in client.get(url).content.decode()
    over = client.post(url, _expenditure_form(expenditure, amount="2000.01", payee="改"))
    assert "超出预算余额" in " ".join(over.context["form"].errors["amount"])
    assert Expenditure.objects.get(pk=expenditure.pk).payee == expenditure.payee
    assert client.post(url, _expenditure_form(expenditure, amount="2000.00")).status_code == 302
    corrected = Expenditure.objects.get(pk=expenditure.pk)
    assert (corrected.status, corrected.amount, corrected.decided_by) == ("pending", Decimal("2000.00"), None)
    assert AuditEvent.objects.filter(object_type="funds.Expenditure", object_id=str(expenditure.pk),
                                     action="update", user=staff_user).exists()


def test_an_approved_expenditure_is_neither_changed_nor_deleted(client_for, staff_user, budget, expenditure):
    Expenditure.objects.filter(pk=expenditure.pk).update(status=Expenditure.Status.APPROVED)
    client = client_for(staff_user)
    edit = client.post(reverse("funds:expenditure_edit", args=[expenditure.pk]),
                       _expenditure_form(expenditure, payee="改"), follow=True)
    deleted = client.post(reverse("funds:expenditure_delete", args=[expenditure.pk]), follow=True)
    assert "已审批的支出不能修改或删除" in edit.content.decode() + deleted.content.decode()
    assert Expenditure.objects.values_list("payee", "status").get() == (expenditure.payee, "approved")
    pending = make_expenditure(budget, staff_user)
    assert client.post(reverse("funds:expenditure_delete", args=[pending.pk])).status_code == 302
    assert list(Expenditure.objects.all()) == [expenditure]
