"""The shared workbook helper: text that a spreadsheet would run is kept as text, numbers stay numbers, and the
download response names its file for every browser (RFC 5987 for a Chinese name)."""

import io

import openpyxl
import pytest
from django.utils.translation import gettext_lazy

from apps.core.excel import XLSX_CONTENT_TYPE, escape_text, simple_workbook, xlsx_response
from apps.core.web import attachment_disposition


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1+2", "@SUM(A1)", "\tcmd", "\rcmd", "=cmd|' /C calc'!A0"])
def test_formula_like_text_gets_an_apostrophe_in_csv(text):
    assert escape_text(text) == "'" + text


@pytest.mark.parametrize("value", ["张三", "1+1", "", -3, 2.5, None, "a=b"])
def test_other_values_are_unchanged_in_csv(value):
    assert escape_text(value) == value


def test_a_lazy_translation_becomes_text():
    assert escape_text(gettext_lazy("Yes")) == str(gettext_lazy("Yes"))


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1+2", "@SUM(A1)", "\tcmd", "\rcmd"])
def test_formula_like_text_is_a_quoted_string_cell_in_a_workbook(text):
    book = openpyxl.load_workbook(io.BytesIO(simple_workbook("t", ["a"], [[text]])))
    cell = book.active["A2"]
    assert cell.data_type == "s" and cell.quotePrefix
    assert cell.value == text.replace("\r", "\n") or cell.value == text  # openpyxl may normalise a lone CR


def test_numbers_dates_and_plain_text_keep_their_types():
    import datetime

    content = simple_workbook("t", ["a", "b", "c", "d"], [[-3, 0.25, datetime.date(2026, 6, 1), "张三"]],
                              number_formats={2: "yyyy-mm-dd"})
    number, fraction, date, name = next(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(min_row=2))
    assert (number.value, number.data_type, fraction.value) == (-3, "n", 0.25)
    assert date.value == datetime.datetime(2026, 6, 1) and date.number_format == "yyyy-mm-dd"
    assert (name.value, name.quotePrefix) == ("张三", False)


def test_the_header_row_is_bold_and_the_sheet_title_valid():
    content = simple_workbook("a/b:c*d?" + "x" * 40, ["姓名"], [])
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet.title == ("abcd" + "x" * 40)[:31]
    assert sheet["A1"].font.bold


def test_an_ascii_filename_is_quoted():
    assert attachment_disposition("roster-2026.xlsx") == 'attachment; filename="roster-2026.xlsx"'
    assert attachment_disposition('a"b.xlsx') == 'attachment; filename="a\\"b.xlsx"'


def test_a_chinese_filename_has_an_ascii_fallback_and_an_rfc_5987_name():
    value = attachment_disposition("2026年度履职报告-张三.pdf")
    assert value == ("attachment; filename=\"2026______-__.pdf\"; "
                     "filename*=UTF-8''2026%E5%B9%B4%E5%BA%A6%E5%B1%A5%E8%81%8C%E6%8A%A5%E5%91%8A-%E5%BC%A0%E4%B8%89.pdf")


def test_a_filename_cannot_break_the_header():
    assert "\n" not in attachment_disposition("a\r\nSet-Cookie: x.xlsx")


def test_the_xlsx_response_downloads_and_is_not_cached():
    response = xlsx_response(b"PK", filename="名单.xlsx")
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"].startswith('attachment; filename="__.xlsx"; filename*=UTF-8\'\'')
    assert "no-store" in response["Cache-Control"]


def test_a_header_typed_as_a_formula_is_text_too():
    book = openpyxl.load_workbook(io.BytesIO(simple_workbook("t", ["=1+1", "姓名"], [])))
    first, second = book.active[1]
    assert (first.value, first.data_type, first.quotePrefix, first.font.bold) == ("=1+1", "s", True, True)
    assert second.font.bold and not second.quotePrefix
