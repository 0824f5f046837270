"""Roster workbooks (代表名册): the template, the import (all or nothing) and the export.

One row of a workbook is one mandate of a person; a person with two mandates takes two rows that agree on the
person's details. People are matched by ID number and mandates by (person, term), so importing the same
workbook again changes nothing. The import reads real workbooks as people make them: title rows above the
header, merged cells, full-width characters, stray spaces, numbers and dates typed as text. What it cannot read
without guessing it reports, row by row and column by column, and then writes nothing.

The package, one module per idea: ``columns`` (the workbook's columns and the spellings they accept),
``cells`` (reading one cell as people type it; no database), ``importer`` (finding the table, checking rows,
writing) and ``workbook`` (the template and the export). The names below are what the rest of the code uses.
"""

from apps.deputies.excel.columns import COLUMN_BY_KEY, COLUMNS, EXAMPLE, EXAMPLE_ID_NUMBER, Column
from apps.deputies.excel.importer import ImportResult, RowError, import_roster
from apps.deputies.excel.workbook import build_template, export_roster, template_bodies

__all__ = [
    "COLUMNS", "COLUMN_BY_KEY", "EXAMPLE", "EXAMPLE_ID_NUMBER", "Column", "ImportResult", "RowError",
    "build_template", "export_roster", "import_roster", "template_bodies",
]
