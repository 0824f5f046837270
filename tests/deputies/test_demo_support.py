"""What the demo modules share (``apps.deputies.demo_support``): numerals, workdays, who serves on a day, and
events another demo hands to the activities demo."""

import datetime

from apps.core.demo import DemoContext
from apps.deputies.demo_support import (
    HeldActivity, chinese_numeral, record_held_activities, serving, workday,
)
from apps.deputies.models import Mandate

DAY = datetime.date(2026, 6, 15)  # a Monday


def test_chinese_numerals_up_to_the_twenties():
    assert [chinese_numeral(n) for n in (1, 9, 10, 11, 12, 19, 20, 21, 25)] == [
        "一", "九", "十", "十一", "十二", "十九", "二十", "二十一", "二十五"]


def test_a_weekend_day_moves_to_the_monday_after():
    assert workday(datetime.date(2026, 6, 13)) == DAY  # Saturday
    assert workday(datetime.date(2026, 6, 14)) == DAY  # Sunday
    assert workday(DAY) == DAY
    assert workday(datetime.date(2026, 6, 12)) == datetime.date(2026, 6, 12)  # Friday


def test_serving_on_a_day_counts_both_ends_and_leaves_suspended_mandates_out():
    def mandate(start, end=None, status=Mandate.Status.SERVING):
        return Mandate(start_date=start, end_date=end, status=status)

    assert serving(mandate(DAY), DAY)  # starts that day
    assert serving(mandate(DAY - datetime.timedelta(days=30), DAY, Mandate.Status.ENDED), DAY)  # ends that day
    assert not serving(mandate(DAY - datetime.timedelta(days=30), DAY - datetime.timedelta(days=1)), DAY)
    assert not serving(mandate(DAY + datetime.timedelta(days=1)), DAY)  # not started yet
    assert not serving(mandate(DAY - datetime.timedelta(days=30), status=Mandate.Status.SUSPENDED), DAY)


def _event():
    return HeldActivity(title="南岭街道人大代表工作站接待选民", jurisdiction=None, level="county", organiser="工作站",
                        start_date=DAY, place="人民大街1号", description="接待选民", created_by=None,
                        participants={1: 10})


def test_held_activities_are_not_recorded_without_the_activities_demo():
    assert record_held_activities(DemoContext(scale="small"), "station_reception", [_event()], time_of_day="12:00") == 0


def test_held_activities_go_to_the_recorder_the_activities_demo_left_on_the_context():
    calls = []
    ctx = DemoContext(scale="small")
    ctx.activity_recorder = lambda code, held, *, time_of_day: calls.append((code, held, time_of_day)) or len(held)
    event = _event()

    assert record_held_activities(ctx, "station_reception", [event], time_of_day="12:00") == 1
    assert calls == [("station_reception", [event], "12:00")]
