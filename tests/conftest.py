"""The fixed cast: a city with two counties, and one user per role.

``TEST_CLOCK`` (an ISO date-time with its offset, e.g. ``2026-12-04T07:30+08:00``) runs the whole session on a
clock that starts there and ticks: ``make test-clocks`` runs the suite at 07:30 and at 23:30 Beijing time, when
Beijing's day and UTC's differ and when they agree, to show that no test depends on the hour it runs at.
"""

import datetime
import os

import pytest
import time_machine
from django.test import Client

from apps.core import roles
from apps.core.models import Jurisdiction
from apps.deputies.models import Level
from tests.factories import (
    HandlingUnitFactory, JurisdictionFactory, MandateFactory, PersonFactory, TermFactory, UserFactory,
)
from tests import schema_dump
from tests.hypothesis_budget import load_profile

load_profile()  # before the test modules are imported: their @settings build on the profile


def _flush_only_written_tables() -> None:
    """After a transactional test (a browser test, a real worker) pytest-django flushes the database: Django
    truncates all of its ~200 tables in one statement, 2–5 s each time on this machine, nearly all of it for tables
    the test never wrote. In tests, the flush empties only the tables that hold a row (found in one query), with
    DELETE — Django's foreign keys are deferred to the end of the flush's transaction, so the order does not
    matter and no table is truncated by cascade — except the tables whose rows refuse a DELETE (the append-only
    audit log), which are truncated. The database ends as it does after Django's flush
    (tests/core/test_test_flush.py)."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate_all = DatabaseOperations.sql_flush
    refusing_delete = []  # found once: the tables with a row-level trigger on DELETE

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or not tables:
            return truncate_all(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        tables = sorted(tables)
        quote = self.quote_name
        probe = " UNION ALL ".join(f"SELECT {i} WHERE EXISTS (SELECT 1 FROM {quote(table)})"
                                   for i, table in enumerate(tables))
        with self.connection.cursor() as cursor:
            if not refusing_delete:
                cursor.execute("SELECT DISTINCT tgrelid::regclass::text FROM pg_trigger WHERE NOT tgisinternal "
                               "AND tgtype & 1 = 1 AND tgtype & 8 = 8")  # FOR EACH ROW, ON DELETE
                refusing_delete.append({name.strip('"') for (name,) in cursor.fetchall()})
            cursor.execute(probe)
            written = [tables[i] for (i,) in cursor.fetchall()]
        deleted = [f"DELETE FROM {quote(table)};" for table in written if table not in refusing_delete[0]]
        truncated = [quote(table) for table in written if table in refusing_delete[0]]
        return deleted + ([f"TRUNCATE {', '.join(truncated)} CASCADE;"] if truncated else [])

    DatabaseOperations.sql_flush = sql_flush
    DatabaseOperations.sql_flush_all_tables = truncate_all  # Django's own, for tests/core/test_test_flush.py


def pytest_configure(config):
    _flush_only_written_tables()
    schema_dump.install()
    clock = os.environ.get("TEST_CLOCK")
    if clock:
        traveller = time_machine.travel(datetime.datetime.fromisoformat(clock), tick=True)
        traveller.start()
        config.add_cleanup(traveller.stop)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: data versions restart when a test's transaction rolls back."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def city(db):
    return JurisdictionFactory(name="长春市", code="220100", kind=Jurisdiction.Kind.CITY)


@pytest.fixture
def county(city):
    return JurisdictionFactory(name="南关区", code="220102", parent=city)


@pytest.fixture
def other_county(city):
    return JurisdictionFactory(name="朝阳区", code="220104", parent=city)


@pytest.fixture
def city_term(city):
    return TermFactory(jurisdiction=city, level=Level.MUNICIPAL, number=16, name="市第十六届")


@pytest.fixture
def county_term(county):
    return TermFactory(jurisdiction=county, level=Level.COUNTY, number=19, name="南关区第十九届")


@pytest.fixture
def other_county_term(other_county):
    return TermFactory(jurisdiction=other_county, level=Level.COUNTY, number=19, name="朝阳区第十九届")


@pytest.fixture
def municipal_mandate(city_term):
    return MandateFactory(term=city_term, person=PersonFactory(name="张三丰"))


@pytest.fixture
def county_mandate(county_term):
    return MandateFactory(term=county_term, person=PersonFactory(name="李四"))


@pytest.fixture
def other_county_mandate(other_county_term):
    return MandateFactory(term=other_county_term, person=PersonFactory(name="王五"))


@pytest.fixture
def staff_user(city):
    return UserFactory(username="staff", roles=[roles.STAFF], jurisdiction=city)


@pytest.fixture
def county_staff_user(county):
    return UserFactory(username="county_staff", roles=[roles.STAFF], jurisdiction=county)


@pytest.fixture
def supervisor_user(city):
    return UserFactory(username="supervisor", roles=[roles.SUPERVISOR], jurisdiction=city)


@pytest.fixture
def member_user(city):
    return UserFactory(username="member", roles=[roles.MEMBER], jurisdiction=city)


@pytest.fixture
def deputy_user(municipal_mandate):
    return UserFactory(username="deputy", roles=[roles.DEPUTY], person=municipal_mandate.person)


@pytest.fixture
def unit_user(city):
    return UserFactory(username="unit", roles=[roles.UNIT], handling_unit=HandlingUnitFactory(jurisdiction=city))


@pytest.fixture
def sysadmin_user(city):
    return UserFactory(username="sysadmin", roles=[roles.SYSADMIN], jurisdiction=city, is_staff=True)


@pytest.fixture
def secadmin_user(city):
    return UserFactory(username="secadmin", roles=[roles.SECADMIN], jurisdiction=city, is_staff=True)


@pytest.fixture
def auditor_user(city):
    return UserFactory(username="auditor", roles=[roles.AUDITOR], jurisdiction=city, is_staff=True)


@pytest.fixture
def outsider(db):
    """Signed in, but holding no role."""
    return UserFactory(username="outsider")


@pytest.fixture
def client_for():
    def make(user):
        c = Client()
        c.force_login(user)
        return c

    return make


@pytest.fixture
def leader_user(city, city_term):
    """A committee member's account, vice director on the city's council (主任会议), leading the supervision of
    one key item of the city (``tests.proposals.leader_support.item_led_by``)."""
    from tests.proposals.leader_support import council_account, led_item

    user, member = council_account(city, city_term, username="leader", name="赵副主任")
    led_item(member)
    return user


@pytest.fixture
def council_member_user(city, city_term):
    """A committee member's account, secretary-general on the city's council, who leads no item."""
    from apps.committee.models import Post
    from tests.proposals.leader_support import council_account

    return council_account(city, city_term, username="council", name="钱秘书长", post=Post.SECRETARY_GENERAL)[0]
