"""Workbooks of the staff side of activities (exports only): the totals for a period."""

import io

import openpyxl
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from apps.core.excel import XLSX_CONTENT_TYPE
from apps.core.excel import sheet_cell as _text

XLSX = XLSX_CONTENT_TYPE


def totals_workbook(totals: dict, *, date_from, date_to, jurisdiction=None) -> bytes:
    """The totals page as a sheet: a title row with the period, the header, one row per type, the total."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = str(_("Activity totals"))[:31]
    scope = jurisdiction.name if jurisdiction is not None else _("All")
    sheet.append([_text(sheet, _("Activity totals %(start)s – %(end)s (%(scope)s)") % {
        "start": date_format(date_from), "end": date_format(date_to), "scope": scope})])
    headers = [_("Type"), _("Activities"), _("Person-times present"), _("Suggestions raised"),
               _("Households helped"), _("People helped"), _("Funds (yuan)")]
    sheet.append([str(h) for h in headers])
    for cell in (*sheet[1], *sheet[2]):
        cell.font = Font(bold=True)
    for row in totals["rows"]:
        outcomes = ([row["suggestions"], row["households"], row["people"], float(row["funds"])]
                    if row["type"].has_outcomes else [None, None, None, None])
        sheet.append([_text(sheet, row["type"].name), row["activities"], row["present"], *outcomes])
    total = totals["total"]
    sheet.append([_("Total"), total["activities"], total["present"], total["suggestions"], total["households"],
                  total["people"], float(total["funds"])])
    sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
    for cell in sheet["G"][2:]:
        cell.number_format = "#,##0.00"
    for index, width in enumerate([24, 10, 14, 14, 14, 14, 16], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A3"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
