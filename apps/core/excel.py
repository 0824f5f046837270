"""What every workbook and CSV the platform writes shares: text that cannot run as a formula, a sheet from headers
and rows, and the download response.

A deputy types a title; the office opens the export in Excel. Text beginning with ``=``, ``+``, ``-`` or ``@``
(or a tab or carriage return, per OWASP's CSV injection guidance) would be read as a formula there, so every
writer passes its cells through :func:`sheet_cell` (workbooks) or :func:`escape_text` (CSV):

- in a workbook such text is written as a string cell with Excel's own "quote prefix" (what Excel stores when a
  person types ``'=1+1``): it shows as typed, stays text when edited, and reads back unchanged on import;
- in CSV, which has no cell types, it gets a leading apostrophe.

Numbers, dates and booleans stay what they are (``-3`` is a number, not escaped text).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

import openpyxl
from django.http import HttpResponse
from django.utils.functional import Promise
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from apps.core.web import download_response

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SHEET_TITLE_MAX = 31
_BOLD = Font(bold=True)


def is_formula_like(value) -> bool:
    """True for text a spreadsheet would read as a formula (or a DDE call)."""
    return isinstance(value, str) and value[:1] in FORMULA_STARTS


def escape_text(value):
    """``value`` for a CSV cell: text beginning with a formula character gets a leading apostrophe; lazy
    translations become text; anything else (numbers included) is returned as is."""
    if isinstance(value, Promise):
        value = str(value)
    return "'" + value if is_formula_like(value) else value


def sheet_cell(sheet, value):
    """``value`` as a cell to append to ``sheet`` (normal or write-only): formula-like text becomes a quoted
    string cell, lazy translations become text, anything else is returned unchanged (a plain value or a cell
    the caller styled)."""
    if isinstance(value, Promise):
        value = str(value)
    if not is_formula_like(value):
        return value
    cell = WriteOnlyCell(sheet) if isinstance(sheet, WriteOnlyWorksheet) else Cell(sheet)
    cell._value = value  # not ``cell.value =``: that would mark text beginning with "=" as a formula
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def safe_row(sheet, values: Iterable) -> list:
    """A row of values ready for ``sheet.append``: see :func:`sheet_cell`."""
    return [sheet_cell(sheet, value) for value in values]


def header_row(sheet, labels: Iterable) -> list:
    """Bold header cells for a write-only ``sheet``."""
    cells = []
    for label in labels:
        cell = sheet_cell(sheet, str(label))  # a header may be typed by people too (a score item's label)
        if not isinstance(cell, Cell):
            cell = WriteOnlyCell(sheet, value=cell)
        cell.font = _BOLD
        cells.append(cell)
    return cells


def sheet_title(title) -> str:
    """A valid sheet title: at most 31 characters and none of ``[]:*?/\\``."""
    text = "".join(c for c in str(title) if c not in "[]:*?/\\")
    return text[:SHEET_TITLE_MAX] or "Sheet"


def add_sheet(workbook, title, headers: Sequence, rows: Iterable[Iterable], *, widths: Sequence[int] = (),
              freeze: str = "A2", number_formats: dict[int, str] | None = None):
    """Append a write-only sheet ``title`` to ``workbook`` (made with ``write_only=True``): a bold header row, then
    ``rows`` with text made safe; ``number_formats`` maps a column index (from 0) to a number format, e.g. dates."""
    sheet = workbook.create_sheet(sheet_title(title))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    if freeze:
        sheet.freeze_panes = freeze
    sheet.append(header_row(sheet, headers))
    formats = number_formats or {}
    for row in rows:
        cells = safe_row(sheet, row)
        for index, number_format in formats.items():
            if index < len(cells) and cells[index] is not None and not isinstance(cells[index], Cell):
                cell = WriteOnlyCell(sheet, value=cells[index])
                cell.number_format = number_format
                cells[index] = cell
        sheet.append(cells)
    return sheet


def workbook_bytes(workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def simple_workbook(title, headers: Sequence, rows: Iterable[Iterable], *, widths: Sequence[int] = (),
                    freeze: str = "A2", number_formats: dict[int, str] | None = None) -> bytes:
    """A workbook of one sheet: a bold header row, then ``rows`` (see :func:`add_sheet`)."""
    workbook = openpyxl.Workbook(write_only=True)
    add_sheet(workbook, title, headers, rows, widths=widths, freeze=freeze, number_formats=number_formats)
    return workbook_bytes(workbook)


def xlsx_response(content: bytes, *, filename: str) -> HttpResponse:
    """The workbook ``content`` as a download named ``filename``."""
    return download_response(content, filename=filename, content_type=XLSX_CONTENT_TYPE)
