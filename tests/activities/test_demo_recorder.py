"""The activities demo records events other demos held (a station's reception day) as activities."""

import datetime

import pytest
from django.utils import timezone

from apps.activities import demo
from apps.activities.models import Activity, Participation
from apps.deputies.attendance import Attendance
from apps.deputies.demo_support import HeldActivity
from apps.deputies.models import Level

DAY = datetime.date(2026, 5, 11)


def _event(county, mandate):
    return HeldActivity(title="南岭街道人大代表工作站接待选民", jurisdiction=county, level=Level.COUNTY,
                        organiser="南岭街道人大代表工作站", start_date=DAY, place="人民大街1号",
                        description="代表工作站接待日。", created_by=None,
                        participants={mandate.person_id: mandate.pk})


@pytest.mark.django_db
def test_held_events_become_activities_of_the_type_with_everyone_present_at_their_time(county, county_mandate):
    assert demo.record_activities("station_reception", [_event(county, county_mandate)], time_of_day="12:00") == 1

    activity = Activity.objects.get()
    assert (activity.type.code, activity.title, activity.jurisdiction, activity.level, activity.start_date) == (
        "station_reception", "南岭街道人大代表工作站接待选民", county, Level.COUNTY, DAY)
    assert timezone.localtime(activity.created_at) == timezone.localtime(activity.updated_at) == timezone.make_aware(
        datetime.datetime.combine(DAY, datetime.time(12)))
    assert list(Participation.objects.values_list("person", "mandate", "attendance")) == [
        (county_mandate.person_id, county_mandate.pk, Attendance.PRESENT)]


@pytest.mark.django_db
def test_held_events_of_an_unknown_type_are_not_recorded(county, county_mandate):
    assert demo.record_activities("no_such_type", [_event(county, county_mandate)], time_of_day="12:00") == 0
    assert not Activity.objects.exists()

