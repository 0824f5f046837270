"""Builders shared by the self-report tests (plain functions, not fixtures)."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.activities.models import Activity, ActivityType, Participation, SelfReport
from apps.activities.services import self_reports as services
from apps.core import roles
from tests.factories import UserFactory

# The day the self-report tests run on (time is frozen there).
TODAY = datetime.date(2026, 11, 26)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def pdf(name: str = "sign-in.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def activity_type(code: str = "inspection") -> ActivityType:
    return ActivityType.objects.get(code=code)


def deputy_account(mandate, username: str):
    """An account of the deputy role linked to ``mandate``'s person."""
    return UserFactory(username=username, roles=[roles.DEPUTY], person=mandate.person)


def make_report(user, *, type_code: str = "inspection", title: str = "视察城区老旧小区改造",
                start_date: datetime.date | None = None, end_date=None, place: str = "南关区幸福街道",
                description: str = "实地查看改造进度，听取居民意见。", files=()) -> SelfReport:
    return services.self_report_create(
        person=user.person, submitted_by=user, type=activity_type(type_code), title=title,
        start_date=start_date or TODAY - datetime.timedelta(days=6), end_date=end_date, place=place,
        description=description, files=files)


def make_activity(jurisdiction, *, type_code: str = "inspection", start_date: datetime.date | None = None,
                  end_date=None, title: str = "市人大常委会组织视察", level: str = "municipal",
                  participants=()) -> Activity:
    """An activity recorded by staff, with ``participants`` (mandates) present."""
    activity = Activity.objects.create(type=activity_type(type_code), title=title, jurisdiction=jurisdiction,
                                       level=level, start_date=start_date or TODAY - datetime.timedelta(days=6),
                                       end_date=end_date, place="市政府", organiser="市人大常委会办公厅")
    for mandate in participants:
        Participation.objects.create(activity=activity, person=mandate.person, mandate=mandate)
    return activity


# --- fixtures (imported by the self-report test modules) ----------------------------------------------------



@pytest.fixture
def frozen_today():
    """Time stands at ``TODAY`` (Beijing morning)."""
    with time_machine.travel(datetime.datetime(2026, 11, 26, 9, 30, tzinfo=datetime.timezone(
            datetime.timedelta(hours=8))), tick=False):
        yield TODAY


@pytest.fixture
def media(settings, tmp_path):
    """Uploads go to a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def other_deputy(county_mandate):
    """A county deputy (李四, 南关区) with an account of their own."""
    return deputy_account(county_mandate, "deputy2")
