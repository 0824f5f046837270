"""Fixtures and builders shared by the deputy-side tests (the deputy's pages and the similar-items lookup).

The cast: 张三丰 (``deputy_user``, a municipal deputy of 市第十六届), 赵六 (``fellow_deputy``, a municipal deputy
of the same term: a co-signer), 李四 (``other_deputy``, a county deputy of 南关区: another congress).
"""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.core import roles
from tests.factories import MandateFactory, PersonFactory, UserFactory

TODAY = datetime.date(2026, 11, 26)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def png(name: str = "现场照片.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def text_file(name: str = "说明.txt") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, "不是可接受的文件类型".encode(), content_type="text/plain")


def deputy_account(mandate, username: str):
    return UserFactory(username=username, roles=[roles.DEPUTY], person=mandate.person)


def suggestion_data(**overrides) -> dict:
    """What the new-suggestion form posts (the deputy holds one mandate: it goes as a hidden field)."""
    data = {"title": "关于加快老旧小区加装电梯的建议", "content": "老旧小区老年人上下楼困难，建议财政补贴加装电梯。",
            "keywords": "老旧小区, 电梯", "category": "", "period": "between_sessions", "session": ""}
    data.update(overrides)
    return data


def motion_data(**overrides) -> dict:
    data = {"title": "关于制定物业管理条例的议案", "grounds": "物业纠纷逐年增多，现行规定不足以规范。",
            "plan": "建议常委会制定本市物业管理条例。", "is_legislative": "", "draft_text": "", "keywords": "",
            "category": "", "period": "between_sessions", "session": ""}
    data.update(overrides)
    return data


@pytest.fixture
def frozen_today():
    """Time stands at ``TODAY`` (a Thursday, Beijing morning)."""
    with time_machine.travel(datetime.datetime(2026, 11, 26, 9, 30, tzinfo=datetime.timezone(
            datetime.timedelta(hours=8))), tick=False):
        yield TODAY


@pytest.fixture
def media(settings, tmp_path):
    """Uploads go to a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def fellow_mandate(city_term):
    return MandateFactory(term=city_term, person=PersonFactory(name="赵六"))


@pytest.fixture
def fellow_deputy(fellow_mandate):
    """Another municipal deputy of the same congress, with an account: a co-signer."""
    return deputy_account(fellow_mandate, "deputy_fellow")


@pytest.fixture
def other_deputy(county_mandate):
    """A county deputy (李四, 南关区): a deputy of another congress, with an account of their own."""
    return deputy_account(county_mandate, "deputy2")
