"""The roster import (代表名册导入): find the table in a workbook, read and check every row, and write all
rows in a few statements, or nothing.

One row is one mandate of a person; a person with two mandates takes two rows that agree on the person's
details. People are matched by ID number and mandates by (person, term), so importing the same workbook again
changes nothing. What cannot be read without guessing is reported, row by row and column by column, and then
nothing is written.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import openpyxl
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl.utils import get_column_letter

from apps.core.models import Jurisdiction
from apps.core.signals import send_records_written
from apps.deputies import validators
from apps.deputies.excel.cells import (
    SHORT_TERM_LEVELS, BadCell, as_shown, cell_text, header_key, listing, parse_short_term, read_date,
    read_id_number, read_phone, short_text, text_key,
)
from apps.deputies.excel.columns import (
    COLUMN_BY_KEY, COLUMNS, EDUCATION_SUFFIXES, EXAMPLE, EXAMPLE_ID_NUMBER, LANGUAGES, MAX_LENGTH, PERSON_FIELDS,
    Column, choice_labels, choice_lookup, header_lookup,
)
from apps.deputies.models import Delegation, DeputyGroup, ElectoralUnit, Mandate, Person, Term, unit_area

HEADER_SCAN_ROWS = 30
HISTORY_REASON = "roster import"

# ---------------------------------------------------------------------------------------------------------
# Results


@dataclass
class RowError:
    """One bad cell: the Excel row number (None for the file as a whole), the column header, what is wrong."""

    row: int | None
    column: str
    message: str


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0
    people_created: int = 0
    people_updated: int = 0
    mandates_created: int = 0
    mandates_updated: int = 0
    units_created: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def bad_row_count(self) -> int:
        return len({e.row for e in self.errors if e.row is not None})

    def summary(self) -> str:
        if self.ok:
            return _("Imported %(rows)s rows: %(people_created)s people added and %(people_updated)s updated, "
                     "%(mandates_created)s mandates added and %(mandates_updated)s updated.") % {
                "rows": self.rows, "people_created": self.people_created, "people_updated": self.people_updated,
                "mandates_created": self.mandates_created, "mandates_updated": self.mandates_updated}
        if not self.bad_row_count:
            return _("Nothing was imported: %(problem)s") % {"problem": self.errors[0].message}
        return ngettext("Nothing was imported: %(counter)s row has errors.",
                        "Nothing was imported: %(counter)s rows have errors.",
                        self.bad_row_count) % {"counter": self.bad_row_count}


# ---------------------------------------------------------------------------------------------------------
# Finding the table in a workbook


@dataclass
class _Table:
    sheet: object
    header_row: int
    data_start: int
    columns: dict[int, tuple[Column, str]]  # 0-based column index → (column, header as shown)


def _find_table(workbook, errors: list[RowError]) -> _Table | None:
    """The first sheet whose first rows hold a header row; the header is the row matching most columns."""
    lookup = header_lookup()
    for sheet in workbook.worksheets:
        if sheet.sheet_state != "visible":
            continue
        best, best_row = {}, 0
        for number, values in enumerate(sheet.iter_rows(max_row=HEADER_SCAN_ROWS, values_only=True), start=1):
            found = {}
            for index, value in enumerate(values):
                column = lookup.get(header_key(value)) if isinstance(value, str) else None
                if column is not None:
                    found.setdefault(column.key, []).append((index, validators.normalize_text(value)))
            if len(found) > len(best):
                best, best_row = found, number
        if len(best) >= 3:
            return _table_from_header(sheet, best_row, best, errors)
    examples = listing(str(COLUMN_BY_KEY[k].label) for k in ("name", "id_number", "term"))
    errors.append(RowError(None, "", _("No header row was found. One of the first rows of the sheet must hold "
                                       "the column headers of the template, such as %(examples)s.")
                           % {"examples": examples}))
    return None


def _table_from_header(sheet, header_row: int, found: dict, errors: list[RowError]) -> _Table:
    columns = {}
    for key, places in found.items():
        column = COLUMN_BY_KEY[key]
        if len(places) > 1:
            errors.append(RowError(None, places[0][1], _("The column %(column)s appears more than once "
                                                         "(columns %(letters)s); keep one.") % {
                "column": places[0][1],
                "letters": listing(get_column_letter(i + 1) for i, _shown_header in places)}))
        index, shown = places[0]
        columns[index] = (column, shown)
    for column in COLUMNS:
        if column.required and column.key not in found:
            errors.append(RowError(None, str(column.label),
                                   _("The required column %(column)s is missing.") % {"column": column.label}))
    data_start = header_row + 1
    for merged in sheet.merged_cells.ranges:  # a header of two rows: the data starts below it
        if merged.min_row <= header_row <= merged.max_row:
            data_start = max(data_start, merged.max_row + 1)
    return _Table(sheet, header_row, data_start, columns)


# ---------------------------------------------------------------------------------------------------------
# The import


@dataclass
class _Row:
    number: int
    person: dict
    mandate: dict
    term: Term
    unit_name: str | None


class _Importer:
    """One import: loads the terms and bodies in scope, reads and checks every row, then writes in bulk."""

    def __init__(self, *, user, result: ImportResult):
        self.user = user
        self.result = result
        self.errors = result.errors
        self.scope = user.jurisdiction.path if getattr(user, "jurisdiction", None) else "\x00none"
        self.choice = {c.key: choice_lookup(c.choices) for c in COLUMNS if c.kind == "choice"}
        self.labels = choice_labels()
        self.merge_bad: dict[int, set[str]] = {}
        self.cache: dict[str, dict] = {c.key: {} for c in COLUMNS}
        self.today = timezone.localdate()
        with translation.override(LANGUAGES[0]):
            zh_name = text_key(EXAMPLE["name"])
        with translation.override(LANGUAGES[1]):
            en_name = text_key(EXAMPLE["name"])
        self.example_names = {zh_name, en_name}

    # lookups: a few queries in all
    def load_bodies(self):
        self.terms = list(Term.objects.filter(jurisdiction__path__startswith=self.scope)
                          .select_related("jurisdiction"))
        self.terms_by_name = defaultdict(list)
        for term in self.terms:
            self.terms_by_name[text_key(term.name)].append(term)
        self.delegations = {(term_id, text_key(name)): pk for pk, term_id, name in
                            Delegation.objects.filter(term__in=self.terms).values_list("pk", "term_id", "name")}
        self.groups = defaultdict(list)
        for pk, name, jurisdiction_id, path in (DeputyGroup.objects.filter(jurisdiction__path__startswith=self.scope)
                                                .values_list("pk", "name", "jurisdiction_id", "jurisdiction__path")):
            self.groups[text_key(name)].append((pk, jurisdiction_id, path))
        self.units = {(j, level, text_key(name)): pk for pk, j, level, name in
                      ElectoralUnit.objects.filter(jurisdiction__path__startswith=self.scope)
                      .values_list("pk", "jurisdiction_id", "level", "name")}

    def error(self, row: int | None, column: str, message: str):
        self.errors.append(RowError(row, column, message))

    def run(self, table: _Table) -> list[_Row]:
        sheet = table.sheet
        columns = sorted(table.columns.items())
        headers = {column.key: shown for _i, (column, shown) in columns}
        fill, skip = self.merged_cells(table)
        self.present = set(headers)
        rows: list[_Row] = []
        people: dict[str, tuple[int, dict]] = {}
        mandates: dict[tuple[str, int], int] = {}
        for number, values in enumerate(sheet.iter_rows(min_row=table.data_start, values_only=True),
                                        start=table.data_start):
            if number in skip:
                continue
            raw = {}
            blank = True
            for index, (column, _shown_header) in columns:
                value = values[index] if index < len(values) else None
                if isinstance(value, str) and not value.strip():
                    value = None
                if value is not None:
                    blank = False
                elif (number, index) in fill:
                    value = fill[number, index]
                raw[column.key] = value
            if blank or self.is_example(raw):
                continue
            self.result.rows += 1
            row = self.read_row(number, raw, headers)
            if row is None:
                continue
            self.check_same_person(row, people, headers)
            key = (row.person["id_number"], row.term.pk)
            if key in mandates:
                self.error(number, headers["term"], _("Rows %(first)s and %(row)s both give this person a "
                                                      "mandate in %(term)s; keep one of them.") % {
                    "first": mandates[key], "row": number, "term": row.term.name})
                continue
            mandates[key] = number
            rows.append(row)
        return rows

    def merged_cells(self, table: _Table) -> tuple[dict, set]:
        """Values of cells merged down a column apply to every row they cover; a row merged across every
        column is a section heading; a merge across some columns cannot be read without guessing."""
        fill, skip = {}, set()
        recognised = set(table.columns)
        for merged in table.sheet.merged_cells.ranges:
            if merged.max_row < table.data_start:
                continue
            covered = [c - 1 for c in range(merged.min_col, merged.max_col + 1) if c - 1 in recognised]
            first_row = max(merged.min_row, table.data_start)
            if not covered:
                continue
            if len(covered) > 1:
                if set(covered) == recognised:
                    skip.update(range(first_row, merged.max_row + 1))
                    continue
                column, shown = table.columns[covered[0]]
                for number in range(first_row, merged.max_row + 1):
                    self.error(number, shown, _("Cells %(cells)s are merged across several columns; unmerge "
                                                "them so that each column has its own value.")
                               % {"cells": merged.coord})
                    self.merge_bad.setdefault(number, set()).update(table.columns[c][0].key for c in covered)
                continue
            value = table.sheet.cell(merged.min_row, merged.min_col).value
            for number in range(first_row, merged.max_row + 1):
                fill[number, covered[0]] = value
        return fill, skip

    def is_example(self, raw: dict) -> bool:
        value = raw.get("id_number")
        return (isinstance(value, str) and value.strip() == EXAMPLE_ID_NUMBER
                and text_key(raw.get("name")) in self.example_names)

    def read_row(self, number: int, raw: dict, headers: dict) -> _Row | None:
        """Every cell of one row, checked; None if any is bad (each bad cell is reported)."""
        before = len(self.errors)
        ignored = self.merge_bad.get(number, ())  # already reported as merged across columns
        values = {}
        month_only = False
        for key, value in raw.items():
            # Most cells repeat (gender, party, term, delegation ...): each distinct value is read once.
            cache = self.cache[key]
            cache_key = value if type(value) is str else (type(value), value)
            try:
                result, month = cache[cache_key]
            except KeyError:
                try:
                    result, month = cache[cache_key] = self.read_cell(COLUMN_BY_KEY[key], value)
                except BadCell as exc:
                    result, month = cache[cache_key] = exc, False
            if isinstance(result, BadCell):
                if key not in ignored:
                    self.error(number, headers[key], str(result))
                continue
            month_only = month_only or month
            values[key] = result
        self.check_birth_date(number, values, month_only, headers)
        term = self.resolve_term(number, values, headers)
        mandate = self.resolve_mandate(number, values, term, headers) if term else {}
        if len(self.errors) > before or ignored:
            return None
        person = {f: values[f] for f in PERSON_FIELDS if f in values}
        if "birth_date" not in person:
            person["birth_date"] = validators.id_birth_date(person["id_number"])
        unit = values.get("electoral_unit") or None
        return _Row(number, person, mandate, term, unit)

    def read_cell(self, column: Column, value) -> tuple:
        """(the value read, whether a date gave only the month); BadCell says why a cell cannot be read."""
        month = False
        if column.kind == "choice":
            text = cell_text(value)
            result = self.choice[column.key].get(text_key(text)) if text else ""
            if result is None and column.key == "education":
                result = self.education(text)
            if result is None:
                raise BadCell(_("“%(value)s” is not one of the allowed values: %(choices)s.") % {
                    "value": text, "choices": listing(self.labels[column.key].values())})
        elif column.kind in ("date", "birth"):
            result, month = read_date(value)
            if month and column.kind == "date":
                raise BadCell(_("“%(value)s” gives only the month; write the full date, e.g. 2022-01-15.")
                           % {"value": as_shown(value)})
        elif column.kind == "id":
            result = read_id_number(value)
        elif column.kind == "phone":
            result = read_phone(value)
        elif column.kind == "text":
            result = cell_text(value)
        else:  # names, short texts and references: spaces next to Chinese characters are stray
            result = short_text(cell_text(value))
        if column.required and result in ("", None):
            raise BadCell(_("This cell is required."))
        limit = MAX_LENGTH.get(column.key)
        if limit and isinstance(result, str) and len(result) > limit:
            raise BadCell(_("Too long: at most %(limit)s characters.") % {"limit": limit})
        return result, month

    def education(self, text: str) -> str | None:
        """学历 as rosters write it: "大学本科毕业", "研究生（硕士）", "大专学历". The part in brackets names the
        degree and wins when it is known; a trailing 毕业/学历/文化 is dropped. Nothing else is guessed: "本科或专科"
        and the like stay refused, with the allowed values listed."""
        lookup = self.choice["education"]
        key = text_key(text)
        for suffix in EDUCATION_SUFFIXES:
            if key.endswith(suffix) and key != suffix:
                key = key[: -len(suffix)]
        match = re.fullmatch(r"(.+?)[(（](.+?)[)）]", key)
        candidates = [match.group(2), match.group(1)] if match else [key]
        for candidate in candidates:
            for suffix in EDUCATION_SUFFIXES:
                if candidate.endswith(suffix) and candidate != suffix:
                    candidate = candidate[: -len(suffix)]
            if candidate in lookup:
                return lookup[candidate]
        return None

    def check_birth_date(self, number: int, values: dict, month_only: bool, headers: dict):
        birth, id_number = values.get("birth_date"), values.get("id_number")
        if "birth_date" not in values:
            return
        from_id = validators.id_birth_date(id_number) if id_number else None
        if birth is None:
            values["birth_date"] = from_id
            return
        if not date(1900, 1, 1) <= birth <= self.today:
            self.error(number, headers["birth_date"], _("The birth date %(date)s is not plausible.")
                       % {"date": birth.isoformat()})
        elif from_id and month_only:
            if (from_id.year, from_id.month) != (birth.year, birth.month):
                self.error(number, headers["birth_date"], _("The birth date does not match the ID number."))
            else:
                values["birth_date"] = from_id  # the ID number gives the day the cell left out
        elif from_id and from_id != birth:
            self.error(number, headers["birth_date"], _("The birth date does not match the ID number."))

    def resolve_term(self, number: int, values: dict, headers: dict) -> Term | None:
        name = values.get("term")
        if not name:
            return None
        candidates = self.terms_by_name.get(text_key(name), [])
        level = values.get("level")
        if level and candidates:
            matching = [t for t in candidates if t.level == level]
            if not matching:
                self.error(number, headers["level"], _("The level %(level)s does not match the term %(term)s "
                                                       "(%(term_level)s).") % {
                    "level": self.labels["level"][level], "term": candidates[0].name,
                    "term_level": self.labels["level"][candidates[0].level]})
                return None
            candidates = matching
        if not candidates:
            candidates = self.short_term(name, level)
            if len(candidates) > 1:
                self.error(number, headers["term"], _("“%(value)s” can mean several terms: %(terms)s. Write the "
                                                      "term's full name, or fill in the level column.") % {
                    "value": name, "terms": listing(f"{t.name}（{self.labels['level'][t.level]}）"
                                                      for t in candidates)})
                return None
        if not candidates:
            known = listing(sorted({t.name for t in self.terms})[:12]) or "—"
            self.error(number, headers["term"], _("There is no term named “%(value)s” in your jurisdiction. "
                                                  "Known terms: %(terms)s.") % {"value": name, "terms": known})
            return None
        if len(candidates) > 1:
            self.error(number, headers["term"], _("Several terms are named “%(value)s”; fill in the level "
                                                  "column to choose one.") % {"value": name})
            return None
        return candidates[0]

    def short_term(self, name: str, level: str | None) -> list[Term]:
        """A term written short — 市第十六届, 第十六届, 十六届, 16 — by its number, narrowed by what the prefix
        names (a level: 市, 区, 县, 乡, 镇, 省, 全国; or a jurisdiction: 南关区), by the level column, then by the
        user's own jurisdiction. Every term left is a candidate: one is the answer, several are ambiguous."""
        parsed = parse_short_term(name)
        if parsed is None:
            return []
        prefix, term_number = parsed
        candidates = [t for t in self.terms if t.number == term_number]
        if prefix:
            by_place = [t for t in candidates if text_key(t.jurisdiction.name) == prefix
                        or text_key(t.jurisdiction.name).startswith(prefix)]
            prefix_level = SHORT_TERM_LEVELS.get(prefix)
            candidates = by_place or [t for t in candidates if prefix_level and t.level == prefix_level]
        if level:
            candidates = [t for t in candidates if t.level == level]
        if len(candidates) > 1:
            own = [t for t in candidates if t.jurisdiction_id == getattr(self.user, "jurisdiction_id", None)]
            candidates = own if len(own) == 1 else candidates
        return candidates

    def resolve_mandate(self, number: int, values: dict, term: Term, headers: dict) -> dict:
        mandate = {}
        if "delegation" in values:
            name = values["delegation"]
            mandate["delegation_id"] = None
            if name:
                pk = self.delegations.get((term.pk, text_key(name)))
                if pk is None:
                    self.error(number, headers["delegation"], _("There is no delegation named “%(value)s” in "
                                                                "%(term)s.") % {"value": name, "term": term.name})
                mandate["delegation_id"] = pk
        if "group" in values:
            name = values["group"]
            mandate["group_id"] = None
            if name:
                mandate["group_id"] = self.resolve_group(number, name, term, headers)
        start = values.get("start_date")
        if start:
            mandate["start_date"] = start
            if start < term.start_date:
                self.error(number, headers["start_date"], _("The mandate cannot start before its term "
                                                            "(%(date)s).") % {"date": term.start_date.isoformat()})
            elif term.end_date and start > term.end_date:
                self.error(number, headers["start_date"], _("The mandate cannot start after its term ended "
                                                            "(%(date)s).") % {"date": term.end_date.isoformat()})
        if self.present & {"status", "end_date", "end_reason"}:
            self.resolve_status(number, values, mandate, headers)
        return mandate

    def resolve_group(self, number: int, name: str, term: Term, headers: dict) -> int | None:
        below = [g for g in self.groups.get(text_key(name), []) if g[2].startswith(term.jurisdiction.path)]
        if len(below) > 1:
            below = [g for g in below if g[1] == term.jurisdiction_id] or below
        if len(below) == 1:
            return below[0][0]
        if not below:
            message = _("There is no deputy group named “%(value)s” in %(jurisdiction)s or below.")
        else:
            message = _("Several deputy groups below %(jurisdiction)s are named “%(value)s”; rename one of "
                        "them first.")
        self.error(number, headers["group"], message % {"value": name, "jurisdiction": term.jurisdiction.name})
        return None

    def resolve_status(self, number: int, values: dict, mandate: dict, headers: dict):
        status, end_date, reason = values.get("status"), values.get("end_date"), values.get("end_reason", "")
        if not status:
            status = Mandate.Status.ENDED if end_date or reason else Mandate.Status.SERVING
        ended_label = self.labels["status"][Mandate.Status.ENDED]
        status_header = headers.get("status") or str(COLUMN_BY_KEY["status"].label)
        if status == Mandate.Status.ENDED:
            if not end_date:
                self.error(number, headers.get("end_date", status_header), _("An ended mandate needs an end date."))
            if not reason:
                self.error(number, headers.get("end_reason", status_header),
                           _("An ended mandate needs an end reason."))
        else:
            if end_date:
                self.error(number, headers["end_date"], _("Only an ended mandate has an end date: set the status "
                                                          "to %(ended)s or empty this cell.") % {"ended": ended_label})
            if reason:
                self.error(number, headers["end_reason"], _("Only an ended mandate has an end reason: set the "
                                                             "status to %(ended)s or empty this cell.")
                           % {"ended": ended_label})
        if end_date and mandate.get("start_date") and end_date < mandate["start_date"]:
            self.error(number, headers["end_date"], _("The end date is before the mandate started."))
        mandate.update(status=status, end_date=end_date, end_reason=reason or "")

    def check_same_person(self, row: _Row, people: dict, headers: dict):
        """Two rows of one person (two mandates) must agree on the person's details."""
        id_number = row.person["id_number"]
        if id_number not in people:
            people[id_number] = (row.number, row.person)
            return
        first, person = people[id_number]
        for name in PERSON_FIELDS:
            a, b = person.get(name), row.person.get(name)
            if a != b and name in headers:
                self.error(row.number, headers[name], _("Row %(first)s has the same ID number but “%(a)s” here, "
                                                        "not “%(b)s”; the two rows of one person must agree.")
                           % {"first": first, "a": self.display(name, a), "b": self.display(name, b)})

    def display(self, name: str, value) -> str:
        if value in (None, ""):
            return "—"
        if name in self.labels:
            return self.labels[name].get(value, value)
        return value.isoformat() if isinstance(value, date) else str(value)

    # writing: all rows are good
    def write(self, rows: list[_Row]):
        """Create or update people and mandates (all rows are good), with their history, in a few statements."""
        now = timezone.now()
        people = {row.person["id_number"]: row.person for row in rows}
        existing = {p.id_number: p for p in Person.objects.with_id_numbers(people)}
        known_people = [p.pk for p in existing.values()]
        new_people, changed_people, person_fields = [], [], set()
        for id_number, data in people.items():
            person = existing.get(id_number)
            if person is None:
                person = Person(**data)
                person.name_pinyin, person.name_initials = validators.pinyin_of(person.name)
                new_people.append(person)
                existing[id_number] = person
                continue
            changed = [f for f, v in data.items() if getattr(person, f) != v]
            if not changed:
                continue
            for f in changed:
                setattr(person, f, data[f])
            if "name" in changed:
                person.name_pinyin, person.name_initials = validators.pinyin_of(person.name)
                changed += ["name_pinyin", "name_initials"]
            person.updated_at = now
            person.version += 1  # an edit form opened before the import is then refused as stale
            person_fields.update(changed)
            person_fields.update(Person.LOOKUP_HASHES[f] for f in changed if f in Person.LOOKUP_HASHES)
            changed_people.append(person)
        units = self.create_units(rows, now)
        if new_people:
            Person.objects.bulk_create(new_people)
            _record_history(Person, new_people, "+", user=self.user, when=now)
        if changed_people:
            _bulk_update(Person, changed_people, sorted(person_fields | {"updated_at", "version"}))
            _record_history(Person, changed_people, "~", user=self.user, when=now)
        current = {(m.person_id, m.term_id): m for m in
                   Mandate.objects.filter(person_id__in=known_people, term_id__in={row.term.pk for row in rows})}
        new_mandates, changed_mandates, mandate_fields = [], [], set()
        for row in rows:
            person = existing[row.person["id_number"]]
            data = dict(row.mandate)
            if "electoral_unit" in self.present:
                data["electoral_unit_id"] = units.get((row.term.jurisdiction_id, row.term.level,
                                                       text_key(row.unit_name))) if row.unit_name else None
            mandate = current.get((person.pk, row.term.pk))
            if mandate is None:
                new_mandates.append(Mandate(person=person, term=row.term, level=row.term.level,
                                            jurisdiction_id=row.term.jurisdiction_id, **data))
                continue
            changed = [f for f, v in data.items() if getattr(mandate, f) != v]
            if changed:
                for f in changed:
                    setattr(mandate, f, data[f])
                mandate_fields.update(changed)
                changed_mandates.append(mandate)
        if new_mandates:
            Mandate.objects.bulk_create(new_mandates)
            _record_history(Mandate, new_mandates, "+", user=self.user, when=now)
        if changed_mandates:
            _bulk_update(Mandate, changed_mandates, sorted(mandate_fields))
            _record_history(Mandate, changed_mandates, "~", user=self.user, when=now)
        if new_mandates or changed_mandates:  # bulk writes fire no post_save: tell who derives from mandates
            send_records_written(Mandate, mandate_ids=[m.pk for m in (*new_mandates, *changed_mandates)])
        self.result.people_created, self.result.people_updated = len(new_people), len(changed_people)
        self.result.mandates_created, self.result.mandates_updated = len(new_mandates), len(changed_mandates)

    def create_units(self, rows: list[_Row], now) -> dict:
        """Electoral units named in the workbook that do not exist yet are created in the term's jurisdiction."""
        units = dict(self.units)
        missing = {}
        places = None
        for row in rows:
            if row.unit_name:
                key = (row.term.jurisdiction_id, row.term.level, text_key(row.unit_name))
                if key not in units and key not in missing:
                    if places is None:
                        places = list(Jurisdiction.objects.values_list("pk", "path", "name", "short_name"))
                    missing[key] = ElectoralUnit(jurisdiction_id=row.term.jurisdiction_id, level=row.term.level,
                                                 name=row.unit_name,
                                                 area_id=unit_area(row.term.jurisdiction.path, row.unit_name, places))
        if missing:
            created = ElectoralUnit.objects.bulk_create(list(missing.values()))
            _record_history(ElectoralUnit, created, "+", user=self.user, when=now)
            for key, unit in zip(missing, created, strict=True):
                units[key] = unit.pk
            self.result.units_created = len(created)
        return units


