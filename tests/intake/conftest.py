"""Intake fixtures on top of the root cast (tests/conftest.py): the city station with 张三丰 (the ``deputy``
account) attached, his code and the station's, and helpers to post an opinion."""

import datetime
import io

import pytest
import time_machine
from django.urls import reverse
from PIL import Image

from apps.intake import services
from apps.stations.models import Station

PHONE = "13812345678"


@pytest.fixture
def station(city, municipal_mandate):
    station = Station.objects.create(jurisdiction=city, name="南湖社区代表工作站", address="南湖路1号",
                                     responsible_name="刘站长")
    station.deputies.set([municipal_mandate.person])
    return station


@pytest.fixture
def deputy_code(deputy_user, station):
    return services.intake_code_get_or_create(person=deputy_user.person)


@pytest.fixture
def station_code(station):
    return services.intake_code_get_or_create(station=station)


def submit_url(code) -> str:
    return reverse("intake:submit", args=[code.token])


def opinion(**extra) -> dict:
    data = {"category": "urban", "text": "小区门口的路灯坏了一个月，晚上很黑。", "name": "赵女士", "phone": PHONE}
    data.update(extra)
    return data


def submit(code, address="10.0.0.1", **extra):
    """An opinion through ``code`` as the service takes it from the public page."""
    data = opinion(**extra)
    return services.intake_submit(code=code, sender_address=address, **data)


def jpeg_with_exif(size=(64, 48)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SecretPhoneMaker"  # Make
    exif[0x8825] = {2: (43.0, 53.0, 0.0)}  # GPS IFD: a latitude
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


NOW = datetime.datetime(2026, 6, 1, 9, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


@pytest.fixture
def frozen():
    """Beijing's 1 June 2026, 09:00: the rate limits' windows and the visits' dates are read on it."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller
