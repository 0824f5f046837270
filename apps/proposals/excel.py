"""Workbooks of motions and suggestions: the office's filtered list (export only)."""

import io

import openpyxl
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from apps.proposals.models import Deadline, Kind, Proposal


def _columns():
    return [
        (_("Year"), 8), (_("Session"), 26), (_("Kind"), 8), (_("Number"), 10), (_("Title"), 48),
        (_("Lead deputy"), 12), (_("Number of signers"), 8), (_("Category"), 12), (_("Key item"), 8), (_("State"), 12),
        (_("Lead unit"), 24), (_("Co-units"), 8), (_("Next deadline"), 14), (_("Deadline kind"), 16),
        (_("Reply class"), 10), (_("Submitted on"), 14),
    ]


def proposals_workbook(rows) -> bytes:
    """One row per item of ``rows`` (``selectors.office.proposal_rows``), in the list's order."""
    kinds, states = dict(Kind.choices), dict(Proposal.State.choices)
    deadline_kinds = dict(Deadline.Kind.choices)
    yes = str(_("Yes"))
    columns = _columns()
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(str(_("Motions and suggestions"))[:31])
    for index, (_label, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for label, _width in columns:
        cell = WriteOnlyCell(sheet, value=str(label))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for p in rows:
        submitted = timezone.localtime(p.submitted_at).date() if p.submitted_at else None
        due = WriteOnlyCell(sheet, value=p.next_due_on)
        due.number_format = "yyyy-mm-dd"
        submitted_cell = WriteOnlyCell(sheet, value=submitted)
        submitted_cell.number_format = "yyyy-mm-dd"
        sheet.append([
            p.year, p.session.name if p.session_id else "", str(kinds.get(p.kind, p.kind)), p.number_label,
            p.title, p.lead_name or "", p.signer_count, p.category.name if p.category_id else "",
            yes if p.is_key else "", str(states.get(p.state, p.state)), p.lead_unit_name or "",
            p.co_unit_count or "", due, str(deadline_kinds.get(p.next_due_kind, "")) if p.next_due_kind else "",
            p.reply_class_code or "", submitted_cell,
        ])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
