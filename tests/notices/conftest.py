"""Notices fixtures on top of the root cast (tests/conftest.py): a delegation of the city's term that holds the
``deputy`` account's mandate and two other deputies (one without an account)."""

import datetime

import pytest
import time_machine

from apps.notices import services
from tests.factories import DelegationFactory, MandateFactory, PersonFactory, UserFactory
from apps.core import roles

NOW = datetime.datetime(2026, 6, 1, 9, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def delegation(city_term, deputy_user, municipal_mandate):
    delegation = DelegationFactory(term=city_term, name="南关代表团")
    municipal_mandate.delegation = delegation
    municipal_mandate.save()
    other = MandateFactory(term=city_term, delegation=delegation, person=PersonFactory(name="刘一"))
    UserFactory(username="deputy2", roles=[roles.DEPUTY], person=other.person)
    MandateFactory(term=city_term, delegation=delegation, person=PersonFactory(name="陈二"))  # no account
    return delegation


def publish(user, **kwargs):
    data = {"title": "关于召开代表座谈会的通知", "body": "<p>请准时参加。</p>"}
    data.update(kwargs)
    return services.notice_create(user=user, jurisdiction=user.jurisdiction, **data)
