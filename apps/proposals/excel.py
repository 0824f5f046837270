"""Workbooks of motions and suggestions: the office's filtered list, the supervisors' board and the items behind
one of its figures (exports only)."""

import openpyxl
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

from apps.core.excel import add_sheet, header_row, safe_row, sheet_title, simple_workbook, workbook_bytes
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
    sheet = workbook.create_sheet(sheet_title(_("Motions and suggestions")))
    for index, (_label, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.append(header_row(sheet, [label for label, _width in columns]))
    for p in rows:
        submitted = timezone.localtime(p.submitted_at).date() if p.submitted_at else None
        due = WriteOnlyCell(sheet, value=p.next_due_on)
        due.number_format = "yyyy-mm-dd"
        submitted_cell = WriteOnlyCell(sheet, value=submitted)
        submitted_cell.number_format = "yyyy-mm-dd"
        sheet.append(safe_row(sheet, [
            p.year, p.session.name if p.session_id else "", str(kinds.get(p.kind, p.kind)), p.number_label,
            p.title, p.lead_name or "", p.signer_count, p.category.name if p.category_id else "",
            yes if p.is_key else "", str(states.get(p.state, p.state)), p.lead_unit_name or "",
            p.co_unit_count or "", due, str(deadline_kinds.get(p.next_due_kind, "")) if p.next_due_kind else "",
            p.reply_class_code or "", submitted_cell,
        ]))
    return workbook_bytes(workbook)


def _rate(value: float | None):
    return round(value, 1) if value is not None else None


def board_workbook(board, *, title: str) -> bytes:
    """The supervisors' board (``selectors.board.board``): the totals and states, then one sheet by present lead
    unit and one by category, each line with the board's counts and rates (per cent, one decimal)."""
    from apps.proposals.selectors.board import MEASURES

    rates = [(_("Reply rate (%)"), "reply_rate"), (_("Satisfaction rate (%)"), "satisfaction_rate"),
             (_("First-round satisfaction rate (%)"), "first_round_satisfaction_rate"),
             (_("Class A rate (%)"), "solved_rate")]
    measure_headers = [f.label for f in MEASURES] + [label for label, _name in rates]

    def numbers(figures):
        return [figures.counts[f.name] for f in MEASURES] + [_rate(figures.rate(name)) for _label, name in rates]

    workbook = openpyxl.Workbook(write_only=True)
    summary = [[label, value] for label, value in zip(measure_headers, numbers(board.totals), strict=True)]
    summary += [[], [_("By state")]] + [[figure.label, count] for figure, count in board.states]
    summary += [[], [title], [_("Figures as of %(date)s") % {"date": board.today.isoformat()}]]
    add_sheet(workbook, _("Figures"), [_("Figure"), _("Value")], summary, widths=[36, 12], freeze="")
    for sheet_name, first, lines in ((_("By lead unit"), _("Lead unit"), board.units),
                                     (_("By category"), _("Category"), board.categories)):
        add_sheet(workbook, sheet_name, [first, *measure_headers],
                  ([line.name or _("No category"), *numbers(line)] for line in lines),
                  widths=[28] + [10] * len(measure_headers), freeze="B2")
    return workbook_bytes(workbook)


def board_items_workbook(items, *, title: str) -> bytes:
    """The items behind one figure of the board (``selectors.board.figure_items``), as the list shows them."""
    kinds, states = dict(Kind.choices), dict(Proposal.State.choices)
    yes = _("Yes")
    return simple_workbook(
        title,
        [_("Year"), _("Number"), _("Title"), _("Key item"), _("Type of item"), _("State"), _("Category"),
         _("Lead unit"), _("Reply due on")],
        ([p.year, p.number_label, p.title, yes if p.is_key else "", kinds.get(p.kind, p.kind),
          states.get(p.state, p.state), p.category.name if p.category_id else "", p.lead_unit_name or "",
          p.handling_due_on] for p in items.iterator(chunk_size=2000)),
        widths=[8, 12, 48, 8, 10, 12, 14, 24, 14], number_formats={8: "yyyy-mm-dd"})
