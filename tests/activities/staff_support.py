"""Fixtures of the staff side of activities (imported by the test modules that use them)."""

import datetime
import io

import pytest

from apps.activities.models import Activity, ActivityType, Participation
from apps.deputies.attendance import Attendance
from apps.deputies.models import Level
from tests.factories import MandateFactory, PersonFactory

DAY = datetime.date(2024, 5, 10)


def activity_type(code="inspection"):
    return ActivityType.objects.get(code=code)


def make_activity(jurisdiction, *, level=Level.MUNICIPAL, code="inspection", title="视察城市供热", day=DAY, user=None,
                  **extra):
    return Activity.objects.create(type=activity_type(code), title=title, jurisdiction=jurisdiction, level=level,
                                   start_date=day, created_by=user, **extra)


def participate(activity, mandate, attendance=Attendance.PRESENT, **extra):
    return Participation.objects.create(activity=activity, person=mandate.person, mandate=mandate,
                                        attendance=attendance, **extra)


def deputies(term, names):
    return [MandateFactory(term=term, person=PersonFactory(name=name)) for name in names]


def workbook(rows, header=("序号", "姓名", "签到", "请假原因")) -> io.BytesIO:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["视察签到表"])
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "签到表.xlsx"
    return data


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%" + b"x" * 64


@pytest.fixture
def city_activity(city, municipal_mandate, staff_user):
    activity = make_activity(city, user=staff_user)
    participate(activity, municipal_mandate)
    return activity


@pytest.fixture
def county_activity(county, county_mandate, county_staff_user):
    activity = make_activity(county, level=Level.COUNTY, title="南关区调研", code="survey", user=county_staff_user)
    participate(activity, county_mandate)
    return activity
