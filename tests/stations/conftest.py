"""Stations fixtures on top of the root cast (tests/conftest.py): a city station with 张三丰 attached, a
reception day tomorrow with him on duty, and a visit logged two days ago with the visitor's phone."""

import datetime

import pytest
from django.utils import timezone

from apps.stations.models import ReceptionDay, Station, VoterVisit

VISITOR_PHONE = "13812345678"


def make_station(jurisdiction, name="南湖社区代表工作站", deputies=(), **kwargs):
    station = Station.objects.create(jurisdiction=jurisdiction, name=name, address=kwargs.pop("address", "南湖路1号"),
                                     responsible_name=kwargs.pop("responsible_name", "刘站长"), **kwargs)
    station.deputies.set(deputies)
    return station


def make_day(station, date, deputies=(), **kwargs):
    day = ReceptionDay.objects.create(station=station, date=date, **kwargs)
    day.deputies.set(deputies)
    return day


def make_visit(station, date=None, deputies=(), **kwargs):
    kwargs.setdefault("issue", "小区路灯不亮")
    kwargs.setdefault("category", VoterVisit.Category.URBAN)
    visit = VoterVisit.objects.create(station=station, date=date or timezone.localdate(), **kwargs)
    visit.deputies.set(deputies)
    return visit


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def city_station(city, municipal_mandate):
    return make_station(city, deputies=[municipal_mandate.person])


@pytest.fixture
def reception_day(city_station, municipal_mandate, today):
    return make_day(city_station, today + datetime.timedelta(days=1), deputies=[municipal_mandate.person],
                    start_time=datetime.time(9), end_time=datetime.time(11, 30))


@pytest.fixture
def visit(city_station, municipal_mandate, today):
    return make_visit(city_station, today - datetime.timedelta(days=2), deputies=[municipal_mandate.person],
                      visitor_name="赵女士", visitor_phone=VISITOR_PHONE)
