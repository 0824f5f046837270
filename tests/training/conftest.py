"""Training records on the root cast: a city program with a session, and a program of 朝阳区 (other_county)."""

import datetime

import pytest
from django.core.files.base import ContentFile

from apps.deputies.models import Level
from apps.training.models import Form, Topic, TrainingAttendance, TrainingMaterial, TrainingProgram, TrainingSession

DAY = datetime.date(2026, 3, 10)


def make_program(jurisdiction, *, level=Level.MUNICIPAL, start=DAY, title="市人大代表集中培训班", **kwargs):
    return TrainingProgram.objects.create(title=title, form=kwargs.pop("form", Form.CENTRAL),
                                          topic=kwargs.pop("topic", Topic.DUTIES), jurisdiction=jurisdiction,
                                          level=level, start_date=start, **kwargs)


def make_session(program, *, date=None, title="履职能力专题讲座", hours="3.0"):
    return TrainingSession.objects.create(program=program, title=title, date=date or program.start_date,
                                          hours=hours)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def program(city):
    return make_program(city)


@pytest.fixture
def session(program):
    return make_session(program)


@pytest.fixture
def other_program(other_county):
    return make_program(other_county, level=Level.COUNTY, title="朝阳区代表培训")


@pytest.fixture
def other_session(other_program):
    return make_session(other_program)


@pytest.fixture
def other_attendance(other_session, other_county_mandate):
    return TrainingAttendance.objects.create(session=other_session, person=other_county_mandate.person,
                                             mandate=other_county_mandate)


@pytest.fixture
def other_material(other_program):
    material = TrainingMaterial(program=other_program, original_name="讲义.pdf", content_type="application/pdf",
                                size=9)
    material.file.save("handout.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    material.save()
    return material
