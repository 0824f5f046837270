"""Reading a sign-in workbook (签到表): the names of those who came, and attendance when the sheet says it.

The sheets staff receive are made by hand: a title row or two above the header, merged cells, a 序号 column,
names with stray spaces, and an attendance column written as 签到/出席/√/请假/缺席 (or left empty: signed in).
Only the header 姓名 is required. Reading never writes; resolving the names is ``participants.resolve_names``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from apps.deputies.attendance import Attendance

MAX_HEADER_SEARCH_ROWS = 10
NAME_HEADERS = {"姓名", "代表姓名", "名字", "name"}
ATTENDANCE_HEADERS = {"签到", "出席情况", "出勤", "出勤情况", "签到情况", "考勤", "attendance", "状态"}
REASON_HEADERS = {"请假原因", "原因", "备注", "reason", "leave reason", "note"}
ATTENDANCE_WORDS = {
    Attendance.PRESENT: {"", "签到", "已签到", "出席", "到", "√", "✓", "✔", "是", "y", "yes", "present", "1"},
    Attendance.LEAVE: {"请假", "假", "leave", "on leave"},
    Attendance.ABSENT: {"缺席", "未到", "未签到", "缺", "否", "×", "x", "n", "no", "absent", "0"},
}
_SPACES = re.compile(r"[\s\u3000]+")


@dataclass
class SignInRow:
    row: int  # the spreadsheet row number, as staff see it
    name: str
    attendance: str
    leave_reason: str = ""


@dataclass
class SignInError:
    row: int | None
    column: str
    message: str


@dataclass
class SignInSheet:
    rows: list[SignInRow] = field(default_factory=list)
    errors: list[SignInError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _SPACES.sub("", str(value)).strip()


def _header_key(value) -> str:
    return _text(value).lower().replace("：", "").replace(":", "")


def _attendance(word: str) -> str | None:
    key = word.lower()
    for attendance, words in ATTENDANCE_WORDS.items():
        if key in words:
            return attendance
    return None


def read_sign_in(file) -> SignInSheet:
    """Read the first sheet with a 姓名 header. Every bad row is listed; a name twice is listed too."""
    from openpyxl import load_workbook

    sheet_result = SignInSheet()
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable upload is the same message to the user
        sheet_result.errors.append(SignInError(None, "", _("The file is not an Excel workbook (.xlsx).")))
        return sheet_result
    try:
        for sheet in workbook.worksheets:
            rows = list(sheet.iter_rows(values_only=True))
            header_index = columns = None
            for index, values in enumerate(rows[:MAX_HEADER_SEARCH_ROWS]):
                keys = [_header_key(v) for v in values]
                if any(k in NAME_HEADERS for k in keys):
                    header_index = index
                    columns = {
                        "name": next(i for i, k in enumerate(keys) if k in NAME_HEADERS),
                        "attendance": next((i for i, k in enumerate(keys) if k in ATTENDANCE_HEADERS), None),
                        "reason": next((i for i, k in enumerate(keys) if k in REASON_HEADERS), None),
                    }
                    break
            if header_index is None:
                continue
            _read_rows(rows, header_index, columns, sheet_result)
            if not sheet_result.rows and not sheet_result.errors:
                sheet_result.errors.append(SignInError(None, _("Name"), _("The sheet lists no names.")))
            return sheet_result
        sheet_result.errors.append(SignInError(
            None, _("Name"), _("No sheet has a header row with a column named 姓名 (name).")))
        return sheet_result
    finally:
        workbook.close()


def _cell(values, index):
    return values[index] if index is not None and index < len(values) else None


def _read_rows(rows, header_index: int, columns: dict, result: SignInSheet) -> None:
    seen: dict[str, int] = {}
    for offset, values in enumerate(rows[header_index + 1:], start=header_index + 2):
        name = _text(_cell(values, columns["name"]))
        attendance_word = _text(_cell(values, columns["attendance"]))
        reason = _text(_cell(values, columns["reason"]))
        if not name:
            if attendance_word or reason:
                result.errors.append(SignInError(offset, _("Name"), _("The name is empty.")))
            continue
        attendance = _attendance(attendance_word)
        if attendance is None:
            result.errors.append(SignInError(offset, _("Attendance"), _(
                "“%(value)s” is not an attendance: write 出席, 请假 or 缺席.") % {"value": attendance_word}))
            continue
        if name in seen:
            result.errors.append(SignInError(offset, _("Name"), _(
                "%(name)s is listed twice (also on row %(row)s).") % {"name": name, "row": seen[name]}))
            continue
        seen[name] = offset
        result.rows.append(SignInRow(row=offset, name=name, attendance=attendance,
                                     leave_reason=reason if attendance == Attendance.LEAVE else ""))
