"""The funds' pages: bad input gets a Chinese message and writes nothing; a receipt is checked by its content;
the list and the statement cost a fixed number of queries; the statement's files escape formulas and their
total is the sum of their lines."""

import io
from decimal import Decimal

import openpyxl
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.funds.models import Expenditure
from tests.funds.conftest import make_budget, make_expenditure

pytestmark = pytest.mark.django_db

GOOD = {"date": "2026-04-01", "category": "printing", "payee": "印刷厂", "amount": "300.00", "purpose": "代表手册"}


@pytest.mark.parametrize("field, value, message", [
    ("amount", "1e30", "不超过 14 个数字"),
    ("amount", "-5", "大于或等于"),
    ("amount", "NaN", "数字"),
    ("date", "2026-02-30", "日期"),
    ("date", "2025-12-31", "预算年度"),
    ("payee", "", "必填"),
])
def test_bad_input_gets_a_chinese_message_and_writes_nothing(client_for, staff_user, budget, field, value, message):
    response = client_for(staff_user).post(reverse("funds:expenditure_create", args=[budget.pk]),
                                           {**GOOD, field: value})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors.get(field, []))
    assert not Expenditure.objects.exists()


def test_a_nul_character_is_refused_before_the_view(client_for, staff_user, budget):
    response = client_for(staff_user).post(reverse("funds:expenditure_create", args=[budget.pk]),
                                           {**GOOD, "payee": "印刷\x00厂"})
    assert response.status_code == 400 and not Expenditure.objects.exists()


def test_a_receipt_is_checked_by_its_content(client_for, staff_user, budget):
    client = client_for(staff_user)
    url = reverse("funds:expenditure_create", args=[budget.pk])
    fake = SimpleUploadedFile("receipt.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = client.post(url, {**GOOD, "receipt": fake})
    assert response.status_code == 200 and response.context["form"].errors
    assert not Expenditure.objects.exists()
    real = SimpleUploadedFile("receipt.pdf", b"%PDF-1.4 receipt", content_type="application/pdf")
    assert client.post(url, {**GOOD, "receipt": real}).status_code == 302
    assert Expenditure.objects.get().receipt.name.endswith(".pdf")


def test_staff_enter_within_the_balance_and_are_refused_beyond_it(client_for, staff_user, budget):
    client = client_for(staff_user)
    url = reverse("funds:expenditure_create", args=[budget.pk])
    response = client.post(url, {**GOOD, "amount": "10000.01"})
    assert "超出预算余额" in " ".join(response.context["form"].errors["amount"])
    assert "override_reason" not in response.context["form"].fields  # staff are not offered the override
    assert client.post(url, GOOD).status_code == 302
    assert Expenditure.objects.get().status == Expenditure.Status.PENDING


@time_machine.travel("2026-06-01 10:00 +0800", tick=False)
def test_the_list_shows_each_budgets_figures_in_a_fixed_number_of_queries(
        client_for, city, county, staff_user, django_assert_max_num_queries):
    for index in range(5):
        budget = make_budget(city if index % 2 else county, staff_user, name=f"经费{index}")
        make_expenditure(budget, staff_user, amount="100.00", status=Expenditure.Status.APPROVED)
        make_expenditure(budget, staff_user, amount="50.00")
    client = client_for(staff_user)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("funds:budget_list"))
    rows = response.context["rows"]
    assert len(rows) == 5
    assert {(r.approved_total, r.pending_total, r.balance) for r in rows} == {
        (Decimal("100.00"), Decimal("50.00"), Decimal("9850.00"))}


def test_the_statement_lists_approved_lines_escapes_formulas_and_totals_them(
        client_for, city, staff_user, supervisor_user, django_assert_max_num_queries):
    first = make_budget(city, staff_user, name="=HYPERLINK(\"x\")")
    second = make_budget(city, staff_user, name="工作站经费")
    make_expenditure(first, staff_user, amount="1234.56", status=Expenditure.Status.APPROVED, payee="=1+1")
    make_expenditure(second, staff_user, amount="100.00", status=Expenditure.Status.APPROVED)
    make_expenditure(second, staff_user, amount="999.00")  # pending: not in the statement
    client = client_for(supervisor_user)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("funds:statement") + "?year=2026")
    assert page.context["statement"].total == Decimal("1334.56")
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(reverse("funds:statement_xlsx") + "?year=2026")
                                              .content)).active
    cells = list(sheet.iter_rows(min_row=2))
    rows = [[cell.value for cell in row] for row in cells]
    amounts = [Decimal(str(r[5])) for r in rows]
    assert amounts == [Decimal("1234.56"), Decimal("1234.56"), Decimal("100.00"), Decimal("100.00"),
                       Decimal("1334.56")]
    payee, budget_name = cells[0][3], cells[0][0]
    assert payee.value == "=1+1" and payee.data_type == "s" and payee.quotePrefix  # text, never a formula
    assert budget_name.data_type == "s" and budget_name.quotePrefix
    pdf = client.get(reverse("funds:budget_statement_pdf", args=[second.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
