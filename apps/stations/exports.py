"""Workbooks of work stations (exports only): the voter visit log."""

import io

import openpyxl
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from apps.core.excel import XLSX_CONTENT_TYPE, safe_row
from apps.deputies.validators import mask_phone

XLSX = XLSX_CONTENT_TYPE

HEADERS = (gettext_lazy("Date"), gettext_lazy("Station"), gettext_lazy("Visitor"), gettext_lazy("Phone"),
           gettext_lazy("Category"), gettext_lazy("Issue raised"), gettext_lazy("Deputies present"),
           gettext_lazy("Followed up by"), gettext_lazy("Follow-up due"), gettext_lazy("Status"),
           gettext_lazy("Overdue"), gettext_lazy("Result told to the visitor"), gettext_lazy("Result told on"))


def visit_row(visit) -> list:
    """One visit as the sheet shows it (the visitor's phone masked, as on the page)."""
    return [visit.date, visit.station.name, visit.visitor_name, mask_phone(visit.visitor_phone or ""),
            str(visit.get_category_display()), visit.issue,
            "、".join(p.name for p in visit.deputies.all()), visit.follow_up_by, visit.follow_up_due,
            str(visit.get_status_display()), _("Yes") if visit.is_overdue else "", visit.result, visit.result_told_at]


def visits_workbook(visits) -> bytes:
    """The visit log's rows (``selectors.visit_rows``), all of them, not only a page."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = str(_("Voter visits"))[:31]
    sheet.append([str(h) for h in HEADERS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for visit in visits:
        sheet.append(safe_row(sheet, visit_row(visit)))
    for column in ("A", "I", "M"):
        for cell in sheet[column][1:]:
            cell.number_format = "yyyy-mm-dd"
    for index, width in enumerate([12, 20, 10, 14, 12, 50, 20, 16, 12, 10, 8, 40, 12], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
