"""Roster workbooks (代表名册): the template, the import (all or nothing) and the export.

One row of a workbook is one mandate of a person; a person with two mandates takes two rows that agree on the
person's details. People are matched by ID number and mandates by (person, term), so importing the same
workbook again changes nothing. The import reads real workbooks as people make them: title rows above the
header, merged cells, full-width characters, stray spaces, numbers and dates typed as text. What it cannot read
without guessing it reports, row by row and column by column, and then writes nothing.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time

import openpyxl
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext, pgettext_lazy
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from apps.core.excel import safe_row
from apps.core.models import Jurisdiction
from apps.core.signals import send_records_written
from apps.deputies import validators
from apps.deputies.models import (
    Delegation, DeputyGroup, Education, ElectoralUnit, Gender, Level, Mandate, Occupation, Party, Person, Term,
    unit_area,
)

LANGUAGES = ("zh-hans", "en")
HEADER_SCAN_ROWS = 30
TEMPLATE_ROWS = 10000
HISTORY_REASON = "roster import"

# ---------------------------------------------------------------------------------------------------------
# Columns


@dataclass(frozen=True)
class Column:
    key: str
    label: Promise
    kind: str  # short | text | name | id | phone | birth | date | choice | ref
    required: bool = False
    choices: type | None = None
    width: int = 14
    help: Promise | str = ""
    aliases: tuple = ()  # other headers real workbooks use for the column




COLUMNS = [
    Column("name", gettext_lazy("Name"), "name", True, width=10,
           help=gettext_lazy("Full name; spaces inside a Chinese name are removed.")),
    Column("gender", gettext_lazy("Gender"), "choice", True, Gender, width=6),
    Column("ethnicity", gettext_lazy("Ethnicity"), "short", True, width=8,
           help=gettext_lazy("For example: Han.")),
    Column("birth_date", gettext_lazy("Birth date"), "birth", width=12,
           aliases=(pgettext_lazy("roster header alias", "Year and month of birth"),),
           help=gettext_lazy("A date such as 1975-03-12, 1975/3/12, 1975.03.12 or 19750312; a month alone "
                             "(1975-03) is accepted. May be left empty: it is then taken from the ID number.")),
    Column("id_number", gettext_lazy("ID number"), "id", True, width=21,
           aliases=(pgettext_lazy("roster header alias", "ID card number"), pgettext_lazy("roster header alias", "Citizen ID number")),
           help=gettext_lazy("18 characters, checked against the national check digit. Keep the column "
                             "formatted as text so that Excel keeps every digit. People are matched by it.")),
    Column("phone", gettext_lazy("Phone"), "phone", width=14,
           aliases=(pgettext_lazy("roster header alias", "Contact phone"), pgettext_lazy("roster header alias", "Mobile number")),
           help=gettext_lazy("An 11-digit mobile number or a landline such as 0431-88888888.")),
    Column("party", gettext_lazy("Party"), "choice", True, Party, width=12,
           aliases=(pgettext_lazy("roster header alias", "Political affiliation"),),
           help=gettext_lazy("Choose from the list; common short names are accepted too.")),
    Column("education", pgettext_lazy("schooling", "Education"), "choice", False, Education, width=12,
           aliases=(pgettext_lazy("roster header alias", "Level of schooling"),)),
    Column("employer", gettext_lazy("Employer"), "text", width=24),
    Column("post", gettext_lazy("Post"), "short", width=14),
    Column("sector", gettext_lazy("Sector"), "short", width=12),
    Column("occupation", gettext_lazy("Occupation category"), "choice", False, Occupation, width=14),
    Column("address", gettext_lazy("Address"), "text", width=24),
    Column("level", gettext_lazy("Level"), "choice", False, Level, width=10,
           help=gettext_lazy("May be left empty: the term gives it.")),
    Column("term", gettext_lazy("Term"), "ref", True, width=16,
           help=gettext_lazy("A term of your jurisdiction or one below it, chosen from the list; a short form "
                             "such as 第十六届 is accepted when the level and your jurisdiction leave one term.")),
    Column("electoral_unit", gettext_lazy("Electoral unit"), "ref", width=16,
           aliases=(pgettext_lazy("roster header alias", "Constituency"),),
           help=gettext_lazy("Created in the term's jurisdiction if it does not exist yet.")),
    Column("delegation", gettext_lazy("Delegation"), "ref", width=16,
           help=gettext_lazy("Must already exist in the term.")),
    Column("group", gettext_lazy("Deputy group"), "ref", width=18,
           help=gettext_lazy("Must already exist in the term's jurisdiction or one below it.")),
    Column("start_date", gettext_lazy("Start date"), "date", True, width=12,
           help=gettext_lazy("The day the mandate started, not before the term started.")),
    Column("status", gettext_lazy("Status"), "choice", False, Mandate.Status, width=8,
           help=gettext_lazy("Leave empty for a serving deputy.")),
    Column("end_date", gettext_lazy("End date"), "date", width=12,
           help=gettext_lazy("Only for an ended mandate.")),
    Column("end_reason", gettext_lazy("End reason"), "choice", False, Mandate.EndReason, width=10,
           help=gettext_lazy("Required when the mandate has ended.")),
]
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
PERSON_FIELDS = ["name", "gender", "ethnicity", "birth_date", "id_number", "phone", "party", "education",
                 "employer", "post", "sector", "occupation", "address"]
MANDATE_FIELDS = ["electoral_unit_id", "delegation_id", "group_id", "start_date", "status", "end_date",
                  "end_reason"]
_MAX_LENGTH = {f: Person._meta.get_field(f).max_length for f in PERSON_FIELDS if f != "birth_date"}
_MAX_LENGTH.update({"electoral_unit": ElectoralUnit._meta.get_field("name").max_length})

# Other spellings people use in coded columns, beside the label and the code. They are msgids so that the
# Chinese forms live in the .po file; each is accepted in both languages.
ALIASES = {
    Gender: {
        Gender.MALE: [pgettext_lazy("roster import alias", "Man"), "m"],
        Gender.FEMALE: [pgettext_lazy("roster import alias", "Woman"), "f"],
    },
    Party: {
        Party.CPC: [pgettext_lazy("roster import alias", "Communist Party of China (full name)"), pgettext_lazy("roster import alias", "CPC"),
                    pgettext_lazy("roster import alias", "CPC member"), pgettext_lazy("roster import alias", "CPC probationary member")],
        Party.RCCK: [pgettext_lazy("roster import alias", "RCCK (full name)"), pgettext_lazy("roster import alias", "RCCK member")],
        Party.CDL: [pgettext_lazy("roster import alias", "CDL (full name)"), pgettext_lazy("roster import alias", "CDL member")],
        Party.CNDCA: [pgettext_lazy("roster import alias", "CNDCA (full name)"), pgettext_lazy("roster import alias", "CNDCA member")],
        Party.CAPD: [pgettext_lazy("roster import alias", "CAPD (full name)"), pgettext_lazy("roster import alias", "CAPD member")],
        Party.CPWDP: [pgettext_lazy("roster import alias", "CPWDP (full name)"), pgettext_lazy("roster import alias", "CPWDP member")],
        Party.ZHI_GONG: [pgettext_lazy("roster import alias", "Zhi Gong Party (full name)"),
                         pgettext_lazy("roster import alias", "Zhi Gong Party member")],
        Party.JIUSAN: [pgettext_lazy("roster import alias", "Jiusan Society member")],
        Party.TDSGL: [pgettext_lazy("roster import alias", "TDSGL (full name)"), pgettext_lazy("roster import alias", "TDSGL member")],
        Party.NONPARTISAN: [pgettext_lazy("roster import alias", "Nonpartisan")],
    },
    Education: {
        Education.DOCTORATE: [pgettext_lazy("roster import alias", "Doctor")],
        Education.MASTER: [pgettext_lazy("roster import alias", "Master")],
        # GB/T 4658 学历 categories as rosters write them: 研究生, 大学, 大专, 中专, 高中 (see EDUCATION_FORMS)
        Education.GRADUATE: [pgettext_lazy("roster import alias", "Postgraduate (category)")],
        Education.BACHELOR: [pgettext_lazy("roster import alias", "Undergraduate"),
                             pgettext_lazy("roster import alias", "University")],
        Education.COLLEGE: [pgettext_lazy("roster import alias", "Junior college"), pgettext_lazy("roster import alias", "Specialist college"),
                            pgettext_lazy("roster import alias", "Higher vocational college"),
                            pgettext_lazy("roster import alias", "Higher vocational or junior college")],
        Education.SECONDARY: [pgettext_lazy("roster import alias", "High school"),
                              pgettext_lazy("roster import alias", "Technical secondary school"),
                              pgettext_lazy("roster import alias", "Secondary specialised school"),
                              pgettext_lazy("roster import alias", "Ordinary high school"),
                              pgettext_lazy("roster import alias", "Vocational high school"),
                              pgettext_lazy("roster import alias", "Vocational high school (short)"),
                              pgettext_lazy("roster import alias", "Technical school"),
                              pgettext_lazy("roster import alias", "Technical school (short)"),
                              pgettext_lazy("roster import alias", "Technical secondary school (short)")],
        Education.PRIMARY: [pgettext_lazy("roster import alias", "Junior middle school"), pgettext_lazy("roster import alias", "Primary school")],
    },
    Level: {
        Level.NATIONAL: [pgettext_lazy("roster import alias", "National level")],
        Level.PROVINCIAL: [pgettext_lazy("roster import alias", "Provincial level"), pgettext_lazy("roster import alias", "Province")],
        Level.MUNICIPAL: [pgettext_lazy("roster import alias", "Municipal level"), pgettext_lazy("roster import alias", "City")],
        Level.COUNTY: [pgettext_lazy("roster import alias", "County level"), pgettext_lazy("roster import alias", "County (short)"),
                       pgettext_lazy("roster import alias", "District")],
        Level.TOWNSHIP: [pgettext_lazy("roster import alias", "Township level"), pgettext_lazy("roster import alias", "Township (short)"),
                         pgettext_lazy("roster import alias", "Town")],
    },
}

# The level a short term name's prefix names (市第十六届: a municipal term), compared after _key().
SHORT_TERM_LEVELS = {"全国": Level.NATIONAL, "省": Level.PROVINCIAL, "市": Level.MUNICIPAL, "县": Level.COUNTY,
                     "区": Level.COUNTY, "县区": Level.COUNTY, "乡": Level.TOWNSHIP, "镇": Level.TOWNSHIP,
                     "乡镇": Level.TOWNSHIP}
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_SHORT_TERM = re.compile(r"(?P<prefix>.*?)第?(?P<number>[0-9]+|[零〇一二两三四五六七八九十]+)届?"
                         r"(?:人民代表大会|人大)?")


def chinese_number(text: str) -> int | None:
    """十六 → 16, 二十一 → 21, 九 → 9, 十 → 10, 16 → 16; None for anything else."""
    if text.isdigit():
        return int(text)
    if not text or any(ch not in _CN_DIGITS and ch != "十" for ch in text) or text.count("十") > 1:
        return None
    if "十" not in text:
        return _CN_DIGITS[text] if len(text) == 1 else None
    tens, _sep, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return None
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def parse_short_term(name: str) -> tuple[str, int] | None:
    """(the prefix, the term's number) of 市第十六届, 第十六届, 十六届, 16; None when it is no short form."""
    match = _SHORT_TERM.fullmatch(_key(name))
    if not match or not ("届" in name or "第" in name or match.group("number").isdigit()):
        return None
    term_number = chinese_number(match.group("number"))
    return (match.group("prefix"), term_number) if term_number else None


# Words rosters append to a 学历 ("本科毕业", "大专学历", "高中文化"), compared after _key().
EDUCATION_SUFFIXES = ("毕业", "学历", "文化", "程度", "graduate")

# The template's example row; it is skipped on import while its name and ID number are left unchanged.
EXAMPLE_ID_NUMBER = "220102197503120014"
EXAMPLE = {
    "name": gettext_lazy("Zhang San"), "gender": Gender.MALE, "ethnicity": gettext_lazy("Han"),
    "birth_date": date(1975, 3, 12), "id_number": EXAMPLE_ID_NUMBER, "phone": "13912345678",
    "party": Party.CPC, "education": Education.BACHELOR,
    "employer": gettext_lazy("Changchun Municipal Bureau of Commerce"), "post": gettext_lazy("Director"),
    "sector": gettext_lazy("Economic sector"), "occupation": Occupation.OFFICIAL,
    "address": gettext_lazy("1 Renmin Street, Nanguan District, Changchun"), "level": Level.MUNICIPAL,
    "term": gettext_lazy("16th Municipal People's Congress"), "electoral_unit": gettext_lazy("Nanguan District"),
    "delegation": gettext_lazy("Nanguan District delegation"), "group": gettext_lazy("Nanguan District group 1"),
    "start_date": date(2022, 1, 1), "status": Mandate.Status.SERVING, "end_date": None, "end_reason": "",
}

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


class _Bad(Exception):
    """A cell that cannot be read; the message says why and what to do."""


# ---------------------------------------------------------------------------------------------------------
# Reading cells

_NON_ASCII_SPACE = re.compile(r" (?=[^\x00-\x7f])|(?<=[^\x00-\x7f]) ")
# Dates typed as text. \u5e74 \u6708 \u65e5 \u53f7 are 年 月 日 号 (kept as escapes: no Chinese in the code).
_SEP = r"\s*[-/.\u5e74]\s*"
_FULL_DATE = re.compile(r"^(\d{4})" + _SEP + r"(\d{1,2})\s*[-/.\u6708]\s*(\d{1,2})\s*[\u65e5\u53f7]?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MONTH = re.compile(r"^(\d{4})" + _SEP + r"(\d{1,2})\s*\u6708?$")
_COMPACT_MONTH = re.compile(r"^(\d{4})(\d{2})$")
_TIME_SUFFIX = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
_SCIENTIFIC = re.compile(r"^\d+(\.\d+)?E\+?\d+$")
_MOBILE_WITH_DASHES = re.compile(r"^1\d{2}-\d{4}-\d{4}$")


def _key(value) -> str:
    """The form two spellings of one name or code share: no spaces, ASCII letters and digits, lower case."""
    return validators.normalize_text(value).replace(" ", "").casefold()


def _header_key(value) -> str:
    return _key(value).strip("*:")


def _short_text(text: str) -> str:
    """Spaces next to Chinese characters are stray (张 三 → 张三); spaces between Latin words stay."""
    return _NON_ASCII_SPACE.sub("", text)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, datetime):
        value = value.date() if value.time() == time() else value
    return validators.normalize_text(value)


def _shown(value) -> str:
    """A cell's value as the user sees it, for messages."""
    if isinstance(value, datetime) and value.time() == time():
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _date_from_number(value) -> tuple[date, bool]:
    """A date typed into a number cell: 19750312, 197503, or 1975.03 (Excel keeps it as 1975.03)."""
    if isinstance(value, float) and not value.is_integer():
        text = repr(value)
        year, _dot, month = text.partition(".")
        if len(year) == 4 and month.isdigit() and len(month) <= 2:
            if month == "1":  # 1975.1 and 1975.10 are the same number: January or October?
                raise _Bad(_("“%(value)s” is ambiguous: Excel keeps 1975.10 and 1975.1 as the same number. "
                             "Type the date as text, e.g. 1975-10-12.") % {"value": text})
            return _make_date(int(year), int(month), 1, text), True
        raise _Bad(_("“%(value)s” is not a date. Write it as 1975-03-12.") % {"value": text})
    text = str(int(value))
    if m := _COMPACT_DATE.match(text):
        return _make_date(int(m[1]), int(m[2]), int(m[3]), text), False
    if m := _COMPACT_MONTH.match(text):
        return _make_date(int(m[1]), int(m[2]), 1, text), True
    raise _Bad(_("“%(value)s” is a number, not a date. Format the cell as a date or type the date as text, "
                 "e.g. 1975-03-12.") % {"value": text})


def _make_date(year: int, month: int, day: int, shown: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise _Bad(_("“%(value)s” is not a real date.") % {"value": shown}) from None


def _read_date(value) -> tuple[date | None, bool]:
    """(the date, whether only the month was given); None for an empty cell."""
    if value is None:
        return None, False
    if isinstance(value, datetime):
        return value.date(), False
    if isinstance(value, date):
        return value, False
    if isinstance(value, bool) or isinstance(value, time):
        raise _Bad(_("“%(value)s” is not a date. Write it as 1975-03-12.") % {"value": _shown(value)})
    if isinstance(value, int | float):
        return _date_from_number(value)
    text = validators.normalize_text(value)
    if not text:
        return None, False
    text = _TIME_SUFFIX.sub("", text)
    if m := _FULL_DATE.match(text) or _COMPACT_DATE.match(text):
        return _make_date(int(m[1]), int(m[2]), int(m[3]), text), False
    if m := _MONTH.match(text) or _COMPACT_MONTH.match(text):
        return _make_date(int(m[1]), int(m[2]), 1, text), True
    raise _Bad(_("“%(value)s” is not a date. Write it as 1975-03-12.") % {"value": text})


def _read_id_number(value) -> str:
    if value is None:
        return ""
    stored_as_number = _("The ID number was stored as a number and has lost its last digits. Format the "
                         "column as text and type the number again.")
    if isinstance(value, float):
        raise _Bad(stored_as_number)
    if isinstance(value, int) and not isinstance(value, bool):
        text = str(value)  # all 18 digits survived (written by a program, not typed): fine if it checks out
        try:
            validators.validate_id_number(text)
        except ValidationError:
            raise _Bad(stored_as_number) from None
        return text
    text = validators.normalize_id_number(value)
    if not text:
        return ""
    if "*" in text:
        raise _Bad(_("The ID number is masked (it contains *). Type the full number, or export the roster "
                     "with full ID numbers to import it again."))
    if _SCIENTIFIC.match(text):
        raise _Bad(stored_as_number)
    try:
        validators.validate_id_number(text)
    except ValidationError as exc:
        raise _Bad(exc.messages[0]) from None
    return text


def _read_phone(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))  # 13912345678.0: a mobile number kept as a number
    elif isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
    else:
        text = validators.normalize_phone(value)
        if _MOBILE_WITH_DASHES.match(text):
            text = text.replace("-", "")
    try:
        validators.validate_phone(text)
    except ValidationError as exc:
        raise _Bad(exc.messages[0]) from None
    return text


def _choice_lookup(choices) -> dict[str, str]:
    lookup = {}
    for lang in LANGUAGES:
        with translation.override(lang):
            for value, label in choices.choices:
                lookup[_key(label)] = value
                for alias in ALIASES.get(choices, {}).get(value, []):
                    lookup.setdefault(_key(alias), value)
    for value in choices.values:
        lookup[_key(value)] = value
    return lookup


def _listing(items) -> str:
    return pgettext("list separator", ", ").join(str(i) for i in items)


# ---------------------------------------------------------------------------------------------------------
# Finding the table in a workbook


@dataclass
class _Table:
    sheet: object
    header_row: int
    data_start: int
    columns: dict[int, tuple[Column, str]]  # 0-based column index → (column, header as shown)


def _header_lookup() -> dict[str, Column]:
    lookup = {}
    for lang in LANGUAGES:
        with translation.override(lang):
            for column in COLUMNS:
                for label in (column.label, *column.aliases):
                    lookup.setdefault(_header_key(str(label)), column)
    for column in COLUMNS:
        lookup[column.key] = column
    return lookup


def _find_table(workbook, errors: list[RowError]) -> _Table | None:
    """The first sheet whose first rows hold a header row; the header is the row matching most columns."""
    lookup = _header_lookup()
    for sheet in workbook.worksheets:
        if sheet.sheet_state != "visible":
            continue
        best, best_row = {}, 0
        for number, values in enumerate(sheet.iter_rows(max_row=HEADER_SCAN_ROWS, values_only=True), start=1):
            found = {}
            for index, value in enumerate(values):
                column = lookup.get(_header_key(value)) if isinstance(value, str) else None
                if column is not None:
                    found.setdefault(column.key, []).append((index, validators.normalize_text(value)))
            if len(found) > len(best):
                best, best_row = found, number
        if len(best) >= 3:
            return _table_from_header(sheet, best_row, best, errors)
    examples = _listing(str(COLUMN_BY_KEY[k].label) for k in ("name", "id_number", "term"))
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
                "letters": _listing(get_column_letter(i + 1) for i, _shown_header in places)}))
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
        self.choice = {c.key: _choice_lookup(c.choices) for c in COLUMNS if c.kind == "choice"}
        self.labels = _labels()
        self.merge_bad: dict[int, set[str]] = {}
        self.cache: dict[str, dict] = {c.key: {} for c in COLUMNS}
        self.today = timezone.localdate()
        with translation.override(LANGUAGES[0]):
            zh_name = _key(EXAMPLE["name"])
        with translation.override(LANGUAGES[1]):
            en_name = _key(EXAMPLE["name"])
        self.example_names = {zh_name, en_name}

    # lookups: a few queries in all
    def load_bodies(self):
        self.terms = list(Term.objects.filter(jurisdiction__path__startswith=self.scope)
                          .select_related("jurisdiction"))
        self.terms_by_name = defaultdict(list)
        for term in self.terms:
            self.terms_by_name[_key(term.name)].append(term)
        self.delegations = {(term_id, _key(name)): pk for pk, term_id, name in
                            Delegation.objects.filter(term__in=self.terms).values_list("pk", "term_id", "name")}
        self.groups = defaultdict(list)
        for pk, name, jurisdiction_id, path in (DeputyGroup.objects.filter(jurisdiction__path__startswith=self.scope)
                                                .values_list("pk", "name", "jurisdiction_id", "jurisdiction__path")):
            self.groups[_key(name)].append((pk, jurisdiction_id, path))
        self.units = {(j, level, _key(name)): pk for pk, j, level, name in
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
                and _key(raw.get("name")) in self.example_names)

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
                except _Bad as exc:
                    result, month = cache[cache_key] = exc, False
            if isinstance(result, _Bad):
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
        """(the value read, whether a date gave only the month); _Bad says why a cell cannot be read."""
        month = False
        if column.kind == "choice":
            text = _cell_text(value)
            result = self.choice[column.key].get(_key(text)) if text else ""
            if result is None and column.key == "education":
                result = self.education(text)
            if result is None:
                raise _Bad(_("“%(value)s” is not one of the allowed values: %(choices)s.") % {
                    "value": text, "choices": _listing(self.labels[column.key].values())})
        elif column.kind in ("date", "birth"):
            result, month = _read_date(value)
            if month and column.kind == "date":
                raise _Bad(_("“%(value)s” gives only the month; write the full date, e.g. 2022-01-15.")
                           % {"value": _shown(value)})
        elif column.kind == "id":
            result = _read_id_number(value)
        elif column.kind == "phone":
            result = _read_phone(value)
        elif column.kind == "text":
            result = _cell_text(value)
        else:  # names, short texts and references: spaces next to Chinese characters are stray
            result = _short_text(_cell_text(value))
        if column.required and result in ("", None):
            raise _Bad(_("This cell is required."))
        limit = _MAX_LENGTH.get(column.key)
        if limit and isinstance(result, str) and len(result) > limit:
            raise _Bad(_("Too long: at most %(limit)s characters.") % {"limit": limit})
        return result, month

    def education(self, text: str) -> str | None:
        """学历 as rosters write it: "大学本科毕业", "研究生（硕士）", "大专学历". The part in brackets names the
        degree and wins when it is known; a trailing 毕业/学历/文化 is dropped. Nothing else is guessed: "本科或专科"
        and the like stay refused, with the allowed values listed."""
        lookup = self.choice["education"]
        key = _key(text)
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
        candidates = self.terms_by_name.get(_key(name), [])
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
                    "value": name, "terms": _listing(f"{t.name}（{self.labels['level'][t.level]}）"
                                                      for t in candidates)})
                return None
        if not candidates:
            known = _listing(sorted({t.name for t in self.terms})[:12]) or "—"
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
            by_place = [t for t in candidates if _key(t.jurisdiction.name) == prefix
                        or _key(t.jurisdiction.name).startswith(prefix)]
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
                pk = self.delegations.get((term.pk, _key(name)))
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
        below = [g for g in self.groups.get(_key(name), []) if g[2].startswith(term.jurisdiction.path)]
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
                                                       _key(row.unit_name))) if row.unit_name else None
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
                key = (row.term.jurisdiction_id, row.term.level, _key(row.unit_name))
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


# ---------------------------------------------------------------------------------------------------------
# Writing workbooks

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


def _labels() -> dict[str, dict[str, str]]:
    return {c.key: {v: str(label) for v, label in c.choices.choices} for c in COLUMNS if c.kind == "choice"}


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
    labels = _labels()
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
            allowed = _("Allowed values: %(values)s.") % {"values": _listing(labels[column.key].values())}
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
    labels = _labels()
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
