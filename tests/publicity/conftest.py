"""Publicity fixtures: a city newspaper column featuring the municipal deputy (张三丰's mandate of the root cast)."""

import datetime

import pytest

from apps.publicity.models import PublicityItem


def make_item(jurisdiction, user, *, kind=PublicityItem.Kind.COLUMN, date=datetime.date(2026, 3, 1), deputies=(),
              **kwargs):
    kwargs.setdefault("outlet", "长春日报")
    kwargs.setdefault("title", "人大代表风采")
    kwargs.setdefault("issue_number", "第1期" if kind == PublicityItem.Kind.COLUMN else "")
    kwargs.setdefault("url", "https://example.gov.cn/a")
    item = PublicityItem.objects.create(kind=kind, jurisdiction=jurisdiction, date=date, created_by=user, **kwargs)
    item.deputies.set(deputies)
    return item


@pytest.fixture
def item(city, staff_user, municipal_mandate):
    return make_item(city, staff_user, deputies=[municipal_mandate.person])
