"""Training workbooks: the coverage table and the untrained deputies of a coverage row (exports only)."""

import io

import openpyxl
from django.utils.translation import gettext as _
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from apps.training.selectors import CoverageTable


def _sheet(title: str, headers: list[str], rows, widths: list[int]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def coverage_workbook(table: CoverageTable) -> bytes:
    """One row per level and jurisdiction, then each level's total."""
    from apps.deputies.models import Level

    labels = dict(Level.choices)
    rows = []
    for level in table.levels:
        for row in table.rows_of(level):
            name = row.jurisdiction.name + (f" ({_('own deputies')})" if row.own else "")
            rows.append([str(labels[level]), name, row.serving, row.trained, row.rate / 100, row.person_times])
        total = table.totals[level]
        rows.append([str(labels[level]), _("Total"), total.serving, total.trained, total.rate / 100,
                     total.person_times])
    content_rows = rows
    data = _sheet(_("Training coverage %(year)s") % {"year": table.year},
                  [_("Level"), _("Jurisdiction"), _("Serving deputies"), _("Trained"), _("Coverage rate"),
                   _("Person-times")], content_rows, [16, 24, 14, 12, 14, 14])
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    for cell in workbook.active["E"][1:]:
        cell.number_format = "0.0%"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def untrained_workbook(mandates, *, year: int) -> bytes:
    """The untrained deputies, phones masked."""
    rows = ([m.person.name, m.get_level_display(), m.jurisdiction.name, m.delegation.name if m.delegation else "",
             m.group.name if m.group else "", m.person.masked_phone] for m in mandates.iterator(chunk_size=2000))
    return _sheet(_("Untrained %(year)s") % {"year": year},
                  [_("Name"), _("Level"), _("Jurisdiction"), _("Delegation"), _("Deputy group"), _("Phone")],
                  rows, [12, 14, 20, 20, 20, 16])
