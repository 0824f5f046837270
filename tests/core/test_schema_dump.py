"""tests/schema.sql stands for the migrations: test databases are loaded from it (tests/schema_dump.py)."""

import os

import pytest

from tests import schema_dump


def test_the_committed_schema_is_from_the_current_migrations():
    assert schema_dump.committed_digest() == schema_dump.migrations_digest(), (
        "tests/schema.sql was written before the latest migration change: run `make schema` and commit it")


@pytest.mark.smoke
@pytest.mark.django_db
def test_migrating_builds_exactly_the_committed_schema():
    """CI's smoke stage builds its test database by migrating (TEST_SCHEMA=migrate) and dumps it: tables,
    indexes, triggers, functions and the rows migrations write must equal tests/schema.sql line for line."""
    if os.environ.get("TEST_SCHEMA") != "migrate":
        pytest.skip("this database was loaded from tests/schema.sql; the CI smoke stage migrates (TEST_SCHEMA=migrate)")
    assert "difference" in schema_dump.comparison, "the test database was not built by migrating"
    assert schema_dump.comparison["difference"] is None, schema_dump.comparison["difference"]
