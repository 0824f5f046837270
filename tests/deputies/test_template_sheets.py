"""The import template's hidden sheet of drop-down values is named in Chinese (选项), and the drop-downs read
their values from it."""

import io

import openpyxl
import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_the_templates_sheet_of_drop_down_values_is_named_in_chinese(client_for, staff_user):
    response = client_for(staff_user).get(reverse("deputies:roster_template"))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert "Lists" not in book.sheetnames
    lists = book["选项"]
    assert lists.sheet_state == "hidden"
    gender = next(v for v in book.worksheets[0].data_validations.dataValidation if str(v.sqref).startswith("B3"))
    assert gender.formula1.startswith("='选项'!$A$2:$A$")
    last = int(gender.formula1.rsplit("$", 1)[1])
    assert [lists.cell(row, 1).value for row in range(2, last + 1)] == ["男", "女"]
