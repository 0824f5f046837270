"""Writing roster workbooks (代表名册): the import template, with drop-downs and instructions, and the export
in the template's columns, so that an exported file can be imported again."""

from __future__ import annotations

import io

import openpyxl
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from apps.core.excel import safe_row
from apps.deputies import validators
from apps.deputies.excel.cells import listing
from apps.deputies.excel.columns import COLUMN_BY_KEY, COLUMNS, EXAMPLE, Column, choice_labels
from apps.deputies.models import Delegation, DeputyGroup, ElectoralUnit, Term

TEMPLATE_ROWS = 10000

_TITLE_FONT = Font(bold=True, size=14)
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_REQUIRED_FILL = PatternFill("solid", fgColor="C00000")
_OPTIONAL_FILL = PatternFill("solid", fgColor="1F4E78")
_EXAMPLE_FONT = Font(italic=True, color="808080")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _roster_sheet(workbook, title: str):
    """The roster sheet: a title row merged over the columns, then the header row; panes frozen below it."""
    sheet = workbook.active
    sheet.title = str(_("Roster"))[:31]
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLUMNS))
    sheet.cell(1, 1).font = _TITLE_FONT
    sheet.cell(1, 1).alignment = _CENTER
    sheet.row_dimensions[1].height = 28
    sheet.append([str(c.label) for c in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(2, index)
        cell.font = _HEADER_FONT
        cell.fill = _REQUIRED_FILL if column.required else _OPTIONAL_FILL
        cell.alignment = _CENTER
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        if column.kind in ("id", "phone"):
            sheet.column_dimensions[letter].number_format = "@"
        elif column.kind in ("date", "birth"):
            sheet.column_dimensions[letter].number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "B3"
    return sheet


def _cell_value(column: Column, value, labels: dict):
    if column.kind == "choice":
        return labels[column.key].get(value, "") if value else ""
    if isinstance(value, Promise):
        return str(value)
    return value


def template_bodies(user) -> tuple[dict, dict[str, list[str]]]:
    """The example row's references and the drop-down lists of the reference columns, from the bodies the user
    may import into: the newest term of their own jurisdiction (else of one below it), an electoral unit, a
    delegation and a group of that term, and the term's start date. A reference the jurisdiction lacks is left
    empty in the example; nothing is invented, so a clerk who copies the example's form succeeds."""
    jurisdiction = getattr(user, "jurisdiction", None)
    if jurisdiction is None:
        return {"term": "", "level": "", "electoral_unit": "", "delegation": "", "group": "", "start_date": None}, {}
    scope = jurisdiction.path
    terms = list(Term.objects.filter(jurisdiction__path__startswith=scope).select_related("jurisdiction")
                 .order_by("jurisdiction__path", "-start_date", "level"))
    own = sorted((t for t in terms if t.jurisdiction_id == jurisdiction.pk), key=lambda t: t.start_date,
                 reverse=True)
    term = own[0] if own else max(terms, key=lambda t: t.start_date, default=None)
    units = list(ElectoralUnit.objects.filter(jurisdiction__path__startswith=scope)
                 .order_by("jurisdiction__path", "level", "name").values_list("name", "jurisdiction_id", "level"))
    delegations = list(Delegation.objects.filter(term__in=terms).order_by("term__jurisdiction__path", "name")
                       .values_list("name", "term_id"))
    groups = list(DeputyGroup.objects.filter(jurisdiction__path__startswith=scope)
                  .order_by("jurisdiction__path", "name").values_list("name", "jurisdiction_id"))
    example = {"term": "", "level": "", "electoral_unit": "", "delegation": "", "group": "", "start_date": None}
    if term is not None:
        example.update(
            term=term.name, level=term.level, start_date=term.start_date,
            electoral_unit=next((n for n, j, lv in units if j == term.jurisdiction_id and lv == term.level), ""),
            delegation=next((n for n, t in delegations if t == term.pk), ""),
            group=next((n for n, j in groups if j == term.jurisdiction_id), ""))
    lists = {"term": list(dict.fromkeys(t.name for t in terms)),
             "electoral_unit": list(dict.fromkeys(n for n, _j, _lv in units)),
             "delegation": list(dict.fromkeys(n for n, _t in delegations)),
             "group": list(dict.fromkeys(n for n, _j in groups))}
    return example, lists


def build_template(user=None) -> bytes:
    """The import template: a title row, the header row, one example row, drop-downs for coded columns and a
    sheet of instructions. With a user, the example row and the reference columns' drop-downs name the bodies of
    the user's own jurisdiction (``template_bodies``)."""
    workbook = openpyxl.Workbook()
    sheet = _roster_sheet(workbook, str(_("Roster of deputies")))
    labels = choice_labels()
    example = dict(EXAMPLE)
    reference_lists: dict[str, list[str]] = {}
    if user is not None:
        references, reference_lists = template_bodies(user)
        example.update(references)
    sheet.append([_cell_value(c, example[c.key], labels) for c in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(3, index)
        cell.font = _EXAMPLE_FONT
        if column.kind in ("date", "birth"):
            cell.number_format = "yyyy-mm-dd"
        elif column.kind in ("id", "phone"):
            cell.number_format = "@"

    lists = workbook.create_sheet(pgettext("sheet of drop-down lists", "Lists"))  # 选项: hidden, the drop-downs' values
    listed = [(c, list(labels[c.key].values())) for c in COLUMNS if c.kind == "choice"]
    listed += [(COLUMN_BY_KEY[key], values) for key, values in reference_lists.items() if values]
    for list_index, (column, values) in enumerate(listed, start=1):
        letter = get_column_letter(list_index)
        lists.cell(1, list_index, str(column.label))
        for row, label in enumerate(values, start=2):
            lists.cell(row, list_index, label)
        target = get_column_letter(COLUMNS.index(column) + 1)
        # A reference not in the list (a new electoral unit) is allowed after a warning; the import checks it.
        validation = DataValidation(type="list",
                                    formula1=f"='{lists.title}'!${letter}$2:${letter}${len(values) + 1}",
                                    allow_blank=True, errorStyle="warning", showErrorMessage=True,
                                    error=str(_("Please choose a value from the list.")))
        validation.add(f"{target}3:{target}{TEMPLATE_ROWS + 2}")
        sheet.add_data_validation(validation)
    lists.sheet_state = "hidden"

    notes = workbook.create_sheet(str(_("Instructions"))[:31])
    notes.column_dimensions["A"].width = 18
    notes.column_dimensions["B"].width = 8
    notes.column_dimensions["C"].width = 100
    for line in (
        _("One row is one mandate of a person. A person who holds two mandates (for example municipal and "
          "county) takes two rows with the same personal details."),
        _("People are matched by ID number: importing again updates them and never creates duplicates. If any "
          "row has an error, nothing is written and every error is listed."),
        _("Keep the header row; title rows above it and columns not in the template are ignored. Columns with "
          "a red header are required."),
        _("The grey example row is ignored as long as its name and ID number are unchanged; you may delete it."),
    ):
        notes.append([str(line)])
        notes.merge_cells(start_row=notes.max_row, start_column=1, end_row=notes.max_row, end_column=3)
        notes.cell(notes.max_row, 1).alignment = Alignment(wrap_text=True, vertical="top")
        notes.row_dimensions[notes.max_row].height = 30
    notes.append([])
    notes.append([str(_("Column")), str(_("Required")), str(_("How to fill it in"))])
    for cell in notes[notes.max_row]:
        cell.font = _HEADER_FONT
        cell.fill = _OPTIONAL_FILL
    yes, no = str(_("Yes")), str(_("No"))
    for column in COLUMNS:
        how = str(column.help)
        if column.kind == "choice":
            allowed = _("Allowed values: %(values)s.") % {"values": listing(labels[column.key].values())}
            how = f"{how} {allowed}".strip()
        notes.append([str(column.label), yes if column.required else no, how])
        notes.cell(notes.max_row, 3).alignment = Alignment(wrap_text=True, vertical="top")
    return _save(workbook)


def export_roster(rows, *, unmasked: bool, managed_path: str | None = None) -> bytes:
    """The filtered mandates (``selectors.export_rows``) in the template's columns, so the file can be imported
    again; ID numbers and phones are masked unless ``unmasked``, and always on the rows of a mandate outside
    ``managed_path`` (a higher congress's deputy elected in the office's area, whom it sees read-only)."""
    workbook = openpyxl.Workbook()
    stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    sheet = _roster_sheet(workbook, _("Roster of deputies (exported %(date)s)") % {"date": stamp})
    labels = choice_labels()
    mask_id = (lambda v: v) if unmasked else validators.mask_id_number
    mask_phone = (lambda v: v) if unmasked else validators.mask_phone
    status, end_reason, level = labels["status"], labels["end_reason"], labels["level"]
    gender, party, education, occupation = (labels["gender"], labels["party"], labels["education"],
                                            labels["occupation"])
    append = sheet.append
    for m in rows:
        p = m.person
        shown = unmasked and (managed_path is None or m.jurisdiction.path.startswith(managed_path))
        append(safe_row(sheet, [
            p.name, gender.get(p.gender, ""), p.ethnicity, p.birth_date,
            mask_id(p.id_number) if shown else validators.mask_id_number(p.id_number),
            mask_phone(p.phone) if shown else validators.mask_phone(p.phone), party.get(p.party, ""),
            education.get(p.education, ""), p.employer, p.post,
            p.sector, occupation.get(p.occupation, ""), p.address, level.get(m.level, ""), m.term.name,
            m.electoral_unit.name if m.electoral_unit_id else "",
            m.delegation.name if m.delegation_id else "", m.group.name if m.group_id else "",
            m.start_date, status.get(m.status, ""), m.end_date, end_reason.get(m.end_reason, ""),
        ]))
    for index, column in enumerate(COLUMNS, start=1):
        if column.kind in ("date", "birth"):
            for (cell,) in sheet.iter_rows(min_row=3, min_col=index, max_col=index):
                cell.number_format = "yyyy-mm-dd"
    sheet.auto_filter.ref = f"A2:{get_column_letter(len(COLUMNS))}{max(sheet.max_row, 2)}"
    return _save(workbook)


def _save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
