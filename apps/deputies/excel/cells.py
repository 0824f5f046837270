"""Reading one cell of a hand-made workbook: names, codes, dates, ID numbers and phones as people type them.

Each reader takes the raw value openpyxl gives (str, int, float, date, datetime or None) and returns what it
means, or raises ``BadCell`` with a message that says what is wrong and what to do. Nothing here knows the
roster's columns or touches the database, so any importer of a workbook can use these readers.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from apps.deputies import validators
from apps.deputies.models import Level


class BadCell(Exception):
    """A cell that cannot be read; the message says why and what to do."""


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


def text_key(value) -> str:
    """The form two spellings of one name or code share: no spaces, ASCII letters and digits, lower case."""
    return validators.normalize_text(value).replace(" ", "").casefold()


def header_key(value) -> str:
    """``text_key`` without the * or : that mark a header."""
    return text_key(value).strip("*:")


def short_text(text: str) -> str:
    """Spaces next to Chinese characters are stray (张 三 → 张三); spaces between Latin words stay."""
    return _NON_ASCII_SPACE.sub("", text)


def cell_text(value) -> str:
    """A cell as normalised text: 13912345678.0 as 13912345678, a midnight datetime as its date."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, datetime):
        value = value.date() if value.time() == time() else value
    return validators.normalize_text(value)


def as_shown(value) -> str:
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
                raise BadCell(_("“%(value)s” is ambiguous: Excel keeps 1975.10 and 1975.1 as the same number. "
                             "Type the date as text, e.g. 1975-10-12.") % {"value": text})
            return _make_date(int(year), int(month), 1, text), True
        raise BadCell(_("“%(value)s” is not a date. Write it as 1975-03-12.") % {"value": text})
    text = str(int(value))
    if m := _COMPACT_DATE.match(text):
        return _make_date(int(m[1]), int(m[2]), int(m[3]), text), False
    if m := _COMPACT_MONTH.match(text):
        return _make_date(int(m[1]), int(m[2]), 1, text), True
    raise BadCell(_("“%(value)s” is a number, not a date. Format the cell as a date or type the date as text, "
                 "e.g. 1975-03-12.") % {"value": text})


def _make_date(year: int, month: int, day: int, shown: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise BadCell(_("“%(value)s” is not a real date.") % {"value": shown}) from None


def read_date(value) -> tuple[date | None, bool]:
    """(the date, whether only the month was given); None for an empty cell."""
    if value is None:
        return None, False
    if isinstance(value, datetime):
        return value.date(), False
    if isinstance(value, date):
        return value, False
    if isinstance(value, bool) or isinstance(value, time):
        raise BadCell(_("“%(value)s” is not a date. Write it as 1975-03-12.") % {"value": as_shown(value)})
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
    raise BadCell(_("“%(value)s” is not a date. Write it as 1975-03-12.") % {"value": text})


def read_id_number(value) -> str:
    if value is None:
        return ""
    stored_as_number = _("The ID number was stored as a number and has lost its last digits. Format the "
                         "column as text and type the number again.")
    if isinstance(value, float):
        raise BadCell(stored_as_number)
    if isinstance(value, int) and not isinstance(value, bool):
        text = str(value)  # all 18 digits survived (written by a program, not typed): fine if it checks out
        try:
            validators.validate_id_number(text)
        except ValidationError:
            raise BadCell(stored_as_number) from None
        return text
    text = validators.normalize_id_number(value)
    if not text:
        return ""
    if "*" in text:
        raise BadCell(_("The ID number is masked (it contains *). Type the full number, or export the roster "
                     "with full ID numbers to import it again."))
    if _SCIENTIFIC.match(text):
        raise BadCell(stored_as_number)
    try:
        validators.validate_id_number(text)
    except ValidationError as exc:
        raise BadCell(exc.messages[0]) from None
    return text


def read_phone(value) -> str:
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
        raise BadCell(exc.messages[0]) from None
    return text


def listing(items) -> str:
    """Items joined for a message, with the active language's list separator."""
    return pgettext("list separator", ", ").join(str(i) for i in items)


# The level a short term name's prefix names (市第十六届: a municipal term), compared after text_key().
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
    match = _SHORT_TERM.fullmatch(text_key(name))
    if not match or not ("届" in name or "第" in name or match.group("number").isdigit()):
        return None
    term_number = chinese_number(match.group("number"))
    return (match.group("prefix"), term_number) if term_number else None

