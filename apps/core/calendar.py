"""Working days (工作日): Monday to Friday, except statutory holidays, plus make-up working days (调休).

The exceptions live in ``CalendarDay`` (seeded from the maintained ``chinese-calendar`` package, edited by
staff when the next year's schedule is announced). Each function reads the exceptions of the span it needs
in one query.

Month periods follow the usual rule for legal periods: the same day of the month N months later (the last
day of a shorter month), moved to the next working day when it is not one.
"""

import calendar as _calendar
import contextlib
import contextvars
import datetime

from django.db import transaction

from apps.core.models import CalendarDay

_WEEKEND = (5, 6)
# Inside ``preloaded()``: (every exception, results of add_working_days already counted).
_PRELOADED: contextvars.ContextVar[tuple[dict, dict] | None] = contextvars.ContextVar(
    "calendar_preloaded", default=None)


@contextlib.contextmanager
def preloaded():
    """Inside the block, count with every exception read once (bulk work such as the demo data, which
    computes thousands of deadlines): no query per call. Changes to ``CalendarDay`` made inside are not seen."""
    token = _PRELOADED.set((dict(CalendarDay.objects.values_list("date", "is_working_day")), {}))
    try:
        yield
    finally:
        _PRELOADED.reset(token)


def _exceptions(first: datetime.date, last: datetime.date) -> dict[datetime.date, bool]:
    preloaded_days = _PRELOADED.get()
    if preloaded_days is not None:
        return preloaded_days[0]  # callers only look up days between first and last
    return dict(CalendarDay.objects.filter(date__range=(first, last)).values_list("date", "is_working_day"))


def _is_working(day: datetime.date, exceptions: dict[datetime.date, bool]) -> bool:
    if day in exceptions:
        return exceptions[day]
    return day.weekday() not in _WEEKEND


def is_working_day(day: datetime.date) -> bool:
    return _is_working(day, _exceptions(day, day))


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The ``days``-th working day after ``start`` (``start`` itself is not counted)."""
    preloaded_days = _PRELOADED.get()
    if preloaded_days is None:
        return _add_working_days(start, days)
    memo = preloaded_days[1]
    if (start, days) not in memo:
        memo[start, days] = _add_working_days(start, days)
    return memo[start, days]


def _add_working_days(start: datetime.date, days: int) -> datetime.date:
    if days <= 0:
        return start
    span = days * 2 + 40  # long enough for the Spring Festival and National Day weeks
    while True:
        exceptions = _exceptions(start, start + datetime.timedelta(days=span))
        day, counted = start, 0
        while day < start + datetime.timedelta(days=span):
            day += datetime.timedelta(days=1)
            if _is_working(day, exceptions):
                counted += 1
                if counted == days:
                    return day
        span *= 2


def working_days_between(first: datetime.date, last: datetime.date) -> int:
    """Working days after ``first`` up to and including ``last`` (0 when ``last`` is not after ``first``)."""
    if last <= first:
        return 0
    exceptions = _exceptions(first, last)
    day, counted = first, 0
    while day < last:
        day += datetime.timedelta(days=1)
        counted += _is_working(day, exceptions)
    return counted


def add_months(start: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` calendar months later (the month's last day when it is shorter)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(start.day, _calendar.monthrange(year, month)[1]))


def roll_to_working_day(day: datetime.date) -> datetime.date:
    """``day`` if it is a working day, else the next working day."""
    exceptions = _exceptions(day, day + datetime.timedelta(days=40))
    while not _is_working(day, exceptions):
        day += datetime.timedelta(days=1)
    return day


def months_deadline(start: datetime.date, months: int) -> datetime.date:
    """A period of ``months`` months from ``start``, ending on a working day."""
    return roll_to_working_day(add_months(start, months))


def package_days() -> list[CalendarDay]:
    """The holidays and make-up working days the ``chinese-calendar`` package knows."""
    from chinese_calendar.constants import holidays, workdays

    days = [CalendarDay(date=day, is_working_day=False, name=str(holiday), source=CalendarDay.Source.PACKAGE)
            for day, holiday in holidays.items()]
    days += [CalendarDay(date=day, is_working_day=True, name=str(holiday), source=CalendarDay.Source.PACKAGE)
             for day, holiday in workdays.items()]
    return days


HOLIDAY_NAMES = {
    "New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节", "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节", "National Day": "国庆节", "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


@transaction.atomic
def sync_from_package(*, overwrite_staff: bool = False) -> int:
    """Write the package's days into ``CalendarDay``; days entered by staff are kept unless told otherwise.
    Returns the number of days written."""
    days = package_days()
    for day in days:
        day.name = HOLIDAY_NAMES.get(day.name, day.name) + ("调休" if day.is_working_day else "")
    if not overwrite_staff:
        staff_days = set(CalendarDay.objects.filter(source=CalendarDay.Source.STAFF).values_list("date", flat=True))
        days = [day for day in days if day.date not in staff_days]
    CalendarDay.objects.bulk_create(days, update_conflicts=True, unique_fields=["date"],
                                    update_fields=["is_working_day", "name", "source"])
    return len(days)