def _bulk_update(model, objs, fields: list[str]) -> None:
    """One UPDATE … FROM unnest(arrays) for thousands of rows; QuerySet.bulk_update builds a CASE WHEN per row
    and field, which takes seconds at roster scale."""
    meta, quote = model._meta, connection.ops.quote_name
    columns = [meta.pk] + [meta.get_field(name) for name in fields]
    arrays = [[f.get_db_prep_save(getattr(o, f.attname), connection) for o in objs] for f in columns]
    names = [f"c{i}" for i in range(len(columns))]
    arrays_sql = ", ".join(f"%s::{f.db_type(connection)}[]" for f in columns)
    assignments = ", ".join(f"{quote(f.column)} = v.{n}" for f, n in zip(columns[1:], names[1:], strict=True))
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {quote(meta.db_table)} AS t SET {assignments} FROM unnest({arrays_sql}) "
                       f"AS v({', '.join(names)}) WHERE t.{quote(meta.pk.column)} = v.c0", arrays)


def _record_history(model, objs, history_type: str, *, user, when) -> None:
    """The history rows simple_history's bulk_history_create would write for rows just written in bulk,
    copied inside PostgreSQL: building thousands of historical instances in Python would double the time of
    an import."""
    if not objs or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    history = model.history.model
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in history.tracked_fields)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(history._meta.db_table)} "
            f"({columns}, history_date, history_change_reason, history_type, history_user_id) "
            f"SELECT {columns}, %s, %s, %s, %s FROM {quote(model._meta.db_table)} "
            f"WHERE {quote(model._meta.pk.column)} = ANY(%s)",
            [when, HISTORY_REASON, history_type, user.pk if user else None, [o.pk for o in objs]],
        )


def _open_workbook(file):
    if hasattr(file, "temporary_file_path"):
        file = file.temporary_file_path()
    elif hasattr(file, "seek"):
        file.seek(0)
    return openpyxl.load_workbook(file, data_only=True, keep_links=False)


def import_roster(*, file, user) -> ImportResult:
    """Read a roster workbook and, if every row is good, write it in one transaction; otherwise write nothing
    and report every bad cell of every bad row."""
    result = ImportResult()
    try:
        workbook = _open_workbook(file)
    except Exception:  # openpyxl raises many kinds of errors for a file that is not a workbook
        result.errors.append(RowError(None, "", _("The file could not be opened as an Excel workbook (.xlsx). "
                                                  "Save it from Excel as .xlsx and try again.")))
        return result
    table = _find_table(workbook, result.errors)
    if table is None or result.errors:
        return result
    importer = _Importer(user=user, result=result)
    try:
        with transaction.atomic():
            importer.load_bodies()
            rows = importer.run(table)
            result.errors.sort(key=lambda e: (e.row or 0))
            if result.ok:
                importer.write(rows)
    except IntegrityError:
        result.errors.append(RowError(None, "", _("The roster changed while this file was being imported; "
                                                  "please import it again.")))
    return result

