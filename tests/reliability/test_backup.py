"""The restore drill: `manage.py backup` of a database with records, `manage.py restore` into a fresh
database, the same number of rows in every table."""

import uuid

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from tests.factories import MandateFactory, NotificationFactory, PersonFactory, UserFactory


def _admin_url(dbname: str) -> str:
    db = connection.settings_dict
    return f"postgresql://{db['USER']}@{db['HOST']}:{db['PORT']}/{dbname}"


def _row_counts(dbname: str) -> dict[str, int]:
    with psycopg.connect(_admin_url(dbname), autocommit=True) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename").fetchall()]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


@pytest.fixture
def fresh_database():
    name = f"restore_drill_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(_admin_url("postgres"), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'")
    yield name
    with psycopg.connect(_admin_url("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restores_into_a_fresh_database_with_every_row(transactional_db, tmp_path, settings,
                                                                  fresh_database, city_term):
    settings.BACKUP_DIR = tmp_path
    for name in ("张三丰", "李四", "王五"):
        MandateFactory(term=city_term, person=PersonFactory(name=name))
    NotificationFactory(recipient=UserFactory())
    source = connection.settings_dict["NAME"]
    before = _row_counts(source)
    assert before["deputies_person"] == 3

    call_command("backup", stdout=open("/dev/null", "w"))
    (dump,) = tmp_path.glob("deputies-*.dump")
    assert dump.stat().st_size > 0
    call_command("restore", str(dump), database_name=fresh_database, verbosity=0)

    assert _row_counts(fresh_database) == before
    # Restoring again over the restored database (--clean --if-exists) leaves the same rows.
    call_command("restore", str(dump), database_name=fresh_database, verbosity=0)
    assert _row_counts(fresh_database) == before


def test_restoring_a_missing_file_fails_clearly(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no such file"):
        call_command("restore", "/nonexistent/deputies.dump", verbosity=0)
