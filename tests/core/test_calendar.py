"""Working-day arithmetic on the calendar seeded from chinese-calendar: 国庆 2026 and its 调休 Saturday, the
Spring Festival, month ends; days entered by staff count, and a sync from the package keeps them unless told
to overwrite them."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from apps.core import calendar
from apps.core.models import AuditEvent, CalendarDay
from apps.proposals.services import config as services

D = datetime.date


@pytest.fixture
def staff(staff_user):
    return staff_user


def test_the_seeded_calendar_names_national_day_and_its_make_up_saturday(db):
    assert CalendarDay.objects.get(date=D(2026, 10, 1)).name == "国庆节"
    saturday = CalendarDay.objects.get(date=D(2026, 10, 10))
    assert (saturday.is_working_day, saturday.name, saturday.source) == (True, "国庆节调休", CalendarDay.Source.PACKAGE)


@pytest.mark.parametrize(("day", "working"), [
    (D(2026, 10, 1), False), (D(2026, 10, 5), False),   # a Monday in the National Day week
    (D(2026, 10, 8), True), (D(2026, 10, 10), True),    # the 调休 Saturday is worked
    (D(2026, 10, 11), False), (D(2026, 9, 20), True),   # an ordinary Sunday; the Sunday before is worked
    (D(2026, 2, 16), False), (D(2026, 2, 14), True),    # Spring Festival and its make-up Saturday
    (D(2026, 3, 4), True), (D(2026, 3, 7), False),      # an ordinary Wednesday and Saturday
])
def test_is_working_day(db, day, working):
    assert calendar.is_working_day(day) is working


def test_five_working_days_from_28_september_2026_end_on_the_make_up_saturday(db):
    # 29, 30 September; 1–7 October off; 8, 9 October; Saturday 10 October is worked.
    assert calendar.add_working_days(D(2026, 9, 28), 5) == D(2026, 10, 10)
    assert calendar.add_working_days(D(2026, 9, 28), 6) == D(2026, 10, 12)


def test_the_national_day_week_is_not_counted(db):
    assert calendar.working_days_between(D(2026, 9, 30), D(2026, 10, 8)) == 1
    assert calendar.working_days_between(D(2026, 9, 28), D(2026, 10, 10)) == 5
    assert calendar.working_days_between(D(2026, 10, 10), D(2026, 9, 28)) == 0


def test_twenty_working_days_across_national_day(db):
    # The rating window of a reply given on 21 September 2026: Friday 25 September is the Mid-autumn
    # Festival, 1–7 October are off, Saturday 10 October is worked.
    assert calendar.add_working_days(D(2026, 9, 21), 20) == D(2026, 10, 26)


def test_working_days_across_the_spring_festival(db):
    # 13 February is a Friday, Saturday 14 February is worked, 15–23 February are off.
    assert calendar.add_working_days(D(2026, 2, 12), 3) == D(2026, 2, 24)
    assert calendar.add_working_days(D(2026, 2, 12), 5) == D(2026, 2, 26)
    assert calendar.working_days_between(D(2026, 2, 13), D(2026, 2, 24)) == 2


def test_a_month_period_ending_in_the_spring_festival_moves_to_the_first_working_day_after_it(db):
    assert calendar.add_months(D(2025, 11, 16), 3) == D(2026, 2, 16)
    assert calendar.months_deadline(D(2025, 11, 16), 3) == D(2026, 2, 24)


def test_a_month_period_ending_in_the_national_day_week(db):
    assert calendar.months_deadline(D(2026, 7, 1), 3) == D(2026, 10, 8)


@pytest.mark.parametrize(("start", "months", "end", "deadline"), [
    (D(2026, 1, 31), 1, D(2026, 2, 28), D(2026, 2, 28)),   # 28 February 2026 is a worked Saturday
    (D(2025, 1, 31), 1, D(2025, 2, 28), D(2025, 2, 28)),   # a Friday
    (D(2024, 1, 31), 1, D(2024, 2, 29), D(2024, 2, 29)),   # a leap year
    (D(2026, 8, 31), 1, D(2026, 9, 30), D(2026, 9, 30)),   # a 30-day month
    (D(2026, 4, 30), 1, D(2026, 5, 30), D(2026, 6, 1)),    # a Saturday: the Monday after
    (D(2026, 10, 31), 3, D(2027, 1, 31), D(2027, 2, 1)),   # into the next year, a Sunday
    (D(2026, 11, 30), 3, D(2027, 2, 28), D(2027, 3, 1)),
])
def test_month_ends(db, start, months, end, deadline):
    assert calendar.add_months(start, months) == end
    assert calendar.months_deadline(start, months) == deadline


def test_a_day_staff_enter_changes_the_result(db, staff):
    assert calendar.add_working_days(D(2026, 9, 28), 5) == D(2026, 10, 10)
    services.calendar_day_save(user=staff, date=D(2026, 9, 29), is_working_day=False, name="临时假日")
    # 30 September, 8, 9, 10 October, and Sunday 11 October is not worked: Monday 12 October.
    assert calendar.add_working_days(D(2026, 9, 28), 5) == D(2026, 10, 12)
    assert calendar.working_days_between(D(2026, 9, 28), D(2026, 10, 10)) == 4


def test_next_years_holidays_entered_by_staff_count(db, staff):
    """The package stops at the last announced year; staff enter the next one when the State Council
    announces it."""
    assert not CalendarDay.objects.filter(date__year=2027).exists()
    assert calendar.add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 1)
    services.calendar_day_save(user=staff, date=D(2027, 1, 1), is_working_day=False, name="元旦")
    assert calendar.add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 4)
    services.calendar_day_save(user=staff, date=D(2027, 1, 2), is_working_day=True, name="元旦调休")
    assert calendar.add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 2)
    assert CalendarDay.objects.get(date=D(2027, 1, 2)).source == CalendarDay.Source.STAFF


def test_removing_a_day_restores_the_weekly_rule(db, staff):
    services.calendar_day_delete(user=staff, day=CalendarDay.objects.get(date=D(2026, 10, 10)))
    assert not calendar.is_working_day(D(2026, 10, 10))
    assert calendar.add_working_days(D(2026, 9, 28), 5) == D(2026, 10, 12)


def test_a_sync_keeps_the_days_staff_entered(db, staff):
    services.calendar_day_save(user=staff, date=D(2026, 10, 10), is_working_day=False, name="国庆节（调整）")
    package_days = len(calendar.package_days())

    written = services.calendar_sync(user=staff)

    assert written == package_days - 1
    kept = CalendarDay.objects.get(date=D(2026, 10, 10))
    assert (kept.is_working_day, kept.name, kept.source) == (False, "国庆节（调整）", CalendarDay.Source.STAFF)
    assert calendar.add_working_days(D(2026, 9, 28), 5) == D(2026, 10, 12)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.BULK_CHANGE, user=staff).count() == 1


def test_a_sync_told_to_overwrite_replaces_the_days_staff_entered(db, staff):
    services.calendar_day_save(user=staff, date=D(2026, 10, 10), is_working_day=False, name="国庆节（调整）")
    services.calendar_day_save(user=staff, date=D(2027, 1, 1), is_working_day=False, name="元旦")

    written = services.calendar_sync(user=staff, overwrite_staff=True)

    assert written == len(calendar.package_days())
    restored = CalendarDay.objects.get(date=D(2026, 10, 10))
    assert (restored.is_working_day, restored.name, restored.source) == (True, "国庆节调休",
                                                                         CalendarDay.Source.PACKAGE)
    assert calendar.add_working_days(D(2026, 9, 28), 5) == D(2026, 10, 10)
    # A day the package does not know is left alone.
    assert CalendarDay.objects.get(date=D(2027, 1, 1)).source == CalendarDay.Source.STAFF


def test_a_sync_puts_back_a_removed_package_day(db, staff):
    services.calendar_day_delete(user=staff, day=CalendarDay.objects.get(date=D(2026, 10, 10)))
    services.calendar_sync(user=staff)
    assert calendar.is_working_day(D(2026, 10, 10))


def test_the_sync_calendar_command(db):
    day = CalendarDay.objects.get(date=D(2026, 10, 1))
    CalendarDay.objects.filter(pk=day.pk).update(name="改过", source=CalendarDay.Source.STAFF)
    out = StringIO()

    call_command("sync_calendar", stdout=out)
    assert CalendarDay.objects.get(date=D(2026, 10, 1)).name == "改过"
    assert f"{len(calendar.package_days()) - 1} days written" in out.getvalue()
    assert "up to 2026" in out.getvalue()

    call_command("sync_calendar", "--overwrite-staff", stdout=StringIO())
    assert CalendarDay.objects.get(date=D(2026, 10, 1)).name == "国庆节"
